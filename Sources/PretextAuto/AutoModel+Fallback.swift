import PretextBaselines
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

/// What `auto` serves when nothing can be validated, and how it is calibrated.
extension AutoModel {
    /// What `auto` serves when nothing can be validated (a class with a single labeled
    /// row): with pretraining among the candidates, the pretrained encoder under a linear
    /// probe with fixed settings (`FineTuneConfig`'s epochs without validation); else the
    /// first candidate with fixed settings.
    ///
    /// Chosen on development data, leaving out the tables where the rule matters in the
    /// suite (glass, soybean): with one labeled row per class on nine other tables, 10
    /// seeds each (`bash scripts/fallback-study.sh`), SCARF + linear probe had the best
    /// mean rank in accuracy (1.67 of 5) and in log loss (1.67; 1.27× the best per table),
    /// against full fine-tuning (3.11; 8.8×) — the fallback before — the same network from
    /// scratch, the linear model and XGBoost's defaults.
    func fallback(_ table: Table, rows: [Int], pool: [Int], pretraining: PretrainingConfig, fineTune: FineTuneConfig,
                          trees: GradientBoostedTreesConfig, encoder given: PretrainedEncoder?) throws -> AutoChoice {
        let pretrains = config.candidates.contains(.scarf) || config.candidates.contains(.selfTraining)
        let first = pretrains ? AutoConfig.Candidate.scarf : config.candidates[0]
        // Self-training alone also fails with nothing to pseudo-label; say which.
        let reason = config.candidates.allSatisfy { $0 == .selfTraining }
            ? "self-training was not possible (no unlabeled rows, or too few labeled rows per class to validate)"
            : "too few labeled rows of some class to validate"
        let choice = pretrains
            ? ModelChoice(validation: "none: \(reason); \(pretraining.objective) + linear probe with fixed settings instead "
                              + "(the rule for this case, chosen on development tables)",
                          candidates: [], chosen: "\(pretraining.objective)")
            : ModelChoice(validation: "none: \(reason)", candidates: [], chosen: first.rawValue)
        switch first {
        case .linear:
            var linear = config.linear
            linear.seed = config.seed
            let model: TabularPredictor = try TaskType.infer(for: try targetColumn(table), path: table.source).isClassification
                ? try MLPClassifier(config: linear).fit(table, rows: rows, preprocessingRows: pool)
                : try MLPRegressor(config: linear).fit(table, rows: rows, preprocessingRows: pool)
            let chosen = LinearChoice(model: model)
            chosen.fitted?.choice = choice
            return .linear(chosen)
        case .xgboost:
            let model = try GradientBoostedTrees(config: trees).fit(table, rows: rows, preprocessingRows: pool)
            model.choice = choice
            return .trees(model)
        case .scarf, .scratch, .selfTraining:
            let encoder = first != .scratch ? try given ?? Pretrainer(config: pretraining, progress: pretrainingProgress, communicator: communicator).fit(table, rows: pool)
                : try Pretrainer(config: pretraining).untrained(table, rows: pool)
            var settings = fineTune
            if first == .scarf { settings.strategy = .linearProbe }
            let model = try FineTuner(config: settings).fit(encoder: encoder, table: table, rows: rows)
            let temperatures = Double(config.selection.minimumTemperature)...TemperatureScaling.range.upperBound
            if config.selection.calibrate,
               let temperature = try Self.leaveOneOutTemperature(encoder: encoder, table: table, rows: rows, settings: settings, range: temperatures) {
                model.temperature = temperature
                var calibrated = choice
                calibrated.validation += "; temperature \(String(format: "%.2f", temperature)) from leave-one-out predictions"
                model.choice = calibrated
            } else {
                model.choice = choice
            }
            return .network(model)
        }
    }

    /// The temperature of a fixed-settings fit where nothing cross-validates: every labeled
    /// row of a class with at least two labeled rows is predicted by the same fit on the
    /// other rows (its class still among them, so the classes are the same), and
    /// `TemperatureScaling.calibrate` fits T in `range` (from `minimumTemperature`, 1) to
    /// those leave-one-out logits — the rule
    /// of the cross-validated case (when every prediction is right, the mean confidence is
    /// held to the rule-of-succession accuracy). The predicted class never changes, only
    /// how sure the model says it is: without this the probe with one row of some class,
    /// trained to certainty on the rest, gave log losses of 3–6 on glass at 5% (the suite
    /// at 3c7f7ea). Nil for regression or when no class has two labeled rows.
    static func leaveOneOutTemperature(encoder: PretrainedEncoder, table: Table, rows: [Int], settings: FineTuneConfig,
                                       range: ClosedRange<Double>) throws -> Float? {
        guard let target = table.target, try TaskType.infer(for: target, path: table.source).isClassification else { return nil }
        var perClass: [String: Int] = [:]
        for row in rows where !target.isMissing(row) { perClass[target.text(at: row), default: 0] += 1 }
        let leftOut = rows.filter { !target.isMissing($0) && perClass[target.text(at: $0)]! >= 2 }
        guard !leftOut.isEmpty else { return nil }
        var logits: [Float] = []
        var labels: [Int32] = []
        var classes = 0
        for row in leftOut {
            let model = try FineTuner(config: settings).fit(encoder: encoder, table: table, rows: rows.filter { $0 != row })
            let (outputs, _) = try model.outputs(table.selecting(rows: [row]))
            classes = outputs.columns
            logits += outputs.values
            labels += try model.target.classIndices(table, rows: [row])
        }
        return TemperatureScaling.calibrate(logits: Matrix(rows: leftOut.count, columns: classes, values: logits), labels: labels, range: range)
    }
}
