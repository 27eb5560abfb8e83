"""Benchmark `ldn` against its baselines, pair by pair, as ratios.

Builds the wheel, installs it in a fresh virtual environment under bench/out/ (so modules
are byte-compiled, as for any user), writes synthetic catalogues of 1,000 studies and of the
most (up to 30,000) that the loader's limits accept, each with a published layer like the
shipped one (the goals' "10k" rows use the latter when 10,000 do not fit), then measures every goal
as a series of pairs: the case, then its baseline, then the baseline, then the case, and so
on, so that a machine's drift falls on both sides alike. A row's figure is the median of the
per-pair ratios, with their least and greatest in brackets; the load average is printed
before and after each series. A warm case repeated is answered from the answer its first run kept
(`ldn_evidence.answers`); the rows marked "none kept" forget the kept answers before each run, so
they show what a command costs the first time, as do the rows at scale. Nothing here asserts:
machines are noisy, and the figures are for people to read.

    python bench/run.py [--pairs 7] [--only WORD]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import pty
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fcntl import ioctl
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import __file__ as synthetic_file  # noqa: E402
from synthetic import study_ids  # noqa: E402

#: Studies wanted in the largest synthetic catalogue; fewer when its file would pass the loader's
#: 64 MiB limit (`largest()` says how many fit, with a tenth to spare for the YAML values' limit).
HUGE = 30_000
#: The loader's limits on a catalogue file (`paths.MAX_BYTES`, `yamltree.MAX_VALUES`).
MAX_BYTES = 64 * 2**20
MAX_VALUES = 2_000_000

#: Words in the article `ldn claims` checks in the benchmark.
ARTICLE_WORDS = 5_000

#: Variables no child inherits: each would change what is measured (bytecode written or not,
#: unbuffered output, a catalogue or width chosen outside the command line).
UNSET = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "LDN_DATA", "NO_COLOR", "COLUMNS", "LINES")


def write_article(path: Path, words: int = ARTICLE_WORDS) -> Path:
    """An article of about `words` words: the seeds' paragraphs in turn, as many times as it takes."""
    paragraphs = [p for seed in sorted((ROOT / "seeds").glob("*.txt"))
                  for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]  # fmt: skip
    chosen: list[str] = []
    count = 0
    while count < words:
        paragraph = paragraphs[len(chosen) % len(paragraphs)]
        chosen.append(paragraph)
        count += len(paragraph.split())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
    return path


def venv_with_wheel() -> Path:
    """bench/out/venv with the freshly built wheel installed; returns its bin/ folder."""
    wheels = OUT / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), str(ROOT)],
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = wheels.glob("*.whl")
    env = OUT / "venv"
    if not (env / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    # Byte-compiled on install, as pip does for any user (the variable is unset for the install too).
    install_env = {k: v for k, v in os.environ.items() if k not in UNSET}
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--force-reinstall", str(wheel)],
                   check=True, env=install_env)  # fmt: skip
    return env / "bin"


def largest(small: Path, small_count: int) -> int:
    """The most studies (whole thousands, up to HUGE) whose synthetic catalogue stays within nine tenths
    of the loader's limits on bytes and on YAML values."""
    import yaml

    with small.open("rb") as stream:
        values = sum(isinstance(event, yaml.ScalarEvent) for event in yaml.parse(stream, Loader=yaml.CSafeLoader))
    fits = min(MAX_BYTES / (small.stat().st_size / small_count), MAX_VALUES / (values / small_count))
    return min(HUGE, int(0.9 * fits) // 1000 * 1000)


def peer(name: str, package: str) -> str | None:
    """A peer tool on PATH, installed with apt-get (as root) when it is missing; None if it cannot be had."""
    found = shutil.which(name)
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", package], capture_output=True, check=False)
        found = shutil.which(name)
    return found


def synthetic(count: int) -> Path:
    """bench/out/N/data/studies.yaml with `count` studies, written once and kept between runs."""
    path = OUT / f"{count // 1000}k" / "data" / "studies.yaml"  # counts are whole thousands
    stamp = path.with_suffix(".done")
    # Made again whenever the shipped records (or the generator) change.
    made_from = hashlib.sha256((ROOT / "data" / "studies.yaml").read_bytes() + Path(synthetic_file).read_bytes())
    if not stamp.exists() or stamp.read_text() != made_from.hexdigest():
        subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic.py"), str(count), str(path)], check=True,
                       capture_output=True)  # fmt: skip
        stamp.write_text(made_from.hexdigest())
    return path


@dataclass(frozen=True)
class Case:
    """One command to time, and how: where its output goes, and whether its cache starts empty."""

    command: tuple[str, ...]
    #: "null" (discarded), "pipe" (read by this process, as `| cat` would) or "pty" (an 80-column terminal).
    output: str = "null"
    cold: bool = False
    #: Forget the answers kept from earlier runs (`ldn_evidence.answers`), so the command runs as the first time.
    forget: bool = False


@dataclass(frozen=True)
class Goal:
    """A row of the table: the case over its baseline must not pass `goal`."""

    label: str
    case: Case
    baseline: Case
    goal: float


@dataclass(frozen=True)
class MemoryGoal:
    """A row of the table on peak memory: MiB, or a multiple of a file's size when `per` is given."""

    label: str
    case: Case
    goal: float
    per: Path | None = None


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:  # the terminal's other side closed
        pass


def run(case: Case, env: dict[str, str], cold_env: Callable[[], dict[str, str]]) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in KiB of one run of `case`."""
    child_env = cold_env() if case.cold else env
    if case.forget:
        for kept in (Path(child_env["XDG_CACHE_HOME"]) / "ldn-evidence").glob("*-answer-*"):
            kept.unlink()
    reader: threading.Thread | None = None
    master = slave = -1
    if case.output == "pty":
        master, slave = pty.openpty()
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        stdout: int = slave
        child_env = {**child_env, "TERM": "xterm-256color"}
    elif case.output == "pipe":
        stdout = subprocess.PIPE
    else:
        stdout = subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(case.command, stdout=stdout, stderr=subprocess.DEVNULL, env=child_env)
    if case.output == "pty":
        os.close(slave)
        reader = threading.Thread(target=_drain, args=(master,))
        reader.start()
    elif case.output == "pipe":
        assert process.stdout is not None
        while process.stdout.read(65536):
            pass
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if reader is not None:
        reader.join()
        os.close(master)
    if process.stdout is not None:
        process.stdout.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(case.command)}")
    return elapsed, usage.ru_maxrss


#: Runs a command from a small process and writes its peak memory (KiB) to a file. Linux carries a
#: process's peak across exec from the memory it was started with, and this benchmark's own process
#: (which has parsed YAML) would otherwise set the floor of every peak it reads.
PEAK = (
    "import os, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execv(sys.argv[2], sys.argv[2:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def peak(case: Case, env: dict[str, str], cold_env: Callable[[], dict[str, str]]) -> float:
    """Peak resident memory in MiB of one run of `case`, measured from a small launching process."""
    with tempfile.NamedTemporaryFile("r", suffix=".kib") as report:
        run(Case((sys.executable, "-c", PEAK, report.name, *case.command), case.output, case.cold), env, cold_env)
        return int(report.read()) / 1024


def load() -> str:
    """The 1-minute load average, as the series' context."""
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=7, help="pairs per row (default 7; at least 7 for a verdict)")
    parser.add_argument("--only", default=None, help="only the rows whose label holds this word")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    bin_dir = venv_with_wheel()
    python, ldn = str(bin_dir / "python"), str(bin_dir / "ldn")
    small = synthetic(1_000)
    biggest = largest(small, 1_000)
    # The goals' "10k" rows: 10,000 like-shaped studies when they fit within the loader's limits, else the most
    # that do (the shipped records grew; a 10k copy of them is refused).
    huge = synthetic(biggest)
    large = synthetic(min(10_000, biggest))
    ten = f"{min(10_000, biggest) // 1000}k"
    shipped = ROOT / "data" / "studies.yaml"
    jq = peer("jq", "jq")
    article = write_article(OUT / "article" / "5000-words.txt")

    warm = tempfile.mkdtemp(prefix="ldn-bench-warm-")
    base_env = {k: v for k, v in os.environ.items() if k not in UNSET}
    warm_env = {**base_env, "XDG_CACHE_HOME": warm}

    def cold_env() -> dict[str, str]:
        return {**base_env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="ldn-bench-cold-")}

    # jq's input: the very answer `ldn list --format json` gives on the shipped catalogue.
    answer = OUT / "shipped-list.json"
    with answer.open("wb") as stream:
        subprocess.run([ldn, "list", "--format", "json"], stdout=stream, check=True, env=warm_env,
                       stderr=subprocess.DEVNULL)  # fmt: skip
    # Fill the warm cache, and let every file be still for the cache's racy-file window, as a
    # catalogue is between edits.
    for path in dict.fromkeys((shipped, small, large, huge)):
        run(Case((ldn, "--data", str(path), "summary", "--format", "json")), warm_env, cold_env)
    time.sleep(2.5)
    for path in dict.fromkeys((shipped, small, large, huge)):
        run(Case((ldn, "--data", str(path), "summary", "--format", "json")), warm_env, cold_env)

    floor = Case((python, "-c", "pass"))
    libyaml = "import gc, sys, yaml; gc.disable(); yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
    one = "norway-2017"
    # Like-shaped records: the same shipped study's copy half way through each synthetic catalogue.
    copies_1k, copies_big = study_ids(1_000, one), study_ids(biggest, one)
    in_1k, in_big = copies_1k[len(copies_1k) // 2], copies_big[len(copies_big) // 2]
    big = f"{biggest // 1000}k"
    goals: list[Goal | MemoryGoal] = [
        Goal("warm shipped list --format json / python -c pass",
             Case((ldn, "list", "--format", "json")), floor, 2.5),
        Goal("warm shipped list (TSV, in a pipe) / python -c pass", Case((ldn, "list"), output="pipe"), floor, 2.5),
        Goal("warm show ID (drawn, 80 columns) / python -c pass", Case((ldn, "show", one), output="pty"), floor, 6),
        Goal("warm summary --format json / python -c pass", Case((ldn, "summary", "--format", "json")), floor, 4),
        # The rows above are answered from the answer kept by their first pair; these run the command as the first time
        # (as do the rows at scale below: they measure what a view costs as the catalogue grows, not a kept answer).
        Goal("warm list --format json, none kept / python -c pass",
             Case((ldn, "list", "--format", "json"), forget=True), floor, 2.5),
        Goal("warm summary --format json, none kept / python -c pass",
             Case((ldn, "summary", "--format", "json"), forget=True), floor, 4),
        Goal("warm show ID (drawn), none kept / python -c pass",
             Case((ldn, "show", one), output="pty", forget=True), floor, 6),
        Goal("ldn --help / python -c pass", Case((ldn, "--help"), output="pipe"), floor, 3),
        Goal("warm list --format json / jq . on the same answer",
             Case((ldn, "list", "--format", "json"), output="pipe"),
             Case((jq or "jq", ".", str(answer)), output="pipe"), 1.5),
        Goal("verify / libyaml load of the catalogue (gc off)",
             Case((ldn, "verify")), Case((python, "-c", libyaml, str(shipped))), 2),
        Goal(f"first run at {ten} / libyaml load (gc off)",
             Case((ldn, "--data", str(large), "summary", "--format", "json"), cold=True),
             Case((python, "-c", libyaml, str(large))), 1.0),
        Goal(f"warm show at {big} / at 1k, like-shaped records",
             Case((ldn, "--data", str(huge), "show", in_big, "--format", "json"), forget=True),
             Case((ldn, "--data", str(small), "show", in_1k, "--format", "json"), forget=True), 1.05),
        Goal(f"warm text summary / summary --format json, at {ten}",
             Case((ldn, "--data", str(large), "summary"), output="pty", forget=True),
             Case((ldn, "--data", str(large), "summary", "--format", "json"), forget=True), 4),
        MemoryGoal(f"first-run peak memory / file size, at {ten}",
                   Case((ldn, "--data", str(large), "summary", "--format", "json"), cold=True), 6, per=large),
        MemoryGoal(f"warm show peak memory at {big} (MiB)",
                   Case((ldn, "--data", str(huge), "show", in_big, "--format", "json"), forget=True), 25),
        Goal("claims on a 5,000-word article / python -c pass",
             Case((ldn, "claims", str(article), "--format", "json")), floor, 40),
    ]  # fmt: skip
    if jq is None:
        goals = [g for g in goals if "jq" not in g.label]
        print("jq not found and not installable: its row is left out (Debian: apt-get install jq)")
    if args.only:
        goals = [g for g in goals if args.only.lower() in g.label.lower()]

    print(
        f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {args.pairs} pairs a row (case, baseline; then baseline, case)"
    )
    print(
        f"shipped catalogue: {shipped.stat().st_size / 1e6:.2f} MB; {ten}: {large.stat().st_size / 1e6:.1f} MB; "
        f"{big}: {huge.stat().st_size / 1e6:.1f} MB (the most studies, up to {HUGE:,}, within the file limit)"
    )
    print(f"{'goal':54} {'ratio':>6} {'[min-max]':>13} {'goal':>5} {'verdict':7} {'case ms':>8} {'base ms':>8} load")
    for goal in goals:
        before = load()
        if isinstance(goal, MemoryGoal):
            peaks = [peak(goal.case, warm_env, cold_env) for _ in range(args.pairs)]
            scale = 1.0 if goal.per is None else goal.per.stat().st_size / 2**20
            values = [peak / scale for peak in peaks]
            ratio, low, high = statistics.median(values), min(values), max(values)
            extra = f"{statistics.median(peaks):7.1f}M {'':>8}"
        else:
            ratios, case_times, base_times = [], [], []
            for i in range(args.pairs):
                order = (goal.case, goal.baseline) if i % 2 == 0 else (goal.baseline, goal.case)
                timed = {id(c): run(c, warm_env, cold_env)[0] for c in order}
                case_times.append(timed[id(goal.case)])
                base_times.append(timed[id(goal.baseline)])
                ratios.append(case_times[-1] / base_times[-1])
            ratio, low, high = statistics.median(ratios), min(ratios), max(ratios)
            extra = f"{statistics.median(case_times) * 1000:8.1f} {statistics.median(base_times) * 1000:8.1f}"
        verdict = "ok" if ratio <= goal.goal else "OVER"
        span = f"[{low:.2f}-{high:.2f}]"
        print(f"{goal.label:54} {ratio:6.2f} {span:>13} {goal.goal:5g} {verdict:7} {extra} {before}->{load()}")


if __name__ == "__main__":
    main()
