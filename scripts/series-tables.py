#!/usr/bin/env python3
"""Prints the README's time-series tables from results/*/report.json (series-results.sh)."""
import json

def load(name):
    with open(f"results/{name}/report.json") as file:
        return json.load(file)

def cell(point, method, metric):
    for result in point["methods"]:
        if result["method"] == method and metric in result["metrics"]:
            summary = result["metrics"][metric]
            return f"{summary['mean']:.3f} ± {summary['standardDeviation']:.3f}"
    return "–"

import os

# Classification: one table, methods × (set, budget), then a verdicts line per set.
sets = [(name, caption) for name, caption in [("italy_power_demand", "ItalyPowerDemand"), ("coffee", "Coffee"),
                                               ("basic_motions", "BasicMotions"), ("japanese_vowels", "JapaneseVowels")]
        if os.path.exists(f"results/{name}/report.json")]
reports = {name: load(name) for name, _ in sets}
methods, titles = [], {}
for name, _ in sets:
    for result in reports[name]["points"][0]["methods"]:
        if result["method"] not in methods:
            methods.append(result["method"])
            titles[result["method"]] = result["title"]
columns = [(name, point) for name, _ in sets for point in reports[name]["points"]]
print("Series classification, test accuracy on the official test splits (mean ± sd over 5 seeds):\n")
print("<!-- results: " + " ".join(f"results/{name}" for name, _ in sets) + " | accuracy -->")
print("| method | " + " | ".join(f"{dict(sets)[name]} {point['label'].split(' labels')[0]}" for name, point in columns) + " |")
print("|---|" + "---:|" * len(columns))
for method in methods:
    print(f"| {titles[method]} | " + " | ".join(cell(point, method, "accuracy") for _, point in columns) + " |")
print("\nBudgets (labeled training series): " + "; ".join(
    f"{caption} " + ", ".join(point["label"].replace(" labels", "") for point in reports[name]["points"]) for name, caption in sets) + ".")
print("\nVerdicts (paired t-test over seeds, Holm-adjusted within each budget), pretrained methods and auto against the TCN from scratch:\n")
for name, caption in sets:
    for point in reports[name]["points"]:
        found = [f"{titles.get(v['method'], v['method'])} {v['outcome']} ({v['difference']:+.3f}, p = {v['adjustedP']:.2g})"
                 for v in point.get("verdicts", []) if v["against"] == "scratch"]
        print(f"- {caption}, {point['label']}: " + "; ".join(found))

for name, caption in [("airline", "Airline passengers, last 12 months held out (one origin, mean ± sd over 5 seeds):"),
                      ("airline-history", "Airline passengers, rolling origins (3 × 12 months), MASE by history available (3 seeds):")]:
    report = load(name)
    methods = [result["method"] for result in report["points"][0]["methods"]]
    titles = {result["method"]: result["title"] for result in report["points"][0]["methods"]}
    print(f"\n{caption}\n")
    if len(report["points"]) == 1:
        point = report["points"][0]
        print(f"<!-- results: results/{name} | MASE sMAPE MAE -->")
        print("| method | MASE | sMAPE (%) | MAE |")
        print("|---|---:|---:|---:|")
        for method in methods:
            print(f"| {titles[method]} | {cell(point, method, 'MASE')} | {cell(point, method, 'sMAPE')} | {cell(point, method, 'MAE')} |")
    else:
        print(f"<!-- results: results/{name} | MASE -->")
        print("| method | " + " | ".join(point["label"] for point in report["points"]) + " |")
        print("|---|" + "---:|" * len(report["points"]))
        for method in methods:
            print(f"| {titles[method]} | " + " | ".join(cell(point, method, "MASE") for point in report["points"]) + " |")
