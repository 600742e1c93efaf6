"""Messages in the reader's language: gettext catalogues in `builder/locale/`.

The language is `--lang`, else `REPLY_ARCHIVE_LANG`, else the locale (`LC_ALL`,
`LC_MESSAGES`, `LANG`): Chinese when it starts with `zh`, English otherwise. English is the
source text; `locale/zh_CN/LC_MESSAGES/reply-archive.po` holds the Chinese, compiled to `.mo`
by `scripts/catalogue.sh` (Babel). The `path:line:` prefix and exit statuses never change.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import os
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
