#!/usr/bin/env python3
"""Summarises results/fallback-study: per table each method's mean test accuracy and log
loss, then each method's mean rank over tables (1 = best) and its mean log loss divided by
the best method's on each table."""
import glob
import json
import os
import statistics
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "results/fallback-study"
accuracy, log_loss, titles = {}, {}, {}
tables = []
for path in sorted(glob.glob(os.path.join(folder, "*", "report.json"))):
    table = os.path.basename(os.path.dirname(path))
    tables.append(table)
    budget = json.load(open(path))["budgets"][0]
    for method in budget["methods"]:
        titles[method["method"]] = method["title"]
        accuracy.setdefault(method["method"], {})[table] = method["metrics"]["accuracy"]["mean"]
        log_loss.setdefault(method["method"], {})[table] = method["metrics"]["log loss"]["mean"]
if not tables:
    sys.exit(f"fallback-study.py: no reports under {folder}")
methods = list(accuracy)

def ranks(values, higher_is_better):
    result = {m: [] for m in methods}
    for table in tables:
        order = sorted(methods, key=lambda m: values[m][table], reverse=higher_is_better)
        for position, method in enumerate(order):
            result[method].append(position + 1)
    return {m: statistics.mean(r) for m, r in result.items()}

print("One labeled row per class, 10 seeds; test accuracy / log loss, mean over seeds.\n")
print("| method | " + " | ".join(tables) + " |")
print("|---|" + "---:|" * len(tables))
for m in methods:
    print(f"| {titles[m]} | " + " | ".join(f"{accuracy[m][t]:.3f} / {log_loss[m][t]:.2f}" for t in tables) + " |")
accuracy_rank, loss_rank = ranks(accuracy, True), ranks(log_loss, False)
print("\n| method | mean rank, accuracy | mean rank, log loss | log loss ÷ best, mean |")
print("|---|---:|---:|---:|")
for m in methods:
    ratio = statistics.mean(log_loss[m][t] / min(log_loss[x][t] for x in methods) for t in tables)
    print(f"| {titles[m]} | {accuracy_rank[m]:.2f} | {loss_rank[m]:.2f} | {ratio:.2f} |")
