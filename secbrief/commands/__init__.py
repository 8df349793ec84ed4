"""The commands of the command line, one module each (as MkDocs has them):
each `run(args)` calls one library function and prints its result.
secbrief.cli parses the options and imports only the module of the command
it runs, so `secbrief build` with nothing to do never imports pydantic,
Jinja or WeasyPrint.

Imports: any layer below (authoring, interop, pipeline and down).
See docs/architecture.md.
"""
