"""Benchmark `ldn` against its baselines, side by side, as ratios.

Builds the wheel, installs it in a fresh virtual environment under bench/out/
(so modules are byte-compiled, as for any user), generates synthetic catalogues
of 1,000 and 10,000 studies, then runs every case interleaved with its baseline
several times and prints the medians, the ratios and the goals, with the machine
they ran on. Nothing here asserts: machines are noisy, and the figures are for
people to read.

    python bench/run.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import __file__ as synthetic_file  # noqa: E402
from synthetic import load_catalogue  # noqa: E402

#: Studies in the largest synthetic catalogue: about 43 MB and 1.7 million YAML values, within the
#: loader's limits of 64 MiB (`paths.MAX_BYTES`) and 2,000,000 values (`yamltree.MAX_VALUES`).
HUGE = 30_000

#: Words in the article `ldn claims` checks in the benchmark.
ARTICLE_WORDS = 5_000


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
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--force-reinstall", str(wheel)],
                   check=True)  # fmt: skip
    return env / "bin"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in KiB of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def peer(name: str, package: str) -> str | None:
    """A peer tool on PATH, installed with apt-get (as root) when it is missing; None if it cannot be had."""
    found = shutil.which(name)
    if found is None and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", package], capture_output=True, check=False)
        found = shutil.which(name)
    return found


def synthetic(count: int) -> Path:
    """bench/out/N/data/studies.yaml with `count` studies, written once and kept between runs."""
    path = OUT / f"{count // 1000}k" / "data" / "studies.yaml"
    stamp = path.with_suffix(".done")
    # Made again whenever the shipped records (or the generator) change.
    made_from = hashlib.sha256((ROOT / "data" / "studies.yaml").read_bytes() + Path(synthetic_file).read_bytes())
    if not stamp.exists() or stamp.read_text() != made_from.hexdigest():
        # In a process of its own: a child's peak memory counts its parent's at the fork.
        subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic.py"), str(count), str(path)], check=True,
                       capture_output=True)  # fmt: skip
        stamp.write_text(made_from.hexdigest())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each case (default 7)")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    bin_dir = venv_with_wheel()
    python, ldn = str(bin_dir / "python"), str(bin_dir / "ldn")
    # 100,000 synthetic studies (143 MB) are beyond the loader's limits and refused: the largest is HUGE.
    small, large, huge = synthetic(1_000), synthetic(10_000), synthetic(HUGE)
    shipped = ROOT / "data" / "studies.yaml"
    jq, sqlite = peer("jq", "jq"), peer("sqlite3", "sqlite3")
    article = write_article(OUT / "article" / "5000-words.txt")

    warm = tempfile.mkdtemp(prefix="ldn-bench-warm-")
    base_env = {k: v for k, v in os.environ.items() if k not in ("LDN_DATA", "NO_COLOR", "COLUMNS")}
    warm_env = {**base_env, "XDG_CACHE_HOME": warm}
    # The peers' inputs: the shipped and the 10k catalogues as JSON, and ldn's own SQLite export of the 10k one.
    as_json = {}
    for name, path in (("shipped", shipped), ("10k", large)):
        as_json[name] = OUT / f"{name}.json"
        with as_json[name].open("wb") as stream:
            subprocess.run([ldn, "--data", str(path), "list", "--format", "json"], stdout=stream, check=True,
                           env=warm_env, stderr=subprocess.DEVNULL)  # fmt: skip
    database = OUT / "10k.sqlite"
    subprocess.run([ldn, "--data", str(large), "export", str(database), "--force"], check=True, env=warm_env,
                   capture_output=True)  # fmt: skip
    # Fill the warm cache (every catalogue above was read once), and let every file be still for the
    # cache's racy-file window, as a catalogue is between edits.
    for path in (shipped, large, huge):
        timed([ldn, "--data", str(path), "summary", "--format", "json"], warm_env)
    time.sleep(2.5)
    for path in (shipped, large, huge):
        timed([ldn, "--data", str(path), "summary", "--format", "json"], warm_env)

    def cold_env() -> dict[str, str]:
        return {**base_env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="ldn-bench-cold-")}

    load = "import gc, sys, yaml; gc.disable(); yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
    ms = '[.[] | select(.condition == "ms")]'
    one = "norway-2017"
    # The same study's copy half way through the 30k catalogue (synthetic ids are "ID-NNNNN").
    shipped_ids = [study.id for study in load_catalogue(shipped).studies]  # small: 21 studies
    middle = HUGE // 2 - HUGE // 2 % len(shipped_ids) + shipped_ids.index(one)
    cases: dict[str, tuple[list[str], bool]] = {
        "floor": ([python, "-c", "import yaml"], False),
        "list json": ([ldn, "list", "--condition", "ms", "--format", "json"], False),
        "list table": ([ldn, "list", "--condition", "ms", "--format", "table"], False),
        "show 21": ([ldn, "show", one, "--format", "json"], False),
        "show huge": ([ldn, "--data", str(huge), "show", f"{one}-{middle:05d}", "--format", "json"], False),
        "list json 10k": ([ldn, "--data", str(large), "list", "--condition", "ms", "--format", "json"], False),
        "list json huge": ([ldn, "--data", str(huge), "list", "--format", "json"], False),
        "summary 1k first": ([ldn, "--data", str(small), "summary", "--format", "json"], True),
        "summary 10k first": ([ldn, "--data", str(large), "summary", "--format", "json"], True),
        "libyaml load 10k": ([python, "-c", load, str(large)], False),
    }
    if jq:
        cases["jq shipped"] = ([jq, ms, str(as_json["shipped"])], False)
        cases["jq 10k"] = ([jq, ms, str(as_json["10k"])], False)
    if sqlite:
        query = "SELECT * FROM studies WHERE condition = 'ms'"
        cases["sqlite3 10k"] = ([sqlite, "-json", "-readonly", str(database), query], False)
    cases["claims 5k words"] = ([ldn, "claims", str(article), "--format", "json"], False)

    times: dict[str, list[float]] = {name: [] for name in cases}
    memory: dict[str, list[int]] = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, (command, cold) in cases.items():  # interleaved: every case once per round
            seconds, peak = timed(command, cold_env() if cold else warm_env)
            times[name].append(seconds)
            memory[name].append(peak)

    med = {name: statistics.median(values) for name, values in times.items()}
    mib = {name: max(values) / 1024 for name, values in memory.items()}
    # (label, value, baseline, goal, unit): the ratio value / baseline must not pass the goal; no goal is a peer.
    rows: list[tuple[str, float, float, float | None, str]] = [
        ("show ID, 30k / 21 studies (warm)", med["show huge"], med["show 21"], 2.0, "ms"),
        ("list --format json, shipped / floor", med["list json"], med["floor"], 1.5, "ms"),
        ("list table, shipped / floor", med["list table"], med["floor"], 2.5, "ms"),
        ("summary json 10k first run / libyaml load, gc off", med["summary 10k first"], med["libyaml load 10k"], 0.9,
         "ms"),
        ("summary json first run, 10k / 1k", med["summary 10k first"], med["summary 1k first"], 11.0, "ms"),
    ]  # fmt: skip
    if jq:
        rows.insert(1, ("list ms json, warm 10k / jq on it as JSON", med["list json 10k"], med["jq 10k"], 0.5, "ms"))
        rows.insert(2, ("list ms json, shipped / jq on it as JSON", med["list json"], med["jq shipped"], 1.5, "ms"))
    if sqlite:
        rows.append(("list ms json, warm 10k / sqlite3 shell on the export", med["list json 10k"],
                     med["sqlite3 10k"], None, "ms"))  # fmt: skip
    print(f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {args.repeat} interleaved runs, medians")  # fmt: skip
    print(f"{'case':56} {'value':>9} {'baseline':>9} {'ratio':>7} {'goal':>6}")
    for label, value, baseline, goal, _unit in rows:
        ratio = value / baseline
        verdict = "peer" if goal is None else ("ok" if ratio <= goal else "OVER")
        shown_goal = "-" if goal is None else f"{goal:.2f}"
        print(
            f"{label + ' (ms)':56} {value * 1000:9.1f} {baseline * 1000:9.1f} {ratio:7.2f} {shown_goal:>6}  {verdict}"
        )
    for label, name, goal in (
        ("peak memory, show ID at 30k", "show huge", 100.0),
        ("peak memory, warm list --format json at 30k", "list json huge", 500.0),
    ):
        verdict = "ok" if mib[name] <= goal else "OVER"
        print(f"{label + ' (MiB)':56} {mib[name]:9.1f} {'':>9} {'':>7} {goal:6.0f}  {verdict}")
    for tool, found in (("jq", jq), ("sqlite3", sqlite)):
        if not found:
            print(f"{tool} not found and not installable: its rows were skipped (Debian: apt-get install {tool})")
    claims_ms = med["claims 5k words"] * 1000
    shown = f"{claims_ms:9.1f} {med['floor'] * 1000:9.1f} {med['claims 5k words'] / med['floor']:7.2f}"
    print(f"{'claims, a 5,000-word article (ms; goal under 1 s)':56} {shown} {'<1 s':>6}  "
          f"{'ok' if claims_ms < 1000 else 'OVER'}")  # fmt: skip


if __name__ == "__main__":
    main()
