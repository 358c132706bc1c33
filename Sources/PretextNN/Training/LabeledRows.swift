import PretextData

/// The labeled rows a supervised fit learns from, split into training and validation
/// parts — the one rule every trainer (MLP, fine-tuning, XGBoost) applies.
///
/// Rows whose target is missing are dropped. Without given validation rows, a
/// stratified hold-out of `validationFraction` is used when it has at least
/// `minimumValidationRows` rows; otherwise every row trains and there is no validation
/// (a handful of validation rows makes early stopping follow noise).
public struct LabeledRows {
    public let task: TaskType
    public let target: TargetEncoder
    public let train: [Int]
    public let validation: [Int]

    public init(_ table: Table, rows: [Int]?, validationRows: [Int]?, validationFraction: Double,
                minimumValidationRows: Int, seed: UInt64, requestedTask: TaskType? = nil) throws {
        guard let targetColumn = table.target else {
            throw TrainingError.notEnoughData(reason: "the table has no target column (set one with setRole(.target, for:))")
        }
        task = try TaskType.infer(for: targetColumn, path: table.source, requested: requestedTask)
        let labeled = (rows ?? table.labeledRows).filter { !targetColumn.isMissing($0) }
        guard labeled.count >= 2 else { throw TrainingError.notEnoughData(reason: "\(labeled.count) labeled row(s); at least 2 are needed") }
        target = try TargetEncoder.fit(table, rows: labeled, task: task)
        var train = labeled, validation = validationRows ?? []
        if validationRows == nil && validationFraction > 0 {
            let classes = task.isClassification ? try target.classIndices(table, rows: labeled) : nil
            let split = DatasetSplit.holdOut(labeled, classes: classes, fraction: validationFraction, seed: seed)
            if split.validation.count >= minimumValidationRows { (train, validation) = split }
        }
        self.train = train
        self.validation = validation
    }

}
