"""Delivery: each client's briefs by email, and STIX bundles to TAXII
collections, within each recipient's TLP and exactly once.

Owns the TLP rules per recipient (`policy`), the SMTP and S/MIME settings
read from the environment (`settings`), the email itself (`message`,
`smime`), one SMTP connection per run (`smtp`), the append-only delivery
log with its lock (`log`), the run that ties them together (`run`), and the
TAXII 2.1 push (`taxii`). docs/delivery.md describes it for editors.

Imports: secbrief.pipeline and below (never the CLI, authoring or interop:
the STIX bundles for TAXII are made by the command and handed in).
See docs/architecture.md.
"""
