"""Quicker Jinja rendering: the only place reply-archive reaches into Jinja's and
MarkupSafe's internals, written for Jinja2 3.1 and MarkupSafe 2.1 to 3.0 (the versions
pinned in pyproject.toml). `tests/test_render_fast.py` renders every page of the sample
archive and of a generated one with these and with stock Jinja and compares the bytes.

Two overrides, each a measured part of rendering a page:
- a compiled template's `escape` returns a plain `str` (not a `Markup`) for a piece of its
  output: about a seventh;
- the context calls the callables named plain (`link`, macros) straight away, without
  Jinja's look at each for `pass_context` and the like: about a sixth.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

import jinja2
import jinja2.runtime
import markupsafe
from jinja2.utils import internalcode

try:  # MarkupSafe 3: the escaping its `escape` wraps in a `Markup`
    from markupsafe._speedups import _escape_inner
except ImportError:  # no compiled speedups, or an older MarkupSafe

    def _escape_inner(s: str, /) -> str:
        return str(markupsafe.escape(s))


def escape_output(value: object) -> str:
    """`markupsafe.escape` for a piece of a template's output, as a plain `str`.

    Jinja joins the pieces into one `str` anyway (a macro's or a `set` block's into a
    `Markup` again), so wrapping each in a `Markup` first only costs. The bytes are the
    same."""
    if type(value) is str:
        return _escape_inner(value)
    return markupsafe.escape(value)  # Markup as it is, numbers as text, __html__ honoured


class _Template(jinja2.Template):
    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The compiled template's functions find `escape` among its module's globals.
        template.root_render_func.__globals__["escape"] = escape_output
        return template


def environment_class(plain_callables: frozenset[type]) -> type[jinja2.Environment]:
    """A Jinja environment class with both overrides; instances of `plain_callables` (and
    macros) are called straight away: none may want the context, an environment or an
    eval context passed (`pass_context` and the like)."""
    plain = plain_callables | {jinja2.runtime.Macro}

    class FastContext(jinja2.runtime.Context):
        @internalcode
        def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
            if type(obj) not in plain:
                return super().call(obj, *args, **kwargs)
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return obj(*args, **kwargs)
            except StopIteration:  # as Jinja's own `call` does
                return self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )

    class FastEnvironment(jinja2.Environment):
        context_class = FastContext
        template_class = _Template

    return FastEnvironment
