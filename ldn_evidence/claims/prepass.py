"""A linear pass before the HTML parser: open elements modelled as browsers nest them, refused past MAX_DEPTH."""

from __future__ import annotations

import re

from ldn_evidence.claims.css import _refuse_css, css_hiding, css_shown
from ldn_evidence.claims.result import ArticleError, counted

#: Elements shown only when open: a dialog (none of it) and a details element (all but its summary) when closed.
_OPENS = frozenset(("dialog", "details"))
_RTL = re.compile(r"""\bdir\s*=\s*["']?\s*rtl\b""", re.IGNORECASE)
_RIGHT_TO_LEFT = "\u202e"
_POP_OVERRIDE = "\u202c"

# --- a linear pass before the parser ------------------------------------------------------------------

#: Open elements nest at most this deep in an article's page, which is refused past it. Pages nest a few dozen
#: deep (Chromium's parser stops nesting at 512); lexbor's work for each tag grows with the depth (a check
#: "in scope" reads the open elements), so the depth allowed is the constant of its linear bound.
MAX_DEPTH = 256
#: Options one <select> may hold. lexbor's work for each option grows with the options before it in its select
#: (measured: 10,000 options 0.43 s, 20,000 1.7 s, explicitly closed or not), so their number is the constant
#: of its bound: 1,024 a select cost about 4 ms, and a page of 2 MB of them stays linear.
MAX_OPTIONS = 1024


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Void elements (not <keygen>, which lexbor, as browsers now do, reads as an element holding what follows).
_VOID = _words("area base basefont bgsound br col embed frame hr image img input link meta param source track wbr")
_FORMATTING = _words("a b big code em font i nobr s small strike strong tt u")
#: Starting one of these closes an open <p> ("has a p element in button scope").
_CLOSES_P = _words(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form header "
    "hgroup hr main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing xmp plaintext dd dt li"
)
_HEADINGS = _words("h1 h2 h3 h4 h5 h6")
#: Where a search for an open element "in scope" stops (and, in foreign content, these). And <select>: lexbor
#: reads a select's content as browsers now do, where a <p> or <button> in it closes none outside it.
_SCOPE = _words("applet caption html table td th marquee object template select")
_FOREIGN_SCOPE = _words("mi mo mn ms mtext annotation-xml foreignobject desc title")
_TABLE_SCOPE = _words("html table template")
_SPECIAL = _words(
    "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup "
    "dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head "
    "header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes "
    "noscript object ol p param plaintext pre script search section select source style summary table tbody td "
    "template textarea tfoot th thead title tr track ul wbr xmp"
)
#: Elements that put a marker among the open formatting elements.
_MARKERS = _words("td th caption marquee object applet template")
#: An HTML start tag inside <svg> or <math> that ends the foreign content (the WHATWG list, less <font>, whose
#: attributes this pass removes).
_BREAKOUT = _words(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu "
    "meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var"
)
#: Foreign elements whose content is read as HTML.
_SVG_INTEGRATION = _words("foreignobject desc title")
_MATH_INTEGRATION = _words("mi mo mn ms mtext")
#: Elements whose content is text up to their end tag (lexbor parses with scripting off: <noscript> is markup).
_RAW = _words("script style xmp iframe noembed noframes textarea title")
_RAW_NAMES = _RAW | {"plaintext"}
_RENAMED = _RAW_NAMES - {"title"}
_TABLE_PARTS = _words("td th tr tbody thead tfoot caption colgroup col")
#: The current elements of the parser's "in table", "in table body", "in row" and "in column group" modes, where
#: a <table> start tag ends the open table.
_TABLE_CONTEXT = _words("table tbody thead tfoot tr colgroup")
#: Elements whose end tag may be left out, closed by "generate implied end tags".
_IMPLIED_END = _words("dd dt li optgroup option p rb rp rt rtc")

_SIMPLE_TAG = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)>")
_NAME = re.compile(r"[^\t\n\f\r />]*")
_ATTRIBUTE = re.compile(
    r"""[^\t\n\f\r />][^\t\n\f\r />=]*[\t\n\f\r ]*(?:=[\t\n\f\r ]*(?:"[^"]*"?|'[^']*'?|[^\t\n\f\r >]*))?"""
)
_BETWEEN = re.compile(r"[\t\n\f\r /]*")
_NAME_OF = re.compile(r"[^\t\n\f\r />=]*")
_ATTRIBUTE_VALUE = re.compile(r"""[^=]*=[\t\n\f\r ]*(?:"([^"]*)"?|'([^']*)'?|([^\t\n\f\r >]*))""")
#: What a browser shows of an element's attributes, by element: kept by the pass (the rest are left out).
#: What decides whether an element is shown, kept (as its name alone) on every element: `hidden`, and `open` (on a
#: dialog or a details element). An element's `style` is read for what it hides (`css_hiding`).
_KEPT_BY_ALL = ("hidden", "open")
_KEPT = {
    name: (*kept, *_KEPT_BY_ALL)
    for name, kept in (
        ("img", ("alt",)),
        ("input", ("type", "value", "placeholder", "alt")),
        ("textarea", ("placeholder",)),
    )
}
#: Tags in a <style> in SVG (markup there: its text is what the sheet holds).
_TAGS_IN_STYLE = re.compile(r"<[^<>]*>")
#: A numeric character reference with more digits than any code point has (which the parser reads as U+FFFD).
_LONG_REFERENCE = re.compile(r"&#(?:[xX]0*[0-9a-fA-F]{9,}|0*[0-9]{9,});?")


def _character_references(value: str) -> str:
    """An attribute's value as the parser reads it: character references decoded (those too long for a code
    point first made U+FFFD, as the parser does, so that none is read as a number of thousands of digits)."""
    import html

    return html.unescape(_LONG_REFERENCE.sub("\ufffd", value))


_COMMENT_END = re.compile(r"--!?>")


class _Element:
    __slots__ = ("foreign", "html", "li", "math", "name", "open", "p", "scope", "special", "table")

    def __init__(self, name: str, foreign: bool, math: bool = False) -> None:
        self.math = math  # in MathML (not SVG), when foreign
        self.name = name
        self.foreign = foreign
        self.open = True
        # For each open element, the nearest at or below it (index in the stack, -1 for none) of: a <p> in
        # button scope, a scope boundary, a table-scope boundary, a special element, a special element that is
        # not address, div or p, an HTML element. Each question the tree builder asks is then one look-up.
        self.p = self.scope = self.table = self.special = self.li = self.html = -1


class _Prepass:
    """One linear pass over a page before lexbor parses it, by the tokenizer's rules (tags and attributes,
    comments, raw text, script escapes, CDATA) with a model of the tree builder's stack of open elements.

    Every tag is written again without its attributes but the few a browser shows as text (`_KEPT`, the first of
    each name: a tag with 100,000 distinct attributes made lexbor's duplicate check quadratic), keeping its line
    breaks so lines stay
    where they were; a page whose elements would nest more than MAX_DEPTH deep is refused with its line
    (lexbor's scope checks scan the stack of open elements: 50,000 nested <div> took 4 s). The model pops
    only where the parser pops (closing a <p>, <li>, cell or row; end tags in scope; foreign content left; the
    end tags the parser implies: options in a select, a second select or form, ruby parts, a table in a table),
    so it may count deeper than the tree lexbor builds, not shallower: tested against lexbor's own tree on
    generated mixes of tags (tests/claims/test_claims_bounds.py). Each tag costs a bounded number of steps.
    """

    def __init__(self, name: str, html: str, first_line: int = 1) -> None:
        self.name = name
        self.html = html
        self.first_line = first_line  # the line of the article the page (a Markdown block of HTML) starts on
        self.out: list[str] = []
        self.stack: list[_Element] = []
        self.at_name: dict[tuple[str, bool], list[int]] = {}
        self.formatting: list[_Element | None] = []  # None is a marker
        self.options = 0  # options and option groups read since the last <select> opened (see MAX_OPTIONS)
        self.frameset = False  # a <frameset> was opened: the parser may ignore all but framesets from here
        self.form = False  # the parser's form element pointer is set: a <form> is ignored (outside <template>)
        self.svg_styled = 0  # how far <style> elements in SVG have been read

    # --- the model of the tree builder ---

    def _push(self, name: str, foreign: bool, at: int, math: bool = False) -> _Element:
        element = _Element(name, foreign, math)
        index = len(self.stack)
        below = self.stack[-1] if self.stack else None
        html_scope = (name in _SCOPE and not foreign) or (foreign and name in _FOREIGN_SCOPE)
        special = (name in _SPECIAL and not foreign) or (foreign and name in _FOREIGN_SCOPE)
        element.scope = index if html_scope else below.scope if below else -1
        element.p = (
            index if name == "p" and not foreign
            else -1 if html_scope or name == "button" else below.p if below else -1
        )  # fmt: skip
        element.table = index if name in _TABLE_SCOPE and not foreign else below.table if below else -1
        element.special = index if special else below.special if below else -1
        element.li = index if special and name not in ("address", "div", "p") else below.li if below else -1
        element.html = index if not foreign else below.html if below else -1
        self.stack.append(element)
        self.at_name.setdefault((name, foreign), []).append(index)
        if len(self.stack) > MAX_DEPTH:
            line = self.html.count("\n", 0, at) + self.first_line
            raise ArticleError(
                f"{self.name}:{line}: elements nested more than {MAX_DEPTH} deep; an article's page nests a few "
                "dozen deep, so this one is not read"
            )
        return element

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            element = self.stack.pop()
            element.open = False
            self.at_name[(element.name, element.foreign)].pop()
            if element.name in _MARKERS and not element.foreign:
                self._clear_markers()

    def _nearest(self, names: tuple[str, ...], foreign: bool = False) -> int:
        """Where the nearest open element of one of `names` is in the stack (-1 for none): one look-up a name."""
        nearest = -1
        for name in names:
            places = self.at_name.get((name, foreign))
            if places and places[-1] > nearest:
                nearest = places[-1]
        return nearest

    def _clear_markers(self) -> None:
        while self.formatting:
            if self.formatting.pop() is None:
                break

    def _in_foreign(self) -> bool:
        """True where a start tag makes an SVG or MathML element (foreign content, not an integration point)."""
        if not self.stack or not self.stack[-1].foreign:
            return False
        top = self.stack[-1]
        return top.name not in (_MATH_INTEGRATION if top.math else _SVG_INTEGRATION)

    def _reconstruct(self, at: int) -> None:
        """Open again the formatting elements another element's end closed (the parser does, on text and tags)."""
        entries = self.formatting
        start = len(entries)
        while start > 0 and (entry := entries[start - 1]) is not None and not entry.open:
            start -= 1
        for k in range(start, len(entries)):
            old = entries[k]
            if old is not None:
                entries[k] = self._push(old.name, False, at)

    def _close_p(self) -> None:
        if self.stack and self.stack[-1].p >= 0:
            self._pop_to(self.stack[-1].p)

    def _start(self, name: str, closed: bool, at: int) -> None:
        if self.frameset:
            # In a frameset the parser ignores every other tag, or (if it ignored the frameset) reads them as
            # ever: the model opens what they open and closes nothing, so it counts at least as deep either way.
            if name not in _VOID and not (closed and self._in_foreign()):
                self._push(name, self._in_foreign(), at, bool(self.stack) and self.stack[-1].math)
            return
        if name in ("html", "body", "head") and not self._in_foreign():
            return  # the parser's own <html> and <body> (and a stray <head>) open nothing more
        if self._in_foreign():
            if name not in _BREAKOUT:
                if not closed:
                    self._push(name, True, at, self.stack[-1].math)
                return
            while self._in_foreign():
                self._pop_to(len(self.stack) - 1)
        # What the start tag closes first, then (as the parser does) a <p>, or the formatting elements reopened.
        if name in ("a", "nobr"):
            self._end_formatting(name)  # a second <a> ends the first one (the adoption agency)
        if name == "button":
            found = self._nearest(("button",))
            if found >= 0 and found >= self.stack[-1].scope:
                self._pop_to(found)
        if name in ("li", "dd", "dt"):
            found = self._nearest(("li",) if name == "li" else ("dd", "dt"))
            if found >= 0 and found >= self.stack[-1].li:
                self._pop_to(found)
        if name == "form" and not self._template():
            if self.form:
                return  # the parser's form element pointer is set: the tag is ignored
            self.form = True
        if name in ("select", "input"):  # (lexbor, as browsers now do, leaves a <textarea> or <keygen> inside)
            select = self._in_scope("select")
            if select >= 0:
                self._pop_to(select)  # ends the open select (a second <select> is ignored)
                if name == "select":
                    return
        if name == "select":
            self.options = 0
        if name in ("option", "optgroup") and self._nearest(("select",)) >= 0:
            self.options += 1
            if self.options > MAX_OPTIONS:
                line = self.html.count("\n", 0, at) + self.first_line
                raise ArticleError(
                    f"{self.name}:{line}: a list of choices (<select>) with more than {MAX_OPTIONS} options; an "
                    "article's page has a few, so this one is not read"
                )
        if name in ("option", "optgroup"):
            if self._in_scope("select") >= 0:
                self._implied_ends("optgroup" if name == "option" else "")
            elif self.stack and self.stack[-1].name == "option":
                self._pop_to(len(self.stack) - 1)
        if name in ("rb", "rtc", "rp", "rt") and self._in_scope("ruby") >= 0:
            self._implied_ends("rtc" if name in ("rp", "rt") else "")
        if name == "table" and self.stack and self.stack[-1].name in _TABLE_CONTEXT and not self.stack[-1].foreign:
            table = self._in_table_scope(("table",))
            if table >= 0:
                self._pop_to(table)  # in a table (not in a cell or a caption) <table> ends the open one
        if name in _TABLE_PARTS:
            table = self.stack[-1].table if self.stack else -1
            if table < 0 or self.stack[table].name == "html":
                return  # outside a table (or a template) the parser ignores a table part
            if self.stack[table].name == "table":
                self._table_part(name, at)
        if name in _CLOSES_P:
            self._close_p()
            top = self.stack[-1] if self.stack else None
            if name in _HEADINGS and top is not None and top.name in _HEADINGS and not top.foreign:
                self._pop_to(len(self.stack) - 1)
        else:
            self._reconstruct(at)
        if name in _VOID or (closed and name in ("svg", "math")):
            return
        element = self._push(name, name in ("svg", "math"), at, name == "math")
        self.frameset = self.frameset or name == "frameset"
        if name in _FORMATTING:
            entries = self.formatting
            alike = []
            for k in range(len(entries) - 1, -1, -1):
                entry = entries[k]
                if entry is None:
                    break
                if entry.name == name:
                    alike.append(k)
            if len(alike) >= 3:  # the parser's "Noah's Ark": three alike at most (alike: no attributes are left)
                del entries[alike[-1]]
            entries.append(element)
        elif name in _MARKERS:
            self.formatting.append(None)

    def _in_scope(self, name: str) -> int:
        """Where the nearest open HTML element `name` is, if it is "in scope" (no boundary above it); else -1."""
        found = self._nearest((name,))
        return found if found >= 0 and found >= self.stack[-1].scope else -1

    def _template(self) -> bool:
        return self._nearest(("template",)) >= 0

    def _implied_ends(self, keep: str) -> None:
        """The parser's "generate implied end tags" (except for `keep`): the current element closed while it is
        one whose end tag may be left out (dd, dt, li, optgroup, option, p, rb, rp, rt, rtc)."""
        while self.stack and not self.stack[-1].foreign and self.stack[-1].name in _IMPLIED_END:
            if self.stack[-1].name == keep:
                return
            self._pop_to(len(self.stack) - 1)

    def _in_table_scope(self, names: tuple[str, ...]) -> int:
        found = self._nearest(names)
        return found if found >= 0 and self.stack and found >= self.stack[-1].table else -1

    def _table_part(self, name: str, at: int) -> None:
        """A table part: close the open cell or row it ends, and open the row or body it implies."""
        caption = self._in_table_scope(("caption",))
        if caption >= 0:
            self._pop_to(caption)  # a table part ends an open caption
        cell = self._in_table_scope(("td", "th"))
        if cell >= 0:
            self._pop_to(cell)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.name == "colgroup" and not top.foreign and name != "col":
            self._pop_to(len(self.stack) - 1)  # ... and an open column group
        if name != "td" and name != "th":
            row = self._in_table_scope(("tr",))
            if row >= 0:
                self._pop_to(row)
        if name not in ("td", "th", "tr"):
            body = self._in_table_scope(("tbody", "thead", "tfoot"))
            if body >= 0:
                self._pop_to(body)
        top = self.stack[-1] if self.stack else None
        if name == "col" and (top is None or top.name != "colgroup" or top.foreign):
            self._push("colgroup", False, at)  # the column group a <col> implies
        # The body and row a cell implies, unless open since the table (what was opened since is not closed:
        # the model may count deeper, not shallower).
        table = self.stack[-1].table
        if name in ("td", "th", "tr") and self._nearest(("tbody", "thead", "tfoot")) < table:
            self._push("tbody", False, at)
        if name in ("td", "th") and self._nearest(("tr",)) < table:
            self._push("tr", False, at)

    def _end(self, name: str, at: int) -> None:
        if not self.stack:
            return
        top = self.stack[-1]
        if self.frameset:
            if name == "frameset" and top.name == "frameset" and not top.foreign:
                self._pop_to(len(self.stack) - 1)
            return
        if name == "form":
            # </form> takes the form out of the stack wherever it is and leaves what is above it open: the
            # model closes it only when it is the current element. Outside <template> it unsets the pointer.
            if not self._template():
                self.form = False
            if top.name == "form" and not top.foreign:
                self._pop_to(len(self.stack) - 1)
            return
        if name in ("p", "br") and self._in_foreign():
            while self._in_foreign():  # </p> and </br> end foreign content, as start tags of HTML do
                self._pop_to(len(self.stack) - 1)
            top = self.stack[-1] if self.stack else top
        if top.foreign:
            found = self._nearest((name,), foreign=True)
            if found > top.html:
                self._pop_to(found)
                return
        if name == "br":
            self._start("br", False, at)
        elif name == "p":
            self._close_p()
        elif name in ("body", "html"):
            return
        elif name in _FORMATTING:
            self._end_formatting(name)
        elif name in _SPECIAL:
            found = self._nearest((name,))
            # </li> looks in "list item scope", where a list (<ol>, <ul>) is a boundary too.
            bound = max(top.scope, self._nearest(("ol", "ul"))) if name == "li" else top.scope
            if found >= 0 and found >= bound:
                self._pop_to(found)
        else:
            found = self._nearest((name,))
            if found >= 0 and found >= top.special:
                self._pop_to(found)

    def _end_formatting(self, name: str) -> None:
        entries = self.formatting
        for k in range(len(entries) - 1, -1, -1):
            entry = entries[k]
            if entry is None:
                break
            if entry.name != name:
                continue
            if not entry.open:
                del entries[k]
                return
            index = self._nearest((name,))
            if self.stack[-1].special > index:
                return  # the adoption agency moves elements: the stack is no shorter after it
            del entries[k]
            self._pop_to(index)
            return
        found = self._nearest((name,))
        if found >= 0 and found >= self.stack[-1].special:
            self._pop_to(found)

    # --- the tokenizer ---

    def _copy(self, start: int, end: int) -> None:
        if end > start:
            self.out.append(self.html[start:end])

    def _unseen(self, start: int, end: int) -> None:
        """A comment (or what the parser reads as one): left out, its line breaks kept."""
        self.out.append("\n" * self.html.count("\n", start, end))

    def _escaped(self, start: int, end: int) -> None:
        """Raw text (a script, a style, a title, CDATA): copied with a zero-width space after each "<", so that
        lexbor reads no tag in it whatever it makes of the element around it ("<" then anything but a letter,
        "/", "!" or "?" is text in every state), and the text shown is the same (the space is removed before
        matching, as every invisible character is)."""
        if end > start:
            self.out.append(self.html[start:end].replace("<", "<\u200b"))

    def _text(self, start: int, end: int) -> None:
        """Text: copied, and the formatting elements an end closed opened again, as the parser does."""
        if end > start:
            self.out.append(self.html[start:end])
            if not self._in_foreign():
                self._reconstruct(start)

    def _tag(self, at: int, end: bool) -> tuple[int, str | None]:
        """Read the tag at html[at] ('<' or '</' then a letter) and write it without attributes: where the page
        goes on (its length, for a tag the page ends inside, which the parser drops) and, for a start tag that
        opens raw text (<script>, <style>, <textarea>...), its name."""
        html = self.html
        start = at + (2 if end else 1)
        name_end = _NAME.match(html, start).end()  # type: ignore[union-attr]
        position = name_end
        lower = html[start:name_end].lower()
        keeps = _KEPT.get(lower, _KEPT_BY_ALL) if not end else ()
        kept: dict[str, str] = {}
        display: bool | None = None
        marks = ""
        while True:
            skip = _BETWEEN.match(html, position).end()  # type: ignore[union-attr]
            if skip >= len(html):
                return len(html), None
            if html[skip] == ">":
                break
            position = _ATTRIBUTE.match(html, skip).end()  # type: ignore[union-attr]
            attribute = _NAME_OF.match(html, skip, position).group().lower()  # type: ignore[union-attr]
            if attribute == "style" and not end and "style" not in kept:  # the first counts, as in the parser
                kept["style"] = ""
                display, marks = self._style(html[skip:position], skip, "style attribute")
            elif attribute in keeps and attribute not in kept:  # the first of a name counts, as in the parser
                kept[attribute] = html[skip:position] if attribute not in _KEPT_BY_ALL else attribute
        kept.pop("style", None)
        # An element hidden (the `hidden` attribute, unless its style gives it another display) is marked so.
        hidden = display or (display is None and kept.pop("hidden", None) is not None)
        kept.pop("hidden", None)
        if hidden:
            kept["hidden"] = "hidden"
        if "open" in kept and lower not in _OPENS:
            del kept["open"]
        closed = skip > position and html[skip - 1] == "/"
        name = html[start:name_end]
        if lower.startswith("x-"):
            # An author's own custom element, kept apart from the names this pass gives (`x-script` below): a
            # browser shows <x-script> as any inline element.
            name = "x-" + name
        # What a browser shows of an element's attributes (an image's alternative text, an input's value) is
        # kept, one of each name; the tag's other line breaks are kept as they were.
        shown = "".join(" " + text for text in kept.values())
        breaks = "\n" * (html.count("\n", name_end, skip) - shown.count("\n"))
        if end:
            if lower in _RENAMED and self.stack and self.stack[-1].foreign:
                name = "x-" + name  # as its start tag was written (below)
            # The end of a <bdo>'s override (see below).
            self.out.append(f"{_POP_OVERRIDE if lower == 'bdo' else ''}</{name}{breaks}>")
            self._end(lower, at)
            return skip + 1, None
        self._start(lower, closed, at)
        top = self.stack[-1] if self.stack else None
        opened = top is not None and top.name == lower
        if lower in _RENAMED and opened and top is not None and top.foreign:
            # <style> or <script> in <svg> holds markup: named so that lexbor, too, reads no raw text there
            # (<title> in <svg> keeps its name: it is where HTML is read again).
            name = "x-" + name
        self.out.append(f"<{name}{breaks}{shown}{marks}{' /' if closed else ''}>")
        if lower == "style" and opened and top is not None and top.foreign:
            self._svg_style(skip + 1)
        if lower == "bdo" and not closed and _RTL.search(html, name_end, skip):
            # <bdo dir=rtl> shows its letters right to left, as a right-to-left override does: written as one
            # (the attribute itself is left out), which matching reads in the order shown (`visual_order`).
            self.out.append(_RIGHT_TO_LEFT)
        raw = lower in _RAW_NAMES and opened and top is not None and not top.foreign
        return skip + 1, lower if raw else None

    def _style(self, css: str, at: int, where: str) -> tuple[bool | None, str]:
        """Refuse (ArticleError, with its line) a style sheet or style attribute that has a browser show text with
        letters (see `css_shown`); for a style attribute, what it hides (`css_hiding`). Two steps a character."""
        if where == "style attribute":
            value = _ATTRIBUTE_VALUE.match(css)
            css = _character_references(next((g for g in value.groups() if g is not None), "") if value else "")
        counted(len(css), 2 if where == "style attribute" else 1)
        found = css_shown(css)
        if found is not None:
            line = self.html.count("\n", 0, at) + found[0] + self.first_line - 1
            raise _refuse_css(self.name, line, found[1], where)
        return css_hiding(css) if where == "style attribute" else (None, "")

    def _svg_style(self, at: int) -> None:
        """A <style> in SVG styles the whole page as one in HTML does: its text up to </style> read by `_style`
        (each stretch of the page once, however many such tags it holds)."""
        if at < self.svg_styled:
            return
        found = re.compile(r"</style(?=[\t\n\f\r />])", re.I).search(self.html, at)
        end = len(self.html) if found is None else found.start()
        self.svg_styled = end
        self._style(_TAGS_IN_STYLE.sub("", self.html[at:end]), at, "style sheet")

    def _raw_end(self, name: str, at: int) -> int:
        """Where the raw text from html[at] ends: at its end tag's '<', or at the page's end."""
        if name == "plaintext":
            return len(self.html)
        if name == "script":
            return self._script_end(at)
        found = re.compile(rf"</{name}(?=[\t\n\f\r />])", re.I).search(self.html, at)
        return len(self.html) if found is None else found.start()

    def _script_end(self, at: int) -> int:
        """Where a script ends, by the tokenizer's script states: "<!--" escapes, "<script" inside an escape
        escapes twice (a "</script>" there does not end it), "-->" ends both."""
        html = self.html
        state, position = "data", at
        while True:
            found = _SCRIPT[state].search(html, position)
            if found is None:
                return len(html)
            token = found.group().lower()
            if token == "<!--":
                dashes = _DASHES.match(html, found.end())  # "<!-->" and "<!--->" end where they begin
                state, position = ("data", dashes.end()) if dashes else ("escaped", found.end())
            elif token == "-->":
                state, position = "data", found.end()
            elif token == "</script":
                if state != "double":
                    return found.start()
                state, position = "escaped", found.end()
            else:  # "<script" in an escape
                state, position = "double", found.end()

    def _comment_end(self, at: int) -> int:
        """Where the comment "<!--" at html[at] ends (after "-->" or "--!>"; "<!-->" and "<!--->" end at once)."""
        html, start = self.html, at + 4
        if html.startswith(">", start):
            return start + 1
        if html.startswith("->", start):
            return start + 2
        found = _COMMENT_END.search(html, start)
        return len(html) if found is None else found.end()

    def _bogus_end(self, at: int) -> int:
        """Where a bogus comment, a doctype or a "<?...>" ends: at the next ">"."""
        found = self.html.find(">", at)
        return len(self.html) if found < 0 else found + 1

    def run(self) -> str:
        """The page as lexbor is to read it: every tag without attributes; ArticleError past MAX_DEPTH."""
        html = self.html
        length, at = len(html), 0
        while at < length:
            found = html.find("<", at)
            if found < 0:
                self._text(at, length)
                break
            if found > at:
                self._text(at, found)
            simple = _SIMPLE_TAG.match(html, found)
            if simple is not None and not (simple.group(2).lower() in _RAW_NAMES or self._in_foreign()):
                # A tag with no attribute outside foreign content (most tags of a hostile run): as it is.
                if simple.group(1) and simple.group(2).lower() == "bdo":
                    self.out.append(_POP_OVERRIDE)  # the end of a <bdo dir=rtl>'s override (see `_tag`)
                if simple.group(2)[:2].lower() == "x-":  # an author's custom element, named apart (see `_tag`)
                    self.out.append(f"<{simple.group(1)}x-{simple.group(2)}>")
                else:
                    self.out.append(simple.group())
                if simple.group(1):
                    self._end(simple.group(2).lower(), found)
                else:
                    self._start(simple.group(2).lower(), False, found)
                at = simple.end()
                continue
            after = html[found + 1 : found + 3]
            first = after[:1]
            if first.isascii() and first.isalpha():
                at, raw = self._tag(found, end=False)
                if raw is not None:
                    end = self._raw_end(raw, at)
                    if raw == "style":
                        self._style(html[at:end], at, "style sheet")
                    self._escaped(at, end)
                    at = end
            elif after[:1] == "/" and after[1:].isascii() and after[1:].isalpha():
                at, _ = self._tag(found, end=True)
            elif after == "/>":
                at = found + 3  # "</>" is dropped
            elif after[:1] == "/" and after[1:]:
                at = self._bogus_end(found)
                self._unseen(found, at)
            elif html.startswith("<!--", found):
                at = self._comment_end(found)
                self._unseen(found, at)
            elif html.startswith("<![CDATA[", found) and self.stack and self.stack[-1].foreign:
                close = html.find("]]>", found + 9)
                at = length if close < 0 else close + 3
                self._escaped(found + 9, at - 3 if close >= 0 else at)
            elif first in ("!", "?"):
                at = self._bogus_end(found)
                if html[found : found + 9].lower() == "<!doctype":  # kept (it decides quirks mode), tags out
                    self.out.append("<" + html[found + 1 : at].replace("<", " ").rstrip(">") + ">")
                else:
                    self._unseen(found, at)
            else:  # a "<" that starts nothing (or "</" at the end) is text, kept so by what follows it
                self.out.append("<\u200b")
                if not self._in_foreign():
                    self._reconstruct(found)
                at = found + 1
        return "".join(self.out)


_SCRIPT = {
    "data": re.compile(r"<!--|</script(?=[\t\n\f\r />])", re.I),
    "escaped": re.compile(r"-->|</script(?=[\t\n\f\r />])|<script(?=[\t\n\f\r />])", re.I),
    "double": re.compile(r"-->|</script(?=[\t\n\f\r />])", re.I),
}
_DASHES = re.compile(r"-*>")
