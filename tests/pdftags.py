"""A tagged PDF's structure tree, read with pypdf as a screen reader's
tools see it: each element's type (/H1, /Table, /TH, /Figure...), its
attributes and alternative text, and the text of the marked content it
holds, page by page (marked-content ids mapped to the text drawn inside
them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Node:
    tag: str                      # "H1", "Table", "TH", "Figure", ...
    alt: str | None = None
    id: str | None = None          # /ID: what a table cell's /Headers names
    attributes: dict = field(default_factory=dict)
    kids: list["Node"] = field(default_factory=list)
    own_text: list[str] = field(default_factory=list)  # content marked directly in this element

    @property
    def text(self) -> str:
        """All text inside, in tree order, whitespace collapsed."""
        parts: list[str] = []

        def gather(node):
            parts.extend(node.own_text)
            for kid in node.kids:
                gather(kid)
        gather(self)
        return " ".join("".join(parts).split())

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all(self, *tags: str) -> list["Node"]:
        return [node for node in self.walk() if node.tag in tags]


def _marked_texts(reader) -> dict[int, dict[int, str]]:
    """Page object number -> MCID -> the text drawn inside that marked content."""
    result = {}
    for page in reader.pages:
        stack: list[int | None] = []
        found: dict[int, str] = {}

        def before(operator, operands, cm, tm):
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                stack.append(properties.get("/MCID") if hasattr(properties, "get") else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(value, cm, tm, font, size):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                found[mcid] = found.get(mcid, "") + value

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        result[page.indirect_reference.idnum] = found
    return result


def structure(path: Path) -> Node | None:
    """The document's structure tree (its /Document element), or None when
    the PDF has no StructTreeRoot."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return None
    texts = _marked_texts(reader)

    def build(element, page) -> Node:
        page = element.get("/Pg", page)
        node = Node(str(element["/S"]).lstrip("/"), alt=element.get("/Alt"), id=element.get("/ID"),
                    attributes=dict(element.get("/A") or {}))
        kids = element.get("/K")
        kids = [] if kids is None else kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                node.own_text.append(texts[page.idnum].get(kid, ""))
                continue
            kid = kid.get_object()
            if kid.get("/Type") == "/StructElem" or "/S" in kid:
                node.kids.append(build(kid, page))
        return node

    tree_root = root["/StructTreeRoot"].get_object()
    kids = tree_root["/K"]
    kids = kids if isinstance(kids, list) else [kids]
    document = Node("StructTreeRoot", kids=[build(kid.get_object(), None) for kid in kids])
    return document.kids[0] if len(document.kids) == 1 else document


def xmp(path: Path) -> str:
    """The XMP packet of the document catalog, as text ("" when absent)."""
    from pypdf import PdfReader

    metadata = PdfReader(path).trailer["/Root"].get("/Metadata")
    return metadata.get_object().get_data().decode("utf-8") if metadata is not None else ""
