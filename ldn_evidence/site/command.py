"""The `ldn site` command: read the articles, load, gather, write; errors on stderr with an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ldn_evidence.commands import Run, fail, load_catalogue, say
from ldn_evidence.errors import CatalogueError
from ldn_evidence.formats import plural
from ldn_evidence.paths import escaped

from . import data
from .build import SiteError, build, check_folder


def site(run: Run, folder: Path, articles: Sequence[str], force: bool, data_file: str | None = None) -> None:
    """`ldn site`: refuse a non-empty folder without `force` before reading anything, then write every page.

    `data_file` (the command's own --data) takes the place of the global --data.
    """
    if data_file:
        run = replace(run, data=data_file)
    try:
        check_folder(folder, force)
    except SiteError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read the folder {escaped(str(folder))}: {exc.strerror or exc}")
    texts = []
    for article in articles:
        try:
            texts.append(data.read_article(article))
        except CatalogueError as exc:
            fail(str(exc))
    catalogue = load_catalogue(run)
    try:
        gathered = data.gather(catalogue, data.seeds_of(run.data), texts)
        written = build(gathered, folder, force)
    except (SiteError, CatalogueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the site into {escaped(str(folder))}: {exc.strerror or exc}")
    say(f"wrote {plural(len(written.pages), 'page')} and {plural(len(written.files), 'file')} into "
        f"{escaped(str(folder))}; open {escaped(str(folder / 'index.html'))} in a browser")  # fmt: skip
    say(gathered["not_advice"])
