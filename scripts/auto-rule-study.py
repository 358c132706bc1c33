#!/usr/bin/env python3
"""Replays choice rules for `auto` on recorded candidates (development splits only).

Input: folders written by
    pretext compare DATA --target target --development --record-candidates --methods auto ...
whose auto cells keep every candidate refit on the budget rows, its selection loss, its
calibrated out-of-fold probability of each prediction's true class, and its test
probabilities (`LabelEfficiencyExperiment.CandidateRecord`). The test rows of a
development split are carved from each seed's non-test rows, so choosing a rule here
never reads the rows reported results are scored on.

Usage: python3 scripts/auto-rule-study.py results/auto-rule-study [--budgets 5%,25%]
Prints, per budget, each rule's mean test accuracy and log loss over every table, the
tables where it is better or worse than the rule before (`ensemble-up-to3`), and per
table, so a rule is chosen on the whole suite rather than two favourite tables. `served`
is what the build that made the cells served (the rule before, for the committed cells;
`average-all`, the rule now, for cells made since).
"""
import argparse
import glob
import json
import lzma
import math
import os
import statistics

SIMPLICITY = ["linear", "scarf", "xgboost", "scratch", "scarf+self-training"]
# The rule before the study (AutoConfig.EnsembleRule.whenBetter, ensembleSize 3): the
# candidate with the lowest validation loss, or the best average of the 2 or 3 best when
# its out-of-fold log loss is lower. Replayed exactly (it reproduces every cell served by
# the build the study's cells were made with, 7e02ed0); rules are compared with it.
BASELINE = "ensemble-up-to3"


def load(root):
    cells = []
    # The largest tables' cells are kept xz-compressed (shuttle's: 26 MB of JSON).
    paths = glob.glob(os.path.join(root, "*", "cells", "*-auto.json")) + glob.glob(os.path.join(root, "*", "cells", "*-auto.json.xz"))
    for path in sorted(paths):
        cell = json.load(lzma.open(path) if path.endswith(".xz") else open(path))["cell"]
        if cell.get("candidates"):
            cell["table"] = path.split(os.sep)[-3]
            cells.append(cell)
    return cells


def test_scores(probabilities, classes, columns):
    """Accuracy and log loss of row-major probabilities (rows × columns)."""
    n = len(classes)
    correct, loss = 0, 0.0
    for row, truth in enumerate(classes):
        p = probabilities[row * columns:(row + 1) * columns]
        if max(range(columns), key=lambda k: p[k]) == truth:
            correct += 1
        loss -= math.log(min(max(p[truth] if truth >= 0 else 0.0, 1e-15), 1.0))
    return correct / n, loss / n


def oof_losses(candidate):
    """Per labeled row: the mean over repeats of −log p(true class) out of fold."""
    rows, probabilities = candidate.get("outOfFoldRows"), candidate.get("outOfFoldProbabilities")
    if not rows:
        return None
    per_row = {}
    for row, p in zip(rows, probabilities):
        per_row.setdefault(row, []).append(-math.log(min(max(p, 1e-15), 1.0)))
    return {row: statistics.mean(values) for row, values in per_row.items()}


def average(members, weights=None):
    """Weighted (default equal-weight) average of members' test probabilities (same class order assumed)."""
    names = members[0]["classNames"]
    if any(m["classNames"] != names for m in members):
        return None
    weights = weights or [1.0] * len(members)
    total = sum(weights)
    length = len(members[0]["testProbabilities"])
    mean = [sum(w * m["testProbabilities"][i] for w, m in zip(weights, members)) / total for i in range(length)]
    return test_scores(mean, members[0]["testClasses"], len(names))


def pooled_loss(raw, weights):
    """Out-of-fold log loss of a weighted average, from each member's pooled p(true class)."""
    total = sum(weights.values())
    count = len(next(iter(raw.values())))
    return sum(-math.log(max(sum(w * raw[m][i] for m, w in weights.items()) / total, 1e-15))
               for i in range(count)) / count


def choose(cell, rule):
    """The (accuracy, log loss) a rule would have served, or None when it cannot apply."""
    candidates = cell["candidates"]
    by_name = {c["name"]: c for c in candidates}
    losses = {c["name"]: oof_losses(c) for c in candidates}
    paired = all(l is not None for l in losses.values()) and len({frozenset(l) for l in losses.values()}) == 1

    def scores(c):
        return c["scores"]["accuracy"], c["scores"]["logLoss"]

    if rule == "served":
        return cell["scores"]["accuracy"], cell["scores"]["logLoss"]
    if rule == "curve":
        return scores(min(candidates, key=lambda c: c["loss"]))
    if rule.startswith("fixed:"):
        name = rule.split(":", 1)[1]
        return scores(by_name[name]) if name in by_name else None
    if rule == "oracle-accuracy":
        return scores(max(candidates, key=lambda c: c["scores"]["accuracy"]))
    if rule == "average-all":
        return average(candidates)
    if not paired:
        return scores(min(candidates, key=lambda c: c["loss"]))
    mean_loss = {name: statistics.mean(l.values()) for name, l in losses.items()}
    best = min(mean_loss, key=mean_loss.get)
    if rule == "oof":
        return scores(by_name[best])
    if rule.startswith("ensemble-up-to"):
        # `AutoModel.bestEnsemble` with ensembleSize k: the best of the averages of the
        # 2..k best by out-of-fold log loss, when it beats the best single candidate.
        k = int(rule[len("ensemble-up-to"):])
        # Ranked and averaged over every out-of-fold prediction (repeats pooled), exactly
        # as AutoModel does; with k = 3 this reproduces the served choice.
        raw = {c["name"]: c["outOfFoldProbabilities"] for c in candidates}
        def pooled(members):
            count = len(raw[members[0]])
            return sum(-math.log(max(sum(raw[m][i] for m in members) / len(members), 1e-15)) for i in range(count)) / count
        single = {name: pooled([name]) for name in raw}
        ranked = sorted(raw, key=lambda n: (single[n], [c["name"] for c in candidates].index(n)))
        best = ranked[0]
        chosen, chosen_loss = [best], single[best]
        for size in range(2, min(k, len(ranked)) + 1):
            loss = pooled(ranked[:size])
            if loss < chosen_loss:
                chosen, chosen_loss = ranked[:size], loss
        if len(chosen) > 1:
            return average([by_name[n] for n in chosen])
        return scores(min(candidates, key=lambda c: c["loss"]))   # no average won: the curve's winner
    if rule.startswith("caruana"):
        # Ensemble selection (Caruana et al. 2004): greedy forward steps with replacement,
        # each adding the candidate that most lowers the pooled out-of-fold log loss of
        # the weighted average; weights are the counts.
        steps = int(rule[len("caruana"):])
        raw = {c["name"]: c["outOfFoldProbabilities"] for c in candidates}
        counts = {}
        for _ in range(steps):
            best_name = min(raw, key=lambda n: pooled_loss(raw, {**counts, n: counts.get(n, 0) + 1}))
            counts[best_name] = counts.get(best_name, 0) + 1
        names = list(counts)
        return average([by_name[n] for n in names], [counts[n] for n in names])
    if rule == "average-all-temperature":
        # The average of all, then one temperature for the average fitted on its pooled
        # out-of-fold predictions (log loss over a grid of T), raised until the mean top-class
        # confidence is at most the rule-of-succession accuracy of those predictions (as
        # each candidate's calibration does). Binary tables only: the records keep each
        # out-of-fold prediction's true-class probability, which fixes a binary
        # distribution but not a multi-class one.
        if len(candidates[0]["classNames"]) != 2:
            return None
        raw = [c["outOfFoldProbabilities"] for c in candidates]
        count = len(raw[0])
        mean = [sum(r[i] for r in raw) / len(raw) for i in range(count)]
        logits = [math.log(max(p, 1e-12) / max(1 - p, 1e-12)) for p in mean]
        sigmoid = lambda x: 1 / (1 + math.exp(-max(min(x, 700), -700)))
        loss = lambda t: -sum(math.log(max(sigmoid(z / t), 1e-15)) for z in logits) / count
        temperature = min((math.exp(math.log(0.2) + k * math.log(25) / 200) for k in range(201)), key=loss)
        cap = (sum(p > 0.5 for p in mean) + 1) / (count + 2)
        while statistics.mean(max(sigmoid(z / temperature), 1 - sigmoid(z / temperature)) for z in logits) > cap and temperature < 50:
            temperature *= 1.02
        test = [sum(c["testProbabilities"][i] for c in candidates) / len(candidates) for i in range(len(candidates[0]["testProbabilities"]))]
        scaled = []
        for row in range(len(test) // 2):
            q = sigmoid(math.log(max(test[2 * row + 1], 1e-12) / max(test[2 * row], 1e-12)) / temperature)
            scaled += [1 - q, q]
        return test_scores(scaled, candidates[0]["testClasses"], 2)
    if rule == "average-above-uniform":
        # Every candidate whose pooled out-of-fold log loss is below the uniform
        # distribution's (log K): a member that learned nothing is left out.
        raw = {c["name"]: c["outOfFoldProbabilities"] for c in candidates}
        uniform = math.log(len(candidates[0]["classNames"]))
        members = [n for n in raw if pooled_loss(raw, {n: 1}) < uniform] or list(raw)
        return average([by_name[n] for n in members])
    if rule == "average-informed":
        # Every candidate whose out-of-fold log loss (per labeled row, repeats averaged)
        # is below the uniform distribution's, log K, by more than 0.001: a member that
        # predicts the uniform distribution (stored as float32, a hair below log K) is
        # left out. All when none is.
        uniform = math.log(len(candidates[0]["classNames"]))
        members = [by_name[n] for n in mean_loss if mean_loss[n] < uniform - 1e-3] or candidates
        return average(members)
    if rule == "pseudo-bma":
        # Pseudo-Bayesian model averaging (Geisser and Eddy 1979; Yao et al. 2018, without
        # the Bayesian bootstrap): weights proportional to exp(elpd), the sum over the n
        # labeled rows of each candidate's out-of-fold log p(true class), i.e.
        # exp(−n · mean loss). With a few rows it keeps every decent candidate, with many
        # it concentrates on the best.
        n = len(next(iter(losses.values())))
        names = list(mean_loss)
        weights = [math.exp(-n * (mean_loss[name] - mean_loss[best])) for name in names]
        return average([by_name[name] for name in names], weights)
    if rule in ("pseudo-bma-plus", "pseudo-bma-plus-half"):
        # Pseudo-BMA+ (Yao et al. 2018): the pseudo-BMA weights averaged over 1,000
        # Bayesian-bootstrap draws of the labeled rows (Dirichlet(1, …, 1) row weights),
        # which evens the weights out when the rows cannot tell the candidates apart.
        import random
        generator = random.Random(0)
        names = list(mean_loss)
        rows = sorted(next(iter(losses.values())))
        n = len(rows)
        totals = [0.0] * len(names)
        for _ in range(1000):
            draws = [generator.expovariate(1.0) for _ in rows]
            scale = n / sum(draws)
            elpd = [-scale * sum(d * losses[name][row] for d, row in zip(draws, rows)) for name in names]
            top = max(elpd)
            raw = [math.exp(e - top) for e in elpd]
            for k in range(len(names)):
                totals[k] += raw[k] / sum(raw)
        if rule == "pseudo-bma-plus-half":
            # Half the weight spread evenly, half by the evidence.
            totals = [0.5 / len(names) + 0.5 * t / 1000 for t in totals]
        return average([by_name[name] for name in names], totals)
    if rule.startswith("average-top"):
        k = int(rule[len("average-top"):])
        members = [by_name[n] for n in sorted(mean_loss, key=mean_loss.get)[:k]]
        return average(members)
    if rule.startswith("one-se"):
        factor = float(rule[len("one-se"):] or 1)
        rows = sorted(losses[best])
        for name in SIMPLICITY:
            if name not in losses:
                continue
            diffs = [losses[name][r] - losses[best][r] for r in rows]
            mean = statistics.mean(diffs)
            se = statistics.stdev(diffs) / math.sqrt(len(diffs)) if len(diffs) > 1 else 0.0
            if mean <= factor * se:
                return scores(by_name[name])
        return scores(by_name[best])
    raise ValueError(rule)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("roots", nargs="+", help="study folders (their cells are pooled)")
    parser.add_argument("--budgets", default="5%,25%")
    parser.add_argument("--overall", default="", help="comma-separated rules: also print their mean over every (table, budget) pair")
    arguments = parser.parse_args()
    cells = [cell for root in arguments.roots for cell in load(root)]
    # A budget given as a count can pick the very rows a percentage picks (soybean's 95 of
    # its development training rows are its 25%): such a pair counts once overall.
    rows_of = {(c["table"], c["budget"]): c["labeledRows"] for c in cells}
    pairs = {}   # (table, budget) → {rule: (accuracy, log loss)}
    rules = ["served", "curve", "oof", "one-se0.5", "one-se1", "one-se2", "ensemble-up-to3", "ensemble-up-to5", "average-top2", "average-top3", "average-all", "average-above-uniform", "average-informed", "pseudo-bma", "pseudo-bma-plus", "pseudo-bma-plus-half", "average-all-temperature", "caruana5", "caruana10", "caruana25",
             "fixed:linear", "fixed:scarf", "fixed:xgboost", "fixed:scratch", "fixed:scarf+self-training", "oracle-accuracy"]
    for budget in arguments.budgets.split(","):
        chosen = [c for c in cells if c["budget"] == budget]
        tables = sorted({c["table"] for c in chosen})
        if not tables:
            continue
        print(f"\n## {budget} labels: {len(chosen)} cells, {len(tables)} tables (mean over seeds, then tables)\n")
        print("| rule | accuracy | log loss | log loss ÷ best rule's, per table (mean) | tables better / worse than `ensemble-up-to3` (accuracy ±0.005) | (log loss ±2%) |")
        print("|---|---:|---:|---:|---:|---:|")
        per_table = {}
        for rule in rules:
            per_table[rule] = {}
            for table in tables:
                results = [choose(c, rule) for c in chosen if c["table"] == table]
                if any(r is None for r in results):
                    continue
                per_table[rule][table] = (statistics.mean(r[0] for r in results), statistics.mean(r[1] for r in results))
        for rule in rules:
            for table, value in per_table[rule].items():
                pairs.setdefault((table, budget), {})[rule] = value
        real = [r for r in rules if r != "oracle-accuracy"]
        best_loss = {t: min(per_table[r][t][1] for r in real if t in per_table[r]) for t in tables}
        for rule in rules:
            values = per_table[rule]
            if len(values) < len(tables):
                # Only where it applies, beside `average-all` on the same tables.
                subset = sorted(values)
                if not subset:
                    print(f"| {rule} | (applies to none of these tables) | | | | |")
                    continue
                mine = (statistics.mean(values[t][0] for t in subset), statistics.mean(values[t][1] for t in subset))
                theirs = (statistics.mean(per_table["average-all"][t][0] for t in subset),
                          statistics.mean(per_table["average-all"][t][1] for t in subset))
                print(f"| {rule} | (on {len(values)} of {len(tables)} tables: {mine[0]:.4f}, log loss {mine[1]:.3f}; "
                      f"`average-all` there {theirs[0]:.4f}, {theirs[1]:.3f}) | | | | |")
                continue
            accuracy = statistics.mean(v[0] for v in values.values())
            loss = statistics.mean(v[1] for v in values.values())
            ratio = statistics.mean(values[t][1] / best_loss[t] for t in tables)
            served = per_table[BASELINE]
            better = sum(values[t][0] > served[t][0] + 0.005 for t in tables)
            worse = sum(values[t][0] < served[t][0] - 0.005 for t in tables)
            lower = sum(values[t][1] < served[t][1] * 0.98 for t in tables)
            higher = sum(values[t][1] > served[t][1] * 1.02 for t in tables)
            print(f"| {rule} | {accuracy:.4f} | {loss:.3f} | {ratio:.2f} | {better} / {worse} | {lower} / {higher} |")
        print("\nper table, accuracy / log loss:\n")
        shown = ["served", "ensemble-up-to5", "average-top3", "average-all", "fixed:linear", "fixed:scarf", "fixed:xgboost", "oracle-accuracy"]
        print("| table | " + " | ".join(shown) + " |")
        print("|---|" + "---:|" * len(shown))
        for table in tables:
            print(f"| {table} | " + " | ".join(
                f"{per_table[r][table][0]:.3f} / {per_table[r][table][1]:.2f}" if table in per_table[r] else "–" for r in shown) + " |")
    if arguments.overall:
        seen, unique = set(), {}
        for key in sorted(pairs, key=lambda k: (not k[1].endswith("%"), k)):
            if (key[0], rows_of[key]) not in seen:
                seen.add((key[0], rows_of[key]))
                unique[key] = pairs[key]
        overall(unique, arguments.overall.split(","), rules)


def overall(pairs, shown, rules):
    """Each shown rule's mean over every (table, budget) pair where all shown rules apply:
    accuracy, its difference from `average-all`, log loss, and log loss ÷ the best rule's
    on the pair (every rule but the oracle competing)."""
    usable = [key for key, values in pairs.items() if all(rule in values for rule in shown + ["average-all"])]
    real = [r for r in rules if r != "oracle-accuracy"]
    print(f"\n## Overall: {len(usable)} (table, budget) pairs\n")
    print("| rule | accuracy | vs `average-all` (points) | log loss | log loss ÷ best rule's (mean) | pairs with lower / higher log loss than `average-all` (±2%) |")
    print("|---|---:|---:|---:|---:|---:|")
    for rule in shown:
        accuracy = statistics.mean(pairs[k][rule][0] for k in usable)
        reference = statistics.mean(pairs[k]["average-all"][0] for k in usable)
        loss = statistics.mean(pairs[k][rule][1] for k in usable)
        ratio = statistics.mean(pairs[k][rule][1] / min(pairs[k][r][1] for r in real if r in pairs[k]) for k in usable)
        lower = sum(pairs[k][rule][1] < 0.98 * pairs[k]["average-all"][1] for k in usable)
        higher = sum(pairs[k][rule][1] > 1.02 * pairs[k]["average-all"][1] for k in usable)
        print(f"| {rule} | {accuracy:.4f} | {100 * (accuracy - reference):+.2f} | {loss:.3f} | {ratio:.2f} | {lower} / {higher} |")


if __name__ == "__main__":
    main()
