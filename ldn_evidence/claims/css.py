"""CSS in an article's page, read with tinycss2: text a style sheet writes, and what a style hides."""

from __future__ import annotations

from typing import Any

from ldn_evidence.claims.result import ArticleError

# --- text a style sheet writes -----------------------------------------------------------------------

#: CSS properties whose strings a browser shows as text: generated content (::before, ::after, ::marker), the
#: quote marks <q> and `open-quote` show, list markers, the text shown for overflow, a counter style's symbols.
#: A custom property (--name) may be shown through var(), so its strings count too.
_CSS_SHOWN = frozenset((
    "content", "quotes", "list-style", "list-style-type", "text-overflow", "symbols", "additive-symbols", "prefix",
    "suffix", "negative", "pad",
))  # fmt: skip
#: Functions in such a value that show text this reader cannot see: an attribute's value, a variable.
_CSS_UNSEEN = frozenset(("attr", "var", "env"))
#: Counter styles that write digits or symbols, never letters (any other, lower-alpha or a page's own, may).
_CSS_NUMERIC = frozenset((
    "decimal", "decimal-leading-zero", "none", "disc", "circle", "square", "disclosure-open", "disclosure-closed",
    "arabic-indic",
))  # fmt: skip


def css_shown(css: str) -> tuple[int, str] | None:
    """The first text holding a letter that the style sheet (or style attribute) `css` has a browser show, as
    (its line in `css`, the text as the sheet writes it), or None. Read with tinycss2 (the CSS syntax rules:
    escapes decoded, "\\63 ures" is "cures"; blocks nested to any depth read without recursion)."""
    import tinycss2  # type: ignore[import-untyped]

    stack: list[tuple[list[Any], str | None]] = [(tinycss2.parse_component_value_list(css), None)]
    while stack:
        tokens, inherited = stack.pop()
        prop, name = inherited, None  # the property whose value is read; an identifier that may name one
        for token in tokens:
            kind = token.type
            if kind == "whitespace" or kind == "comment":
                continue
            if kind == "literal" and token.value == ";":
                prop, name = inherited, None
            elif kind == "literal" and token.value == ":" and name is not None and inherited is None:
                prop, name = name, None
            elif kind == "ident":
                name = token.lower_value
            elif kind == "{} block":
                stack.append((token.content, None))
                prop, name = inherited, None
            elif kind in ("() block", "[] block"):
                stack.append((token.content, prop))
            elif prop is not None and (prop in _CSS_SHOWN or prop.startswith("--")):
                if kind == "string" and any(c.isalpha() for c in token.value):
                    return token.source_line, f'"{token.value}"'
                if kind == "function":
                    args = [t for t in token.arguments if t.type == "ident"]
                    counter = token.lower_name in ("counter", "counters") and any(
                        t.lower_value not in _CSS_NUMERIC for t in args[1:]
                    )
                    if token.lower_name in _CSS_UNSEEN or counter:
                        return token.source_line, f"{token.name}(…)"
                    stack.append((token.arguments, prop))
            elif kind == "function":
                stack.append((token.arguments, prop))
            if kind != "ident" and not (kind == "literal" and token.value == ":"):
                name = None
    return None


#: Absolute lengths in CSS pixels (a rem taken as the default 16 pixels).
_CSS_PX = {
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 96 / 25.4,
    "q": 96 / 101.6,
    "rem": 16.0,
}
#: A font size under this many pixels, an opacity or a colour's alpha under this, is read as hiding the text.
_UNREADABLE_PX = 2.0
_UNREADABLE_ALPHA = 0.1


def css_hiding(css: str) -> tuple[bool | None, str]:
    """What a style attribute's declarations do to what a browser shows: (True for `display: none`, False for
    another display, which shows an element the `hidden` attribute hides, None where none is said; the marks it
    gives the element, as `_VisibleText` reads them: `x-v` for visibility, `x-c` for a colour's alpha, `x-f` for
    the font size, "0" hiding its text and what it holds, "1" showing it again; `x-o` for an opacity or
    `content-visibility` that hides it whatever it holds). The last declaration of a property counts (an
    `!important` one over those after it). Read with tinycss2."""
    import tinycss2
    from tinycss2.color3 import parse_color  # type: ignore[import-untyped]

    said: dict[str, tuple[bool, list[Any]]] = {}
    for item in tinycss2.parse_declaration_list(css, skip_comments=True, skip_whitespace=True):
        if item.type != "declaration" or (item.lower_name in said and said[item.lower_name][0] and not item.important):
            continue
        said[item.lower_name] = (item.important, [t for t in item.value if t.type not in ("whitespace", "comment")])
    display: bool | None = None
    marks: list[str] = []
    for name, (_, value) in said.items():
        first = value[0] if len(value) == 1 else None
        ident = first.lower_value if first is not None and first.type == "ident" else ""
        if name == "display" and value:
            display = ident == "none"
        elif name == "visibility" and ident in ("hidden", "collapse", "visible", "initial"):
            marks.append(f'x-v="{int(ident in ("visible", "initial"))}"')
        elif name == "content-visibility" and ident == "hidden":
            marks.append('x-o="0"')
        elif name == "opacity" and first is not None and first.type in ("number", "percentage"):
            if first.value / (100 if first.type == "percentage" else 1) < _UNREADABLE_ALPHA:
                marks.append('x-o="0"')
        elif name == "color" and first is not None:
            color = parse_color(first)
            if color is not None and not isinstance(color, str):
                marks.append(f'x-c="{int(color.alpha >= _UNREADABLE_ALPHA)}"')
        elif name == "font-size" and first is not None:
            if first.type in ("number", "dimension", "percentage") and first.value == 0:
                marks.append('x-f="0"')
            elif first.type == "dimension" and first.lower_unit in _CSS_PX:
                marks.append(f'x-f="{int(first.value * _CSS_PX[first.lower_unit] >= _UNREADABLE_PX)}"')
            elif first.type == "ident" and ident not in ("inherit", "unset", "revert", "revert-layer", "smaller"):
                marks.append('x-f="1"')  # a keyword size (medium, large, ...): shown again
    return display, "".join(" " + mark for mark in marks)


def _refuse_css(name: str, line: int, shown: str, where: str) -> ArticleError:
    from ldn_evidence.text import visible

    shown = visible(shown if len(shown) <= 60 else shown[:60] + "…")
    return ArticleError(
        f"{name}:{line}: the page's {where} has a browser show text ({shown}) that this reader cannot place among "
        "the page's words, so the page is not read; check the text as a browser shows it (copied, or saved as text)"
    )
