"""The `ldn` entry point (also `python -m ldn_evidence`).

Common read-only invocations are run by `fast`, which needs neither Typer nor
click and so starts in a fraction of the time; everything else (help,
completion, errors, any option the fast path does not know) goes to the Typer
app in `cli`. Both run the same functions in `commands`.
"""

from __future__ import annotations

import errno
import gc
import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at run time
if TYPE_CHECKING:
    from .answers import Kept


def main() -> None:
    """Run `ldn`: quiet in a closed pipe, exit 130 on Ctrl-C, a message on a full disk."""
    # One command, then exit: the few cycles a run leaves are freed with the process, and
    # collecting as it goes would only rescan a loaded catalogue again and again.
    gc.disable()
    _fill_closed_streams()
    # `signal` itself would first build its enums of every signal, a tenth of a run answered from a kept answer.
    import _signal  # type: ignore[import-not-found]  # signal.signal is this function, its result made an enum

    if hasattr(_signal, "SIGPIPE"):
        _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    _buffer_stdout()
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    # The exit codes are those of `commands` (checked by tests/cli/test_help_cache.py); named here, so
    # that `ldn --help` need not import it.
    EXIT_OK, EXIT_NOT_FOUND, EXIT_INTERRUPTED = 0, 1, 130

    try:
        try:
            code = _run(sys.argv[1:])
        except KeyboardInterrupt:
            sys.stderr.write("\ninterrupted\n")
            code = EXIT_INTERRUPTED
        except MemoryError:
            # Within the limits a catalogue needs up to about 50 times its size; a smaller memory limit ends here.
            sys.stderr.write("Error: not enough memory for this catalogue\n")
            code = EXIT_NOT_FOUND
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno == errno.EBADF:
            sys.stderr.write("Error: cannot write output: standard output is closed\n")
        elif exc.errno != errno.EPIPE:
            sys.stderr.write(f"Error: cannot write output: {exc.strerror}\n")
        # Send what is left in the buffer nowhere, so shutdown does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_NOT_FOUND if exc.errno != errno.EPIPE else EXIT_OK
    # Nor scan everything once more on the way out (a tenth of drawing a table).
    gc.freeze()
    sys.exit(code)


def _fill_closed_streams() -> None:
    """Give a closed standard stream (``ldn list >&-``, ``<&-``, ``2>&-``) a stand-in, so no run trips on it.

    Python starts with ``sys.stdout`` (or stdin, stderr) None when its descriptor is
    closed, and the next file opened would take that descriptor. Each closed one is
    opened on the null device instead: standard input reads as empty; standard output
    is opened for reading only, so the first write fails with EBADF and the run ends
    with "standard output is closed" and exit 1 rather than reporting success for
    output that went nowhere; standard error, having nowhere to say anything, drops it.
    """
    import io

    for descriptor, name, flags in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_RDONLY), (2, "stderr", os.O_WRONLY)):
        try:
            os.fstat(descriptor)
        except OSError:
            stand_in = os.open(os.devnull, flags)
            if stand_in != descriptor:
                os.dup2(stand_in, descriptor)
                os.close(stand_in)
        if getattr(sys, name) is None:
            raw = io.FileIO(descriptor, "r" if name == "stdin" else "w", closefd=False)
            buffered = io.BufferedReader(raw) if name == "stdin" else io.BufferedWriter(raw)
            setattr(sys, name, io.TextIOWrapper(buffered, encoding="utf-8", errors="replace", line_buffering=True))


def _buffer_stdout() -> None:
    """Give stdout a buffer if it has none (``python -u``, $PYTHONUNBUFFERED).

    Unbuffered, stdout's text layer writes straight to the file, and a short write
    (a file-size limit, a nearly full disk) loses the rest of the data without an
    error, so the run would exit 0 with the output cut. A buffered writer retries
    the rest, and the flush at the end then fails with the reason.
    """
    import io

    stream = sys.stdout
    raw = getattr(stream, "buffer", None)
    if not isinstance(stream, io.TextIOWrapper) or not isinstance(raw, io.RawIOBase):
        return
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=stream.encoding,
        errors=stream.errors,
        newline=None,
        line_buffering=stream.line_buffering or stream.isatty(),
    )


def _run(argv: list[str]) -> int:
    from . import helpcache

    if argv in helpcache.HELP_ARGUMENTS and not os.environ.get("_LDN_COMPLETE"):
        kept = helpcache.kept(argv)
        if kept is not None:
            sys.stdout.flush()
            sys.stdout.buffer.write(kept)
            return 0
        return _help(argv, helpcache.key())
    from .answers import lookup, record

    answer = lookup(argv)
    if isinstance(answer, int):
        return answer  # the answer kept from the same command in the same situation, written again
    if answer is not None:
        record(answer)
    from .fast import run_fast

    code = run_fast(argv)
    if code is not None:
        if code == 0 and answer is not None:
            _keep(answer)
        return code
    return _typer(argv)


def _keep(kept: Kept) -> None:
    """Keep the recorded answer if it rests on exactly one catalogue read from a sealed cache, and no spinner showed."""
    sys.stdout.flush()
    sys.stderr.flush()
    cache = sys.modules.get("ldn_evidence.cache")
    writers = sys.modules.get("ldn_evidence.writers")
    served = getattr(cache, "SERVED", [])
    if len(served) == 1 and served[0] is not None and not getattr(getattr(writers, "_Spinner", None), "shown", True):
        kept.keep(served[0])


def _help(argv: list[str], key: str) -> int:
    """Typer's help, written to stdout and kept (`helpcache`) for the next run in the same situation."""
    import io

    from .helpcache import keep

    real = sys.stdout
    terminal = real.isatty()

    class Capture(io.BytesIO):
        def isatty(self) -> bool:  # as the real stdout answers, so click writes what it would write there
            return terminal

    captured = Capture()
    sys.stdout = io.TextIOWrapper(
        captured,
        encoding=real.encoding,
        errors=real.errors,
        line_buffering=bool(real.line_buffering),
        write_through=True,
    )
    try:
        code = _typer(argv)
        sys.stdout.flush()
    finally:
        sys.stdout = real
    text = captured.getvalue()
    real.flush()
    real.buffer.write(text)
    if code == 0 and text:
        keep(text, key)
    return code


def _typer(argv: list[str]) -> int:
    import click

    from .cli import app
    from .commands import EXIT_INTERRUPTED, EXIT_OK

    try:
        result = app(args=argv, prog_name="ldn", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        sys.stderr.write("\ninterrupted\n")
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else EXIT_OK


if __name__ == "__main__":
    main()
