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

italy = load("italy_power_demand")
methods = [result["method"] for result in italy["points"][0]["methods"]]
titles = {result["method"]: result["title"] for result in italy["points"][0]["methods"]}
print("ItalyPowerDemand, test accuracy on the official 1,029-series test split (mean ± sd over 5 seeds):\n")
print("| method | " + " | ".join(point["label"] for point in italy["points"]) + " |")
print("|---|" + "---:|" * len(italy["points"]))
for method in methods:
    print(f"| {titles[method]} | " + " | ".join(cell(point, method, "accuracy") for point in italy["points"]) + " |")

for name, caption in [("airline", "Airline passengers, last 12 months held out (one origin, mean ± sd over 5 seeds):"),
                      ("airline-history", "Airline passengers, rolling origins (3 × 12 months), MASE by history available (3 seeds):")]:
    report = load(name)
    methods = [result["method"] for result in report["points"][0]["methods"]]
    titles = {result["method"]: result["title"] for result in report["points"][0]["methods"]}
    print(f"\n{caption}\n")
    if len(report["points"]) == 1:
        point = report["points"][0]
        print("| method | MASE | sMAPE (%) | MAE |")
        print("|---|---:|---:|---:|")
        for method in methods:
            print(f"| {titles[method]} | {cell(point, method, 'MASE')} | {cell(point, method, 'sMAPE')} | {cell(point, method, 'MAE')} |")
    else:
        print("| method | " + " | ".join(point["label"] for point in report["points"]) + " |")
        print("|---|" + "---:|" * len(report["points"]))
        for method in methods:
            print(f"| {titles[method]} | " + " | ".join(cell(point, method, "MASE") for point in report["points"]) + " |")
