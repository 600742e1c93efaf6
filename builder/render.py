"""Templates to pages: the Jinja environment, the theme and its overrides, linking.

Templates receive `page` (the view), `path`, `site`, `link`, `absolute` and `body`, and
nothing else: a page's output depends only on its view, the config and its templates,
which is what lets a build skip a page whose fingerprint has not changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache
import jinja2.meta
from markupsafe import Markup

import builder
from builder import data, dates, render_fast, urls
from builder.archive import Facet, Group
from builder.config import Config
from builder.data import DataFile
from builder.errors import Problem
from builder.model import Reply
from builder.pages import DataFileView, DownloadsView, Page, PageRef, ReplyView
from builder.pages_text import reply_body

THEME_DIR_NAME = "templates"
STATIC_DIR_NAME = "static"

BodyOf = Callable[[Reply], str]
"""The body HTML of a reply (a build may keep bodies apart from the replies)."""


def default_theme_dir() -> Path:
    """The built-in theme: inside the package when installed, else the repository's."""
    packaged = Path(builder.__file__).parent / "theme"
    if packaged.is_dir():
        return packaged
    return Path(builder.__file__).parent.parent / THEME_DIR_NAME


def theme_dirs(archive_dir: Path) -> list[Path]:
    """The archive's own `templates/` first, so its files override the theme's one by one."""
    own = archive_dir / THEME_DIR_NAME
    dirs = [own] if own.is_dir() else []
    default = default_theme_dir()
    if not dirs or own.resolve() != default.resolve():
        dirs.append(default)
    return dirs


def static_files(dirs: list[Path]) -> dict[str, Path]:
    """Every file under the themes' `static/`, by its output name; earlier dirs win."""
    found: dict[str, Path] = {}
    for theme in reversed(dirs):
        root = theme / STATIC_DIR_NAME
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[urls.static_path(path.relative_to(root).as_posix())] = path
    return found


@dataclass(frozen=True)
class Linker:
    """Links from one page: relative, or absolute for pages served at any depth."""

    page_path: str
    absolute_base: str = ""
    folder: str = field(init=False, repr=False, compare=False)
    top: str | None = field(init=False, repr=False, compare=False)
    """The folder's first part (`proposers` of `proposers/wangwei/`); None: not plain."""
    depth: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A page makes dozens of links: its folder is found once.
        folder = self.page_path.rpartition("/")[0]
        parts = folder.split("/") if folder else []
        object.__setattr__(self, "folder", folder)
        top = (parts[0] if parts else "") if _is_plain(parts) else None
        object.__setattr__(self, "top", top)
        object.__setattr__(self, "depth", len(parts))

    def __call__(self, target: Reply | Group | Facet | PageRef | str) -> str:
        if isinstance(target, str):
            to_path = target
        elif isinstance(target, PageRef):
            to_path = target.path
        else:
            to_path = urls.path_of(target)
        if self.absolute_base:
            return self.absolute_base.rstrip("/") + "/" + to_path
        if self.top is not None and to_path.partition("/")[0] != self.top:
            # Out of this folder's top folder: up to the root and down, the same from every
            # folder of this depth (a group's pages each have a folder of their own).
            found = _up_and_down(self.depth, to_path)
            if found is not None:
                return found
        return _relative_from(self.folder, to_path)

    def static(self, name: str) -> str:
        return self(urls.static_path(name))


def relative_link(from_path: str, to_path: str) -> str:
    """`urls.relative`, quicker for the plain paths pages link to (a page has dozens)."""
    return _relative_from(from_path.rpartition("/")[0], to_path)


@lru_cache(maxsize=1 << 16)
def _relative_from(folder: str, to_path: str) -> str:
    # Pages in one folder link to the same few pages: most links are found here.
    here = folder.split("/") if folder else []
    there = to_path.split("/")
    inside = folder == to_path or folder.startswith(to_path + "/")  # a folder, not a file
    if inside or not (_is_plain(here) and _is_plain(there)):
        return urls.relative(f"{folder}/x" if folder else "x", to_path)
    common = 0
    limit = min(len(here), len(there) - 1)
    while common < limit and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


@lru_cache(maxsize=1 << 12)
def _up_and_down(depth: int, to_path: str) -> str | None:
    """`_relative_from` of a folder `depth` deep whose top folder `to_path` is not in
    (None when `to_path` is not plain)."""
    return "../" * depth + to_path if _is_plain(to_path.split("/")) else None


def _is_plain(parts: list[str]) -> bool:
    return "" not in parts and "." not in parts and ".." not in parts


def make_environment(
    dirs: list[Path], compiled: jinja2.BytecodeCache | None = None, fast: bool = True
) -> jinja2.Environment:
    """The theme's templates; `compiled`: where to keep compiled templates; `fast`: with
    `render_fast`'s overrides of Jinja's internals (stock Jinja gives the same bytes).

    A build that finds the theme changed makes a new environment (`build.fingerprints.
    site_key` covers every theme file), so templates are not checked for changes on
    each load (three file stats a page)."""
    environment = _FastEnvironment if fast else jinja2.Environment
    env = environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        bytecode_cache=compiled,
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # A reply's dates are shown on its page and in every listing it is in.
    env.filters["chinese_date"] = lru_cache(maxsize=1 << 15)(dates.chinese_date)
    env.filters["machine_date"] = lru_cache(maxsize=1 << 15)(dates.machine_date)
    env.filters["rfc3339"] = dates.rfc3339
    env.filters["json_ld"] = _json_ld
    env.filters["file_size"] = data.human_size
    env.globals["Facet"] = Facet
    return env


_FastEnvironment = render_fast.environment_class(frozenset((Linker,)))


def _json_ld(view: ReplyView, config: Config) -> Markup:
    return Markup(data.linked_data(view.reply, config))  # escaped for <script> by linked_data


def _own_body(reply: Reply) -> str:
    return reply.body_html


@dataclass(frozen=True)
class Renderer:
    env: jinja2.Environment
    config: Config
    body_of: BodyOf = field(default=_own_body)

    def render(self, page: Page) -> str:
        view = page.view
        if isinstance(view, DataFileView):  # a download: encoded, not templated
            return data.encode(view.file, self.config, self.body_of)
        if isinstance(view, DownloadsView) and len(view.sizes) != len(view.files):
            view = dataclasses.replace(view, sizes=tuple(map(self.size_of, view.files)))
        template = self.env.get_template(page.template)
        base = self.config.base_url if page.absolute_links else ""
        if base and page.path == urls.NOT_FOUND:
            base = urls.site_root(base)  # served at any depth, on the site's own host
        link = Linker(page.path, base)
        return template.render(
            page=view,
            path=page.path,
            site=self.config,
            link=link,
            absolute=self.config.absolute_url,
            body=lambda reply: reply_body(self.body_of(reply)),
        )

    def size_of(self, file: DataFile) -> int:
        """The bytes of a download, as the build writes it."""
        return len(data.encode(file, self.config, self.body_of).encode("utf-8"))


def template_digests(env: jinja2.Environment, dirs: list[Path]) -> dict[str, bytes]:
    """For each template, a digest of its source and of every template it extends, includes
    or imports, with the folder each was found in (so a new override changes it too)."""
    names = [n for n in env.list_templates() if not n.startswith(f"{STATIC_DIR_NAME}/")]
    sources = {name: _source(name, dirs) for name in names}
    loads = {name: _loaded_by(env, sources[name][1]) for name in names}
    digests = {}
    for name in names:
        digest = hashlib.blake2b(digest_size=16)
        for used in sorted(_closure(name, loads, names)):
            where, text = sources.get(used) or _source(used, dirs)
            digest.update(f"{used}\0{where}\0{len(text)}\0".encode() + text.encode())
        digests[name] = digest.digest()
    return digests


def _source(name: str, dirs: list[Path]) -> tuple[str, str]:
    for theme in dirs:
        path = theme / name
        if path.is_file():
            return str(theme), path.read_text(encoding="utf-8", errors="replace")
    return "", ""


def _loaded_by(env: jinja2.Environment, text: str) -> list[str | None]:
    """The templates a template names; None for one named by a variable."""
    try:
        return list(jinja2.meta.find_referenced_templates(env.parse(text)))
    except jinja2.TemplateSyntaxError:
        return []  # reported when the page is rendered


def _closure(name: str, loads: dict[str, list[str | None]], names: list[str]) -> set[str]:
    found, todo = {name}, [name]
    while todo:
        for used in loads.get(todo.pop(), []):
            if used is None:
                return set(names)  # a computed name: it may be any template
            if used not in found:
                found.add(used)
                todo.append(used)
    return found


def template_problem(error: jinja2.TemplateError, dirs: list[Path]) -> Problem:
    """A template mistake in a theme, as `templates/x.html:LINE: message`."""
    name = getattr(error, "filename", None) or getattr(error, "name", None) or ""
    line = getattr(error, "lineno", 0) or 0
    if not name:
        # Errors raised while rendering (an undefined name) carry no location of their own;
        # Jinja rewrites the traceback so that its frames point into the template files.
        name, line = _innermost_template_frame(error, dirs)
    path = _template_path(str(name), dirs) if name else Path("templates")
    return Problem(
        path,
        line,
        f"template error: {error.message or error}",
        "check the template's Jinja syntax and the names it uses",
    )


def _innermost_template_frame(error: BaseException, dirs: list[Path]) -> tuple[str, int]:
    roots = [str(d.resolve()) for d in dirs]
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if any(str(Path(frame.filename).resolve()).startswith(root) for root in roots):
            return frame.filename, frame.lineno or 0
    return "", 0


def _template_path(name: str, dirs: list[Path]) -> Path:
    if Path(name).is_absolute():
        return Path(name)
    return next((d / name for d in dirs if (d / name).is_file()), Path(name))
