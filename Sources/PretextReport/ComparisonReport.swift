import Foundation
import PretextData

/// Everything `pretext compare` reports: the setup, per-budget results with intervals,
/// win/tie/loss verdicts and a conclusion in plain words. Codable: `report.json` is this
/// value.
///
/// Verdicts compare every method with XGBoost and with the same network trained from
/// scratch, on the same seeds' splits: a paired t-test on the per-seed differences, with
/// Holm's correction over all the verdicts of one budget (`Statistics.pairedVerdicts`);
/// a win or loss needs an adjusted p < 0.05.
public struct ComparisonReport: Codable, Sendable {
    public struct Setup: Codable, Sendable {
        public var dataset: String
        public var rows: Int
        public var labeledRows: Int
        public var unlabeledRows: Int
        public var task: String
        public var classes: [String]
        public var seeds: Int
        public var budgets: [String]
        /// Labeled rows each method saw per budget (the same for every seed).
        public var labeledRowsPerBudget: [String: Int]
        public var methods: [String]
        public var settings: [String: String]
    }

    public struct MetricSummary: Codable, Sendable {
        public var mean: Double
        public var standardDeviation: Double
        public var confidence95: Double
    }

    public struct MethodResult: Codable, Sendable {
        public var method: String
        public var title: String
        public var metrics: [String: MetricSummary]
        /// Mean wall time of a fit, and of the pretraining its encoder needed (shared by
        /// every budget and strategy that used it; 0 without pretraining).
        public var seconds: Double
        public var pretrainingSeconds: Double
        public var values: [Double]   // primary metric per seed
        /// How the method chose its settings (XGBoost's tuning), per distinct description.
        public var tuning: [String]
    }

    public struct Verdict: Codable, Sendable {
        public var method: String
        public var against: String
        /// "win", "tie" or "loss" for `method`; "untested" with fewer than two seeds.
        public var outcome: String
        /// Mean of per-seed differences of the primary metric, and their standard deviation.
        public var difference: Double
        public var differenceDeviation: Double
        /// The paired t-test's p, and Holm's adjustment over the budget's verdicts (which decides).
        public var p: Double
        public var adjustedP: Double
    }

    public struct BudgetResult: Codable, Sendable {
        public var budget: String
        public var labeledRows: Int
        public var methods: [MethodResult]
        public var verdicts: [Verdict]
    }

    public var setup: Setup
    /// The headline metric: "accuracy" (classification) or "R²" (regression); higher is better.
    public var primaryMetric: String
    public var budgets: [BudgetResult]
    public var conclusion: [String]

    static let metricOrder = ["accuracy", "macro-F1", "log loss", "ROC-AUC", "RMSE", "MAE", "R²"]

    /// The report of `configuration`'s experiment on `table` from its cells.
    public init(cells: [LabelEfficiencyExperiment.Cell], table: Table, configuration: LabelEfficiencyExperiment.Configuration) {
        self.init(cells: cells, table: table, budgets: configuration.budgets.map(\.description), methods: configuration.methods,
                  settings: configuration.settingsSummary)
    }

    public init(cells: [LabelEfficiencyExperiment.Cell], table: Table, budgets: [String], methods: [LabelEfficiencyExperiment.Method],
                settings: [String: String]) {
        let target = table.target
        let classification = cells.first?.scores.accuracy != nil
        primaryMetric = classification ? "accuracy" : "R²"
        var labeledPerBudget: [String: Int] = [:]
        for cell in cells { labeledPerBudget[cell.budget] = cell.labeledRows }
        let classes = target.map { column in Set((0..<column.count).filter { !column.isMissing($0) }.map { column.text(at: $0) }).sorted() } ?? []
        setup = Setup(dataset: (table.source as NSString).lastPathComponent, rows: table.rowCount, labeledRows: table.labeledRows.count,
                      unlabeledRows: table.unlabeledRows.count, task: classification ? "classification" : "regression",
                      classes: classification ? classes : [], seeds: Set(cells.map(\.seed)).count, budgets: budgets,
                      labeledRowsPerBudget: labeledPerBudget, methods: methods.map(\.rawValue), settings: settings)
        self.budgets = budgets.map { budget in
            let inBudget = cells.filter { $0.budget == budget }
            let results = methods.compactMap { method -> MethodResult? in
                let mine = inBudget.filter { $0.method == method }.sorted { $0.seed < $1.seed }
                guard !mine.isEmpty else { return nil }
                var metrics: [String: MetricSummary] = [:]
                let extractors: [(String, (Scores) -> Double?)] = [("accuracy", \.accuracy), ("macro-F1", \.macroF1), ("log loss", \.logLoss),
                                                                  ("ROC-AUC", \.rocAUC), ("RMSE", \.rmse), ("MAE", \.mae), ("R²", \.rSquared)]
                for (name, extract) in extractors {
                    let values = mine.compactMap { extract($0.scores) }
                    guard values.count == mine.count else { continue }
                    let summary = Summary(values)
                    metrics[name] = MetricSummary(mean: summary.mean, standardDeviation: summary.standardDeviation,
                                                  confidence95: Statistics.confidenceHalfWidth(values))
                }
                return MethodResult(method: method.rawValue, title: method.title, metrics: metrics,
                                    seconds: mine.reduce(0) { $0 + $1.seconds } / Double(mine.count),
                                    pretrainingSeconds: mine.reduce(0) { $0 + $1.pretrainingSeconds } / Double(mine.count),
                                    values: mine.map(\.scores.primary),
                                    tuning: mine.compactMap(\.tuning).reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
            }
            // Every method against XGBoost and against the same network from scratch, paired by seed.
            func perSeed(_ method: String) -> [Int: Double] {
                Dictionary(inBudget.filter { $0.method.rawValue == method }.map { ($0.seed, $0.scores.primary) }) { first, _ in first }
            }
            var pairs: [(method: String, against: String, values: [Double], reference: [Double])] = []
            for reference in ["xgboost", "scratch"] where results.contains(where: { $0.method == reference }) {
                let base = perSeed(reference)
                for result in results where result.method != reference && !(reference == "scratch" && result.method == "xgboost") {
                    let mine = perSeed(result.method)
                    let seeds = mine.keys.filter { base[$0] != nil }.sorted()
                    pairs.append((result.method, reference, seeds.map { mine[$0]! }, seeds.map { base[$0]! }))
                }
            }
            let tested = Statistics.pairedVerdicts(pairs.map { ($0.values, $0.reference) })
            let verdicts = zip(pairs, tested).map { pair, verdict in
                Verdict(method: pair.method, against: pair.against, outcome: verdict.outcome, difference: verdict.difference,
                        differenceDeviation: verdict.differenceDeviation, p: verdict.p, adjustedP: verdict.adjustedP)
            }
            return BudgetResult(budget: budget, labeledRows: labeledPerBudget[budget] ?? 0, methods: results, verdicts: verdicts)
        }
        conclusion = []
        conclusion = makeConclusion()
    }

    /// Plain-words sentences generated from the numbers.
    private func makeConclusion() -> [String] {
        let unit = primaryMetric == "accuracy" ? "accuracy points" : "R² points"
        func title(_ method: String) -> String { LabelEfficiencyExperiment.Method(rawValue: method)?.title ?? method }
        func points(_ value: Double) -> String { String(format: "%.1f", abs(value) * 100) }
        var sentences: [String] = []
        for budget in budgets {
            guard let best = budget.methods.max(by: { $0.values.reduce(0, +) / Double($0.values.count) < $1.values.reduce(0, +) / Double($1.values.count) }) else { continue }
            let bestMean = best.metrics[primaryMetric]?.mean ?? .nan
            var sentence = "At \(budget.budget) labels (\(budget.labeledRows) rows) the best mean \(primaryMetric) was \(best.title)'s (\(String(format: "%.3f", bestMean)))."
            for verdict in budget.verdicts where verdict.against == "xgboost" && LabelEfficiencyExperiment.Method(rawValue: verdict.method)?.usesPretraining == true {
                let p = String(format: "%.2g", verdict.adjustedP)
                switch verdict.outcome {
                case "win": sentence += " \(title(verdict.method)) beat XGBoost by \(points(verdict.difference)) ± \(points(verdict.differenceDeviation)) \(unit) (p = \(p))."
                case "loss": sentence += " XGBoost beat \(title(verdict.method)) by \(points(verdict.difference)) ± \(points(verdict.differenceDeviation)) \(unit) (p = \(p))."
                case "untested": sentence += " \(title(verdict.method)) vs XGBoost: \(verdict.difference >= 0 ? "+" : "−")\(points(verdict.difference)) \(unit) (one seed, so no significance test)."
                default: sentence += " \(title(verdict.method)) and XGBoost were level (difference \(verdict.difference >= 0 ? "+" : "−")\(points(verdict.difference)) \(unit), p = \(p))."
                }
            }
            for pretrained in budget.verdicts where pretrained.against == "scratch" && LabelEfficiencyExperiment.Method(rawValue: pretrained.method)?.usesPretraining == true {
                let name = title(pretrained.method)
                switch pretrained.outcome {
                case "win": sentence += " Pretraining helped: \(name) beat the same network trained from scratch by \(points(pretrained.difference)) \(unit) (p = \(String(format: "%.2g", pretrained.adjustedP)))."
                case "loss": sentence += " Pretraining hurt: the network trained from scratch beat \(name) by \(points(pretrained.difference)) \(unit) (p = \(String(format: "%.2g", pretrained.adjustedP)))."
                case "untested": sentence += " \(name) vs the network trained from scratch: \(pretrained.difference >= 0 ? "+" : "−")\(points(pretrained.difference)) \(unit) (one seed, so no significance test)."
                default: sentence += " \(name) made no significant difference against training from scratch (p = \(String(format: "%.2g", pretrained.adjustedP)))."
                }
            }
            sentences.append(sentence)
        }
        return sentences
    }
}
