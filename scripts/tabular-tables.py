#!/usr/bin/env python3
"""Prints the README's tabular result tables, in the README's format: credit_data and
breast_cancer from the benchmark suite's reports (results/suite/<table>/report.json, made
by scripts/suite.sh or scripts/results.sh, which run the same cells), the objectives
study from results/objectives-<table>/ (objectives.sh)."""
import json


def load(name):
    folder = f"results/{name}" if name.startswith("objectives-") else f"results/suite/{name}"
    with open(f"{folder}/report.json") as file:
        return json.load(file)


def metric(budget, method):
    for result in budget["methods"]:
        if result["method"] == method:
            return result["metrics"]["accuracy"]
    return None


def interval_cell(summary):
    mean, sd, half = summary["mean"], summary["standardDeviation"], summary["confidence95"]
    return f"{mean:.3f} ± {sd:.3f} [{mean - half:.3f}, {mean + half:.3f}]"


def rows_text(count):
    return f"{count:,} rows"


for dataset, total in (("credit_data", "4,454"), ("breast_cancer", "569")):
    report = load(dataset)
    budgets = report["budgets"]
    header = f"| {dataset} ({total} rows) | " + " | ".join(
        f"{budget['budget']} labels ({rows_text(budget['labeledRows'])})" for budget in budgets) + " |"
    print(f"<!-- results: results/suite/{dataset} | accuracy -->")
    print(header)
    print("|---|" + "---:|" * len(budgets))
    for result in budgets[0]["methods"]:
        cells = [interval_cell(metric(budget, result["method"])) for budget in budgets]
        print(f"| {result['title']} | " + " | ".join(cells) + " |")
    print()

# Test log loss at the smallest budget.
smallest = {dataset: load(dataset)["budgets"][0] for dataset in ("credit_data", "breast_cancer")}
print(f"| {smallest['credit_data']['budget']} labels, test log loss | credit_data | breast_cancer |")
print("|---|---:|---:|")
for result in smallest["credit_data"]["methods"]:
    losses = []
    for dataset in ("credit_data", "breast_cancer"):
        found = [r for r in smallest[dataset]["methods"] if r["method"] == result["method"]]
        losses.append(f"{found[0]['metrics']['log loss']['mean']:.3f}" if found and "log loss" in found[0]["metrics"] else "–")
    print(f"| {result['title']} | " + " | ".join(losses) + " |")
print()

objectives = {dataset: load(f"objectives-{dataset}")["budgets"][0] for dataset in ("credit_data", "breast_cancer")}
print("<!-- results: results/objectives-credit_data results/objectives-breast_cancer | accuracy -->")
print("| 5% labels, test accuracy | " + " | ".join(
    f"{dataset} ({objectives[dataset]['labeledRows']} rows)" for dataset in objectives) + " |")
print("|---|---:|---:|")
for result in objectives["credit_data"]["methods"]:
    cells = []
    for dataset in objectives:
        summary = metric(objectives[dataset], result["method"])
        cells.append(f"{summary['mean']:.3f} ± {summary['standardDeviation']:.3f}")
    print(f"| {result['title']} | " + " | ".join(cells) + " |")
print()
for dataset in ("credit_data", "breast_cancer"):
    for budget in load(dataset)["budgets"]:
        for verdict in budget["verdicts"]:
            print(f"{dataset} {budget['budget']}: {json.dumps(verdict)}")
