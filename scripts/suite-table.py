#!/usr/bin/env python3
"""Prints the suite table from results/suite/<table>/report.json (scripts/suite.sh).

Per budget: each table's mean test accuracy per method; then per method its mean rank
(1 = best; ties share the mean rank), wins / ties / losses against the same network from
scratch and against tuned XGBoost (the report's verdicts: paired t-tests over seeds,
Holm-adjusted p < 0.05), and its mean log loss relative to the best method's on each table.
Usage: python3 scripts/suite-table.py [FOLDER]   (default results/suite)
"""
import json
import os
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "results/suite"
reports = {}
for name in sorted(os.listdir(folder)):
    path = os.path.join(folder, name, "report.json")
    if os.path.exists(path):
        with open(path) as file:
            reports[name] = json.load(file)
if not reports:
    sys.exit(f"suite-table: no reports under {folder}")

budgets = []
for report in reports.values():
    for budget in report["budgets"]:
        if budget["budget"] not in budgets:
            budgets.append(budget["budget"])
seeds = sorted({report["setup"]["seeds"] for report in reports.values()})
print(f"{len(reports)} tables; seeds per table: {', '.join(map(str, seeds))}\n")

for label in budgets:
    rows = {}
    titles = {}
    for table, report in reports.items():
        for budget in report["budgets"]:
            if budget["budget"] == label:
                rows[table] = budget
                for result in budget["methods"]:
                    titles.setdefault(result["method"], result["title"])
    methods = list(titles)
    print(f"## {label} labels\n")
    print("| table | rows | " + " | ".join(titles[m] for m in methods) + " |")
    print("|---|---:|" + "---:|" * len(methods))
    ranks = {m: [] for m in methods}
    relative_log_loss = {m: [] for m in methods}
    record = {(m, against): [0, 0, 0] for m in methods for against in ("scratch", "xgboost")}
    for table, budget in rows.items():
        accuracy = {r["method"]: r["metrics"]["accuracy"]["mean"] for r in budget["methods"]}
        best = max(accuracy.values())
        cells = []
        for m in methods:
            if m in accuracy:
                text = f"{accuracy[m]:.3f}"
                cells.append(f"**{text}**" if accuracy[m] == best else text)
            else:
                cells.append("")
        print(f"| {table} | {budget['labeledRows']} | " + " | ".join(cells) + " |")
        ordered = sorted(accuracy.values(), reverse=True)
        for m, value in accuracy.items():
            positions = [i + 1 for i, v in enumerate(ordered) if v == value]
            ranks[m].append(sum(positions) / len(positions))
        losses = {r["method"]: r["metrics"].get("log loss", {}).get("mean") for r in budget["methods"]}
        finite = [v for v in losses.values() if v is not None]
        if finite:
            lowest = min(finite)
            for m, value in losses.items():
                if value is not None and lowest > 0:
                    relative_log_loss[m].append(value / lowest)
        for verdict in budget["verdicts"]:
            key = (verdict["method"], verdict["against"])
            if key in record:
                index = {"win": 0, "tie": 1, "loss": 2}.get(verdict["outcome"])
                if index is not None:
                    record[key][index] += 1
    print()
    print("| method | mean rank | vs same network from scratch (W/T/L) | vs XGBoost (W/T/L) | log loss ÷ best, mean |")
    print("|---|---:|---:|---:|---:|")
    for m in methods:
        rank = sum(ranks[m]) / len(ranks[m]) if ranks[m] else float("nan")
        scratch = "/".join(map(str, record[(m, "scratch")])) if m not in ("scratch", "xgboost") else "—"
        xgboost = "/".join(map(str, record[(m, "xgboost")])) if m != "xgboost" else "—"
        loss = sum(relative_log_loss[m]) / len(relative_log_loss[m]) if relative_log_loss[m] else float("nan")
        print(f"| {titles[m]} | {rank:.2f} | {scratch} | {xgboost} | {loss:.2f} |")
    print()
