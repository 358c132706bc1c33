"""Splits a series classification training file into development train and test halves,
stratified by class, so that settings can be compared without touching the official test
split. Wide files (one series per row) split rows; long files (--series-id) split whole
series. Usage: python3 scripts/dev_split.py TRAIN.csv OUT_PREFIX [--series-id COL] [--seed N]
Writes OUT_PREFIX_train.csv and OUT_PREFIX_test.csv."""
import argparse
import csv
import random
from collections import defaultdict

parser = argparse.ArgumentParser()
parser.add_argument("train")
parser.add_argument("prefix")
parser.add_argument("--series-id")
parser.add_argument("--target", default="target")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

with open(args.train, newline="") as file:
    reader = csv.reader(file)
    header = next(reader)
    rows = list(reader)
target = header.index(args.target)
key = header.index(args.series_id) if args.series_id else None
series = defaultdict(list)  # series key -> rows, in file order
for number, row in enumerate(rows):
    series[row[key] if key is not None else number].append(row)
by_class = defaultdict(list)
for name, members in series.items():
    by_class[members[0][target]].append(name)
generator = random.Random(args.seed)
held = set()
for label in sorted(by_class):
    names = sorted(by_class[label], key=str)
    generator.shuffle(names)
    held.update(names[: len(names) // 2])
for part, keep in (("train", lambda name: name not in held), ("test", lambda name: name in held)):
    with open(f"{args.prefix}_{part}.csv", "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for name, members in series.items():
            if keep(name):
                writer.writerows(members)
