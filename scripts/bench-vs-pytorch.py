#!/usr/bin/env python3
"""Pretext's SCARF step against PyTorch's on the same machine, in alternating runs.

The machine's speed drifts by tens of percent within minutes, so a ratio of two runs
made minutes apart means little. This script alternates `pretext bench train` and
scripts/pytorch_scarf_step.py (same workload) for --rounds rounds, swapping which goes
first each round, and prints the median rows/s of each and their ratio per workload.

    swift build -c release --product pretext
    python3 -m venv /tmp/torch && /tmp/torch/bin/pip install torch
    /tmp/torch/bin/python scripts/bench-vs-pytorch.py --rounds 8 --seconds 0.5 [--statistic median-step]

--python names the interpreter that has torch (default: this one).
"""
import argparse
import os
import statistics
import subprocess
import sys

from alternating import alternate, spread

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--pretext", default=os.path.join(ROOT, ".build/release/pretext"))
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--batch", type=int, action="append")
    parser.add_argument("--features", type=int, action="append")
    parser.add_argument("--statistic", choices=["overall", "median-step"], default="overall",
                        help="rows/s over the whole run (default), or batch rows / the median step's time "
                             "(steadier when other work slows some steps)")
    arguments = parser.parse_args()
    shape = []
    for batch in arguments.batch or []:
        shape += ["--batch", str(batch)]
    for features in arguments.features or []:
        shape += ["--features", str(features)]
    commands = [
        ("Pretext", [arguments.pretext, "bench", "train", "--no-supervised", "--seconds", str(arguments.seconds)] + shape, None),
        ("PyTorch", [arguments.python, os.path.join(ROOT, "scripts/pytorch_scarf_step.py"),
                     "--seconds", str(arguments.seconds)] + shape, None),
    ]
    version = subprocess.run([arguments.python, "-c", "import torch; print(torch.__version__, torch.get_num_threads())"],
                             capture_output=True, text=True).stdout.split()
    # Numeric cells of a row: Pretext rows/s, GFLOP/s, % of peak, median-step rows/s; PyTorch rows/s, GFLOP/s, median-step rows/s.
    columns = {"Pretext": 3, "PyTorch": 2} if arguments.statistic == "median-step" else 0
    results = alternate(commands, arguments.rounds, columns)
    statistic = "rows/s at the median step" if arguments.statistic == "median-step" else "rows/s over each run"
    print(f"PyTorch {version[0]} with {version[1]} threads; {arguments.rounds} alternating rounds of "
          f"{arguments.seconds} s per workload; {statistic} as min–max (median)\n")
    print("| workload | Pretext rows/s | PyTorch rows/s | median ratio | rounds with ratio ≥ 1.5 |")
    print("|---|---:|---:|---:|---:|")
    for workload, ours in results["Pretext"].items():
        theirs = results["PyTorch"].get(workload)
        if not theirs:
            continue
        ratios = [a / b for a, b in zip(ours, theirs)]
        print(f"| {workload} | {spread(ours)} | {spread(theirs)} | "
              f"{statistics.median(ours) / statistics.median(theirs):.2f} | "
              f"{sum(r >= 1.5 for r in ratios)} of {len(ratios)} |")


if __name__ == "__main__":
    main()
