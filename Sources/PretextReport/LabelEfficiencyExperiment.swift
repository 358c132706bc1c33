import Foundation
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

/// Runs every method at every label budget over several seeds, on the same splits.
///
/// Per seed: a stratified train/validation/test split of the labeled rows; SCARF
/// pretraining once on every non-test row (labeled or not); then for each budget the
/// nested budget rows of the training part. Every method sees exactly those labeled
/// rows and nothing else labeled: early stopping uses a hold-out drawn from the budget
/// rows themselves (or none when it would be under 30 rows, see `FineTuneConfig`).
/// The split's validation part is not used by any method. Scores are on the test rows.
public struct LabelEfficiencyExperiment {
    public enum Method: String, Codable, Sendable, CaseIterable {
        case mlp = "mlp"
        case scarfLinearProbe = "scarf-linear-probe"
        case scarfFull = "scarf-full"

        public var title: String {
            switch self {
            case .mlp: return "MLP from scratch"
            case .scarfLinearProbe: return "SCARF + linear probe"
            case .scarfFull: return "SCARF + full fine-tune"
            }
        }
    }

    public struct Configuration: Sendable {
        public var budgets: [LabelBudget] = [.fraction(0.05), .fraction(1)]
        public var seeds = 5
        public var methods = Method.allCases
        public var scarf = ScarfConfig()
        public var fineTune = FineTuneConfig()
        public var supervised = SupervisedConfig()
        public var split = SplitConfig()
        public init() {}
    }

    public struct Cell: Codable, Sendable {
        public var method: Method
        public var budget: String
        public var seed: Int
        public var labeledRows: Int
        public var scores: Scores
        public var seconds: Double
    }

    public var configuration: Configuration
    public var log: (String) -> Void

    public init(configuration: Configuration, log: @escaping (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.log = log
    }

    public func run(_ table: Table) throws -> [Cell] {
        guard let targetColumn = table.target else { throw TrainingError.notEnoughData(reason: "the table has no target column") }
        let task = try TaskType.infer(for: targetColumn, path: table.source)
        var cells: [Cell] = []
        let total = configuration.seeds * configuration.budgets.count * configuration.methods.count
        let clock = Stopwatch()
        for seed in 0..<configuration.seeds {
            var splitConfig = configuration.split
            splitConfig.seed = UInt64(seed)
            let split = try DatasetSplit.make(table, task: task, config: splitConfig)
            let test = table.selecting(rows: split.test)
            var encoder: PretrainedEncoder? = nil
            if configuration.methods.contains(where: { $0 != .mlp }) {
                var scarf = configuration.scarf
                scarf.seed = UInt64(seed)
                encoder = try ScarfPretrainer(config: scarf).fit(table, rows: split.pretraining)
            }
            let classes = task.isClassification
                ? try TargetEncoder.fit(table, rows: split.train, task: task).classIndices(table, rows: split.train) : nil
            let sampler = LabelBudgetSampler(rows: split.train, classes: classes, seed: UInt64(seed))
            for budget in configuration.budgets {
                let rows = try sampler.rows(for: budget)
                for method in configuration.methods {
                    let stopwatch = Stopwatch()
                    let predictor: TabularPredictor
                    switch method {
                    case .mlp:
                        var config = configuration.supervised
                        config.seed = UInt64(seed)
                        predictor = task.isClassification ? try MLPClassifier(config: config).fit(table, rows: rows)
                            : try MLPRegressor(config: config).fit(table, rows: rows)
                    case .scarfLinearProbe, .scarfFull:
                        var config = configuration.fineTune
                        config.seed = UInt64(seed)
                        config.strategy = method == .scarfFull ? .full : .linearProbe
                        predictor = try FineTuner(config: config).fit(encoder: encoder!, table: table, rows: rows)
                    }
                    let (predictions, _) = try predictor.predictions(test)
                    let scores = task.isClassification
                        ? Scores.classification(predictions, truth: split.test.map { targetColumn.text(at: $0) })
                        : Scores.regression(predictions.values, truth: split.test.map { Double(targetColumn.floatValues![$0]) })
                    cells.append(Cell(method: method, budget: budget.description, seed: seed, labeledRows: rows.count,
                                      scores: scores, seconds: stopwatch.seconds))
                    let done = cells.count
                    let eta = clock.seconds / Double(done) * Double(total - done)
                    log("cell \(done)/\(total): seed \(seed), \(budget) labels, \(method.title): \(String(format: "%.4f", scores.primary)) (ETA \(Int(eta)) s)")
                }
            }
        }
        return cells
    }

    /// A Markdown table: one row per method, one column per budget, mean ± standard
    /// deviation of the primary score (accuracy or R²) over seeds.
    public static func markdown(_ cells: [Cell], dataset: String, budgets: [String], methods: [Method]) -> String {
        let metric = cells.first?.scores.accuracy != nil ? "accuracy" : "R²"
        var lines = ["**\(dataset)** — test \(metric), mean ± std over \(Set(cells.map(\.seed)).count) seeds", "",
                     "| method | " + budgets.map { budget in
                         let rows = cells.first { $0.budget == budget }?.labeledRows ?? 0
                         return "\(budget) labels (\(rows) rows)"
                     }.joined(separator: " | ") + " |",
                     "|---|" + budgets.map { _ in "---:" }.joined(separator: "|") + "|"]
        for method in methods {
            let entries = budgets.map { budget -> String in
                let summary = Summary(cells.filter { $0.method == method && $0.budget == budget }.map(\.scores.primary))
                return String(format: "%.3f ± %.3f", summary.mean, summary.standardDeviation)
            }
            lines.append("| \(method.title) | " + entries.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
