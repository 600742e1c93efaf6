"""The front matter's YAML: its values, and the line each key is on.

PyYAML's safe loader reads it, with dates kept as text (`model` checks them, by line);
front matter as the importer writes it is read without PyYAML, as PyYAML reads it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from builder.errors import Problem
from builder.sources import Source

MAX_DEPTH = 32
"""How deeply front matter may nest lists and mappings (a reply needs two levels)."""
MAX_DIGITS = 1000
"""The longest number front matter may hold (Python refuses to read past 4,300 digits)."""


class _Checks:
    """What both loaders add to PyYAML's: a bounded depth, bounded numbers, and every
    repeated key found (PyYAML keeps the last value without a word)."""

    duplicates: list[tuple[str, int, int]]
    _depth: int

    def compose_node(self, parent: Any, index: Any) -> Any:
        depth = getattr(self, "_depth", 0)
        if depth >= MAX_DEPTH:
            event = self.peek_event()  # type: ignore[attr-defined]
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth = depth

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        if len(str(node.value)) > MAX_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of more than {MAX_DIGITS} digits", node.start_mark
            )
        return yaml.constructor.SafeConstructor.construct_yaml_int(self, node)  # type: ignore[arg-type]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        first: dict[object, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            line = key.start_mark.line
            if key.value in first:
                if not hasattr(self, "duplicates"):
                    self.duplicates = []
                self.duplicates.append((str(key.value), first[key.value], line))
            else:
                first[key.value] = line
        return super().construct_mapping(node, deep)  # type: ignore[misc]


class _FrontMatterLoader(_Checks, yaml.SafeLoader):
    """PyYAML's safe loader, but dates stay text: `parse_moment` reports bad ones by line
    (PyYAML itself raises a bare ValueError on 2025-13-45)."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _Checks.construct_yaml_int)  # type: ignore[type-var]


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _QuickLoader(_Checks, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same through libyaml, when PyYAML has it: several times quicker. A document it
    rejects is read again by `_FrontMatterLoader`, for PyYAML's own messages; so is one
    that may nest deeply (libyaml's composer has no depth bound of its own)."""


_QuickLoader.yaml_implicit_resolvers = _FrontMatterLoader.yaml_implicit_resolvers
_QuickLoader.add_constructor("tag:yaml.org,2002:int", _Checks.construct_yaml_int)


def parse_front_matter(
    source: Source, quick: bool = True
) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The YAML mapping, the line each key is on, and any syntax problem."""
    if quick and (plain := _plain_front_matter(source.front_matter)) is not None:
        return plain[0], plain[1], []
    if quick and (_may_nest_deeply(source.front_matter) or "\t" in source.front_matter):
        quick = False  # (libyaml takes tabs where PyYAML's reader refuses some: `title: \t`)
    try:
        loader = (_QuickLoader if quick else _FrontMatterLoader)(source.front_matter)
    except yaml.YAMLError as error:  # (the reader refuses control characters at once)
        if quick:
            return parse_front_matter(source, quick=False)
        return {}, {}, [_syntax_problem(source, error)]
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, []
        values = loader.construct_document(node)
    except (yaml.YAMLError, RecursionError) as error:
        if quick:
            return parse_front_matter(source, quick=False)
        return {}, {}, [_syntax_problem(source, error)]
    finally:
        loader.dispose()
    if not isinstance(values, dict):
        return {}, {}, [Problem(source.path, 2, "the front matter must be `key: value` lines")]
    duplicates = [_duplicate(source, *found) for found in getattr(loader, "duplicates", [])]
    if duplicates:
        return {}, {}, duplicates
    lines = {str(k.value): 2 + k.start_mark.line for k, _ in node.value}
    return values, lines, []


def _may_nest_deeply(text: str) -> bool:
    """Whether `text` may nest past `MAX_DEPTH`, for the composer that counts (an
    overestimate: every bracket and list marker counted, quoted or not)."""
    if _DEEP_INDENT.search(text):
        return True  # (mappings nest by indentation alone)
    markers = sum(text.count(marker) for marker in ("[", "{", "- ", "? "))
    return markers > MAX_DEPTH and _rough_depth(text) > MAX_DEPTH // 2


_DEEP_INDENT = re.compile(rf"(?:^|\n) {{{MAX_DEPTH - 1},}}\S")


def _rough_depth(text: str) -> int:
    depth = deepest = 0
    for line in text.split("\n"):
        markers = re.match(r" *(?:[-?] +)*", line)
        start = markers.end() if markers else 0
        depth = max(0, depth)
        deepest = max(deepest, depth + start)
        for char in line:
            if char in "[{":
                depth += 1
                deepest = max(deepest, depth + start)
            elif char in "]}":
                depth -= 1
    return deepest


def _syntax_problem(source: Source, error: Exception) -> Problem:
    hint = "quote values that contain `:` or start with a special character"
    if isinstance(error, RecursionError):
        return Problem(source.path, 2, "YAML nested too deeply", "a reply needs two levels")
    if isinstance(error, yaml.reader.ReaderError):
        text = source.front_matter
        line = 2 + text.count("\n", 0, max(0, error.position))
        reason = f"a control character U+{error.character:04X} is not allowed"
        hint = "remove it: of the control characters YAML allows only tabs and line breaks"
        return Problem(source.path, line, f"YAML syntax error: {reason}", hint)
    mark = (
        error.problem_mark or error.context_mark
        if isinstance(error, yaml.MarkedYAMLError)
        else None
    )
    line = 2 + (mark.line if mark else 0)
    reason = (error.problem if isinstance(error, yaml.MarkedYAMLError) else None) or "invalid YAML"
    if "nested more than" in reason:
        hint = "a reply needs lists of text and one `contacts:` mapping, no deeper"
    elif "digits" in reason:
        hint = 'quote it if it is a code, e.g. number: "HN-35"'
    return Problem(source.path, line, f"YAML syntax error: {reason}", hint)


def _duplicate(source: Source, key: str, first: int, again: int) -> Problem:
    return Problem(
        source.path,
        2 + again,
        f"key `{key}` is given twice, on lines {2 + first} and {2 + again}",
        "keep one of them: which value would win is not visible",
    )


# Front matter as the importer writes it, read without a YAML parser (building PyYAML's
# nodes and objects takes a fifth of reading a reply): `key: value` lines whose values are
# plain or simply quoted text, decimal numbers or flow lists of plain text, and under a key
# without a value (`contacts:`) a mapping of such `label: value` lines or a block list of
# `- value` lines, indented or not. Anything else,
# and any value that YAML would not read so, goes to PyYAML (a test compares the two).
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_LABEL_LINE = re.compile(r"([^ :](?:[^:]*[^ :])?):(?: +(.*))?")
_PRINTABLE = re.compile(
    r"[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
"""What YAML takes for printable, less tabs, a BOM and the breaks it has besides `\\n`."""
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""What a plain scalar may not start with (PyYAML's `Scanner.check_plain`, strictly)."""
_IN_FLOW = frozenset(":#?[]{}'\"")
"""What ends or may end a plain scalar in a flow list (or starts a comment or a quote)."""
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_STR, _INT, _NULL = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "null"))
_NOT_PLAIN = object()


def _plain_front_matter(text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The mapping and the line of each key, or None when PyYAML must read `text`."""
    if not _PRINTABLE.fullmatch(text):
        return None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    open_key, indent = "", 0  # the last key when it has no value: indented lines may follow
    items: list[Any] | None = None  # the block list under `open_key`, once it has begun
    items_depth = 0
    for number, line in enumerate(text.split("\n")):
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue  # blank, or a comment
        depth = len(line) - len(content)
        if content[:1] == "-" and open_key and not indent:
            item = _item(content)
            if item is _NOT_PLAIN or (items is not None and depth != items_depth):
                return None
            if items is None:
                items, items_depth = [], depth
                values[open_key] = items
            items.append(item)
            continue
        if items is not None and depth:
            return None  # (a mapping line under a list)
        match = (_LABEL_LINE if depth else _KEY_LINE).fullmatch(content)
        if match is None or (depth and (not open_key or depth != (indent or depth))):
            return None
        key: str = match[1]
        raw = _uncommented(match[2] or "")
        value = _value(raw)
        if value is _NOT_PLAIN or not _is_key(key):
            return None  # (a key YAML reads as a number, true, null...)
        if not depth:
            if key in values:
                return None  # a repeated key: PyYAML's loader names both lines
            values[key] = value
            lines[key] = 2 + number
            open_key, indent, items = ("" if raw else key), 0, None
        elif not indent:
            values[open_key], indent = {key: value}, depth
        elif key in values[open_key]:
            return None
        else:
            values[open_key][key] = value
    return values, lines


def _item(content: str) -> object:
    """A block list item's value (`- text`, plain or simply quoted), else `_NOT_PLAIN`."""
    raw = _uncommented(content[2:])
    if not content.startswith("- ") or raw[:1] in ("", " ", "["):
        return _NOT_PLAIN
    return _value(raw)


def _uncommented(text: str) -> str:
    """A value less its comment (from the first ` #`: a plain scalar holds none, and a
    quoted one cut there no longer reads as quoted) and the spaces before it."""
    cut = (" " + text).find(" #")
    return (text if cut < 0 else text[:cut]).rstrip(" ")


def _value(text: str) -> object:
    quoted = _quoted(text)
    if quoted is not None:
        return quoted
    if text[:1] == "[" and text.endswith("]"):
        inner = text[1:-1]
        items = [item.strip(" ") for item in inner.split(",")] if inner.strip(" ") else []
        values = [_flow_item(item) for item in items]
        return _NOT_PLAIN if any(value is _NOT_PLAIN for value in values) else values
    return _plain(text)


def _quoted(text: str) -> str | None:
    """The text of a simply quoted scalar (no quote or backslash inside), else None."""
    quote = text[:1]
    if quote in ("'", '"') and len(text) > 1 and text.endswith(quote):
        inner = text[1:-1]
        return None if quote in inner or "\\" in inner else inner
    return None


def _flow_item(item: str) -> object:
    quoted = _quoted(item)
    if quoted is not None:
        return quoted
    return _NOT_PLAIN if set(item) & _IN_FLOW or not _is_text(item) else item


def _plain(text: str) -> object:
    """A plain scalar's value (text, a decimal number or None), else `_NOT_PLAIN`."""
    if text[:1] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return _NOT_PLAIN
    tag = _tag(text)
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    if tag != _INT or len(text) > MAX_DIGITS or not _DECIMAL.fullmatch(text):
        return _NOT_PLAIN
    return int(text)


@lru_cache(maxsize=1024)
def _is_key(text: str) -> bool:
    """`_is_text`, remembered: every file has the same few keys."""
    return _is_text(text)


def _is_text(text: str) -> bool:
    """Whether YAML reads `text` as a plain scalar that is this text."""
    return _plain(text) is text


def _tag(text: str) -> str:
    """The tag PyYAML gives a plain scalar (`Resolver.resolve`, with our resolvers)."""
    for tag, regexp in _RESOLVERS.get(text[:1], _ANY_FIRST):
        if regexp.match(text):
            return tag
    return _STR


_ANY_FIRST: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    _FrontMatterLoader.yaml_implicit_resolvers.get(None, [])
)
_RESOLVERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: (*resolvers, *_ANY_FIRST)
    for first, resolvers in _FrontMatterLoader.yaml_implicit_resolvers.items()
}
"""By first character, as `Resolver.resolve` finds them (None: for any)."""
