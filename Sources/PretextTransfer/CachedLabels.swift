import PretextData
import PretextNN

/// The labeled rows of a columnar cache, for fine-tuning on more of them than memory holds:
/// nothing is kept per labeled row but a bit (`RowSubset`), and labels are read from the
/// mapped target column a batch at a time.
///
/// Built in passes over the target column, `sliceRows` rows at a time:
/// 1. the task (`TaskType.Inference`, over every row as `LabeledRows` infers it) and which
///    rows are labeled;
/// 2. the target's encoding (`TargetEncoder.fit(task:path:pieces:)`; two passes for
///    regression);
/// 3. the rows per class, then a stratified hold-out: class c keeps
///    `DatasetSplit.holdOutCount(n_c, fraction)` rows for validation, as `LabeledRows`
///    does, scaled down proportionally (largest remainders) to at most
///    `maximumValidationRows` in all; each class's are a seeded uniform sample of its
///    ordinals (Floyd's algorithm), found in one more pass. Fewer than
///    `minimumValidationRows` in all: no validation, every labeled row trains.
///
/// Training rows are the labeled rows but the validation ones, by position
/// (`RowsExcept` over the labeled positions, then `RowSubset`), in file order.
struct CachedLabels {
    let cache: CachedTable
    let column: String
    let task: TaskType
    let target: TargetEncoder
    /// Labeled cache rows by position, in file order.
    private let labeled: LabeledPositions
    /// Positions among the labeled rows that train.
    private let trainPositions: RowsExcept
    /// Validation cache rows, sorted.
    let validation: [Int]
    /// Training rows per class (classification), for class weights.
    let trainingClassCounts: [Int]

    /// Labeled rows by position: every labeled row of the cache (a bit per row), or the
    /// labeled ones among rows given (an array of them).
    private enum LabeledPositions {
        case subset(RowSubset)
        case listed([Int])
        var count: Int {
            switch self {
            case .subset(let rows): return rows.count
            case .listed(let rows): return rows.count
            }
        }
        subscript(position: Int) -> Int {
            switch self {
            case .subset(let rows): return rows[position]
            case .listed(let rows): return rows[position]
            }
        }
    }

    /// - Parameters:
    ///   - rows: cache rows to learn from, or nil for every labeled row.
    ///   - present: the rows with a label, if the caller has read them already.
    init(cache: CachedTable, target column: String, rows: [Int]?, present: RowSubset? = nil, validationFraction: Double,
         maximumValidationRows: Int, minimumValidationRows: Int, seed: UInt64, sliceRows: Int = 16_384) throws {
        (self.cache, self.column) = (cache, column)
        func slice(_ rows: [Int]) throws -> Table { try Self.targetTable(cache, column: column, rows: rows) }
        task = try Self.task(cache, column: column, sliceRows: sliceRows)
        let present = try present ?? cache.presentRowSubset(of: column)
        let labeled: LabeledPositions = rows.map { .listed($0.sorted().filter(present.contains)) } ?? .subset(present)
        guard labeled.count >= 2 else { throw TrainingError.notEnoughData(reason: "\(labeled.count) labeled row(s); at least 2 are needed") }
        // Each piece: a slice of the labeled rows, read as a table, and its rows.
        func labeledSlices(_ body: (_ first: Int, _ table: Table) throws -> Void) throws {
            for start in stride(from: 0, to: labeled.count, by: sliceRows) {
                try body(start, slice((start..<min(labeled.count, start + sliceRows)).map { labeled[$0] }))
            }
        }
        let task = task
        target = try TargetEncoder.fit(task: task, path: cache.path) { piece in
            try labeledSlices { _, table in try piece(table, Array(0..<table.rowCount)) }
        }
        let target = target
        // The class of every labeled position, slice by slice (one class for regression).
        func classes(_ body: (_ position: Int, _ label: Int) -> Void) throws {
            try labeledSlices { first, table in
                let labels = task.isClassification ? try target.classIndices(table, rows: Array(0..<table.rowCount)) : [Int32](repeating: 0, count: table.rowCount)
                for (offset, label) in labels.enumerated() { body(first + offset, Int(label)) }
            }
        }
        var counts = [Int](repeating: 0, count: task.isClassification ? target.classNames.count : 1)
        try classes { _, label in counts[label] += 1 }

        var holdOut = counts.map { DatasetSplit.holdOutCount(of: $0, fraction: validationFraction) }
        let wanted = holdOut.reduce(0, +)
        if wanted > maximumValidationRows {
            let shares = holdOut.map { Double($0) * Double(maximumValidationRows) / Double(wanted) }
            holdOut = shares.map { Int($0) }
            let remainder = shares.indices.map { shares[$0] - Double(holdOut[$0]) }
            let byRemainder = shares.indices.sorted { remainder[$0] != remainder[$1] ? remainder[$0] > remainder[$1] : $0 < $1 }
            for index in byRemainder.prefix(maximumValidationRows - holdOut.reduce(0, +)) { holdOut[index] += 1 }
        }
        if validationFraction <= 0 || holdOut.reduce(0, +) < minimumValidationRows { holdOut = holdOut.map { _ in 0 } }
        var generator = SeededGenerator(seed: seed, stream: "hold-out")
        let chosen = zip(holdOut, counts).map { DatasetSplit.sample(count: $0, of: $1, generator: &generator) }
        var seen = [Int](repeating: 0, count: counts.count), next = [Int](repeating: 0, count: counts.count)
        var validationPositions: [Int] = []
        try classes { position, label in
            if next[label] < chosen[label].count && chosen[label][next[label]] == seen[label] {
                validationPositions.append(position)
                next[label] += 1
            }
            seen[label] += 1
        }
        self.labeled = labeled
        trainPositions = RowsExcept(total: labeled.count, excluding: validationPositions)
        validation = validationPositions.map { labeled[$0] }
        trainingClassCounts = zip(counts, holdOut).map { $0 - $1 }
    }

    /// Rows `rows` of the cache's column `column`, as a table with that column as its target.
    static func targetTable(_ cache: CachedTable, column: String, rows: [Int]) throws -> Table {
        var table = cache.table(rows: rows, only: [column])
        try table.setRole(.target, for: column)
        return table
    }

    /// The task of column `column` (`TaskType.Inference` over every row, a slice at a time).
    static func task(_ cache: CachedTable, column: String, sliceRows: Int = 16_384) throws -> TaskType {
        var inference = TaskType.Inference(path: cache.path)
        for start in stride(from: 0, to: cache.rowCount, by: sliceRows) {
            try inference.add(targetTable(cache, column: column, rows: Array(start..<min(cache.rowCount, start + sliceRows))).target!)
        }
        return try inference.task(requested: nil)
    }

    var trainCount: Int { trainPositions.count }

    /// The cache row of training position `position`.
    func trainRow(_ position: Int) -> Int { labeled[trainPositions[position]] }

    /// The objective whose labels are read from the cache for each batch of training positions.
    func objective(balanceClasses: Bool) throws -> SupervisedObjective {
        let (cache, column, target, task) = (cache, column, target, task)
        let trainRow = trainRow
        func batch(_ positions: [Int]) -> Table {
            cache.table(rows: positions.map(trainRow), only: [column])
        }
        let validationTable = cache.table(rows: validation, only: [column])
        let every = Array(0..<validation.count)
        if task.isClassification {
            return SupervisedObjective(
                task: task,
                labels: { positions in
                    do { return try target.classIndices(batch(positions), rows: Array(positions.indices)) } catch {
                        preconditionFailure("a training row's class was not among those fitted on every labeled row: \(error)")
                    }
                },
                targets: { _ in [] }, validationLabels: try target.classIndices(validationTable, rows: every), validationTargets: [],
                classWeights: balanceClasses ? SupervisedObjective.classWeights(counts: trainingClassCounts) : nil)
        }
        return SupervisedObjective(
            task: task, labels: { _ in [] },
            targets: { positions in
                do { return try target.standardized(batch(positions), rows: Array(positions.indices)) } catch {
                    preconditionFailure("the numeric target column could not be read: \(error)")
                }
            },
            validationLabels: [], validationTargets: try target.standardized(validationTable, rows: every), classWeights: nil)
    }
}
