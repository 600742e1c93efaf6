"""The article in a page's tree: the site's chrome pruned (navigation, headers, footers,
scripts, share bars), then the element holding most paragraph text, and the short blocks
right after it (a signature set apart from the text)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.ingest.tree import BLOCK, Element, Text, find, inline_text, parent_of, words

_DROPPED_TAGS = words(
    """script style noscript template iframe frame frameset button select input textarea
    object embed svg canvas map audio video nav aside head title meta link"""
)
_CHROME_TOKEN = re.compile(
    r"(?:site[-_]?)?(?:nav|navbar|navigation|menu|menus|mainnav|subnav|topnav|breadcrumbs?|"
    r"crumbs?|position|location|footer|foot|header|head|topbar|top[-_]?bar|sidebar|"
    r"side[-_]?bar|share|bdsharebuttonbox|toolbar|tools|copyright|banner|skip[-_]?links?|"
    r"search|search[-_]?box|login|related|relate|pages?[-_]?nav|pager|prev[-_]?next)"
)
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu"})
_PARAGRAPH_TAGS = words("""p pre blockquote li dd dt h1 h2 h3 h4 h5 h6""")
_SIBLING_TEXT_LIMIT = 200


# --- chrome: navigation, headers, footers, scripts, share bars ------------------------------


def prune(element: Element, in_article: bool) -> None:
    kept: list[Element | Text] = []
    for child in element.children:
        if isinstance(child, Element):
            if _is_chrome(child, in_article):
                continue
            prune(child, in_article or child.tag in ("article", "main"))
        kept.append(child)
    element.children = kept


def _is_chrome(element: Element, in_article: bool) -> bool:
    attrs = element.attrs
    if element.tag in _DROPPED_TAGS or "hidden" in attrs:
        return True
    if element.tag in ("header", "footer") and not in_article:
        return True
    style = attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    if attrs.get("role", "").lower() in _CHROME_ROLES:
        return True
    tokens = attrs.get("class", "").lower().split() + attrs.get("id", "").lower().split()
    return any(_CHROME_TOKEN.fullmatch(token) for token in tokens)


# --- the article: the element holding most paragraph text -----------------------------------


def find_article(body: Element) -> Element:
    scores: dict[int, float] = {}
    elements: dict[int, Element] = {}
    ordered = list(_with_ancestors(body, None, None))
    lengths = _own_text_lengths([element for element, _, _ in ordered])
    for element, parent, grandparent in ordered:
        length = lengths[id(element)]
        if not length:
            continue
        holder = parent if element.tag in _PARAGRAPH_TAGS and parent else element
        above = grandparent if holder is parent else parent
        for target, weight in ((holder, 1.0), (above, 0.5)):
            if target is not None:
                scores[id(target)] = scores.get(id(target), 0.0) + weight * length
                elements[id(target)] = target
    if not scores:
        return body
    return elements[max(scores, key=lambda key: scores[key])]


def _with_ancestors(
    element: Element, parent: Element | None, grandparent: Element | None
) -> Iterator[tuple[Element, Element | None, Element | None]]:
    pending = [(element, parent, grandparent)]
    while pending:
        current, above, above_that = pending.pop()
        yield current, above, above_that
        pending.extend(
            (child, current, above)
            for child in reversed(current.children)
            if isinstance(child, Element)
        )


def _own_text_lengths(in_document_order: list[Element]) -> dict[int, int]:
    """Each element's characters of text in itself and its inline children, links not
    counted: children before parents, so each element is summed once (linear, not
    quadratic, in a page of nested inline elements)."""
    lengths: dict[int, int] = {}
    for element in reversed(in_document_order):
        total = 0
        for child in element.children:
            if isinstance(child, Text):
                total += len(child.text.strip())
            elif child.tag not in BLOCK and child.tag != "a":
                total += lengths[id(child)]
        lengths[id(element)] = total
    return lengths


def last_sibling_kept(body: Element, article: Element) -> Element:
    """The article, or the last of the short text blocks right after it (a signature)."""
    parent = parent_of(body, article)
    if parent is None:
        return article
    siblings = [c for c in parent.children if isinstance(c, Element)]
    last = article
    for sibling in siblings[siblings.index(article) + 1 :]:
        text = inline_text(sibling).strip()
        links = sum(len(inline_text(a).strip()) for a in find(sibling, "a"))
        if len(text) > _SIBLING_TEXT_LIMIT or (text and links * 2 >= len(text)):
            break
        last = sibling
    return last
