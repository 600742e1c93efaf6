"""The site's settings: a frozen `Config` read from `site.toml`, every key with a default."""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from builder.errors import Problem, warning

CONFIG_FILE = "site.toml"

DEFAULT_OUTCOMES = MappingProxyType(
    {
        "A": "已解决或基本解决",
        "B": "正在解决",
        "C": "列入计划逐步解决",
        "D": "留作参考",
    }
)


PUBLISHED_FROM = ("signature", "file-time")
"""Where `reply-archive import` takes a date of publication a page does not give."""
IMPORT_KINDS = {
    "suggestion": "suggestion",
    "建议": "suggestion",
    "proposal": "proposal",
    "提案": "proposal",
}


@dataclass(frozen=True)
class ImportDefaults:
    """`[import]` in site.toml (and the import command's options): what a batch of pages
    shares and a page may not say. A page's own value wins; an empty default is none."""

    bureau: str = ""
    region: str = ""
    kind: str = ""
    session: str = ""
    published_from: str = "signature"


ICP_REGISTRY = "https://beian.miit.gov.cn/"
"""Where an ICP备案号 is looked up: sites link their number there."""
PUBLIC_SECURITY_REGISTRY = "https://beian.mps.gov.cn/#/query/webSearch?code="
"""Where a 公安机关备案号 is looked up, by its digits."""
_FOOTER_FORMS = {
    "icp": re.compile(r".*ICP[备证]\s*\d+\s*号(-\d+)?"),
    "public_security": re.compile(r".*公网安备\s*\d{10,}\s*号?"),
    "site_code": re.compile(r"[0-9A-Za-z]{10}"),
}
"""What a footer registration must look like."""


@dataclass(frozen=True)
class Footer:
    """`[footer]` in site.toml: who runs the site and its registrations, shown at the foot
    of every page. An empty value shows nothing: the defaults claim nothing."""

    sponsor: str = ""
    """主办单位: the body the site is run for, e.g. 某某市人民政府办公室."""
    operator: str = ""
    """承办单位: the body that runs it."""
    contact: str = ""
    """联系方式: a telephone number, an address or an e-mail address."""
    site_code: str = ""
    """网站标识码, 10 letters or digits."""
    icp: str = ""
    """ICP备案号, linked to the MIIT registry."""
    public_security: str = ""
    """公安机关备案号, linked to the Ministry of Public Security's registry."""
    text: str = ""
    """Any further line, as it is written."""

    @property
    def public_security_url(self) -> str:
        digits = re.search(r"\d{10,}", self.public_security)
        return PUBLIC_SECURITY_REGISTRY + (digits.group(0) if digits else "")

    @property
    def icp_url(self) -> str:
        return ICP_REGISTRY


FAVICON = "favicon.svg"
"""The theme's icon (templates/static/favicon.svg)."""
FAVICON_TYPES = MappingProxyType(
    {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
)


@dataclass(frozen=True)
class Config:
    title: str = "建议提案答复公开档案"
    description: str = "人大代表建议和政协委员提案的答复，可检索、可离线阅读。"
    base_url: str = ""
    language: str = "zh-CN"
    page_size: int = 50
    feed_size: int = 20
    outcomes: MappingProxyType[str, str] = field(default_factory=lambda: DEFAULT_OUTCOMES)
    max_list_items: int = 200
    """The most tags, proposers or contacts one reply may have (more is refused)."""
    import_defaults: ImportDefaults = field(default_factory=ImportDefaults)
    """`[import]`: defaults for `reply-archive import` (the build does not read them)."""
    licence: str = ""
    """The licence line of the downloads (data/), e.g. `CC BY 4.0`; empty says none is given."""
    downloads: bool = True
    """Write data/: every reply as JSON and CSV, the schema and the 下载数据 page."""
    data_split_from: int = 5000
    """Above this many replies the JSON download is split into a file per year."""
    statistics: bool = True
    """Write the 统计 page (stats/index.html)."""
    kind_pages: bool = True
    """Listings of 人大代表建议 and 政协委员提案 (kinds/)."""
    session_pages: bool = True
    """A page per session (届次/会议) listing its replies by number (sessions/)."""
    proposer_pages: bool = True
    """A page per deputy or member with the replies to them (proposers/)."""
    group_feeds: bool = True
    """With a base URL, an Atom feed per bureau, tag, session and proposer."""
    footer: Footer = field(default_factory=Footer)
    """`[footer]`: 主办单位, 承办单位, contact, registrations (empty: none shown)."""
    favicon: str = FAVICON
    """The site's icon: a file of the theme's static/ folder (an archive's own goes in its
    templates/static/), linked from every page."""

    @functools.cached_property
    def favicon_type(self) -> str:  # (every page asks: pathlib's suffix is 27 µs)
        return FAVICON_TYPES[Path(self.favicon).suffix.lower()]

    def outcome_label(self, code: str) -> str:
        return self.outcomes.get(code, code)

    def absolute_url(self, path: str) -> str:
        """The absolute URL of an output path; only meaningful when `base_url` is set."""
        return self.base_url.rstrip("/") + "/" + path


RETIRED_HINTS = MappingProxyType(
    {
        "offline_search_budget": "the offline search now holds every reply's text and loads"
        " what a query needs: remove the line from site.toml",
    }
)
"""Keys an older site.toml may have that are now ignored: a warning, not an error."""


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    problems: tuple[Problem, ...]


_TYPES: dict[str, type] = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "page_size": int,
    "feed_size": int,
    "max_list_items": int,
    "licence": str,
    "downloads": bool,
    "data_split_from": int,
    "statistics": bool,
    "kind_pages": bool,
    "session_pages": bool,
    "proposer_pages": bool,
    "group_feeds": bool,
    "favicon": str,
}


def load_config(archive: Path, base_url: str | None = None) -> LoadedConfig:
    """Read `archive/site.toml` if present; `base_url` from the command line wins."""
    path = archive / CONFIG_FILE
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    text = _read_text(path, problems)
    if text is not None:
        values = _read_toml(path, text, problems)
    config = _config_from(values, path, _key_lines(text or ""), problems)
    if base_url is not None:
        config = replace(config, base_url=base_url)
        problems.extend(_check_base_url(config.base_url, path, 0))
    return LoadedConfig(config, tuple(problems))


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    """The text of `site.toml`; None when there is none, or (with a problem) when it
    cannot be read or is not UTF-8."""
    try:
        if not path.is_file():
            if path.exists() or path.is_symlink():
                problems.append(Problem(path, 0, "site.toml is not a file", "make it a file"))
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.append(
            Problem(path, 0, f"cannot read site.toml: {error.strerror}", "check its permissions")
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(
            Problem(path, line, "site.toml is not UTF-8", "save it as UTF-8: TOML is UTF-8 only")
        )
        return None


def _read_toml(path: Path, text: str, problems: list[Problem]) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        problems.append(Problem(path, line, f"TOML syntax error: {error}", "see toml.io"))
        return {}


def _toml_error_line(message: str) -> int:
    # tomllib says "... (at line 3, column 7)"
    marker = "at line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(",", 1)[0].split(")", 1)[0]
        if digits.strip().isdigit():
            return int(digits)
    return 0


def _config_from(
    values: dict[str, Any], path: Path, lines: dict[str, int], problems: list[Problem]
) -> Config:
    known = {f.name for f in fields(Config)} - {"import_defaults"} | {"import"}
    archive = path.parent
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        line = lines.get(key, 0)
        if key in RETIRED_HINTS:
            problems.append(warning(path, line, f"`{key}` is no longer used", RETIRED_HINTS[key]))
        elif key not in known:
            problems.append(_unknown_key(path, line, key, known))
        elif key == "outcomes":
            kwargs[key] = _outcomes(value, path, line, problems)
        elif key == "import":
            kwargs["import_defaults"] = import_defaults(value, path, lines, problems)
        elif key == "footer":
            kwargs[key] = footer(value, path, lines, problems)
        elif not _is_type(value, _TYPES[key]):
            expected = _TYPES[key].__name__
            problems.append(Problem(path, line, f"`{key}` must be a {expected}", f"got {value!r}"))
        else:
            kwargs[key] = value
    if kwargs.get("page_size", 1) < 1 or kwargs.get("feed_size", 1) < 1:
        problems.append(Problem(path, 0, "page_size and feed_size must be at least 1"))
        kwargs.pop("page_size", None)
        kwargs.pop("feed_size", None)
    if kwargs.get("max_list_items", 1) < 1:
        line = lines.get("max_list_items", 0)
        problems.append(Problem(path, line, "max_list_items must be at least 1", "e.g. 200"))
        kwargs.pop("max_list_items")
    problems.extend(_check_base_url(kwargs.get("base_url", ""), path, lines.get("base_url", 0)))
    if "favicon" in kwargs:
        problem = _check_favicon(kwargs["favicon"], archive, path, lines.get("favicon", 0))
        if problem:
            problems.append(problem)
            del kwargs["favicon"]
    return Config(**kwargs)


def import_defaults(
    value: object, path: Path, lines: dict[str, int], problems: list[Problem]
) -> ImportDefaults:
    """`[import]`: text values for the keys of `ImportDefaults`, each checked."""
    line = lines.get("import", 0)
    if not isinstance(value, dict):
        problems.append(Problem(path, line, "[import] must be a table", 'bureau = "某某市民政局"'))
        return ImportDefaults()
    known = {f.name for f in fields(ImportDefaults)}
    kwargs: dict[str, str] = {}
    for key, given in value.items():
        where = lines.get(key, line)
        if key not in known:
            problems.append(_unknown_key(path, where, f"import.{key}", known))
        elif not isinstance(given, str):
            problems.append(Problem(path, where, f"`import.{key}` must be text", f"got {given!r}"))
        else:
            checked = check_import_default(key, given.strip())
            if isinstance(checked, str):
                kwargs[key] = checked
            else:
                problems.append(Problem(path, where, checked[0], checked[1]))
    return ImportDefaults(**kwargs)


def footer(value: object, path: Path, lines: dict[str, int], problems: list[Problem]) -> Footer:
    """`[footer]`: text values for the keys of `Footer`, registrations in their form."""
    line = lines.get("footer", 0)
    if not isinstance(value, dict):
        problems.append(
            Problem(path, line, "[footer] must be a table", 'sponsor = "某某市人民政府"')
        )
        return Footer()
    known = {f.name for f in fields(Footer)}
    kwargs: dict[str, str] = {}
    for key, given in value.items():
        where = lines.get(f"footer.{key}", line)
        if key not in known:
            problems.append(_unknown_key(path, where, f"footer.{key}", known))
        elif not isinstance(given, str):
            problems.append(Problem(path, where, f"`footer.{key}` must be text", f"got {given!r}"))
        elif (problem := _footer_form(key, given.strip(), path, where)) is not None:
            problems.append(problem)
        else:
            kwargs[key] = given.strip()
    return Footer(**kwargs)


def _footer_form(key: str, value: str, path: Path, line: int) -> Problem | None:
    form = _FOOTER_FORMS.get(key)
    if form is None or not value or form.fullmatch(value):
        return None
    if key == "icp":
        message, hint = f"`footer.icp` is not an ICP备案号: {value}", "e.g. 京ICP备12345678号-1"
    elif key == "public_security":
        message = f"`footer.public_security` is not a 公安机关备案号: {value}"
        hint = "e.g. 京公网安备 11010502030143号"
    else:
        message = f"`footer.site_code` is not a 网站标识码: {value}"
        hint = "a 网站标识码 is 10 letters or digits, e.g. 1100000088"
    return Problem(path, line, message, hint)


def _check_favicon(name: str, archive: Path, path: Path, line: int) -> Problem | None:
    """The icon must be an image the browser takes; another than the theme's must be in
    the archive's templates/static/."""
    plain = name and not name.startswith("/") and "\\" not in name and ".." not in name.split("/")
    if not plain or Path(name).suffix.lower() not in FAVICON_TYPES:
        return Problem(
            path, line, f"favicon {name!r} is not a .svg, .png or .ico file", "e.g. favicon.png"
        )
    if name != FAVICON and not (archive / "templates" / "static" / name).is_file():
        return Problem(
            path,
            line,
            f"favicon {name!r} is not in templates/static/",
            "put the icon in the archive's templates/static/, or leave favicon out",
        )
    return None


def check_import_default(key: str, value: str) -> str | tuple[str, str]:
    """The value as `ImportDefaults` keeps it, or (message, hint) when it is not one."""
    if key == "kind" and value:
        kind = IMPORT_KINDS.get(value.lower())
        return kind or (f"unknown kind `{value}`", "use suggestion (建议) or proposal (提案)")
    if key == "published_from" and value not in PUBLISHED_FROM:
        return (f"unknown published_from `{value}`", "use signature or file-time")
    return value


def _is_type(value: object, expected: type) -> bool:
    # bool is an int in Python; a page size of `true` is still a mistake.
    return isinstance(value, expected) and not (expected is int and isinstance(value, bool))


def _outcomes(
    value: object, path: Path, line: int, problems: list[Problem]
) -> MappingProxyType[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        problems.append(Problem(path, line, "[outcomes] must map codes to labels", 'A = "已解决"'))
        return DEFAULT_OUTCOMES
    return MappingProxyType(dict(value))


def _check_base_url(url: str, path: Path, line: int) -> list[Problem]:
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [
            Problem(
                path,
                line,
                f"base_url {url!r} is not an http(s) URL",
                "e.g. https://example.org/archive/",
            )
        ]
    return []


def _unknown_key(path: Path, line: int, key: str, known: set[str]) -> Problem:
    return warning(path, line, f"unknown key `{key}` is ignored", did_you_mean(key, known))


def did_you_mean(word: str, candidates: set[str] | list[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return (
        f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(sorted(candidates))}"
    )


def _key_lines(text: str) -> dict[str, int]:
    """Where each top-level key or table starts, for `path:line` messages; a key inside a
    table also as `table.key`."""
    lines: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), 1):
        text = raw.strip()
        if text.startswith("[") and text.endswith("]"):
            table = text.strip("[]").strip()
            lines.setdefault(table, number)
        elif "=" in text and not text.startswith("#"):
            key = text.split("=", 1)[0].strip().strip('"')
            lines.setdefault(key, number)
            if table:
                lines.setdefault(f"{table}.{key}", number)
    return lines
