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
        -- bench train --rows 5000 --timed-epochs 1 --no-supervised
"""
import argparse
import os
import statistics
import sys

from alternating import alternate, spread

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--column", type=int, default=0, help="which numeric cell of a table row (from 0)")
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
    results = alternate([(name, [binary] + arguments, environment) for name, binary, environment in variants], options.rounds,
                        options.column)
    names = [name for name, _, _ in variants]
    first, last = names[0], names[-1]
    print(f"{options.rounds} alternating rounds of `pretext {' '.join(arguments)}`; min–max (median)\n")
    print("| workload | " + " | ".join(names) + f" | median ratio {last}/{first} | rounds {last} > {first} |")
    print("|---|" + "---:|" * (len(names) + 2))
    for workload, baseline in results[first].items():
        columns = [results[name].get(workload, []) for name in names]
        if any(not column for column in columns):
            continue
        cells = [spread(c) for c in columns]
        wins = sum(b > a for a, b in zip(baseline, columns[-1]))
        print(f"| {workload} | " + " | ".join(cells) +
              f" | {statistics.median(columns[-1]) / statistics.median(baseline):.2f} | {wins} of {len(baseline)} |")


if __name__ == "__main__":
    main()
