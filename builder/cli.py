"""The command line: a thin shell that turns arguments into calls and errors into lines."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from builder import __version__
from builder.build import BuildOptions, build
from builder.config import ImportDefaults
from builder.errors import BuildFailed, Problem, sorted_problems


def run() -> NoReturn:
    """The `reply-archive` command."""
    sys.exit(main(exit_at_once=True))


def main(argv: Sequence[str] | None = None, exit_at_once: bool = False) -> int:
    """Run a command; with `exit_at_once`, a build ends the process as soon as it is done."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        code = int(args.run(args))
        if exit_at_once and args.command == "build" and threading.active_count() == 1:
            _exit(code)
        return code
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except Exception:
        if getattr(args, "debug", False):
            raise
        traceback.print_exc()
        print(
            "\nThis is a bug in reply-archive, not in your files: please report it "
            "with the lines above.",
            file=sys.stderr,
        )
        return 70


def _exit(code: int) -> NoReturn:
    # Freeing a large build's objects one by one takes a third of a second at 10,000
    # replies; the build has saved everything and joined its workers and threads, and
    # nothing is left for `atexit` to do.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reply-archive", description="Build a static site of government replies."
    )
    parser.add_argument("--version", action="version", version=f"reply-archive {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_build(commands)
    _add_serve(commands)
    _add_import(commands)
    return parser


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("build", help="build the archive into a static site")
    _add_archive_options(command)
    command.add_argument(
        "--output", type=Path, default=None, help="where to write the site (default: SOURCE/output)"
    )
    command.add_argument(
        "--base-url", default=None, help="the site's public address, for sitemap.xml and the feed"
    )
    command.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip the search index, for quick builds",
    )
    command.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="ignore and do not keep SOURCE/.reply-archive-cache/ "
        "(what the last build read and wrote)",
    )
    command.set_defaults(run=run_build)


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "serve", help="preview the site: rebuild on each save and reload the browser"
    )
    _add_archive_options(command)
    command.add_argument(
        "--output", type=Path, default=None, help="where to write the site (default: SOURCE/output)"
    )
    command.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this computer only)",
    )
    command.add_argument(
        "--port", type=int, default=None, help="the port (default: 8000, or the next free one)"
    )
    command.add_argument("--open", action="store_true", help="open the site in a browser")
    command.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="do not refresh the search index in the background",
    )
    command.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from builder.serve import ServeOptions, serve

    if args.output is not None and args.output.exists() and not args.output.is_dir():
        print(f"error: {args.output}: the output folder is a file, not a folder", file=sys.stderr)
        return 1
    options = ServeOptions(
        source=args.source,
        output=args.output,
        host=args.host,
        port=args.port,
        open_browser=args.open,
        search=args.search,
    )
    return serve(options)


def _add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "import",
        help="turn saved government pages (text, HTML, .mht, .docx, PDF) into content files",
    )
    command.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="FILE_OR_FOLDER",
        help="saved pages: .txt, .html, .mht, .docx or .pdf files, or folders of them",
    )
    command.add_argument(
        "--into",
        type=Path,
        default=Path("content") / "replies",
        help="where to write the content files (default: content/replies)",
    )
    command.add_argument(
        "--dry-run", action="store_true", help="print what would be written, write nothing"
    )
    command.add_argument(
        "--force", action="store_true", help="replace content files that already exist"
    )
    defaults = command.add_argument_group(
        "defaults for the batch", "used where a page does not say (also [import] in site.toml)"
    )
    for key, example in (
        ("bureau", "某某市交通运输局"),
        ("region", "某某市"),
        ("kind", "suggestion or proposal"),
        ("session", "市十届人大五次会议"),
    ):
        defaults.add_argument(f"--{key}", metavar=key.upper(), help=f"e.g. {example}")
    defaults.add_argument(
        "--published-from",
        choices=("signature", "file-time"),
        help="the date of publication a page does not give: the signature's date (default)"
        " or the saved file's time",
    )
    command.add_argument("--debug", action="store_true", help="show tracebacks")
    command.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from builder.ingest import format_report, import_paths

    defaults, problems = _import_defaults(args)
    if any(p.is_error for p in problems):
        print_problems(problems, Path.cwd(), sys.stderr)
        return 1
    report = import_paths(
        args.paths,
        args.into,
        dry_run=args.dry_run,
        force=args.force,
        out=sys.stdout,
        defaults=defaults,
    )
    print_problems(problems, Path.cwd(), sys.stderr)
    print(format_report(report, Path.cwd()), end="", file=sys.stderr)
    return 1 if report.failed else 0


def _import_defaults(args: argparse.Namespace) -> tuple[ImportDefaults, list[Problem]]:
    """[import] in the archive's site.toml, each key the command line gives replacing it.
    The archive is the folder above content/replies when --into is there, else here."""
    from builder.config import check_import_default, load_config

    into = args.into.resolve()
    archive = into.parent.parent if into.parts[-2:] == ("content", "replies") else Path.cwd()
    loaded = load_config(archive)
    problems = [p for p in loaded.problems if "import" in p.message]
    given: dict[str, str] = {}
    for key in ("bureau", "region", "kind", "session", "published_from"):
        value = getattr(args, key)
        if value is None:
            continue
        checked = check_import_default(key, value.strip())
        if isinstance(checked, str):
            given[key] = checked
        else:
            problems.append(Problem(Path(f"--{key.replace('_', '-')}"), 0, *checked))
    return dataclasses.replace(loaded.config.import_defaults, **given), problems


def _add_archive_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        help="the archive folder, with content/ (default: here)",
    )
    command.add_argument("--debug", action="store_true", help="show tracebacks")


def run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        source=args.source,
        output=args.output,
        base_url=args.base_url,
        search=args.search,
        cache=args.cache,
        progress=_progress_printer(sys.stderr),
    )
    try:
        report = build(options)
    except BuildFailed as failure:
        print_problems(failure.problems, args.source, sys.stderr)
        errors = len(failure.errors)
        print(
            f"build failed: {errors} error{'s' if errors != 1 else ''}; "
            f"{options.output_dir} was left as it was",
            file=sys.stderr,
        )
        return 1
    print_problems(report.warnings, args.source, sys.stderr)
    print(f"built {report.summary()} -> {options.output_dir}")
    return 0


def print_problems(problems: Sequence[Problem], root: Path, out: TextIO) -> None:
    for problem in sorted_problems(problems):
        print(problem.format(root), file=out)


def _progress_printer(out: TextIO) -> _Progress | None:
    if not out.isatty() or os.environ.get("CI"):
        return None
    return _Progress(out)


class _Progress:
    """`rendering 1200/10000` on one terminal line, for builds long enough to wait on."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, done: int, total: int) -> None:
        if total < 500:
            return
        if done % 250 == 0 or done == total:
            end = "\n" if done == total else ""
            print(f"\rrendering {done}/{total}", end=end, file=self.out, flush=True)
