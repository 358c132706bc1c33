#!/usr/bin/env python3
"""`pretext pretrain` against its PyTorch twin (scripts/pytorch_pretrain.py), end to end.

Both read the same CSV, preprocess, pretrain SCARF for the same epochs with a validation
pass after each, and write the encoder; the wall time of each whole process is measured
here, in alternating rounds (the machine drifts by tens of percent within minutes, so
only interleaved runs compare). Prints min–max (median) wall seconds and training rows/s
of each, and the median of the per-round ratios PyTorch time / Pretext time.

With --series CSV --time COLUMN: `pretext series pretrain CSV --channels-as-series`
(next-step TCN, lookback 24, batch 256) against scripts/pytorch_series_pretrain.py on
that file instead; rows/s are training windows per second.

    bash scripts/pretrain-vs-pytorch.sh [--rows 100000] [--features 20] [--batch 256] [--epochs 3] [--rounds 6]
    bash scripts/pretrain-vs-pytorch.sh --series datasets/chicago_ridership.csv --time date --epochs 3
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def synthetic_csv(path: str, rows: int, features: int, seed: int = 0) -> None:
    """Correlated Gaussian columns (4 factors), numeric only, no target."""
    generator = np.random.default_rng(seed)
    loadings = generator.normal(size=(4, features))
    values = generator.normal(size=(rows, 4)) @ loadings + 0.5 * generator.normal(size=(rows, features))
    header = ",".join(f"x{j}" for j in range(features))
    np.savetxt(path, values, delimiter=",", header=header, comments="", fmt="%.6g")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pretext", default=os.path.join(ROOT, ".build/release/pretext"))
    parser.add_argument("--series", help="a CSV of series: time the series twins instead")
    parser.add_argument("--time", help="the --series file's time column")
    arguments = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="pretext-vs-pytorch-")
    if arguments.series:
        race_series(arguments, folder)
        return
    data = os.path.join(folder, f"synthetic-{arguments.rows}x{arguments.features}.csv")
    synthetic_csv(data, arguments.rows, arguments.features)
    training_rows = arguments.rows - int(round(0.1 * arguments.rows))
    commands = {
        "Pretext": [arguments.pretext, "pretrain", data, "--pretrain-epochs", str(arguments.epochs),
                    "--pretrain-patience", str(arguments.epochs + 1), "--pretrain-batch-size", str(arguments.batch),
                    "--threads", str(arguments.threads), "--quiet", "-o", os.path.join(folder, "encoder.safetensors")],
        "PyTorch": [sys.executable, os.path.join(ROOT, "scripts/pytorch_pretrain.py"), data, "--epochs", str(arguments.epochs),
                    "--batch", str(arguments.batch), "--threads", str(arguments.threads), "--output", os.path.join(folder, "encoder.pt")],
    }
    race(commands, arguments.rounds, training_rows * arguments.epochs,
         lambda version: f"`pretext pretrain` vs PyTorch {version} ({arguments.threads} threads) on a {arguments.rows:,} × "
                         f"{arguments.features} numeric CSV, batch {arguments.batch}, {arguments.epochs} epochs with validation, "
                         f"{arguments.rounds} alternating rounds; whole processes (read, preprocess, train, save)")


def race_series(arguments, folder: str) -> None:
    """`pretext series pretrain` (next-step) against scripts/pytorch_series_pretrain.py."""
    import pandas as pd
    frame = pd.read_csv(arguments.series)
    lengths = [len(frame) for column in frame.columns if column != arguments.time]
    training_windows = sum((n - 24) - max(1, int(round(0.1 * (n - 24)))) for n in lengths)
    commands = {
        "Pretext": [arguments.pretext, "series", "pretrain", arguments.series, "--time", arguments.time, "--channels-as-series",
                    "--pretrain-epochs", str(arguments.epochs), "--pretrain-patience", str(arguments.epochs + 1),
                    "--threads", str(arguments.threads), "--quiet", "-o", os.path.join(folder, "tcn.safetensors")],
        "PyTorch": [sys.executable, os.path.join(ROOT, "scripts/pytorch_series_pretrain.py"), arguments.series, "--time", arguments.time,
                    "--epochs", str(arguments.epochs), "--threads", str(arguments.threads), "--output", os.path.join(folder, "tcn.pt")],
    }
    race(commands, arguments.rounds, training_windows * arguments.epochs,
         lambda version: f"`pretext series pretrain` (next-step TCN) vs PyTorch {version} ({arguments.threads} threads) on "
                         f"{os.path.basename(arguments.series)}: {len(lengths)} series, {training_windows:,} training windows, "
                         f"batch 256, {arguments.epochs} epochs with validation, {arguments.rounds} alternating rounds; "
                         f"whole processes (read, window, train, save)")


def race(commands: dict[str, list[str]], rounds: int, trained: int, title) -> None:
    """Runs both commands once per round, the order alternating; prints the table of wall
    seconds and rows (or windows) per second and the median ratio."""
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_index in range(rounds):
        for name in names[round_index % 2:] + names[:round_index % 2]:
            started = time.perf_counter()
            finished = subprocess.run(commands[name], capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if finished.returncode != 0:
                sys.exit(f"{name} failed ({finished.returncode}):\n{finished.stderr}")
            seconds[name].append(elapsed)
        print(f"round {round_index + 1}/{rounds}: Pretext {seconds['Pretext'][-1]:.2f} s, "
              f"PyTorch {seconds['PyTorch'][-1]:.2f} s", file=sys.stderr)
    import torch
    ratios = [theirs / ours for ours, theirs in zip(seconds["Pretext"], seconds["PyTorch"])]
    print(title(torch.__version__) + "\n")
    print("| | wall seconds | training rows/s |")
    print("|---|---:|---:|")
    for name in names:
        values = seconds[name]
        rates = [trained / value for value in values]
        print(f"| {name} | {min(values):.2f}–{max(values):.2f} ({statistics.median(values):.2f}) | "
              f"{min(rates):,.0f}–{max(rates):,.0f} ({statistics.median(rates):,.0f}) |")
    print(f"\nPyTorch time / Pretext time: median {statistics.median(ratios):.2f} (rounds {min(ratios):.2f}–{max(ratios):.2f})")


if __name__ == "__main__":
    main()
