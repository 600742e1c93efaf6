"""Keep the message catalogues in step with the code (Babel: pip install babel).

    python scripts/catalogue.py          # extract, merge into each .po, compile each .mo
    python scripts/catalogue.py --check  # exit 1, naming them, when messages lack a translation

Messages are found two ways: calls of `_()`, `N_()` and `ngettext()` (Babel's extractor), and
every text that reaches a problem written in place (the message and hint of `Problem()`,
`warning()` and `.error()`, and strings assigned to `hint`, `reason`, `message` or a
`*_HINTS` table) and every help text (`help=`, `description=`, argument groups); an
f-string is a template (`unknown kind `{word}``): `i18n.translate` matches a message
against the templates and keeps its values. New messages get an empty
translation in the .po to fill in; messages no longer in the code are dropped.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
BUILDER = ROOT / "builder"
LOCALE = BUILDER / "locale"
DOMAIN = "reply-archive"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
CALLS = {"Problem": (2, 3), "warning": (2, 3), "error": (1, 2), "add_argument_group": (0, 1)}
"""Calls whose arguments (by position) are a message and a hint (or a help section's title
and text); `help=` and `description=` anywhere are help texts."""
NAMES = ("hint", "reason", "message")


def messages() -> dict[str | tuple[str, str], set[str]]:
    """Every message in builder/, with where it is (`path:line`)."""
    found: dict[str | tuple[str, str], set[str]] = {}
    for file, line, message, _c, _x in extract_from_dir(str(BUILDER), keywords=KEYWORDS):
        found.setdefault(message, set()).add(f"{file}:{line}")
    for path in sorted(BUILDER.rglob("*.py")):
        for line, text in problem_texts(path):
            found.setdefault(text, set()).add(f"{path.relative_to(BUILDER)}:{line}")
    return found


def problem_texts(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text or template) of each text written in place that reaches a problem."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        for value in _texts_of(node):
            text = template(value)
            if text and any(c.isalpha() for c in text):
                yield value.lineno, text


def _texts_of(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        positions = CALLS.get(name, ())
        values = [node.args[i] for i in positions if i < len(node.args)]
        keywords = ("message", "hint", "help", "description")
        return values + [k.value for k in node.keywords if k.arg in keywords]
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        name = getattr(target, "id", "")
        if name in NAMES:
            return [node.value]
        table = node.value
        if isinstance(table, ast.Call) and len(table.args) == 1:  # MappingProxyType({...})
            table = table.args[0]
        if name.endswith("_HINTS") and isinstance(table, ast.Dict):
            return list(table.values)
    return []


def template(node: ast.expr) -> str | None:
    """A literal's text, an f-string's template (`{expression}` for each value), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.IfExp):
        return None
    if not isinstance(node, ast.JoinedStr):
        return None
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            if "{" in str(value.value) or "}" in str(value.value):
                return None  # (braces of its own: not a template)
            parts.append(str(value.value))
        elif isinstance(value, ast.FormattedValue):
            parts.append("{" + ast.unparse(value.value) + "}")
    return "".join(parts)


def update(locale: str) -> list[str]:
    """Merge the code's messages into `locale`'s catalogue and compile it; the untranslated."""
    po = LOCALE / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as file:
        old = read_po(file, locale=locale)
    new = Catalog(
        locale=locale,
        project="reply-archive",
        version=" ",
        header_comment="# reply-archive's messages. Fill in each empty msgstr, then run\n"
        "# python scripts/catalogue.py (tests/test_i18n.py fails while one is empty).",
        msgid_bugs_address=" ",
        last_translator=" ",
        language_team=" ",
        fuzzy=False,
    )
    new.creation_date = old.creation_date  # (no new date each run: no needless conflicts)
    new.revision_date = old.revision_date
    for message in sorted(messages(), key=str):
        key = message[0] if isinstance(message, tuple) else message
        before = old.get(key)
        string: str | tuple[str, ...] = before.string if before else ""
        if isinstance(message, tuple) and not isinstance(string, tuple):
            string = (string,)
        flags = ("python-brace-format",) if "{" in key else ()
        new.add(message, string, flags=flags)
    with po.open("wb") as file:
        write_po(file, new, width=100, no_location=True, sort_output=True)
    with po.with_suffix(".mo").open("wb") as file:
        write_mo(file, new)
    return untranslated(new)


def untranslated(catalogue: Catalog) -> list[str]:
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(message.id[0] if isinstance(message.id, tuple) else message.id)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--check", action="store_true", help="change nothing; list what lacks")
    args = parser.parse_args()
    missing = []
    for folder in sorted(p for p in LOCALE.iterdir() if p.is_dir()):
        if args.check:
            with (folder / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
                catalogue = read_po(file, locale=folder.name)
            known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue}
            done = set(known) - set(untranslated(catalogue))
            lacking = [
                str(m) for m in messages() if (m[0] if isinstance(m, tuple) else m) not in done
            ]
        else:
            lacking = update(folder.name)
        missing += [f"{folder.name}: {m}" for m in lacking]
    print("\n".join(missing) or "every message is translated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
