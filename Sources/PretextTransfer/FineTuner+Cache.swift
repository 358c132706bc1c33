import PretextData
import PretextNN
import PretextSSL

extension FineTuner {
    /// Fine-tunes on the labeled rows of a columnar cache without holding the table.
    ///
    /// The target column alone is read whole (one value per row); the labeled rows are
    /// split as `fit(encoder:table:rows:)` splits them. The validation rows' features are
    /// held — at most `Pretrainer.maximumValidationRows` of them when the training rows
    /// are windowed, the rest joining the training rows — and the training rows':
    /// - when they fit in `windowBytes` they are read once and held, and with the same
    ///   settings this trains exactly the model `fit(encoder:table:rows:)` trains on the
    ///   cache's labeled rows read as a table: the same split, batches and initial weights;
    /// - above that, each epoch visits them a window at a time (`WindowedFeatureRows`:
    ///   shuffled blocks of `blockRows` consecutive rows, read in file order, rows shuffled
    ///   within the window), so memory holds at most two windows; a linear probe then
    ///   embeds each batch as it comes, its standardisation from one pass over the file.
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
        var targets = cache.table(only: [target])
        try targets.setRole(.target, for: target)
        let fixed = config.fixedEpochs
        var labeled = try LabeledRows(targets, rows: rows, validationRows: nil, validationFraction: fixed == nil ? config.validationFraction : 0,
                                      minimumValidationRows: config.minimumValidationRows, seed: config.seed)
        let source = try CachedFeatureRows(cache: cache, preprocessor: pretrained.preprocessor)
        let windowRows = max(blockRows, windowBytes / (4 * max(1, source.columns)))
        let windowed = labeled.train.count > windowRows
        if windowed { labeled = labeled.cappingValidation(at: Pretrainer.maximumValidationRows, seed: config.seed) }
        let inputs: HeadInputs = windowed
            ? .windowed(WindowedFeatureRows(source: source, rows: labeled.train, blockRows: blockRows, windowBlocks: max(1, windowRows / blockRows)))
            : .held(source.rows(labeled.train))
        return try fit(pretrained, labeled: labeled, table: targets, inputs: inputs, xValidation: source.rows(labeled.validation))
    }
}
