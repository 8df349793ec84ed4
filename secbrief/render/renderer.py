"""Render step: the view model through a style's Jinja templates.

One Renderer per build: the template environments, the Markdown converter
and the stylesheets are made once and reused for every brief.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from secbrief.core import dates, stop_signals
from secbrief.core.atomic import OutputError, write_cache_entry
from secbrief.render import labels
from secbrief.render.chart import svg as chart_svg
from secbrief.render import mdtext
from secbrief.render import scripts
from secbrief.core.diagnostics import SecbriefError
from secbrief.core.fingerprint import package_hash
from secbrief.render.markup import MarkdownRenderer
from secbrief.resolve.views import BriefView
from secbrief.render.typography import smarten_html, smarten_text

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent) + "/"  # secbrief/
_BLANK_RUN_RE = re.compile(r"\n(?:[ \t]*\n){2,}")


class TemplateProblem(SecbriefError):
    """A template is missing or broken: the message names the file and line."""


class Renderer:
    def __init__(self, templates_dir: Path):
        self.templates_dir = templates_dir
        self.markdown = MarkdownRenderer()
        self._css: dict[str, str] = {}
        loader = jinja2.FileSystemLoader(str(templates_dir))
        # auto_reload off: templates do not change during a build, and
        # checking each one's mtime on every render costs ~10 % of it.
        common = dict(loader=loader, undefined=jinja2.StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
                      bytecode_cache=_bytecode_cache(templates_dir.parent / "build" / ".cache" / "jinja"))
        self.html_env = jinja2.Environment(autoescape=True, **common)
        # Markdown output is not HTML, but a Markdown viewer would still
        # interpret a raw tag, so every value printed is defused.
        self.md_env = jinja2.Environment(autoescape=False, finalize=_defuse_markdown, **common)
        for env in (self.html_env, self.md_env):
            # One date format in every brief, whatever its style ("21 December
            # 2020"): data, tables, footers and the analysts' own prose agree.
            env.filters.update(date=dates.long_date, tag_label=labels.tag_label, native_lang=scripts.native_lang)
        self.html_env.filters.update(md=self._md_html, md_inline=self._md_html_inline, cite=self._cite_html,
                                     css_string=_css_string)
        self.html_env.globals["chart_svg"] = lambda chart, brand: Markup(chart_svg(chart, brand))
        self.html_env.globals["map_svg"] = lambda locator: Markup(map_svg(locator))
        self.md_env.filters.update(md=self._md_text, md_inline=self._md_text, cite=self._cite_text,
                                   link=mdtext.link, bare_url=mdtext.bare, note_text=_note_markdown)

    # Filters read the brief's Citations from the template context, so
    # numbering follows the order the template reaches each citation.
    @jinja2.pass_context
    def _md_html(self, context, text):
        return Markup(self.markdown.to_html(text, context["citations"].cite))

    @jinja2.pass_context
    def _md_html_inline(self, context, text):
        return Markup(self.markdown.to_html(text, context["citations"].cite, inline=True))

    @jinja2.pass_context
    def _md_text(self, context, text):
        return self.markdown.to_markdown(text, context["citations"].cite)

    @jinja2.pass_context
    def _cite_html(self, context, ids):
        numbers = sorted(context["citations"].cite(list(ids)))
        links = ", ".join(f'<a href="#note-{n}">{n}</a>' for n in numbers)
        return Markup(f'<sup class="cite">[{links}]</sup>')

    @jinja2.pass_context
    def _cite_text(self, context, ids):
        numbers = sorted(context["citations"].cite(list(ids)))
        return "[" + ", ".join(map(str, numbers)) + "]"

    def _render(self, env: jinja2.Environment, name: str, view: BriefView, **extra) -> str:
        view.citations.reset()
        try:
            template = env.get_template(name)
            return template.render(b=view, citations=view.citations, **extra)
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem.at(f"templates/{exc.name}", "template not found", 1, 1) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem.at(f"templates/{exc.name or name}", f"template syntax: {exc.message}",
                                     exc.lineno, 1) from None
        except jinja2.UndefinedError as exc:
            path, line = self._template_where(exc, name)
            raise TemplateProblem.at(path, f"{_undefined_message(exc.message)} "
                                     f"(while rendering brief '{view.id}')", line, 1) from None
        except Exception as exc:
            # An error raised while running template code ({{ 1 / 0 }}, a
            # bad filter argument) is the template's; one raised inside
            # secbrief's own code is a bug of ours, reported as such.
            if _template_frame(exc)[0] is None or _innermost_frame(exc).startswith(_PACKAGE_DIR):
                raise
            path, line = self._template_where(exc, name)
            raise TemplateProblem.at(path, f"{type(exc).__name__}: {exc} "
                                     f"(while rendering brief '{view.id}')", line, 1) from None

    def _template_where(self, exc: BaseException, name: str) -> tuple[str, int]:
        """(templates/<file>, line) of the template being run when Jinja
        raised: the included or imported file, not only the top one."""
        path, line = _template_frame(exc)
        shown = f"templates/{name}"
        if path:
            try:
                shown = "templates/" + Path(path).resolve().relative_to(self.templates_dir.resolve()).as_posix()
            except ValueError:
                shown = path
        return shown, line

    def markdown_text(self, view: BriefView) -> str:
        text = self._render(self.md_env, f"{view.style}/brief.md.j2", view)
        # Templates leave runs of blank lines where optional blocks are
        # absent; one blank line between blocks reads best in an email.
        return _BLANK_RUN_RE.sub("\n\n", text)

    def html_text(self, view: BriefView) -> str:
        css = self.stylesheet(view.style)
        # The house style's quotes, dashes and citation marks (typography.py),
        # once over the whole page: the PDF is made from this same HTML.
        return smarten_html(self._render(self.html_env, f"{view.style}/brief.html.j2", view, css=Markup(css)))

    def stylesheet(self, style: str) -> str:
        """Shared CSS then the style's own, read once per build."""
        if style not in self._css:
            parts = [self.templates_dir / "_shared" / "base.css", self.templates_dir / style / "brief.css"]
            self._css[style] = "\n".join(p.read_text(encoding="utf-8") for p in parts if p.is_file())
        return self._css[style]


def map_svg(locator) -> str:
    """A brief's locator map as SVG (secbrief.render.maps): inline in its
    HTML, drawn by the PDF, and the file beside its Markdown."""
    return _draw()(locator)


def _draw():
    """secbrief.render.maps.draw.svg, imported on first use, with the stop
    signals held: numpy, pyproj and shapely import C extensions, which turn
    an interrupt raised inside them into an ImportError or print it with a
    traceback. Held, a Ctrl-C during the import stops the build right after
    it, as anywhere else (core.stop_signals)."""
    with stop_signals.held():
        # Deferred: shapely, pyproj and numpy (a third of a second to import) only
        # when a brief has a map to draw; a build or preview without one never loads them.
        from secbrief.render.maps.draw import svg
    return svg


def warm_maps() -> None:
    """Import the map drawing now: before forking helpers, so that they
    share one import instead of paying for one each."""
    _draw()  # only a build with enough briefs to fork calls this


def map_file(view: BriefView) -> str | None:
    """The SVG file written beside a brief's Markdown (<id>.map.svg), or None without a map."""
    return None if view.map is None else '<?xml version="1.0" encoding="UTF-8"?>\n' + map_svg(view.map) + "\n"


def _note_markdown(note) -> str:
    """A source note for the Markdown brief, in the house style of the HTML
    one: 'Publisher, "Title", 25 October 2023.', the title a link to the
    source (never a bare URL)."""
    title = f'"{mdtext.link(note.source.title, note.source.url)}"'
    after = f"{note.after_title}, " if note.after_title else ""
    return f"{note.before_title}, {title}, {after}{dates.long_date(note.source.date)}."


def _css_string(value) -> Markup:
    """A quoted CSS string, safe inside <style>: quotes, backslashes, line
    breaks and '<' (which could close the element) become CSS escapes.
    Its text gets the house typography: it is a page header's words, and
    smarten_html leaves <style> alone."""
    text = smarten_text(value.unescape() if isinstance(value, Markup) else str(value))
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r&' else ch for ch in text)
    return Markup(f'"{escaped}"')


def _bytecode_cache(directory: Path):
    """Compiled templates kept between builds (compiling them costs ~0.1 s a
    build), in build/.cache/jinja: inside the project, never a shared
    temporary folder another user could write to. Entries are checked against
    each template's source. None when the folder cannot be made: templates
    are then compiled every time."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Compiled code bakes in how each filter is called (with the context
        # or not): a template compiled by another version of secbrief would
        # call today's filters wrongly, so each version keeps its own entries.
        version = package_hash()
        for old in directory.glob("__jinja2_*.cache"):  # another version's entries: never read again
            if not old.name.startswith(f"__jinja2_{version}_"):
                old.unlink(missing_ok=True)
        return _QuietBytecodeCache(str(directory), pattern=f"__jinja2_{version}_%s.cache")
    except (OSError, RuntimeError):
        return None


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    def dump_bytecode(self, bucket) -> None:
        # Through secbrief.core.atomic like every file secbrief writes: a
        # build stopped mid-write leaves no half entry for the next to load.
        try:
            write_cache_entry(Path(self._get_cache_filename(bucket)), bucket.bytecode_to_string())
        except (OSError, OutputError):
            pass  # a cache that cannot be written only makes the next build slower


def _defuse_markdown(value):
    if isinstance(value, str):
        return mdtext.defuse(value)
    return value


_NO_ATTRIBUTE_RE = re.compile(r"^'secbrief\.[\w.]+\.(\w+) object' has no attribute '([^']*)'$")
_VIEW_NAMES = {"BriefView": "the brief", "IncidentView": "an incident", "PartyGroup": "a party",
               "Note": "a source note", "Citations": "citations", "Tlp": "the TLP"}


def _undefined_message(message: str | None) -> str:
    """Jinja's "'secbrief.resolve.views.BriefView object' has no attribute 'x'"
    in the words of the template author's data."""
    match = _NO_ATTRIBUTE_RE.match(message or "")
    if match and match.group(1) in _VIEW_NAMES:
        return f"{_VIEW_NAMES[match.group(1)]} has no field '{match.group(2)}'"
    return message or "undefined value"


def _template_frame(exc: BaseException) -> tuple[str | None, int]:
    """The template file and line being rendered when Jinja raised (Jinja
    rewrites tracebacks so template frames carry the template's own file
    name and line)."""
    tb, path, line = exc.__traceback__, None, 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            path, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return path, line


def _innermost_frame(exc: BaseException) -> str:
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_filename if tb is not None else ""
