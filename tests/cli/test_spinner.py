"""The load spinner's timer and its exit never overlap: a timer that fires late starts nothing."""

from __future__ import annotations

import io
import threading

import pytest

from ldn_evidence import commands


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_timer_that_fires_after_the_exit_never_starts_the_spinner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands.sys, "stderr", _Terminal())
    spinner = commands._Spinner("reading the catalogue", delay=3600)
    with spinner:
        assert isinstance(spinner.timer, threading.Timer)
    # The timer's wait can end just as the work does, after cancel() can stop it:
    # its function then runs once the exit is over. Run that very function now.
    spinner.timer.function(*spinner.timer.args, **spinner.timer.kwargs)
    try:
        assert spinner.stopped and spinner.status is None
    finally:
        if spinner.status is not None:
            spinner.status.stop()


def test_a_timer_that_fires_during_the_work_is_stopped_by_the_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands.sys, "stderr", _Terminal())
    with commands._Spinner("reading the catalogue", delay=0) as spinner:
        spinner.timer.join(10)
        assert spinner.status is not None
    assert spinner.stopped
    assert not spinner.status._live.is_started  # rich's Live display behind the Status
