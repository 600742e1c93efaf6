"""Reading `content/`: each reply file split into its front matter and body, lines kept."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from builder.errors import Problem, warning

REPLIES_DIR = Path("content") / "replies"
REPLY_SUFFIX = ".md"
FENCE = "---"

Stat = tuple[int, int]
"""A file's (mtime_ns, size): when both are unchanged, so is the file."""


def stat_of(stat: os.stat_result) -> Stat:
    return (stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class Source:
    """One reply file as text: front matter and body, with the line each starts on."""

    path: Path
    front_matter: str
    body: str
    body_line: int
    """The file line of the body's first line (1-based), for `path:line` messages."""


@dataclass(frozen=True)
class Scan:
    """What a walk of `content/replies/` found: each reply file's stat, by path (as `str`),
    and what it could not read or would not follow."""

    files: dict[str, Stat]
    problems: tuple[Problem, ...] = ()


def is_reply_file(relative: PurePath) -> bool:
    """The rule for which files are replies: a `*.md` under `content/replies/` (`relative`
    to it) with no hidden name on the way (the walk below applies it as it goes)."""
    return relative.name.endswith(REPLY_SUFFIX) and not any(map(is_hidden, relative.parts))


def is_hidden(name: str) -> bool:
    """Editors leave `.#x.md`, `.x.md.swp`, `~x.md` and the like beside the files they save:
    a name that starts so is never a reply, nor a folder of replies."""
    return name.startswith((".", "~"))


def find_reply_files(archive: Path) -> list[Path]:
    """Every `*.md` under `content/replies/`, in a stable order; hidden files skipped."""
    return [Path(path) for path in scan_reply_files(archive).files]


def scan_reply_files(archive: Path) -> Scan:
    """The one walk of `content/replies/`: `*.md` regular files, hidden ones skipped.

    Symbolic links are followed only to files and folders inside the archive; one that
    leads outside, loops or leads nowhere is an error. A FIFO, device or folder named
    `*.md` is a warning (never opened), a folder that cannot be read an error.
    """
    root = archive / REPLIES_DIR
    walk = _Walk(os.path.realpath(archive))
    try:
        if not stat.S_ISDIR(os.stat(root).st_mode):
            return Scan({})
    except FileNotFoundError:
        return Scan({})
    except OSError as error:
        return Scan({}, (_unreadable(root, error, "folder"),))
    if walk.outside(str(root)):
        walk.problems.append(_outside(root, os.path.realpath(root)))
    else:
        walk.folder(str(root), {os.path.realpath(root)})
    files = {path: walk.files[path] for path in sorted(walk.files, key=_path_order)}
    return Scan(files, tuple(walk.problems))


def _path_order(path: str) -> list[str]:
    return path.split(os.sep)  # the order of sorted `Path`s


@dataclass
class _Walk:
    archive: str
    files: dict[str, Stat] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def outside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real != self.archive and not real.startswith(self.archive.rstrip(os.sep) + os.sep)

    def folder(self, folder: str, seen: set[str]) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError as error:
            self.problems.append(_unreadable(Path(folder), error, "folder"))
            return
        for entry in entries:
            if not is_hidden(entry.name):
                self.entry(entry, seen)

    def entry(self, entry: os.DirEntry[str], seen: set[str]) -> None:
        path, is_md = Path(entry.path), entry.name.endswith(REPLY_SUFFIX)
        if not (is_md or entry.is_symlink() or entry.is_dir(follow_symlinks=False)):
            return  # a plain file beside the replies (no system call: the entry's type)
        try:
            info = entry.stat()
        except OSError as error:
            if is_md or entry.is_symlink():
                self.problems.append(_broken_link(path, error))
            return
        is_dir = stat.S_ISDIR(info.st_mode)
        if not (is_md or is_dir):
            return  # not a reply: images, notes and the like beside them
        if not _is_utf8(entry.name):
            self.problems.append(
                Problem(
                    path, 0, "the name is not valid UTF-8", "rename it: names are read as UTF-8"
                )
            )
            return
        if entry.is_symlink() and self.outside(entry.path):
            self.problems.append(_outside(path, os.path.realpath(entry.path)))
            return
        if is_dir:
            self.subfolder(entry, is_md, seen)
        elif not stat.S_ISREG(info.st_mode):
            self.problems.append(
                warning(path, 0, f"{_kind_of(info.st_mode)} named *.md is not read", "remove it")
            )
        else:
            self.files[entry.path] = stat_of(info)

    def subfolder(self, entry: os.DirEntry[str], is_md: bool, seen: set[str]) -> None:
        path = Path(entry.path)
        if is_md:
            self.problems.append(
                warning(path, 0, "a folder named *.md: the replies in it are read", "rename it")
            )
        real = os.path.realpath(entry.path)
        if real in seen:
            self.problems.append(
                warning(path, 0, "a link to a folder already read is not followed again")
            )
            return
        self.folder(entry.path, seen | {real})


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False  # (os gives undecodable bytes as lone surrogates)
    return True


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file"


def _unreadable(path: Path, error: OSError, what: str) -> Problem:
    return Problem(path, 0, f"cannot read the {what}: {error.strerror}", "check its permissions")


def _outside(path: Path, target: str) -> Problem:
    return Problem(
        path,
        0,
        f"a symbolic link to {target}, outside the archive, is not followed",
        "copy the file into the archive: links are followed only within it",
    )


def _broken_link(path: Path, error: OSError) -> Problem:
    if error.errno == errno.ELOOP:
        return Problem(path, 0, "a symbolic link that loops", "remove it or point it at a file")
    if error.errno == errno.ENOENT:
        return Problem(path, 0, "a symbolic link to nothing", "remove it or point it at a file")
    return _unreadable(path, error, "file")


def read_sources(paths: list[Path]) -> tuple[list[Source], list[Problem]]:
    sources: list[Source] = []
    problems: list[Problem] = []
    for path in paths:
        source = read_source(path)
        if isinstance(source, Problem):
            problems.append(source)
        else:
            sources.append(source)
    return sources, problems


def read_source(path: Path) -> Source | Problem:
    try:
        data = _read_regular(path)
    except OSError as error:
        return Problem(path, 0, f"cannot read the file: {error.strerror}", "check its permissions")
    if data is None:
        return Problem(path, 0, "not a regular file", "a reply is a Markdown file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(path, line, "the file is not UTF-8", "save it as UTF-8, or use `import`")
    return split_front_matter(path, text)


def _read_regular(path: Path) -> bytes | None:
    """The file's bytes; None for a FIFO or device (opened without waiting, never read)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return file.read()


def split_front_matter(path: Path, text: str) -> Source | Problem:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.partition("\n")[0]
    if first.strip() != FENCE:
        return Problem(
            path,
            1,
            "the file does not start with front matter",
            "begin with a line `---`, the YAML keys, and another `---`",
        )
    closing = _closing_fence(text, len(first))
    if closing is None:
        return Problem(
            path, 1, "the front matter is never closed", "end it with a line `---` before the body"
        )
    start, end = closing
    front, body = text[len(first) + 1 : start], text[end + 1 :]
    line = text.count("\n", 0, start + 1)  # of the closing fence, from 0
    return Source(path=path, front_matter=front, body=body, body_line=line + 2)


def _closing_fence(text: str, after: int) -> tuple[int, int] | None:
    """Where the first line `---` after the first line starts (at its newline) and ends."""
    start = after
    while (start := text.find("\n" + FENCE, start)) != -1:
        end = text.find("\n", start + 1)
        end = len(text) if end == -1 else end
        if text[start + 1 : end].rstrip() == FENCE:
            return start, end
        start = end
    return None
