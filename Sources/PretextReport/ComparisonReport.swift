import Foundation
import PretextData

/// Everything `pretext compare` reports: the setup, per-budget results with intervals,
/// win/tie/loss verdicts (Welch's t-test at p < 0.05, as the SCARF paper) and a
/// conclusion in plain words. Codable: `report.json` is this value.
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
        public var seconds: Double
        public var values: [Double]   // primary metric per seed
    }

    public struct Verdict: Codable, Sendable {
        public var method: String
        public var against: String
        /// "win", "tie" or "loss" for `method`; "untested" with fewer than two seeds.
        public var outcome: String
        /// Mean of per-seed differences of the primary metric, and their standard deviation.
        public var difference: Double
        public var differenceDeviation: Double
        public var p: Double
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
                                    seconds: mine.reduce(0) { $0 + $1.seconds } / Double(mine.count), values: mine.map(\.scores.primary))
            }
            var verdicts: [Verdict] = []
            for reference in ["xgboost", "mlp"] {
                guard let base = results.first(where: { $0.method == reference }) else { continue }
                for result in results where result.method != reference && !(reference == "mlp" && result.method == "xgboost") {
                    let (_, _, p) = Statistics.welch(result.values, base.values)
                    let differences = zip(result.values, base.values).map { $0 - $1 }
                    let summary = Summary(differences)
                    let testable = result.values.count >= 2 && base.values.count >= 2
                    let outcome = !testable ? "untested" : p < 0.05 ? (summary.mean > 0 ? "win" : "loss") : "tie"
                    verdicts.append(Verdict(method: result.method, against: reference, outcome: outcome, difference: summary.mean,
                                            differenceDeviation: summary.standardDeviation, p: p))
                }
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
            for verdict in budget.verdicts where verdict.against == "xgboost" && LabelEfficiencyExperiment.Method(rawValue: verdict.method)?.objective != nil {
                let p = String(format: "%.2g", verdict.p)
                switch verdict.outcome {
                case "win": sentence += " \(title(verdict.method)) beat XGBoost by \(points(verdict.difference)) ± \(points(verdict.differenceDeviation)) \(unit) (p = \(p))."
                case "loss": sentence += " XGBoost beat \(title(verdict.method)) by \(points(verdict.difference)) ± \(points(verdict.differenceDeviation)) \(unit) (p = \(p))."
                case "untested": sentence += " \(title(verdict.method)) vs XGBoost: \(verdict.difference >= 0 ? "+" : "−")\(points(verdict.difference)) \(unit) (one seed, so no significance test)."
                default: sentence += " \(title(verdict.method)) and XGBoost were level (difference \(verdict.difference >= 0 ? "+" : "−")\(points(verdict.difference)) \(unit), p = \(p))."
                }
            }
            for pretrained in budget.verdicts where pretrained.against == "mlp" && LabelEfficiencyExperiment.Method(rawValue: pretrained.method)?.strategy == .full {
                let name = title(pretrained.method)
                switch pretrained.outcome {
                case "win": sentence += " Pretraining helped: \(name) beat the same network trained from scratch by \(points(pretrained.difference)) \(unit) (p = \(String(format: "%.2g", pretrained.p)))."
                case "loss": sentence += " Pretraining hurt: the network trained from scratch beat \(name) by \(points(pretrained.difference)) \(unit) (p = \(String(format: "%.2g", pretrained.p)))."
                case "untested": sentence += " \(name) vs the network trained from scratch: \(pretrained.difference >= 0 ? "+" : "−")\(points(pretrained.difference)) \(unit) (one seed, so no significance test)."
                default: sentence += " \(name) made no significant difference against training from scratch (p = \(String(format: "%.2g", pretrained.p)))."
                }
            }
            sentences.append(sentence)
        }
        return sentences
    }
}
