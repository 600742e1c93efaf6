"""The command line: a thin shell that turns arguments into calls and errors into lines."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import os
import shlex
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeAlias

from builder import __version__, i18n
from builder.build import BuildOptions, BuildReport, build, check
from builder.config import ImportDefaults
from builder.console import RED, Console
from builder.errors import BuildFailed, Problem, sorted_problems
from builder.i18n import _
from builder.scaffold import start_archive


def run() -> NoReturn:
    """The `reply-archive` command."""
    sys.exit(main(exit_at_once=True))


def main(argv: Sequence[str] | None = None, exit_at_once: bool = False) -> int:
    """Run a command; with `exit_at_once`, a build ends the process as soon as it is done."""
    argv = list(sys.argv[1:] if argv is None else argv)
    spoken = i18n.language()
    i18n.use(i18n.choose(_lang_flag(argv)))
    try:
        return _main(argv, exit_at_once)
    finally:
        i18n.use(spoken)


def _main(argv: list[str], exit_at_once: bool) -> int:
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
        print(_("stopped"), file=sys.stderr)
        return 130
    except Exception:
        if getattr(args, "debug", False):
            raise
        traceback.print_exc()
        print(
            "\n"
            + _(
                "This is a bug in reply-archive, not in your files: please report it "
                "with the lines above."
            ),
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


def _lang_flag(argv: list[str]) -> str | None:
    """`--lang X` or `--lang=X`, read before the parser is made (its help is translated)."""
    for index, word in enumerate(argv):
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


class _Formatter(argparse.HelpFormatter):
    """Help in the language spoken, each text looked up in the catalogue as it is shown."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return i18n.translate(action.help) if action.help else action.help

    def start_section(self, heading: str | None) -> None:
        super().start_section(i18n.translate(heading) if heading else heading)

    def add_text(self, text: str | None) -> None:
        super().add_text(i18n.translate(text) if text else text)


class _Parser(argparse.ArgumentParser):
    """argparse that names the nearest command or option to a mistyped one, and speaks the
    language chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def _check_value(self, action: argparse.Action, value: object) -> None:
        choices = action.choices
        if isinstance(action, argparse._SubParsersAction) and value not in (choices or ()):
            known = [str(c) for c in choices or ()]
            message = _("unknown command `{command}`").format(command=value)
            raise argparse.ArgumentError(action, message + _suggestion(str(value), known))
        super()._check_value(action, value)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self._commands().get(getattr(parsed, "command", None) or "", self)
            command.error(_unexpected(extras[0], command))
        return parsed

    def _commands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return dict(action.choices)
        return {}


def _unexpected(word: str, command: argparse.ArgumentParser) -> str:
    if not word.startswith("-"):
        return _("unexpected argument `{word}`").format(word=word)
    options = [option for action in command._actions for option in action.option_strings]
    name = word.split("=", 1)[0]
    return _("unknown option `{option}`").format(option=name) + _suggestion(name, options)


def _suggestion(word: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return " (" + _("did you mean `{word}`?").format(word=close[0]) + ")"
    return " (" + _("one of: {words}").format(words=", ".join(known)) + ")"


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reply-archive", description=_("Build a static site of government replies.")
    )
    parser.add_argument("--version", action="version", version=f"reply-archive {__version__}")
    _add_language(parser)
    commands: Commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title=_("commands"), parser_class=_Parser
    )
    _add_init(commands)
    _add_check(commands)
    _add_build(commands)
    _add_serve(commands)
    _add_import(commands)
    return parser


def _add_language(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--lang",
        choices=("en", "zh-CN", "zh_CN", "zh"),
        default=default,
        help=_("the language of messages: en or zh-CN (default: the locale, REPLY_ARCHIVE_LANG)"),
    )


def _add_common(command: argparse.ArgumentParser) -> None:
    """Options every command takes: the language, how much to say, tracebacks."""
    _add_language(command, argparse.SUPPRESS)
    loud = command.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help=_("print errors only"))
    loud.add_argument(
        "-v", "--verbose", action="store_true", help=_("also print how long each stage took")
    )
    command.add_argument("--debug", action="store_true", help=_("show tracebacks"))


def _console(args: argparse.Namespace) -> Console:
    return Console(sys.stderr, quiet=args.quiet, verbose=args.verbose)


def _add_init(commands: Commands) -> None:
    command = commands.add_parser("init", help=_("start a new archive folder (never overwrites)"))
    command.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help=_("the new archive folder (default: here)"),
    )
    _add_common(command)
    command.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    console = _console(args)
    started = start_archive(args.folder)
    if isinstance(started, Problem):
        console.problems([started], Path.cwd())
        return 1
    for path in started.kept:
        console.line(_("kept {path} (it was there already)").format(path=path.as_posix()))
    if console.quiet:
        return 0
    for path in started.made:
        print(_("made {path}").format(path=path.as_posix()))
    folder = shlex.quote(args.folder.as_posix())
    print(_("next: reply-archive check --source {folder}").format(folder=folder))
    print(_("      reply-archive build --source {folder}").format(folder=folder))
    print(_("      reply-archive serve --source {folder} --open").format(folder=folder))
    return 0


def _add_check(commands: Commands) -> None:
    command = commands.add_parser(
        "check", help=_("check every file as a build would, write nothing (for CI)")
    )
    _add_archive_options(command)
    command.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    console = _console(args)
    options = BuildOptions(source=args.source, search=False, cache=False)
    wrong = _source_problems(args.source)
    problems = wrong or check(options)
    console.problems(problems, Path.cwd() if wrong else args.source)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors:
        console.line(
            _count(_("check failed: {errors} error(s), {warnings} warning(s)"), errors, warnings),
            RED,
        )
        return 1
    if not console.quiet:
        print(_count(_("checked: no errors, {warnings} warning(s)"), errors, warnings))
    return 0


def _count(template: str, errors: int, warnings: int) -> str:
    return template.format(errors=errors, warnings=warnings)


def _source_problems(source: Path) -> list[Problem]:
    """A --source that is no folder at all, said plainly (the build would say less)."""
    if not source.exists():
        return [
            Problem(
                source,
                0,
                _("no such folder"),
                _("`reply-archive init {folder}` makes one").format(folder=source.as_posix()),
            )
        ]
    if not source.is_dir():
        return [
            Problem(
                source,
                0,
                _("is a file, not the archive folder"),
                _("give the folder that holds content/ and site.toml"),
            )
        ]
    return []


def _add_build(commands: Commands) -> None:
    command = commands.add_parser("build", help=_("build the archive into a static site"))
    _add_archive_options(command)
    command.add_argument(
        "--output",
        type=Path,
        default=None,
        help=_("where to write the site (default: SOURCE/output)"),
    )
    command.add_argument(
        "--base-url",
        default=None,
        help=_("the site's public address, for sitemap.xml and the feed"),
    )
    command.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help=_("skip the search index, for quick builds"),
    )
    command.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help=_(
            "ignore and do not keep SOURCE/.reply-archive-cache/ "
            "(what the last build read and wrote)"
        ),
    )
    command.set_defaults(run=run_build)


def _add_serve(commands: Commands) -> None:
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


def _add_import(commands: Commands) -> None:
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
    _add_common(command)
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
        progress=_console(args).progress(_("importing {done}/{total}")),
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
        help=_("the archive folder, with content/ (default: here)"),
    )
    _add_common(command)


def run_build(args: argparse.Namespace) -> int:
    console = _console(args)
    progress = console.progress()
    options = BuildOptions(
        source=args.source,
        output=args.output,
        base_url=args.base_url,
        search=args.search,
        cache=args.cache,
        progress=progress,
        stage=progress.stage if progress else None,
    )
    wrong = _source_problems(args.source)
    try:
        if wrong:
            raise BuildFailed(wrong)
        report = build(options)
    except BuildFailed as failure:
        console.problems(failure.problems, Path.cwd() if wrong else args.source)
        console.line(_failed(len(failure.errors), options.output_dir), RED)
        return 1
    console.problems(report.warnings, args.source)
    console.timings(report.timings)
    console.clear()
    if not console.quiet:
        print(
            _("built {summary} -> {output}").format(
                summary=_summary(report), output=options.output_dir
            )
        )
    return 0


def _failed(errors: int, output: Path) -> str:
    if (output / "index.html").is_file():
        text = i18n.ngettext(
            "build failed: {count} error; {output} was left as it was",
            "build failed: {count} errors; {output} was left as it was",
            errors,
        )
    else:
        text = i18n.ngettext(
            "build failed: {count} error; nothing was written",
            "build failed: {count} errors; nothing was written",
            errors,
        )
    return text.format(count=errors, output=output.as_posix())


def _summary(report: BuildReport) -> str:
    return _(
        "{replies} replies, {pages} pages, {written} written, {removed} removed in {seconds} s"
    ).format(
        replies=report.replies,
        pages=report.pages,
        written=len(report.written),
        removed=len(report.removed),
        seconds=f"{report.seconds:.2f}",
    )


def print_problems(problems: Sequence[Problem], root: Path, out: TextIO) -> None:
    for problem in sorted_problems(problems):
        print(problem.format(root), file=out)
