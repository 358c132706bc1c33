import PretextData
import PretextNN
import PretextSSL

/// The workflow on a columnar cache (`pretext cache`), never holding the whole table:
/// pretraining and fine-tuning stream batches (a label budget is drawn from the labeled
/// rows' targets),
/// `fit` reads the labeled rows and a sample of the others, prediction and
/// embedding go a chunk of rows at a time into a `CSVStream`. A chunk's rows are a small
/// `Table` with the cache's columns (categories keep their whole vocabulary), so each
/// row gets the output it gets from the table read whole: exactly for trees and for a
/// single chunk, up to the last bits of a network's matrix products otherwise (their
/// kernels depend on the number of rows).
extension Workflow {
    /// Rows per chunk when predicting or embedding a cache: with up to 64 features that
    /// is 4 MB of inputs, and outputs are written before the next chunk is read.
    public static let cacheChunkRows = 16_384

    /// Pretrains self-supervised on a columnar cache, streaming its rows
    /// (`Pretrainer.fit(_:excluding:)`): `excluding` names the target and id columns,
    /// which must exist in the cache. Returns the encoder and the rows it pretrained on.
    /// `windowBytes`: `Pretrainer.streamingWindowBytes` (default its default).
    public static func pretrain(cache path: String, excluding: [String], options: ReadOptions, config: PretrainingConfig,
                                windowBytes: Int? = nil, progress: ProgressReporter?,
                                communicator: Communicator = .single) throws -> (PretrainedEncoder, rows: Int) {
        try TableFile.checkOptions(options, forCache: path)
        let cache = try CachedTable(path: path)
        for name in excluding where !cache.columnNames.contains(name) {
            throw DataError.unknownColumn(path: path, name: name, role: "the target or an id column",
                                          closeMatches: ColumnNameMatcher.closeMatches(to: name, in: cache.columnNames))
        }
        var pretrainer = Pretrainer(config: config, progress: progress, communicator: communicator)
        if let windowBytes { pretrainer.streamingWindowBytes = windowBytes }
        return (try pretrainer.fit(cache, excluding: Set(excluding)), cache.rowCount)
    }

    /// Fine-tunes `encoder` on a cache's labeled rows — or a `budget` of them, drawn as
    /// `budgetRows` draws from a table — streaming their features
    /// (`FineTuner.fit(encoder:cache:target:rows:windowBytes:)`), and saves the model (rank
    /// 0). An encoder pretrained on another table is aligned by column name
    /// (`TableAlignment`); only when the cache has feature columns the encoder lacks are
    /// the learning rows read whole, to fit those columns' preprocessing. Returns the
    /// model, the alignment and how many labeled rows it learned from.
    public static func fineTuneAndSave(_ encoder: PretrainedEncoder, cache path: String, target: String, idColumns: [String],
                                       budget: LabelBudget?, options: ReadOptions, config: FineTuneConfig, windowBytes: Int,
                                       seed: UInt64, to output: String, progress: ProgressReporter?,
                                       communicator: Communicator = .single) throws -> (TabularModel, ColumnAlignment, rows: Int) {
        try TableFile.checkOptions(options, forCache: path)
        let cache = try CachedTable(path: path)
        for name in [target] + idColumns where !cache.columnNames.contains(name) {
            throw DataError.unknownColumn(path: path, name: name, role: name == target ? "the target" : "an id column",
                                          closeMatches: ColumnNameMatcher.closeMatches(to: name, in: cache.columnNames))
        }
        // A budget is drawn from the labeled rows' targets (the rows a table's budget is
        // drawn from, in the same order); without one, every labeled row learns, and
        // fine-tuning reads them as it goes.
        var rows: [Int]?
        if let budget {
            let labeled = try cache.presentRows(of: target)
            rows = try budgetRows(CachedLabels.targetTable(cache, column: target, rows: labeled), budget: budget, seed: seed).map { labeled[$0] }
        }
        var schema = cache.table(rows: [])
        try schema.setRole(.target, for: target)
        for id in idColumns { try schema.setRole(.id, for: id) }
        var aligned = (encoder: encoder, alignment: TableAlignment.columns(encoder, schema))
        if !aligned.alignment.new.isEmpty || !aligned.alignment.missing.isEmpty {
            var learning = aligned.alignment.new.isEmpty ? schema : cache.table(rows: try rows ?? cache.presentRows(of: target))
            try learning.setRole(.target, for: target)
            for id in idColumns { try learning.setRole(.id, for: id) }
            aligned = try TableAlignment.align(encoder, to: learning, seed: seed)
        }
        let model = try FineTuner(config: config, progress: progress, communicator: communicator)
            .fit(encoder: aligned.encoder, cache: cache, target: target, rows: rows, windowBytes: windowBytes)
        model.idColumns = idColumns
        if communicator.isRoot { try model.save(to: output) }
        return (model, aligned.alignment, try rows?.count ?? cache.presentRowSubset(of: target).count)
    }

    /// What `fit` learns from in a cache, held in memory: every labeled row (a value in
    /// `target`) and a seeded uniform sample of at most `unlabeledSample` of the other rows
    /// (reservoir sampling in one pass over the row numbers, so nothing per row is held),
    /// in file order, with the target and id columns marked. Pretraining streams the
    /// whole cache separately; this table is the pool of the baselines' preprocessing
    /// and of self-training's pseudo-labels. Returns the table, how many of its rows are
    /// unlabeled, and how many rows the cache has.
    public static func fitTable(cache path: String, target: String, idColumns: [String], options: ReadOptions,
                                unlabeledSample: Int = 100_000, seed: UInt64) throws -> (Table, unlabeled: Int, cacheRows: Int) {
        precondition(unlabeledSample >= 0, "unlabeledSample must be ≥ 0")
        try TableFile.checkOptions(options, forCache: path)
        let cache = try CachedTable(path: path)
        let labeled = try cache.presentRows(of: target)
        guard !labeled.isEmpty else { throw TrainingError.notEnoughData(reason: "\(path) has no rows with a value in \"\(target)\"") }
        var sample: [Int] = []
        var generator = SeededGenerator(seed: seed, stream: "fit-unlabeled-sample")
        var seen = 0, next = 0
        for row in 0..<cache.rowCount {
            if next < labeled.count && labeled[next] == row {
                next += 1
                continue
            }
            seen += 1
            if sample.count < unlabeledSample {
                sample.append(row)
            } else if unlabeledSample > 0 {
                let slot = generator.nextInt(below: seen)
                if slot < unlabeledSample { sample[slot] = row }
            }
        }
        var table = cache.table(rows: (labeled + sample).sorted())
        try table.setRole(.target, for: target)
        for id in idColumns { try table.setRole(.id, for: id) }
        return (table, sample.count, cache.rowCount)
    }

    /// Predicts every row of a cache into a predictions CSV at `output` (`-`: standard
    /// output), `chunkRows` rows at a time. The file is complete or absent. A model that
    /// reads long-layout series needs whole series, so it gets the whole table at once.
    /// Returns the rows written and the notes `predict(_:table:idColumns:)` gives.
    @discardableResult
    public static func predict(_ model: TabularPredictor, cache path: String, idColumns: [String], options: ReadOptions, to output: String,
                               chunkRows: Int = cacheChunkRows, progress: ProgressReporter? = nil) throws -> (rows: Int, notes: [String]) {
        precondition(chunkRows > 0, "chunkRows must be positive")
        try TableFile.checkOptions(options, forCache: path)
        let cache = try CachedTable(path: path)
        var extra: [String] = []
        var report = FittedPreprocessor.TransformReport()
        var stream: CSVStream?
        try forEachChunk(of: cache, rows: model.readsSeries ? max(cache.rowCount, 1) : chunkRows, progress: progress) { chunk in
            let (csv, ignored, chunkReport) = try predictionCSV(model, table: chunk, idColumns: idColumns)
            if stream == nil { stream = try CSVStream(path: output, header: csv.header) }
            try stream!.append(csv)
            extra = ignored
            report.unknownCategories.merge(chunkReport.unknownCategories, uniquingKeysWith: +)
            report.unreadableValues.merge(chunkReport.unreadableValues, uniquingKeysWith: +)
        }
        guard let stream else { throw TrainingError.notEnoughData(reason: "\(path) has no rows to predict") }
        try stream.finish()
        return (stream.rowCount, predictionNotes(extra: extra, report: report))
    }

    /// Embeds every row of a cache with an encoder or fine-tuned model file into a CSV at
    /// `output` (id columns, then `embedding_0…`), a chunk at a time; complete or absent.
    /// Returns the rows and the width written.
    @discardableResult
    public static func embed(modelPath: String, cache path: String, idColumns: [String], options: ReadOptions, to output: String,
                             chunkRows: Int = cacheChunkRows, progress: ProgressReporter? = nil) throws -> (rows: Int, columns: Int) {
        precondition(chunkRows > 0, "chunkRows must be positive")
        try TableFile.checkOptions(options, forCache: path)
        let cache = try CachedTable(path: path)
        let transform: (Table) throws -> Matrix
        var ids = idColumns
        switch try ModelFile.kind(of: modelPath) {
        case PretrainedEncoder.kind:
            let encoder = try PretrainedEncoder.load(from: modelPath)
            transform = { try encoder.transform($0) }
        case TabularModel.kind:
            let model = try TabularModel.load(from: modelPath)
            ids = model.idColumns + idColumns.filter { !model.idColumns.contains($0) }
            transform = { try model.embed($0) }
        case let other:
            throw ModelFileError.wrongKind(path: modelPath, found: other, expected: [PretrainedEncoder.kind, TabularModel.kind])
        }
        var stream: CSVStream?
        var width = 0
        try forEachChunk(of: cache, rows: chunkRows, progress: progress) { chunk in
            let embeddings = try transform(chunk)
            let csv = try embed(embeddings, table: chunk, idColumns: ids)
            if stream == nil { stream = try CSVStream(path: output, header: csv.header) }
            try stream!.append(csv)
            width = embeddings.columns
        }
        guard let stream else { throw TrainingError.notEnoughData(reason: "\(path) has no rows to embed") }
        try stream.finish()
        return (stream.rowCount, width)
    }

    private static func forEachChunk(of cache: CachedTable, rows chunkRows: Int, progress: ProgressReporter?,
                                     _ body: (Table) throws -> Void) throws {
        var start = 0
        let chunks = (cache.rowCount + chunkRows - 1) / chunkRows
        while start < cache.rowCount {
            let end = min(cache.rowCount, start + chunkRows)
            try body(cache.table(rows: Array(start..<end)))
            progress?.report(done: (end + chunkRows - 1) / chunkRows, total: chunks, rows: end,
                             message: "\(end) of \(cache.rowCount) rows", force: end == cache.rowCount)
            start = end
        }
    }
}
