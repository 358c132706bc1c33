import PretextData
import PretextNN
import PretextSSL

extension FineTuner {
    /// Fine-tunes on the labeled rows of a columnar cache without holding the table.
    ///
    /// - When the labeled rows fit in `windowBytes` (their features, or for a strategy
    ///   that trains on frozen embeddings the wider of features and embeddings) their
    ///   features and labels are read once and held, and with the same settings this trains exactly the model
    ///   `fit(encoder:table:rows:)` trains on the cache's labeled rows read as a table: the
    ///   same split, batches and initial weights.
    /// - Above that nothing is held per labeled row but a bit (`CachedLabels`): the task
    ///   and the target's encoding come from passes over the target column, the stratified
    ///   hold-out is at most `Pretrainer.maximumValidationRows` rows (their features held),
    ///   each epoch visits the training rows a window at a time (`WindowedFeatureRows`:
    ///   shuffled blocks of `blockRows` consecutive rows, read in file order, rows shuffled
    ///   within the window; memory holds at most two windows), and each batch's labels
    ///   are read from the mapped target column. A linear probe embeds each batch as it
    ///   comes, its standardisation from one pass over the file, and the hold-out is
    ///   embedded `HeadInputs.sliceRows` rows at a time at each validation.
    ///
    /// - Parameters:
    ///   - target: the label column (must be in the cache).
    ///   - rows: cache rows to learn from (default: every row with a label).
    public func fit(encoder pretrained: PretrainedEncoder, cache: CachedTable, target: String, rows: [Int]? = nil,
                    windowBytes: Int = 64_000_000, blockRows: Int = 1_024) throws -> TabularModel {
        try config.validate()
        guard windowBytes > 0, blockRows > 0 else {
            throw TrainingError.invalidHyperparameter(name: "windowBytes/blockRows", value: "\(windowBytes)/\(blockRows)", expected: "> 0")
        }
        guard cache.columnNames.contains(target) else {
            throw DataError.unknownColumn(path: cache.path, name: target, role: "the target",
                                          closeMatches: ColumnNameMatcher.closeMatches(to: target, in: cache.columnNames))
        }
        let fraction = config.fixedEpochs == nil ? config.validationFraction : 0
        let source = try CachedFeatureRows(cache: cache, preprocessor: pretrained.preprocessor)
        // A probe (and freeze-then-unfreeze's first phase) holds the held rows' embeddings.
        let width = config.strategy == .full ? source.columns : max(source.columns, pretrained.network.outputDimensions)
        let windowRows = max(blockRows, windowBytes / (4 * max(1, width)))
        let present = try cache.presentRowSubset(of: target)
        let labeledCount = rows.map { $0.lazy.filter(present.contains).count } ?? present.count
        if labeledCount <= windowRows {
            // Held: the labeled rows as a table of their own (position p is cache row
            // labeledRows[p]), the task inferred from the whole column as a table's is.
            let labeledRows = rows.map { $0.filter(present.contains) } ?? Array(present)
            let targets = try CachedLabels.targetTable(cache, column: target, rows: labeledRows)
            let labeled = try LabeledRows(targets, rows: nil, validationRows: nil, validationFraction: fraction,
                                          minimumValidationRows: config.minimumValidationRows, seed: config.seed,
                                          requestedTask: try CachedLabels.task(cache, column: target))
            let objective = try SupervisedObjective(task: labeled.task, target: labeled.target, table: targets, trainRows: labeled.train,
                                                    validationRows: labeled.validation, balanceClasses: config.balanceClasses,
                                                    classes: labeled.task.isClassification ? labeled.target.classNames.count : 1)
            return try fit(pretrained, task: labeled.task, target: labeled.target, objective: objective,
                           inputs: .held(source.rows(labeled.train.map { labeledRows[$0] })),
                           xValidation: source.rows(labeled.validation.map { labeledRows[$0] }))
        }
        let labels = try CachedLabels(cache: cache, target: target, rows: rows, present: present, validationFraction: fraction,
                                      maximumValidationRows: Pretrainer.maximumValidationRows,
                                      minimumValidationRows: config.minimumValidationRows, seed: config.seed)
        let windows = WindowedFeatureRows(source: source, rowCount: labels.trainCount, row: labels.trainRow,
                                          blockRows: blockRows, windowBlocks: max(1, windowRows / blockRows))
        return try fit(pretrained, task: labels.task, target: labels.target, objective: try labels.objective(balanceClasses: config.balanceClasses),
                       inputs: .windowed(windows), xValidation: source.rows(labels.validation))
    }
}
