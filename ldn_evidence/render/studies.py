"""`ldn list`: the table of studies."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from ldn_evidence.formats import (
    LIST_COLUMNS,
    NOT_REPORTED,
    list_row,
)
from ldn_evidence.model import (
    Facts,
    Study,
)
from ldn_evidence.render import DIFFERS_MARK, EFFECT_STYLES, _t
from ldn_evidence.render.layout import Column, Sheet
from ldn_evidence.text import COMMERCIAL_MARK, COMMERCIAL_ONLY, PUBLISHED_MARK

if TYPE_CHECKING:
    pass


#: `ldn list`'s columns: key cells (the effect too) whole; dose may wrap; year goes first when short of room.
STUDY_COLUMNS = {
    "id": Column("id"),
    "year": Column("year", justify="right", drop=1),
    "condition": Column("condition", drop=5),
    "design": Column("design"),
    "level": Column("level", justify="right", drop=4),
    "n": Column("n", justify="right"),
    "duration": Column("duration", drop=3),
    "dose": Column("dose", wrap=True, drop=2),
    "effect": Column("effect"),
}


def studies_table(
    studies: Sequence[Facts],
    marked: Collection[str] = (),
    n_of: Callable[[Study], str | None] | None = None,
    wide: bool = False,
    commercial: Collection[str] = (),
) -> Sheet:
    """The table of `ldn list`; ids in `marked` get a mark (their articles differ from the paper).

    Ids in `commercial` (records resting only on a commercial source) get their own mark.
    """
    legend = ["– not reported"]  # one entry a line, so no entry's mark is parted from its meaning
    if marked:
        legend.append(f"{DIFFERS_MARK} the articles differ from the paper (ldn discrepancies)")
    if any(not s.retold for s in studies):
        legend.append(f"{PUBLISHED_MARK} as published: a study no article retells (ldn show ID)")
    if any(s.id in commercial for s in studies):
        legend.append(f"{COMMERCIAL_MARK} rests {COMMERCIAL_ONLY}")
    caption = "\n".join(legend)
    sheet = Sheet(
        [STUDY_COLUMNS[column] for column in LIST_COLUMNS],
        caption=caption,
        wide=wide,
        hint="--wide, a wider window or --format tsv shows them",
    )
    for study in studies:
        row = list_row(study, n_of)
        cells = []
        for column in LIST_COLUMNS:
            value = row[column]
            if value == NOT_REPORTED:
                cells.append(Text("–", style="dim"))
                continue
            style = EFFECT_STYLES.get(study.effect or "none", "") if column == "effect" else ""
            cell = _t(value, style)
            if column == "id" and study.id in marked:
                cell.append(f" {DIFFERS_MARK}", style="bold")
            if column == "id" and study.id in commercial:
                cell.append(f" {COMMERCIAL_MARK}")
            cells.append(cell)
        sheet.add_row(*cells)
    return sheet
