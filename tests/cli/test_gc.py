"""Loading leaves the caller's garbage collector as it found it."""

from __future__ import annotations

import gc

from ldn_evidence.cache import load_cached

from conftest import SHIPPED


def test_loading_restores_the_collector() -> None:
    assert gc.isenabled()
    load_cached(SHIPPED)
    assert gc.isenabled()
    gc.disable()
    try:
        load_cached(SHIPPED)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert gc.get_freeze_count() == 0
