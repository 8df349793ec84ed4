"""Load: YAML files read safely into plain data that remembers where each
value came from (file, line, column), with limits against hostile input, a
cache of earlier parses and parsing ahead on every core.

Imports: secbrief.core only. Knows nothing of incidents or briefs: the
shape of the data is the model layer's business. See docs/architecture.md.
"""
