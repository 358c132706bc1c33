import PretextData
import PretextNN
import PretextSSL

/// The end-to-end calls behind `pretext pretrain / finetune / fit / predict / embed`,
/// so the command-line tool and library users behave the same.
public enum Workflow {
    /// Reads `path`, marks `target` (if given) and `idColumns`.
    public static func readTable(_ path: String, target: String?, idColumns: [String], options: ReadOptions) throws -> (Table, ReadReport) {
        var (table, report) = try TableFile.read(path, options: options)
        if let target { try table.setRole(.target, for: target) }
        for id in idColumns { try table.setRole(.id, for: id) }
        return (table, report)
    }

    /// Reads the `unlabeled` files and stacks them under `table`: the pretraining pool.
    public static func pool(_ table: Table, unlabeledFiles: [String], options: ReadOptions) throws -> Table {
        try pool(table, unlabeled: try unlabeledFiles.map { try readTable($0, target: nil, idColumns: [], options: options).0 })
    }

    /// The pretraining pool: every row of `table` (labeled or not) followed by every row
    /// of the `unlabeled` tables, matched by column name.
    public static func pool(_ table: Table, unlabeled: [Table]) throws -> Table {
        var pool = table
        for extra in unlabeled { pool = try pool.concatenating(extra) }
        return pool
    }

    /// Pretrains an encoder on `pool`: self-supervised, or on the target column as an
    /// upstream label when the objective is `.supervised`. Self-supervised objectives run
    /// data-parallel over `communicator`'s ranks; supervised pretraining runs alone.
    public static func pretrain(_ pool: Table, config: PretrainingConfig, progress: ProgressReporter?,
                                communicator: Communicator = .single) throws -> PretrainedEncoder {
        if config.objective == .supervised {
            guard communicator.size == 1 else { throw DistributedError.unsupported("supervised pretraining") }
            return try SupervisedPretrainer(config: config, progress: progress).fit(pool)
        }
        return try Pretrainer(config: config, progress: progress, communicator: communicator).fit(pool)
    }

    /// Fine-tunes `encoder` on `rows` and saves the model (atomically) with its id columns;
    /// on several ranks (data-parallel), the root alone saves.
    @discardableResult
    public static func fineTuneAndSave(_ encoder: PretrainedEncoder, table: Table, rows: [Int], config: FineTuneConfig,
                                       idColumns: [String], to path: String, progress: ProgressReporter?,
                                       communicator: Communicator = .single) throws -> TabularModel {
        let model = try FineTuner(config: config, progress: progress, communicator: communicator)
            .fit(encoder: encoder, table: table, rows: rows)
        model.idColumns = idColumns
        if communicator.isRoot { try model.save(to: path) }
        return model
    }

    /// The labeled rows a budget allows (nested across budgets for one seed; at least
    /// one row per class), or every labeled row without a budget.
    public static func budgetRows(_ table: Table, budget: LabelBudget?, seed: UInt64) throws -> [Int] {
        let labeled = table.labeledRows
        guard let budget else { return labeled }
        guard let target = table.target else { return labeled }
        let task = try TaskType.infer(for: target, path: table.source)
        let classes = task.isClassification ? try TargetEncoder.fit(table, rows: labeled, task: task).classIndices(table, rows: labeled) : nil
        return try LabelBudgetSampler(rows: labeled, classes: classes, seed: seed).rows(for: budget)
    }

    /// Predictions for `table` as a CSV, plus notes for the user (extra columns ignored,
    /// unseen categories).
    public static func predict(_ model: TabularPredictor, table: Table, idColumns: [String]) throws -> (CSVWriter, [String]) {
        let (csv, extra, report) = try predictionCSV(model, table: table, idColumns: idColumns)
        return (csv, predictionNotes(extra: extra, report: report))
    }

    /// The predictions CSV of `table`, the columns the model ignored, and what the
    /// preprocessing had to work around.
    static func predictionCSV(_ model: TabularPredictor, table: Table,
                              idColumns: [String]) throws -> (CSVWriter, extra: [String], report: FittedPreprocessor.TransformReport) {
        let required = Set(model.requiredColumns)
        let ids = model.idColumns + idColumns.filter { !model.idColumns.contains($0) }
        for id in ids where table.index(of: id) == nil {
            throw DataError.unknownColumn(path: table.source, name: id, role: "an id column",
                                          closeMatches: ColumnNameMatcher.closeMatches(to: id, in: table.columnNames))
        }
        let extra = table.columnNames.filter { !required.contains($0) && !ids.contains($0) && $0 != model.targetColumn }
        let (predictions, report) = try model.predictions(table)
        let rows = try model.predictionRows(table)
        return (predictions.csv(passingThrough: ids, from: rows), extra, report)
    }

    static func predictionNotes(extra: [String], report: FittedPreprocessor.TransformReport) -> [String] {
        var notes: [String] = []
        if !extra.isEmpty {
            notes.append("ignored \(extra.count) column(s) the model does not use: \(extra.prefix(8).joined(separator: ", "))\(extra.count > 8 ? ", …" : "")")
        }
        for (column, count) in report.unknownCategories.sorted(by: { $0.key < $1.key }) {
            notes.append("column \"\(column)\": \(count) value(s) in categories not seen in training (sent to the unknown bucket)")
        }
        for (column, count) in report.unreadableValues.sorted(by: { $0.key < $1.key }) {
            notes.append("column \"\(column)\": \(count) value(s) could not be read as the training type (treated as missing)")
        }
        return notes
    }

    /// The representation of every row as a CSV: id columns, then `embedding_0…`.
    /// An id column `table` lacks is an error (it used to be left out silently).
    public static func embed(_ embeddings: Matrix, table: Table, idColumns: [String]) throws -> CSVWriter {
        let ids = try idColumns.map { id -> Column in
            guard let column = table[id] else {
                throw DataError.unknownColumn(path: table.source, name: id, role: "an id column",
                                              closeMatches: ColumnNameMatcher.closeMatches(to: id, in: table.columnNames))
            }
            return column
        }
        var writer = CSVWriter(header: ids.map(\.name) + (0..<embeddings.columns).map { "embedding_\($0)" })
        for row in 0..<embeddings.rows {
            writer.appendRow(ids.map { $0.text(at: row) } + (0..<embeddings.columns).map { CSVWriter.format(embeddings[row, $0]) })
        }
        return writer
    }

    /// The representation from either an encoder file or a fine-tuned model file.
    public static func embeddings(modelPath: String, table: Table) throws -> (Matrix, idColumns: [String]) {
        switch try ModelFile.kind(of: modelPath) {
        case PretrainedEncoder.kind: return (try PretrainedEncoder.load(from: modelPath).transform(table), [])
        case TabularModel.kind:
            let model = try TabularModel.load(from: modelPath)
            return (try model.embed(table), model.idColumns)
        case let other:
            throw ModelFileError.wrongKind(path: modelPath, found: other, expected: [PretrainedEncoder.kind, TabularModel.kind])
        }
    }
}
