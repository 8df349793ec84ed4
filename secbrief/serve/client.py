"""The script and stylesheet every served page loads from the preview
(same-origin files, never inline: see secbrief.serve.pages).

The script listens to the server's events (an EventSource: the browser
reconnects by itself, and no loop polls the server), reloads the page on
"reload", and on "diagnostics" fetches the list of problems and shows it
over the page, each inserted as text (``textContent``, never as HTML),
each place a link to the file and line in the analyst's editor. It adds a
link to the brief's PDF, rendered when followed. None of it prints: the
page prints as built.
"""

from __future__ import annotations

LIVE_JS = r"""(() => {
  "use strict";
  const script = document.currentScript;
  const page = script.dataset.page, version = script.dataset.version, pdf = script.dataset.pdf;

  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/_serve/live.css";
  document.head.appendChild(style);

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function count(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  const root = el("div");
  root.id = "secbrief-serve";
  const panel = el("section", "sbs-panel");
  panel.setAttribute("aria-labelledby", "sbs-title");
  panel.hidden = true;
  const head = el("div", "sbs-head");
  const title = el("h2", "sbs-title");
  title.id = "sbs-title";
  const hide = el("button", "sbs-hide", "Hide");
  hide.type = "button";
  head.append(title, hide);
  const note = el("p", "sbs-note");
  const list = el("ol", "sbs-list");
  panel.append(head, note, list);

  const bar = el("div", "sbs-bar");
  const state = el("span", "sbs-state", "live");
  state.title = "secbrief serve reloads this page when its files change";
  const toggle = el("button", "sbs-count");
  toggle.type = "button";
  toggle.hidden = true;
  bar.append(state, toggle);
  if (pdf) {
    const link = el("a", "sbs-pdf", "PDF");
    link.href = pdf;
    link.title = "This brief as PDF, rendered when you follow the link (a few seconds)";
    bar.append(link);
  }
  root.append(panel, bar);
  document.body.append(root);

  let data = {errors: 0, warnings: 0, rendered: true, diagnostics: []};
  let open = null;  // null: open when there is an error; true or false: as the analyst chose
  hide.addEventListener("click", () => { open = false; show(); });
  toggle.addEventListener("click", () => { open = panel.hidden; show(); });

  function item(d) {
    const li = el("li", d.severity === "error" ? "sbs-error" : "sbs-warning");
    li.append(el("span", "sbs-sev", d.severity), " ");
    if (d.place) {
      const where = el(d.href ? "a" : "span", "sbs-where", d.place);
      if (d.href) where.href = d.href;
      li.append(where, ": ");
    }
    li.append(d.message);
    return li;
  }

  function show() {
    const total = data.errors + data.warnings;
    const parts = [];
    if (data.errors) parts.push(count(data.errors, "error"));
    if (data.warnings) parts.push(count(data.warnings, "warning"));
    toggle.hidden = total === 0;
    toggle.textContent = parts.join(", ");
    toggle.classList.toggle("sbs-has-errors", data.errors > 0);
    title.textContent = parts.join(", ");
    note.textContent = (data.errors ? (data.rendered
        ? "This page shows the last good render; it updates when every error is fixed."
        : "Nothing rendered yet: the page shows the brief once every error is fixed.")
      : "The page is up to date.")
      + (total && !data.diagnostics.length ? " The problems are listed in the terminal where secbrief serve runs." : "");
    list.replaceChildren(...data.diagnostics.map(item));
    const visible = total > 0 && (open === null ? data.errors > 0 : open);
    panel.hidden = !visible;
    root.classList.toggle("sbs-open", visible);
    toggle.setAttribute("aria-expanded", String(visible));
  }

  async function refresh() {
    try {
      const answer = await fetch("/_serve/diagnostics.json", {cache: "no-store"});
      if (answer.ok) {
        const fresh = await answer.json();
        if (fresh.errors !== data.errors) open = null;
        data = fresh;
        show();
      }
    } catch (error) {
      // the server is gone for now: EventSource reconnects, then this runs again
    }
  }

  const events = new EventSource("/_serve/events?page=" + encodeURIComponent(page)
                                 + "&version=" + encodeURIComponent(version));
  events.addEventListener("reload", () => { events.close(); location.reload(); });
  events.addEventListener("diagnostics", refresh);
  events.addEventListener("open", () => {
    root.classList.remove("sbs-off");
    state.textContent = "live";
    refresh();
  });
  events.addEventListener("error", () => {
    root.classList.add("sbs-off");
    state.textContent = "reconnecting";
  });
})();
"""

LIVE_CSS = """/* secbrief serve: the live bar and the problems panel, kept apart from the
   brief's own styles (which it must not change, nor be changed by). */
#secbrief-serve, #secbrief-serve * { all: revert; box-sizing: border-box; }
#secbrief-serve [hidden] { display: none !important; }
#secbrief-serve { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif;
  color: #f2f4f7; }
#secbrief-serve .sbs-bar { position: fixed; right: 0.75rem; bottom: 0.75rem; z-index: 2147483647;
  display: flex; gap: 0.6rem; align-items: center; max-width: calc(100vw - 1.5rem); flex-wrap: wrap;
  background: #1c2430; color: #f2f4f7; border-radius: 1.2rem; padding: 0.3rem 0.6rem 0.3rem 0.8rem;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.35); font-size: 14px; }
#secbrief-serve .sbs-state::before { content: ""; display: inline-block; width: 0.6em; height: 0.6em;
  border-radius: 50%; background: #3ccf6e; margin-right: 0.4em; }
#secbrief-serve.sbs-off .sbs-state::before { background: #8a939e; }
#secbrief-serve .sbs-pdf, #secbrief-serve .sbs-where { color: #9cc7ec; text-decoration: underline; }
#secbrief-serve .sbs-pdf { font-weight: 700; }
#secbrief-serve button { font: inherit; cursor: pointer; border: 0; border-radius: 1rem; padding: 0.15rem 0.7rem;
  background: #e6e9ed; color: #12161c; }
#secbrief-serve .sbs-count { background: #ffc000; color: #000; font-weight: 700; }
#secbrief-serve .sbs-count.sbs-has-errors { background: #c00000; color: #fff; }
#secbrief-serve .sbs-panel { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483646;
  max-height: 60vh; overflow: auto; overscroll-behavior: contain; background: #12161c; color: #f2f4f7;
  border-top: 4px solid #c00000; padding: 0.9rem 1rem 4rem; box-shadow: 0 -4px 16px rgba(0, 0, 0, 0.4); }
#secbrief-serve .sbs-head { display: flex; justify-content: space-between; align-items: center; gap: 1rem;
  max-width: 64rem; margin: 0 auto; }
#secbrief-serve .sbs-title { font-size: 1.1rem; margin: 0; color: #fff; }
#secbrief-serve .sbs-note { margin: 0.3rem auto 0.6rem; max-width: 64rem; color: #c9ced6; }
#secbrief-serve .sbs-list { list-style: none; margin: 0 auto; padding: 0; max-width: 64rem;
  font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 14px; }
#secbrief-serve .sbs-list li { padding: 0.45rem 0; border-top: 1px solid #2e3744; overflow-wrap: anywhere; }
#secbrief-serve .sbs-sev { display: inline-block; font: 700 12px/1.5 system-ui, "Noto Sans", "DejaVu Sans",
  sans-serif; text-transform: uppercase; letter-spacing: 0.03em; padding: 0 0.4em; border-radius: 3px;
  background: #c00000; color: #fff; }
#secbrief-serve .sbs-warning .sbs-sev { background: #ffc000; color: #000; }
@media (max-width: 480px) {
  #secbrief-serve .sbs-panel { max-height: 75vh; padding: 0.75rem 0.75rem 4rem; }
  #secbrief-serve .sbs-list { font-size: 13px; }
}
@media print { #secbrief-serve { display: none !important; } }
"""
