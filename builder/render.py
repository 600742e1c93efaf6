"""Templates to pages: the Jinja environment, the theme and its overrides, linking."""

from __future__ import annotations

from collections.abc import Iterator
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

import builder
from builder import dates, urls
from builder.archive import Archive, Facet, Group
from builder.config import Config
from builder.errors import Problem
from builder.model import Reply
from builder.pages import Page

THEME_DIR_NAME = "templates"
STATIC_DIR_NAME = "static"


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

    def __call__(self, target: Reply | Group | Facet | str) -> str:
        to_path = urls.path_of(target)
        if self.absolute_base:
            return self.absolute_base.rstrip("/") + "/" + to_path
        return urls.relative(self.page_path, to_path)

    def static(self, name: str) -> str:
        return self(urls.static_path(name))


def make_environment(dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["chinese_date"] = dates.chinese_date
    env.filters["machine_date"] = dates.machine_date
    env.filters["rfc3339"] = dates.rfc3339
    env.globals["Facet"] = Facet
    return env


@dataclass(frozen=True)
class Renderer:
    env: jinja2.Environment
    config: Config
    archive: Archive

    def render(self, page: Page) -> str:
        template = self.env.get_template(page.template)
        link = Linker(page.path, self.config.base_url if page.absolute_links else "")
        return template.render(
            page=page.view,
            path=page.path,
            site=self.config,
            archive=self.archive,
            link=link,
            absolute=self.config.absolute_url,
            body=lambda reply: Markup(reply.body_html),
        )


def render_pages(renderer: Renderer, pages: list[Page]) -> Iterator[tuple[Page, str]]:
    for page in pages:
        yield page, renderer.render(page)


def template_problem(error: jinja2.TemplateError, dirs: list[Path]) -> Problem:
    """A template mistake in a theme, as `templates/x.html:LINE: message`."""
    name = getattr(error, "filename", None) or getattr(error, "name", None) or ""
    line = getattr(error, "lineno", 0) or 0
    if not name:
        # Errors raised while rendering (an undefined name) carry no location of their own;
        # Jinja rewrites the traceback so that its frames point into the template files.
        name, line = _innermost_template_frame(error, dirs)
    path = _template_path(str(name), dirs) if name else Path("templates")
    return Problem(path, line, f"template error: {error.message or error}",
                   "check the template's Jinja syntax and the names it uses")


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
