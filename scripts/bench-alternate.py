#!/usr/bin/env python3
"""A/B of `pretext bench …` variants in alternating runs (the machine drifts by tens of
percent within minutes, so only interleaved runs compare fairly).

Each variant is NAME:VAR=VALUE[,VAR=VALUE…] (environment for that variant) or
NAME:@/path/to/pretext (another binary). Every round runs each variant once, in an order
that rotates between rounds; the table gives each workload's first numeric column
(rows/s for `bench train`, GFLOP/s for `bench gemm`) as min–max (median), the median
ratio of the last variant to the first, and in how many rounds the last beat the first.

    swift build -c release --product pretext
    python3 scripts/bench-alternate.py --rounds 16 \\
        --variant openblas:PRETEXT_GEMM=openblas --variant onednn:PRETEXT_GEMM=onednn \\
        -- bench train --seconds 0.3
"""
import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def first_numbers(output: str) -> dict[str, float]:
    values = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not line.startswith("| ") or set(cells[1]) <= set("-:"):
            continue
        for cell in cells[1:]:
            try:
                values[cells[0]] = float(cell.replace(",", "").rstrip("%"))
                break
            except ValueError:
                continue
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--pretext", default=os.path.join(ROOT, ".build/release/pretext"))
    parser.add_argument("--variant", action="append", required=True, help="NAME:VAR=VALUE[,…] or NAME:@binary")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="-- then the pretext arguments")
    options = parser.parse_args()
    arguments = options.arguments[1:] if options.arguments[:1] == ["--"] else options.arguments
    if len(options.variant) < 2 or not arguments:
        parser.error("give at least two --variant and the pretext arguments after --")
    variants = []
    for spec in options.variant:
        name, _, setting = spec.partition(":")
        environment, binary = dict(os.environ), options.pretext
        if setting.startswith("@"):
            binary = setting[1:]
        elif setting:
            for assignment in setting.split(","):
                key, _, value = assignment.partition("=")
                environment[key] = value
        variants.append((name, binary, environment))
    results: dict[str, dict[str, list[float]]] = {name: {} for name, _, _ in variants}
    for round_index in range(options.rounds):
        shift = round_index % len(variants)
        for name, binary, environment in variants[shift:] + variants[:shift]:
            finished = subprocess.run([binary] + arguments, capture_output=True, text=True, env=environment)
            if finished.returncode != 0:
                sys.exit(f"{name}: exit {finished.returncode}\n{finished.stderr}")
            for workload, value in first_numbers(finished.stdout).items():
                results[name].setdefault(workload, []).append(value)
        print(f"round {round_index + 1}/{options.rounds} done", file=sys.stderr)
    names = [name for name, _, _ in variants]
    first, last = names[0], names[-1]
    print(f"{options.rounds} alternating rounds of `pretext {' '.join(arguments)}`; min–max (median)\n")
    print("| workload | " + " | ".join(names) + f" | median ratio {last}/{first} | rounds {last} > {first} |")
    print("|---|" + "---:|" * (len(names) + 2))
    for workload, baseline in results[first].items():
        columns = [results[name].get(workload, []) for name in names]
        if any(not column for column in columns):
            continue
        cells = [f"{min(c):,.0f}–{max(c):,.0f} ({statistics.median(c):,.0f})" for c in columns]
        wins = sum(b > a for a, b in zip(baseline, columns[-1]))
        print(f"| {workload} | " + " | ".join(cells) +
              f" | {statistics.median(columns[-1]) / statistics.median(baseline):.2f} | {wins} of {len(baseline)} |")


if __name__ == "__main__":
    main()
