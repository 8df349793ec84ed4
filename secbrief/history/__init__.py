"""History: a brief through time. Every git call (gitinfo), the version
stamp each output carries (provenance), what changed since the previous
issue (changes), and a brief across git revisions (`secbrief diff` and
`secbrief history`).

Imports: secbrief.model, secbrief.load, secbrief.core (a validated Corpus
is passed in, never loaded here). See docs/architecture.md.
"""
