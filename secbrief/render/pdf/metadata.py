"""The XMP metadata of a brief's PDF: WeasyPrint's, plus where the brief
comes from.

WeasyPrint writes the XMP packet PDF/UA and PDF/A ask for (title, author,
dates, pdfuaid or pdfaid). The brief's version stamp (commit, its date,
secbrief's version) is in the document info as /briefversion, but an
archive reads XMP: this adds it there as ``secbrief:briefVersion``, with an
``xmpMM:DocumentID`` that stays the same for every version of one brief
and an ``xmpMM:InstanceID`` for this rendering (the PDF's own identifier).
Both are derived from the brief, never random, so the bytes reproduce.

PDF/A allows a property outside its predefined schemas only when the
packet describes it (ISO 19005-1, 6.7.8, kept by parts 2 and 3): for the
PDF/A variants the packet also carries a ``pdfaExtension`` schema naming
``secbrief:briefVersion``.

Imported only by secbrief.render.pdf.typeset, after WeasyPrint.
"""

from __future__ import annotations

import re
import uuid
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

from weasyprint.pdf.metadata import DocumentMetadata

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XMP_MM = "http://ns.adobe.com/xap/1.0/mm/"
# An XMP namespace is a name, never fetched; it ends in "/" as XMP asks.
SECBRIEF = "urn:secbrief:ns:provenance:1/"
PDFA_EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
PDFA_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PDFA_PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
for _prefix, _uri in (("xmpMM", XMP_MM), ("secbrief", SECBRIEF), ("pdfaExtension", PDFA_EXTENSION),
                      ("pdfaSchema", PDFA_SCHEMA), ("pdfaProperty", PDFA_PROPERTY)):
    register_namespace(_prefix, _uri)
# Fixed, so a brief's document id is the same on every machine.
_DOCUMENT_IDS = uuid.UUID("6f0c5b8e-2f4a-5d1c-9a47-5ec0b41ef000")


class BriefMetadata(DocumentMetadata):
    """WeasyPrint's metadata of one document, whose XMP packet also says
    which version of which brief the PDF shows."""

    def __init__(self, base: DocumentMetadata, brief_id: str, instance: str, version: str | None):
        # XML 1.0 has no place for most control characters: one in a title
        # would make the packet unreadable (WeasyPrint writes it as it is).
        fields = {name: _xml_text(value) for name, value in vars(base).items()}
        super().__init__(**fields)
        self.brief_id = brief_id
        self.instance = instance  # hex: the PDF's /ID
        self.version = version

    def generate_rdf_metadata(self, variant, version, conformance):
        rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))
        ids = _description(rdf)
        SubElement(ids, f"{{{XMP_MM}}}DocumentID").text = f"uuid:{uuid.uuid5(_DOCUMENT_IDS, self.brief_id)}"
        SubElement(ids, f"{{{XMP_MM}}}InstanceID").text = f"uuid:{uuid.UUID(self.instance[:32])}"
        if self.version:
            SubElement(_description(rdf), f"{{{SECBRIEF}}}briefVersion").text = self.version
            if variant == "a":
                rdf.append(_extension_schema())
        return tostring(rdf, encoding="utf-8")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value):
    """A metadata value (text, or a list of texts) without the characters XML cannot hold."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, list):
        return [_xml_text(item) for item in value]
    return value


def _description(rdf: Element) -> Element:
    element = SubElement(rdf, f"{{{RDF}}}Description")
    element.set(f"{{{RDF}}}about", "")
    return element


def _extension_schema() -> Element:
    """The pdfaExtension description of secbrief's one property."""
    holder = Element(f"{{{RDF}}}Description")
    holder.set(f"{{{RDF}}}about", "")
    bag = SubElement(SubElement(holder, f"{{{PDFA_EXTENSION}}}schemas"), f"{{{RDF}}}Bag")
    schema = _resource(bag)
    SubElement(schema, f"{{{PDFA_SCHEMA}}}schema").text = "secbrief provenance"
    SubElement(schema, f"{{{PDFA_SCHEMA}}}namespaceURI").text = SECBRIEF
    SubElement(schema, f"{{{PDFA_SCHEMA}}}prefix").text = "secbrief"
    seq = SubElement(SubElement(schema, f"{{{PDFA_SCHEMA}}}property"), f"{{{RDF}}}Seq")
    prop = _resource(seq)
    SubElement(prop, f"{{{PDFA_PROPERTY}}}name").text = "briefVersion"
    SubElement(prop, f"{{{PDFA_PROPERTY}}}valueType").text = "Text"
    SubElement(prop, f"{{{PDFA_PROPERTY}}}category").text = "external"
    SubElement(prop, f"{{{PDFA_PROPERTY}}}description").text = (
        "Which version of the brief this document shows: the commit of its content, the commit's date, "
        "and the secbrief version that rendered it")
    return holder


def _resource(parent: Element) -> Element:
    item = SubElement(parent, f"{{{RDF}}}li")
    item.set(f"{{{RDF}}}parseType", "Resource")
    return item
