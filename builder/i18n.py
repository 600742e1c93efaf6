"""Messages in the reader's language: gettext catalogues in `builder/locale/`.

The language is `--lang`, else `REPLY_ARCHIVE_LANG`, else the locale (`LC_ALL`,
`LC_MESSAGES`, `LANG`): Chinese when it starts with `zh`, English otherwise. English is the
source text; `locale/zh_CN/LC_MESSAGES/reply-archive.po` holds the Chinese, compiled to `.mo`
by `python scripts/catalogue.py` (Babel). The `path:line:` prefix and exit statuses
never change.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import os
import re
from pathlib import Path

DOMAIN = "reply-archive"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh_CN")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def choose(flag: str | None = None) -> str:
    """The language to speak: `en` or `zh_CN`."""
    for value in (flag, os.environ.get("REPLY_ARCHIVE_LANG")):
        if value:
            return _normalise(value)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return _normalise(value)
    return "en"


def _normalise(value: str) -> str:
    return "zh_CN" if value.lower().replace("-", "_").startswith("zh") else "en"


def use(language: str) -> None:
    """Speak `language` from now on (argparse's own words too)."""
    global _translation, _language
    _language = language
    if language == "en":
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)
    # argparse looks its words up through the module's `_` and `ngettext`.
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def language() -> str:
    return _language


def gettext(message: str) -> str:
    return _translation.gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translation.ngettext(singular, plural, count)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 (the gettext name for "mark, translate later")
    """Marks a message for extraction; it is translated where it is shown."""
    return message


# argparse's own words (Python 3.11), here so that extraction puts them in the catalogue.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
)

# Words built outside a problem's call (config.did_you_mean, model's drafts).
OTHER_WORDS = (
    N_("known keys: {keys}"),
    N_("missing {keys}"),
    N_("complete"),
    N_("fill them in and delete `draft: true`"),
    N_("delete `draft: true`"),
)


def translate(message: str) -> str:
    """`message` in the language spoken: as a whole, or as an instance of a catalogued
    template (`unknown kind `{word}``), its values kept and themselves translated."""
    if _language == "en" or not message:
        return message
    found = _translation.gettext(message)
    if found != message:
        return found
    for pattern, names, target in _templates():
        match = pattern.fullmatch(message)
        if match:
            values = {name: translate(match.group(f"v{i}")) for i, name in enumerate(names)}
            return _fill(target, values)
    return message


def _fill(target: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(0), m.group(0)), target)


_PLACEHOLDER = re.compile(r"\{[^{}]+\}")
_GROUP = re.compile(r"\(\?P<v\d+>\.\+\?\)")
_compiled: dict[int, list[tuple[re.Pattern[str], list[str], str]]] = {}


def _templates() -> list[tuple[re.Pattern[str], list[str], str]]:
    """The catalogue's templates (messages with `{…}`), the most specific first."""
    key = id(_translation)
    if key not in _compiled:
        catalogue: dict[object, str] = getattr(_translation, "_catalog", {})
        found = []
        for source, target in catalogue.items():
            if isinstance(source, str) and _PLACEHOLDER.search(source) and target:
                found.append(_template(source, target))
        found.sort(key=lambda t: -len(_GROUP.sub("", t[0].pattern)))
        _compiled.clear()
        _compiled[key] = found
    return _compiled[key]


def _template(source: str, target: str) -> tuple[re.Pattern[str], list[str], str]:
    names, parts, last = [], [], 0
    for index, placeholder in enumerate(_PLACEHOLDER.finditer(source)):
        parts.append(re.escape(source[last : placeholder.start()]))
        parts.append(f"(?P<v{index}>.+?)")
        names.append(placeholder.group(0))
        last = placeholder.end()
    parts.append(re.escape(source[last:]))
    return re.compile("".join(parts), re.S), names, target
