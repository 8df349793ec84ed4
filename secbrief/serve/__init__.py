"""`secbrief serve`: a live preview of the briefs while analysts write them.

The pages are rendered into memory (``preview``), never into build/, and
served over HTTP on loopback by default (``http``), to requests the
``guard`` lets through: only GET and HEAD, only the Host the server is bound
to, only names a build makes. A watcher (``watch``, watchfiles) re-renders
the briefs a saved file affects, by the build's own staleness rules, and
tells the open pages through server-sent events (``events``); the page's
script (``client``), injected as it is served (``pages``), reloads it or
shows every diagnostic over the last good render.
"""
