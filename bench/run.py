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

from synthetic import write_synthetic  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each case (default 7)")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    bin_dir = venv_with_wheel()
    python, ldn = str(bin_dir / "python"), str(bin_dir / "ldn")
    small = write_synthetic(OUT / "1k" / "data" / "studies.yaml", 1_000)
    large = write_synthetic(OUT / "10k" / "data" / "studies.yaml", 10_000)
    shipped = ROOT / "data" / "studies.yaml"
    article = write_article(OUT / "article" / "5000-words.txt")
    yq = shutil.which("yq")

    warm = tempfile.mkdtemp(prefix="ldn-bench-warm-")
    base_env = {k: v for k, v in os.environ.items() if k not in ("LDN_DATA", "NO_COLOR", "COLUMNS")}
    warm_env = {**base_env, "XDG_CACHE_HOME": warm}
    # Fill the warm cache: the shipped catalogue and the 10k one.
    for command in ([ldn, "list"], [ldn, "--data", str(large), "summary", "--format", "json"]):
        timed(command, warm_env)

    def cold_env() -> dict[str, str]:
        return {**base_env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="ldn-bench-cold-")}

    load = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
    cases: dict[str, tuple[list[str], bool]] = {
        "floor": ([python, "-c", "import yaml"], False),
        "list json": ([ldn, "list", "--condition", "ms", "--format", "json"], False),
        "list table": ([ldn, "list", "--condition", "ms", "--format", "table"], False),
        "summary 1k first": ([ldn, "--data", str(small), "summary", "--format", "json"], True),
        "summary 10k first": ([ldn, "--data", str(large), "summary", "--format", "json"], True),
        "libyaml load 10k": ([python, "-c", load, str(large)], False),
        "summary 10k repeat": ([ldn, "--data", str(large), "summary", "--format", "json"], False),
    }
    cases["claims 5k words"] = ([ldn, "claims", str(article), "--format", "json"], False)
    if yq:
        cases["yq list json"] = ([yq, '[.studies[] | select(.condition == "ms")]', str(shipped)], False)

    times: dict[str, list[float]] = {name: [] for name in cases}
    memory: dict[str, list[int]] = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, (command, cold) in cases.items():  # interleaved: every case once per round
            seconds, peak = timed(command, cold_env() if cold else warm_env)
            times[name].append(seconds)
            memory[name].append(peak)

    med = {name: statistics.median(values) for name, values in times.items()}
    peak = {name: max(values) for name, values in memory.items()}
    rows = [
        ("list --format json, shipped / floor", med["list json"], med["floor"], 2.0),
        ("list table, shipped / floor", med["list table"], med["floor"], 3.0),
        ("summary json 10k first run / bare libyaml load", med["summary 10k first"], med["libyaml load 10k"], 1.15),
        ("summary json first run, 10k / 1k", med["summary 10k first"], med["summary 1k first"], 11.0),
        ("summary json 10k repeat / floor", med["summary 10k repeat"], med["floor"], 5.0),
    ]
    if yq:
        rows.insert(2, ("list --format json, shipped / yq", med["list json"], med["yq list json"], 0.9))
    print(f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {args.repeat} interleaved runs, medians")  # fmt: skip
    print(f"{'case':52} {'ms':>9} {'baseline':>9} {'ratio':>7} {'goal':>6}")
    for label, value, baseline, goal in rows:
        ratio = value / baseline
        print(f"{label:52} {value * 1000:9.1f} {baseline * 1000:9.1f} {ratio:7.2f} {goal:6.2f}  "
              f"{'ok' if ratio <= goal else 'OVER'}")  # fmt: skip
    ratio = peak["summary 10k first"] / peak["libyaml load 10k"]
    print(
        f"{'peak memory 10k first run / bare libyaml load (MiB)':52} {peak['summary 10k first'] / 1024:9.1f} "
        f"{peak['libyaml load 10k'] / 1024:9.1f} {ratio:7.2f} {2.0:6.2f}  {'ok' if ratio <= 2.0 else 'OVER'}"
    )
    claims_ms = med["claims 5k words"] * 1000
    print(
        f"{'claims, a 5,000-word article, shipped / floor':52} {claims_ms:9.1f} {med['floor'] * 1000:9.1f} "
        f"{med['claims 5k words'] / med['floor']:7.2f} {'<1 s':>6}  {'ok' if claims_ms < 1000 else 'OVER'}"
    )
    if not yq:
        print("yq not found: the yq comparison was skipped (Debian: apt-get install yq)")


if __name__ == "__main__":
    main()
