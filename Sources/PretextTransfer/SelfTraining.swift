import PretextData
import PretextNN
import PretextSSL

/// Self-training settings: the unlabeled rows used a second time, as confident,
/// class-balanced pseudo-labels (the teacher–student scheme of Yarowsky 1995 and
/// scikit-learn's `SelfTrainingClassifier`; class balance as in Kim et al. 2023,
/// "Revisiting Self-Training with Regularized Pseudo-Labeling for Tabular Data").
/// One round: the teacher labels, the student learns from labels and pseudo-labels.
/// These defaults are not tuned on reported test rows; cross-validation on the budget rows
/// decides whether self-training is used at all (`AutoModel`).
public struct SelfTrainingConfig: Codable, Sendable, Equatable {
    /// Class c receives at most ⌈ratio · n_c⌉ pseudo-labels, n_c its labeled rows, so the
    /// pseudo-labels keep the labeled class balance. Default 1 (at most doubles the data).
    public var ratio: Double = 1
    /// Least calibrated probability of the predicted class for a row to be pseudo-labeled.
    /// Default 0.75, scikit-learn's `SelfTrainingClassifier` threshold.
    public var minimumConfidence: Float = 0.75

    public init() {}

    public func validate() throws {
        guard ratio.isFinite, ratio > 0 else {
            throw TrainingError.invalidHyperparameter(name: "ratio", value: "\(ratio)", expected: "a positive number")
        }
        guard minimumConfidence.isFinite, minimumConfidence >= 0, minimumConfidence < 1 else {
            throw TrainingError.invalidHyperparameter(name: "minimumConfidence", value: "\(minimumConfidence)", expected: "0 ≤ p < 1")
        }
    }
}

/// Choosing pseudo-labels from a teacher's class probabilities.
public enum PseudoLabels {
    /// For each class c, the rows whose most probable class is c with probability at least
    /// `minimumConfidence`, most confident first, at most `quotas[c]` of them (ties by row
    /// order). Returns (row, class) pairs, grouped by class.
    ///
    /// - Parameters:
    ///   - probabilities: (rows.count, C) class probabilities, row-major.
    public static func select(probabilities: Matrix, rows: [Int], quotas: [Int], minimumConfidence: Float) -> [(row: Int, label: Int32)] {
        precondition(probabilities.rows == rows.count && probabilities.columns == quotas.count, "PseudoLabels: shape")
        var byClass = [[(row: Int, probability: Float)]](repeating: [], count: quotas.count)
        for index in rows.indices {
            var best = 0
            for c in 1..<max(1, probabilities.columns) where probabilities[index, c] > probabilities[index, best] { best = c }
            let probability = probabilities[index, best]
            if probability >= minimumConfidence { byClass[best].append((rows[index], probability)) }
        }
        var chosen: [(row: Int, label: Int32)] = []
        for (c, candidates) in byClass.enumerated() {
            let ranked = candidates.enumerated().sorted { $0.element.probability > $1.element.probability
                || ($0.element.probability == $1.element.probability && $0.offset < $1.offset) }
            chosen += ranked.prefix(quotas[c]).map { ($0.element.row, Int32(c)) }
        }
        return chosen
    }

    /// ⌈ratio · n_c⌉ per class, n_c the count of class c among `labels`.
    public static func quotas(labels: [Int32], classes: Int, ratio: Double) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[Int(label)] += 1 }
        return counts.map { Int((Double($0) * ratio).rounded(.up)) }
    }
}

/// One round of self-training on a pretrained encoder: a fitted teacher labels the
/// unlabeled rows (`PseudoLabels`, with its calibrated probabilities), then a student —
/// the same encoder fine-tuned afresh with the same settings — learns from the labeled
/// rows and the pseudo-labeled ones together.
///
/// The student trains for `config.fixedEpochs` epochs (the count cross-validation chose
/// for the teacher), or, with `validationRows`, early-stops on those labeled rows; a
/// hold-out carved from labeled + pseudo-labeled rows would validate on the teacher's
/// guesses, so one of the two is required. Unlabeled rows' own target values, if any, are
/// never read: every pseudo-labeled row's target is overwritten in a copy of the table.
public struct SelfTrainer {
    public var config: FineTuneConfig
    public var selfTraining: SelfTrainingConfig

    public init(config: FineTuneConfig, selfTraining: SelfTrainingConfig = SelfTrainingConfig()) {
        self.config = config
        self.selfTraining = selfTraining
    }

    /// - Parameters:
    ///   - rows: the labeled rows the student learns from (the teacher's training rows).
    ///   - validationRows: labeled rows for the student's early stopping, or nil with
    ///     `config.fixedEpochs` set.
    ///   - unlabeled: rows whose features may be pseudo-labeled (must not overlap `rows`
    ///     or `validationRows`).
    /// - Returns: the student and how many rows it took as pseudo-labeled.
    public func fit(encoder: PretrainedEncoder, table: Table, rows: [Int], validationRows: [Int]?, unlabeled: [Int],
                    teacher: TabularModel) throws -> (model: TabularModel, pseudoLabeled: Int) {
        try selfTraining.validate()
        guard teacher.target.task.isClassification else {
            throw TrainingError.invalidHyperparameter(name: "self-training", value: "\(teacher.target.task)", expected: "a classification task")
        }
        guard validationRows != nil || config.fixedEpochs != nil else {
            throw TrainingError.invalidHyperparameter(name: "self-training", value: "no validation rows and no fixed epochs",
                                                      expected: "validationRows or FineTuneConfig.fixedEpochs")
        }
        let labels = try teacher.target.classIndices(table, rows: rows)
        let classes = teacher.target.classNames.count
        var pseudo: [(row: Int, label: Int32)] = []
        if !unlabeled.isEmpty {
            let (logits, _) = try teacher.outputs(table.selecting(rows: unlabeled))
            let probabilities = SoftmaxCrossEntropy.probabilities(TemperatureScaling.apply(logits, temperature: teacher.temperature))
            pseudo = PseudoLabels.select(probabilities: probabilities, rows: unlabeled,
                                         quotas: PseudoLabels.quotas(labels: labels, classes: classes, ratio: selfTraining.ratio),
                                         minimumConfidence: selfTraining.minimumConfidence)
        }
        let student = try FineTuner(config: config).fit(encoder: encoder, table: try Self.pseudoLabeled(table, pseudo, like: rows, labels: labels),
                                                        rows: rows + pseudo.map(\.row), validationRows: validationRows)
        return (student, pseudo.count)
    }

    /// A copy of `table` whose target holds class `label` at each pseudo-labeled row: the
    /// value is copied from a labeled row of that class, so the column's type, storage
    /// and spellings stay as they were.
    static func pseudoLabeled(_ table: Table, _ pseudo: [(row: Int, label: Int32)], like rows: [Int], labels: [Int32]) throws -> Table {
        guard !pseudo.isEmpty else { return table }
        guard let index = table.columns.firstIndex(where: { $0.role == .target }) else {
            throw TrainingError.notEnoughData(reason: "the table has no target column")
        }
        var example: [Int32: Int] = [:]
        for (row, label) in zip(rows, labels) where example[label] == nil { example[label] = row }
        var copy = table
        var column = copy.columns[index]
        switch column.storage {
        case .numeric(var values):
            for (row, label) in pseudo { values[row] = values[example[label]!] }
            column.storage = .numeric(values)
        case .categorical(var codes, let vocabulary):
            for (row, label) in pseudo { codes[row] = codes[example[label]!] }
            column.storage = .categorical(codes: codes, vocabulary: vocabulary)
        case .datetime(var values):
            for (row, label) in pseudo { values[row] = values[example[label]!] }
            column.storage = .datetime(values)
        }
        copy.columns[index] = column
        return copy
    }
}
