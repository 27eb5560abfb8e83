"""`ldn discrepancies`: where the articles differ from the paper, one row each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from ldn_evidence.render import _t
from ldn_evidence.render.layout import Column, Sheet
from ldn_evidence.text import visible

if TYPE_CHECKING:
    pass


#: The columns of `ldn discrepancies`: the quotes and the page sit under the sentence that says what differs.
DISCREPANCY_COLUMNS = (
    Column("study"),
    Column("kind"),
    Column("doc"),
    Column(
        "what differs, what the article says, what the paper says",
        wrap=True,
        min_width=30,
        name="difference",
        fold_longer_than=30,
    ),
)


def discrepancies_table(records: Sequence[dict[str, Any]], wide: bool = False) -> Sheet:
    """The table of `ldn discrepancies`: one row per discrepancy, both quotes and the page under its sentence."""
    from ldn_evidence.model import PAGE_KINDS

    sheet = Sheet(
        list(DISCREPANCY_COLUMNS),
        caption="doc: the document's number (ldn sources NUMBER); computed: found by comparing values",
        wide=wide,
    )
    for record in records:
        difference = _t(record["explanation"])
        difference.append("\narticle: “", style="dim")
        difference.append(visible(record["article_says"]))
        difference.append("”\npaper: “", style="dim")
        difference.append(visible(record["published_says"]))
        difference.append("”\n")
        difference.append(f"{PAGE_KINDS[record['page_kind']]}: {visible(record['source_url'])}", style="dim")
        difference.append("\n")  # a blank line between discrepancies
        kind = Text(record["kind"])
        if record["computed"]:
            kind.append("\ncomputed", style="dim")
        sheet.add_row(_t(record["study"]), kind, _t(record["seed"].split("_")[0]), difference)
    return sheet
