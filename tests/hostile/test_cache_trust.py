"""A cache file is not queried before it is trusted: nothing in it runs, its reading is bounded, a refused one replaced.

A file at the cache path may be made by anyone who can write there (a copied-in file, a
damaged one, a crafted one). SQLite runs a view's query or a trigger when a statement
touches it, so a ``catalogue`` that is a recursive view would hang every run. The work
is counted in SQLite's own steps (progress-handler calls), never in seconds.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldn_evidence import cache, loader
from ldn_evidence.cache import seal
from ldn_evidence.loader import load

from conftest import MINIMAL

#: A view that never ends: every row of it makes one more.
ENDLESS = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r"
CATALOGUE_COLUMNS = (
    "source_hash", "source_stat", "checked_ns", "seal", "sections", "sections_seal", "entries", "entries_seal",
)  # fmt: skip


@pytest.fixture
def catalogue_file(write_catalogue: Callable[[str], Path]) -> Path:
    return write_catalogue(MINIMAL)


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every progress-handler call of every guarded connection, counted."""
    calls: list[int] = []
    real = cache._Guard._progress

    def counted(self: cache._Guard) -> int:
        calls.append(1)
        return real(self)

    monkeypatch.setattr(cache._Guard, "_progress", counted)
    return calls


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cache files written, in order."""
    written: list[str] = []
    real = cache.write_cache

    def counted(entry: str, *args: object) -> bool:
        written.append(entry)
        return real(entry, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "write_cache", counted)
    return written


def _crafted(entry: Path, *statements: str) -> None:
    """A file at the cache path made by someone without the secret, from these statements."""
    entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if entry.exists():
        entry.unlink()
    connection = sqlite3.connect(entry, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()
    entry.chmod(0o600)


def _endless_view(name: str, columns: tuple[str, ...]) -> str:
    picked = ", ".join(f"x AS {column}" for column in columns)
    return (
        f"CREATE VIEW {name} AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT {picked} FROM r"
    )


def _sealed_then(entry: Path, *statements: str) -> None:
    """Run statements on a genuine, sealed cache file (its seals still hold: no row is changed)."""
    connection = sqlite3.connect(entry, isolation_level=None)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


CRAFTED: dict[str, Callable[[Path], None]] = {
    "catalogue is a recursive view": lambda entry: _crafted(entry, _endless_view("catalogue", CATALOGUE_COLUMNS)),
    "studies is a recursive view beside a real catalogue": lambda entry: _crafted(
        entry, seal._SCHEMA[0], _endless_view("studies", ("position", "id", "line", "record", "seal"))
    ),
    "an extra view beside our tables": lambda entry: _crafted(entry, *seal._SCHEMA, _endless_view("v", ("a",))),
    "a trigger on the catalogue row's update": lambda entry: _sealed_then(
        entry,
        "CREATE TABLE sink(x)",
        f"CREATE TRIGGER t AFTER UPDATE ON catalogue BEGIN INSERT INTO sink {ENDLESS}; END",
    ),
    "a view added to a sealed file": lambda entry: _sealed_then(entry, _endless_view("extra", ("a",))),
    "an index on an expression": lambda entry: _sealed_then(entry, "CREATE INDEX i ON studies(line + 1)"),
    "a hundred thousand catalogue rows": lambda entry: _sealed_then(
        entry,
        "INSERT INTO catalogue SELECT c.* FROM catalogue c, (WITH RECURSIVE r(x) AS "
        "(SELECT 1 UNION ALL SELECT x + 1 FROM r LIMIT 100000) SELECT x FROM r)",
    ),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_crafted_cache_file_is_refused_within_a_bounded_number_of_steps_and_replaced(
    catalogue_file: Path, case: str, steps: list[int], writes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load(catalogue_file)
    cache.load_cached(catalogue_file)  # a genuine, sealed file first, for the cases that change one
    entry = cache.cache_file(catalogue_file)
    os.utime(catalogue_file, ns=(1, 1))  # the stat changed: the run must hash and update the file
    CRAFTED[case](entry)
    steps.clear()
    writes.clear()
    served = cache.load_cached(catalogue_file)
    assert served == expected
    # Refused after reading its schema, or cut off by its budget: never more than the budget.
    assert len(steps) <= cache.BASE_CALLS + entry.stat().st_size // cache.CACHE_BYTES_PER_CALL + 1
    if case != "a hundred thousand catalogue rows":  # its schema is ours, and row 1 is sealed: believed, read by rowid
        assert writes == [str(entry)]  # the refused file was replaced ...
    steps.clear()

    def refuse(*args: object) -> None:
        raise AssertionError("parsed the catalogue file although the cache had been replaced")

    monkeypatch.setattr(loader, "parse_catalogue", refuse)
    assert cache.load_cached(catalogue_file) == expected  # ... by one the next run believes
    assert len(steps) <= 10


def test_a_guarded_connection_refuses_a_view_when_the_statement_is_prepared(tmp_path: Path) -> None:
    entry = tmp_path / "c.sqlite"
    _crafted(entry, _endless_view("catalogue", CATALOGUE_COLUMNS))
    guard = cache._Guard(calls=10**9)
    connection = guard.apply(sqlite3.connect(entry))
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        connection.execute("SELECT source_hash FROM catalogue WHERE rowid = 1")
    assert guard.used == 0  # not one step run
    with pytest.raises(ValueError, match="schema"):
        cache._Guard.open_checked(str(entry))


def test_a_guarded_connection_stops_after_its_budget_of_steps(tmp_path: Path) -> None:
    entry = tmp_path / "c.sqlite"
    _crafted(entry, *seal._SCHEMA)
    with sqlite3.connect(entry) as filling:
        filling.executemany("INSERT INTO studies VALUES (?, ?, 1, x'', x'', '')", [(i, f"s{i}") for i in range(2000)])
    guard = cache._Guard(calls=50)
    connection = guard.apply(sqlite3.connect(entry))
    # Allowed tables, but eight billion rows: the handler ends it after its 50 calls.
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        connection.execute("SELECT a.id FROM studies a, studies b, studies c").fetchall()
    assert guard.used == 51


@pytest.mark.parametrize(
    "statement",
    ["SELECT count(*) FROM studies", "ATTACH ':memory:' AS other", "SELECT load_extension('x')",
     "PRAGMA writable_schema = ON", "DELETE FROM studies", "SELECT 1 FROM temp.sqlite_master"],
)  # fmt: skip
def test_a_guarded_connection_may_only_read_our_tables(tmp_path: Path, statement: str) -> None:
    entry = tmp_path / "c.sqlite"
    _crafted(entry, *seal._SCHEMA)
    connection, _ = cache._Guard.open_checked(str(entry))
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute(statement).fetchall()


def test_reading_a_whole_large_cache_costs_a_small_part_of_its_budget(big_catalogue: Path, steps: list[int]) -> None:
    count = len(cache.load_cached(big_catalogue).studies)
    steps.clear()
    served = cache.load_cached(big_catalogue)
    assert len(served.entries or ()) == count
    assert len(list(served.studies)) == count
    size = cache.cache_file(big_catalogue).stat().st_size
    allowance = cache.BASE_CALLS + size // cache.CACHE_BYTES_PER_CALL
    assert 0 < len(steps) * 10 <= allowance, (len(steps), allowance)


def test_a_study_found_by_an_index_that_leads_elsewhere_is_not_served(
    write_catalogue: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_evidence import catalogue as queries

    from conftest import catalogue_text, study_yaml

    path = write_catalogue(catalogue_text(study_yaml("first-study"), study_yaml("second-study")))
    expected = load(path)
    cache.load_cached(path)
    entry = cache.cache_file(path)
    # The index is not sealed: make every lookup by id land on the other study's (sealed) row.
    real = cache._Reader.position_of

    def misled(self: cache._Reader, ident: str) -> int | None:
        real_execute = self.connection.execute

        class Lying:
            def execute(self, sql: str, parameters: tuple[object, ...] = ()) -> object:
                if sql.startswith("SELECT position FROM studies WHERE id"):
                    return real_execute("SELECT 1 - position FROM studies WHERE id = ?", parameters)
                return real_execute(sql, parameters)

        self.connection = Lying()  # type: ignore[assignment]
        try:
            return real(self, ident)
        finally:
            self.connection = real_execute.__self__  # type: ignore[attr-defined]

    monkeypatch.setattr(cache._Reader, "position_of", misled)
    served = cache.load_cached(path)
    assert queries.find(served, "second-study") == expected.studies[1]
    assert entry.exists()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), max_size=8))
def test_a_cache_file_with_any_bytes_changed_answers_as_the_catalogue_file(
    catalogue_file: Path, flips: list[tuple[int, int]], steps: list[int]
) -> None:
    expected = load(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    cache.load_cached(catalogue_file)
    blob = bytearray(entry.read_bytes())
    for at, mask in flips:
        blob[at % len(blob)] ^= mask
    entry.write_bytes(bytes(blob))
    steps.clear()
    served = cache.load_cached(catalogue_file)
    assert served == expected
    assert list(served.studies) == list(expected.studies)
    assert len(steps) <= 2 * (cache.BASE_CALLS + len(blob) // cache.CACHE_BYTES_PER_CALL + 1)


@pytest.mark.parametrize("base", ["//{tmp}", "///{tmp}/", "//{tmp}/./x/.."])
def test_a_cache_home_with_extra_slashes_is_reused(
    catalogue_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: list[str], base: str
) -> None:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", base.format(tmp=str(home).lstrip("/")))
    first = cache.load_cached(catalogue_file)
    assert len(writes) == 1 and writes[0].startswith(str(home) + "/")
    assert cache.load_cached(catalogue_file) == first
    assert cache.load_cached(catalogue_file) == first
    assert len(writes) == 1  # written once, then served


@pytest.mark.parametrize("case", ["far larger than its catalogue", "write-ahead logging", "not SQLite"])
def test_a_file_refused_by_its_raw_bytes_is_never_opened_and_is_replaced(
    catalogue_file: Path, case: str, writes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load(catalogue_file)
    cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    if case == "far larger than its catalogue":
        with entry.open("ab") as handle:
            handle.truncate(cache.MAX_RATIO * catalogue_file.stat().st_size + cache.SPARE_BYTES + 1)
    elif case == "write-ahead logging":
        with sqlite3.connect(entry) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
    else:
        entry.write_bytes(b"SQLite format 2\x00" + bytes(4096))
    opened: list[str] = []
    real = cache._Guard.open_checked.__func__  # type: ignore[attr-defined]

    def counted(cls: type[cache._Guard], path: str, read_only: bool = True) -> object:
        opened.append(path)
        return real(cls, path, read_only)

    monkeypatch.setattr(cache._Guard, "open_checked", classmethod(counted))
    writes.clear()
    assert cache.load_cached(catalogue_file) == expected
    assert opened == [] and writes == [str(entry)]
    assert cache.load_cached(catalogue_file) == expected
    assert set(opened) == {str(entry)} and writes == [str(entry)]  # the replacement is opened, and believed
