"""The parsed-catalogue cache: served only when current, rebuilt when damaged, never shared half-written."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from ldn_evidence import cache, loader
from ldn_evidence.loader import load

from conftest import MINIMAL


@pytest.fixture
def catalogue_file(write_catalogue: Callable[[str], Path]) -> Path:
    return write_catalogue(MINIMAL)


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("parsed the YAML although the cache was current")

    monkeypatch.setattr(loader, "parse_catalogue", refuse)


def test_a_repeat_load_is_served_from_the_cache(catalogue_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    assert entry.read_bytes().startswith(b'{"magic": "ldn-evidence-cache"')
    _no_parsing(monkeypatch)
    again = cache.load_cached(catalogue_file)
    assert again == first
    assert [s.line for s in again.studies] == [s.line for s in first.studies]


def test_the_cached_catalogue_equals_the_parsed_one_for_the_shipped_file(tmp_path: Path) -> None:
    shipped = loader.shipped_catalogue()
    parsed = load(shipped)
    cache.load_cached(shipped)
    served = cache.read_cache(cache.cache_file(shipped), cache.digest(shipped.read_bytes()),
                              parsed.path)  # fmt: skip
    assert served == parsed


def test_a_changed_catalogue_is_never_served_stale(catalogue_file: Path) -> None:
    cache.load_cached(catalogue_file)
    stat = catalogue_file.stat()
    # Same size, same modification time: only the content tells.
    catalogue_file.write_text(MINIMAL.replace("A study", "B study"), encoding="utf-8")
    os.utime(catalogue_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert catalogue_file.stat().st_size == stat.st_size
    assert cache.load_cached(catalogue_file).studies[0].title == "B study"


def test_an_invalid_catalogue_is_not_cached(catalogue_file: Path) -> None:
    catalogue_file.write_text(MINIMAL.replace("n: 10", "n: ten"), encoding="utf-8")
    with pytest.raises(loader.CatalogueInvalid):
        cache.load_cached(catalogue_file)
    assert not cache.cache_file(catalogue_file).exists()


def _damage_cases(blob: bytes) -> dict[str, bytes]:
    head = blob.partition(b"\n")[0]
    wrong_shape = json.dumps({"studies": "x"}).encode()
    header = json.loads(head)
    header.update(payload_crc32=zlib.crc32(wrong_shape), payload_bytes=len(wrong_shape))
    flipped = bytearray(blob)
    flipped[len(head) + 40] ^= 0x01
    return {
        "truncated": blob[: len(blob) // 2],
        "empty": b"",
        "one byte flipped": bytes(flipped),
        "foreign text": b"hello, world\n",
        "binary": bytes(range(256)),
        "header only": head,
        "well-formed but the wrong shape": json.dumps(header).encode() + b"\n" + wrong_shape,
        "another format version": blob.replace(f'"format": {cache.FORMAT}'.encode(), b'"format": 999', 1),
    }


@pytest.mark.parametrize("case", list(_damage_cases(b'{"a": 1}\n{"b": 2}' + b" " * 100)))
def test_a_damaged_cache_is_ignored_and_rebuilt(catalogue_file: Path, case: str) -> None:
    expected = cache.load_cached(catalogue_file)
    entry = cache.cache_file(catalogue_file)
    entry.write_bytes(_damage_cases(entry.read_bytes())[case])
    assert cache.load_cached(catalogue_file) == expected
    assert cache.read_cache(entry, cache.digest(catalogue_file.read_bytes()),
                            str(catalogue_file)) == expected  # rebuilt whole  # fmt: skip


def test_an_unwritable_cache_folder_only_costs_speed(
    catalogue_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache.load_cached(catalogue_file).studies[0].id == "good-study"
    assert blocker.read_text() == "a file where the cache folder would be"


def test_no_cache_writes_nothing(catalogue_file: Path) -> None:
    cache.load_cached(catalogue_file, use_cache=False)
    assert not cache.cache_file(catalogue_file).exists()


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_folder() == tmp_path / "xdg" / "ldn-evidence"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_folder() == tmp_path / "home" / ".cache" / "ldn-evidence"


def _load_titles(path: str) -> list[str]:
    return [s.title for s in cache.load_cached(path).studies]


def test_concurrent_runs_never_see_half_a_cache(write_catalogue: Callable[[str], Path]) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from synthetic import synthetic_text

    path = write_catalogue(synthetic_text(300))
    expected = [s.title for s in load(path).studies]
    with ProcessPoolExecutor(max_workers=6) as pool:
        for _ in range(3):
            cache.cache_file(path).unlink(missing_ok=True)
            results = list(pool.map(_load_titles, [str(path)] * 12))
            assert all(r == expected for r in results)
    leftovers = [p.name for p in cache.cache_folder().iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
