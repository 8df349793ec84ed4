"""The command line: parse options, call one library function, print.

Errors a user can cause are printed as ``path:line:col: error: message``;
exit 1 for content errors, 2 for usage errors. No traceback unless --debug.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from secbrief import __version__
from secbrief.errors import ProblemsFound, SecbriefError, UsageError

EXAMPLES = {
    "build": "example:\n  secbrief build                      # every brief, all formats\n"
             "  secbrief build 2020-12-21-renewed-targeting-us-interests-iraq --format md,html",
    "check": "example:\n  secbrief check                      # the whole project\n"
             "  secbrief check incidents/2020/2020-12-20-us-embassy-rockets.yaml",
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
    build.set_defaults(run=_run_build)

    check = command("check", "validate incidents, registries and briefs; print every problem")
    check.add_argument("paths", nargs="*", metavar="PATH", help="report only on these files or folders")
    check.set_defaults(run=_run_check)
    return parser


def _run_build(args) -> int:
    from secbrief.build import build, parse_formats
    from secbrief.project import Project

    build(Project.at(args.root), args.briefs, formats=parse_formats(args.format), force=args.force)
    return 0


def _run_check(args) -> int:
    from secbrief.check import check
    from secbrief.project import Project

    diagnostics = check(Project.at(args.root), [Path(p) for p in args.paths])
    for diagnostic in diagnostics:
        print(diagnostic)
    errors = sum(d.severity == "error" for d in diagnostics)
    if errors:
        print(f"{errors} error(s), {len(diagnostics) - errors} warning(s)", file=sys.stderr)
        return 1
    print(f"ok: no errors, {len(diagnostics)} warning(s)", file=sys.stderr)
    return 0


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled exactly as Ctrl-C (SIGINT): the build
    unwinds, write.py removes its temporary files, nothing partial stays."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum, frame):
    raise Interrupted(signum)


def _handle_stop_signals() -> None:
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    if threading.current_thread() is threading.main_thread():
        _handle_stop_signals()
    try:
        args = make_parser().parse_args(argv)
        if not getattr(args, "command", None):
            make_parser().print_help()
            return 2
        return args.run(args)
    except ProblemsFound as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        errors = sum(d.severity == "error" for d in exc.diagnostics)
        print(f"{errors} error(s): nothing was written", file=sys.stderr)
        return 1
    except SecbriefError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"secbrief: interrupted by {signal.Signals(signum).name}: no partial output was left",
              file=sys.stderr)
        return 128 + signum
    except Exception:
        if debug:
            raise
        import traceback

        last = traceback.format_exc().strip().splitlines()[-1]
        print(f"secbrief: internal error: {last} (run with --debug for a traceback, "
              "and please report it)", file=sys.stderr)
        return 3
