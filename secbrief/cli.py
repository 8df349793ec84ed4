"""The command line: parse options, call one library function, print.

Errors a user can cause are printed as ``path:line:col: error: message``;
exit 1 for content errors, 2 for usage errors. No traceback unless --debug.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import threading

from secbrief import __version__
from secbrief.core import stop_signals
from secbrief.core.diagnostics import ProblemsFound, SecbriefError, UsageError, say
from secbrief.core.tlp import TLP_LEVELS
from secbrief.render.pdf.variants import DEFAULT_PDF_VARIANT, PDF_VARIANTS

EXAMPLES = {
    "build": "example:\n  secbrief build                      # every brief, all formats\n"
             "  secbrief build 2020-12-21-renewed-targeting-us-interests-iraq --format md,html",
    "check": "example:\n  secbrief check                      # the whole project\n"
             "  secbrief check incidents/2020/2020-12-20-us-embassy-rockets.yaml\n"
             "  secbrief check --strict --format sarif > secbrief.sarif   # for code scanning\n"
             "every code is explained in docs/diagnostics.md",
    "import": "example:\n  secbrief import acled acled-iraq-2023.csv --country Iraq --from 2023-10-17 --dry-run",
    "import acled": "example:\n  secbrief import acled acled-iraq-2023.csv --dry-run      # show the files first\n"
                    "  secbrief import acled acled-iraq-2023.csv --country Iraq --from '17 October 2023'\n"
                    "  secbrief check                                         # then review and check\n\n"
                    "exit status: 0 when every row imported or was already there; 1 when any row\n"
                    "was malformed (it is reported as FILE.csv:LINE and skipped; the others import).",
    "export": "example:\n  secbrief export stix 2020-12-21-renewed-targeting-us-interests-iraq -o brief.stix.json",
    "export stix": "example:\n  secbrief export stix 2020-12-21-renewed-targeting-us-interests-iraq > brief.json\n"
                   "  secbrief export stix briefs/2020-12-21-renewed-targeting-us-interests-iraq.yaml "
                   "-o build/brief.stix.json",
    "export misp": "example:\n  secbrief export misp 2023-10-25-iran-backed-attacks-to-increase -o brief.misp.json",
    "deliver": "example:\n  secbrief deliver 2023-W42 --dry-run          # write build/outbox/*.eml, send nothing\n"
               "  SECBRIEF_SMTP_HOST=smtp.example.com SECBRIEF_MAIL_FROM=briefs@desk.example.com \\\n"
               "    SECBRIEF_SMTP_USER=desk SECBRIEF_SMTP_PASSWORD=... secbrief deliver 2023-W42\n"
               "  secbrief deliver --taxii 2023-W42            # STIX bundles to secbrief.yaml's collections\n\n"
               "exit status: 0 when every eligible message was delivered (TLP refusals are listed,\n"
               "not failures); 1 when any failed or is uncertain; 2 for usage or environment errors.\n"
               "docs/delivery.md explains profiles, TLP rules, the environment and the log.",
    "diff": "example:\n  secbrief diff 2023-10-25-iran-backed-attacks-to-increase          # last commit -> working tree\n"
            "  secbrief diff briefs/2023-10-25-iran-backed-attacks-to-increase.yaml main HEAD --format md",
    "history": "example:\n  secbrief history 2023-10-25-iran-backed-attacks-to-increase\n"
               "  secbrief history 2023-10-25-iran-backed-attacks-to-increase --judgement attacks-continue",
    "incidents": "example:\n  secbrief incidents --actor \"Asaib Ahl al-Haq\" --since 2020-12-01 --until 2020-12-31\n"
                 "  secbrief incidents --country Syria --type drone-attack --format csv > syria-drones.csv\n"
                 "  secbrief incidents --cited-by 2023-10-25-iran-backed-attacks-to-increase",
    "schema": "example:\n  secbrief schema                     # writes docs/schema/*.schema.json\n"
              "  secbrief schema --output /tmp/schemas",
    "weekly": "example:\n  secbrief weekly 2023-W42             # one brief per client, then build them\n"
              "  secbrief weekly 2023-W42 --client two-rivers-freight --no-build",
    "publish": "example:\n  secbrief publish /srv/www/briefs                # every brief, if all are TLP:CLEAR\n"
               "  secbrief publish /srv/partners --ceiling GREEN 2023-w42-northern-arc-energy",
    "serve": "example:\n  secbrief serve                      # every brief, at http://127.0.0.1:8000/\n"
             "  secbrief serve 2023-10-24-militias-continue-attacks --port 8001 \\\n"
             "      --editor-url 'vscode://file/{path}:{line}:{col}'\n"
             "  secbrief serve --host 0.0.0.0        # a phone on the same network; TLP:CLEAR briefs only\n\n"
             "Save a file and the open page shows the change; an error keeps the last good render\n"
             "and lists every problem over it, each a link to its file and line. docs/preview.md",
    "new": "example:\n  secbrief new incident --date 2023-10-17 ain-al-asad-drones\n"
           "      # writes incidents/2023/2023-10-17-ain-al-asad-drones.yaml\n"
           "  secbrief new brief --style flash-brief --date 2023-10-24 militias-continue-attacks\n"
           "      # writes briefs/2023-10-24-militias-continue-attacks.yaml",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, exit 2
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="secbrief", description="Validate incidents and briefs written in YAML; "
                     "render briefs as Markdown, HTML and PDF.",
                     epilog="example:\n  secbrief check && secbrief build",
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"secbrief {__version__}")
    parser.add_argument("-C", dest="root", default=".", metavar="DIR",
                        help="the project folder (default: the current folder)")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name, help_text):
        return commands.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES.get(name),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)

    build = command("build", "render briefs to build/<id>/<id>.{md,html,pdf}")
    build.add_argument("briefs", nargs="*", metavar="BRIEF", help="brief ids or files (default: all)")
    build.add_argument("--format", default="md,html,pdf", metavar="LIST",
                       help="comma-separated formats among md, html, pdf (default: all three)")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument("--pdf-variant", default=DEFAULT_PDF_VARIANT, choices=PDF_VARIANTS, metavar="VARIANT",
                       help="the standard every PDF declares, all of them tagged for screen readers: "
                            "pdf/ua-1 (accessible, the default) or pdf/a-3b (archival)")
    build.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="render in N processes at once: PDFs, and Markdown and HTML of big builds "
                            "(default: one per CPU core; 1: no helper process)")
    build.set_defaults(run="build")

    check = command("check", "validate incidents, registries and briefs; print every problem")
    check.add_argument("paths", nargs="*", metavar="PATH", help="report only on these files or folders")
    check.add_argument("--strict", action="store_true", help="report warnings as errors (exit 1 on any)")
    check.add_argument("--format", default="text", choices=("text", "json", "sarif"),
                       help="text (path:line:col: severity: message), json, or sarif (SARIF 2.1.0); "
                            "default: text")
    check.set_defaults(run="check")
    _add_interop_commands(command)

    diff = command("diff", "compare a brief or an incident between two git revisions: judgements, evidence, "
                           "text")
    diff.add_argument("brief", metavar="BRIEF", help="a brief or incident id, or its file")
    diff.add_argument("rev_a", nargs="?", metavar="REV_A", help="the older revision (default: HEAD)")
    diff.add_argument("rev_b", nargs="?", metavar="REV_B", help="the newer revision (default: the working tree)")
    diff.add_argument("--format", choices=("text", "md"), default="text",
                      help="text for a terminal (default) or md for a pull-request comment")
    diff.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                      help="colour the text output (default auto: only on a terminal, not with NO_COLOR)")
    diff.set_defaults(run="diff")

    history = command("history", "one line per commit that changed a brief, with its judgements' grades")
    history.add_argument("brief", metavar="BRIEF", help="a brief id or file")
    history.add_argument("--judgement", metavar="ID", help="show only this key judgement")
    history.set_defaults(run="history")

    incidents = command("incidents", "list incidents by actor, place, country, type or date, with the briefs "
                                     "citing each")
    incidents.add_argument("--actor", metavar="NAME", help="an actor's name or any alias from incidents/actors.yaml")
    incidents.add_argument("--with-affiliates", action="store_true",
                           help="with --actor: also the actors affiliated with it (its member groups)")
    incidents.add_argument("--place", metavar="NAME", help="a place's name or alias from incidents/places.yaml")
    incidents.add_argument("--country", metavar="NAME", help="the incident's country, e.g. Iraq")
    incidents.add_argument("--type", metavar="TYPE", help="an incident type, e.g. drone-attack")
    incidents.add_argument("--since", type=_date_option, metavar="D", help="on or after this day (YYYY-MM-DD)")
    incidents.add_argument("--until", type=_date_option, metavar="D", help="on or before this day (YYYY-MM-DD)")
    incidents.add_argument("--cited-by", metavar="BRIEF", help="only incidents this brief cites (a brief id)")
    incidents.add_argument("--format", choices=("table", "json", "csv"), default="table",
                           help="table (default) for reading, json or csv for other tools")
    incidents.set_defaults(run="incidents")

    schema = command("schema", "write JSON Schema files for incidents, briefs, client profiles, registries "
                                "and secbrief.yaml")
    schema.add_argument("--output", metavar="DIR", default=None,
                        help="folder to write them to (default: docs/schema/ in the project)")
    schema.set_defaults(run="schema")

    weekly = command("weekly", "write this week's brief for every client (never overwriting one), then build")
    weekly.add_argument("week", metavar="WEEK", help="an ISO week, e.g. 2023-W42 (Monday to Sunday)")
    weekly.add_argument("--client", action="append", metavar="ID", help="only this client (repeatable)")
    weekly.add_argument("--no-build", action="store_true", help="write the brief files only")
    weekly.add_argument("--force", action="store_true", help="rebuild the week's briefs even if up to date")
    weekly.add_argument("--pdf-variant", default=DEFAULT_PDF_VARIANT, choices=PDF_VARIANTS, metavar="VARIANT",
                        help="as for build: pdf/ua-1 (the default) or pdf/a-3b")
    weekly.set_defaults(run="weekly")

    publish = command("publish", "copy the built archive to DEST, refusing briefs above a TLP ceiling")
    publish.add_argument("dest", metavar="DEST", help="destination folder; replaced as a whole, or not at all")
    publish.add_argument("briefs", nargs="*", metavar="BRIEF", help="brief ids to publish (default: all)")
    publish.add_argument("--ceiling", default="CLEAR", type=str.upper, metavar="TLP",
                         choices=TLP_LEVELS,
                         help="the most restrictive TLP marking DEST may receive (default: CLEAR)")
    publish.set_defaults(run="publish")

    deliver = command("deliver", "email briefs to their clients' recipients within each one's TLP, exactly once "
                                 "(or push STIX to TAXII with --taxii)")
    deliver.add_argument("selection", nargs="*", metavar="BRIEF|WEEK",
                         help="brief ids or files, or ISO weeks (2023-W42: that week's briefs that name a client)")
    deliver.add_argument("--dry-run", action="store_true",
                         help="write the exact messages to build/outbox/ and send nothing (the default when "
                              "SECBRIEF_SMTP_HOST is not set)")
    deliver.add_argument("--resend-changed", action="store_true",
                         help="send again, marked revised, what was delivered before the brief's text changed")
    deliver.add_argument("--resend-uncertain", action="store_true",
                         help="send again what a stopped run may or may not have sent (same Message-ID)")
    deliver.add_argument("--taxii", action="store_true",
                         help="push each brief's STIX bundle to the TAXII collections of secbrief.yaml instead")
    deliver.set_defaults(run="deliver")

    serve = command("serve", "a live preview: serve the briefs, re-render them as files are saved, show every "
                             "problem in the page")
    serve.add_argument("briefs", nargs="*", metavar="BRIEF", help="brief ids or files to serve (default: all)")
    serve.add_argument("--port", type=_port, default=8000, metavar="N",
                       help="the port to listen on (default: 8000; 0: any free port)")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                       help="the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: every "
                            "network, with a warning and only briefs at or below --ceiling)")
    serve.add_argument("--ceiling", default=None, type=str.upper, metavar="TLP",
                       choices=TLP_LEVELS,
                       help="serve only briefs at or below this TLP (default: CLEAR beyond this machine, "
                            "every brief on 127.0.0.1)")
    serve.add_argument("--editor-url", default="file://{path}", metavar="URL",
                       help="where a problem's link leads, with {path}, {line} and {col} filled in (default: "
                            "file://{path}; VS Code: 'vscode://file/{path}:{line}:{col}')")
    serve.add_argument("--pdf-variant", default=DEFAULT_PDF_VARIANT, choices=PDF_VARIANTS, metavar="VARIANT",
                       help="as for build, for the PDF link of each page: pdf/ua-1 (the default) or pdf/a-3b")
    serve.set_defaults(run="serve")

    new = command("new", "write a commented skeleton for a new incident or brief (never overwrites)")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", parser_class=_Parser, required=True)

    def kind(name, path, what, example, name_example):
        sub = kinds.add_parser(name, help=path, epilog=f"example:\n  secbrief new {name} {example}",
                               description=f"Write {path} with {what}, commented; fill in those marked "
                                           "REQUIRED, then run secbrief check.",
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("name", metavar="NAME", help=f"lowercase words joined by hyphens, e.g. {name_example}")
        sub.set_defaults(run="new")
        return sub

    kind("incident", "incidents/<year>/<date>-<name>.yaml", "every field",
         "--date 2023-10-17 ain-al-asad-drones", "ain-al-asad-drones").add_argument(
        "--date", metavar="YYYY-MM-DD", help="the day it happened (default: today)")
    brief = kind("brief", "briefs/<date>-<name>.yaml", "the fields its style prints",
                 "--style flash-brief --date 2023-10-24 militias-continue-attacks", "militias-continue-attacks")
    brief.add_argument("--style", required=True, metavar="STYLE", help="a folder in templates/, e.g. assessment")
    brief.add_argument("--date", metavar="YYYY-MM-DD", help="the day it is issued (default: today)")
    return parser


def _add_interop_commands(command) -> None:
    """`import acled` and `export stix` (docs/acled.md, docs/stix.md)."""
    def formats(parent, key):
        return parent.add_subparsers(dest=f"{key}_kind", metavar="FORMAT", parser_class=_Parser, required=True)

    def sub(parent, name, help_text, key):
        group = parent if isinstance(parent, argparse._SubParsersAction) else formats(parent, key.split()[0])
        return group.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES.get(key),
                                formatter_class=argparse.RawDescriptionHelpFormatter)

    acled = sub(command("import", "create incident files from event data"), "acled",
                "create one incident file per event of an ACLED CSV export", "import acled")
    acled.add_argument("csv", metavar="FILE.csv", help="an ACLED export (CSV, UTF-8)")
    acled.add_argument("--country", action="append", default=[], metavar="C",
                       help="import only events in this country (ACLED's country name; repeatable)")
    acled.add_argument("--from", dest="start", type=_date_option, metavar="D",
                       help="import only events on or after this date (2023-10-20 or '20 October 2023')")
    acled.add_argument("--to", dest="end", type=_date_option, metavar="D",
                       help="import only events on or before this date")
    acled.add_argument("--dry-run", action="store_true",
                       help="show the files that would be written, and write nothing")
    acled.set_defaults(run="import_acled")

    exports = formats(command("export", "export a brief for threat-intelligence platforms"), "export")
    stix = sub(exports, "stix", "export a brief as a STIX 2.1 bundle (JSON)", "export stix")
    stix.add_argument("brief", metavar="BRIEF", help="a brief id or file")
    stix.add_argument("-o", "--output", metavar="FILE", help="write the bundle here (default: standard output)")
    stix.set_defaults(run="export_stix")

    misp = sub(exports, "misp", "export a brief as a MISP event (JSON): its incidents as MISP objects, its key "
                                "judgements as a report", "export misp")
    misp.add_argument("brief", metavar="BRIEF", help="a brief id or file")
    misp.add_argument("-o", "--output", metavar="FILE", help="write the event here (default: standard output)")
    misp.set_defaults(run="export_misp")


def _date_option(text: str):
    # Deferred: datetime is not needed to start a build (the no-op path, bench (c)).
    from secbrief.core.dates import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, but received: '{text}'")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, but received: '{text}'")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    stop_signals.received.clear()
    unraisablehook = sys.unraisablehook
    if threading.current_thread() is threading.main_thread():
        stop_signals.install()
        sys.unraisablehook = stop_signals.remember_swallowed_interrupts(unraisablehook)
    try:
        args = make_parser().parse_args(argv)
        if not getattr(args, "command", None):
            make_parser().print_help()
            return 2
        # Only the command being run is imported (secbrief.commands): each
        # pulls in its own part of the library, and a no-op build stays fast.
        code = importlib.import_module(f"secbrief.commands.{args.run}").run(args)
        if stop_signals.received:  # swallowed on the way (see stop_signals.received): the command finished all the same
            raise stop_signals.Interrupted(stop_signals.received[0])
        return code
    except ProblemsFound as exc:
        errors = sum(d.severity == "error" for d in exc.diagnostics)
        say(*exc.diagnostics, f"{errors} error(s): nothing was written", file=sys.stderr)
        return 1
    except SecbriefError as exc:
        say(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        return stop_signals.report_interrupted(getattr(exc, "signum", signal.SIGINT))
    except Exception:
        if stop_signals.received:  # a library turned the interrupt into its own error (see stop_signals.received)
            return stop_signals.report_interrupted(stop_signals.received[0])
        if debug:
            raise
        import traceback

        last = traceback.format_exc().strip().splitlines()[-1]
        say(f"secbrief: internal error: {last} (run with --debug for a traceback, "
            "and please report it)", file=sys.stderr)
        return 3
    finally:
        sys.unraisablehook = unraisablehook
        if argv is None and threading.current_thread() is threading.main_thread():
            stop_signals.end_the_process_from_now_on()
