/// How labeled rows are divided. Fractions are of the labeled rows.
public struct SplitConfig: Codable, Sendable, Equatable {
    /// Share of labeled rows held out for the final test (range 0.05...0.5; default 0.2).
    public var testFraction: Double = 0.2
    /// Share of labeled rows for validation: early stopping and tuning (range
    /// 0.0...0.5; default 0.1).
    public var validationFraction: Double = 0.1
    /// Keep class proportions in every part (classification only). Default true.
    public var stratify: Bool = true
    /// Seed of the split; the same seed always gives the same split.
    public var seed: UInt64 = 0
    /// A development split: the seed's test rows are set aside unread — not tested on,
    /// trained on, pretrained on or used for preprocessing — and train, validation and
    /// test are carved from its other labeled rows by the same rule (their own shuffle).
    /// For choosing defaults without the test rows of the results reported with the same
    /// seeds. Default false.
    public var development: Bool = false

    public init() {}

    private enum CodingKeys: String, CodingKey { case testFraction, validationFraction, stratify, seed, development }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        testFraction = try container.decode(Double.self, forKey: .testFraction)
        validationFraction = try container.decode(Double.self, forKey: .validationFraction)
        stratify = try container.decode(Bool.self, forKey: .stratify)
        seed = try container.decode(UInt64.self, forKey: .seed)
        development = try container.decodeIfPresent(Bool.self, forKey: .development) ?? false   // absent before it existed
    }

    public func validate() throws {
        guard testFraction.isFinite, (0.05...0.5).contains(testFraction) else {
            throw DataError.invalidOption(name: "testFraction", value: "\(testFraction)", reason: "must lie in 0.05...0.5")
        }
        guard validationFraction.isFinite, (0...0.5).contains(validationFraction) else {
            throw DataError.invalidOption(name: "validationFraction", value: "\(validationFraction)", reason: "must lie in 0...0.5")
        }
        guard testFraction + validationFraction < 0.9 else {
            throw DataError.invalidOption(name: "testFraction + validationFraction", value: "\(testFraction + validationFraction)",
                                          reason: "must leave at least 10% of labeled rows for training")
        }
    }
}

/// Row indices of each part of a table. Unlabeled rows (target missing) never enter
/// validation or test; they are for pretraining only. Each list is sorted.
public struct DatasetSplit: Codable, Sendable, Equatable {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]
    public var unlabeled: [Int]

    /// Every row a self-supervised model may pretrain on: all but the test rows.
    public var pretraining: [Int] { (train + validation + unlabeled).sorted() }

    /// Splits the labeled rows of `table`, stratified by class for classification.
    ///
    /// Within each stratum (a class, or all rows for regression) the rows are shuffled
    /// with `SeededGenerator(seed: config.seed, stream: "split")`; the first
    /// round(n·test) go to test, the next round(n·validation) to validation, the rest to
    /// train. A class with at least 3 rows gets at least one test and, when validation
    /// is asked for, one validation row.
    public static func make(_ table: Table, task: TaskType, config: SplitConfig = SplitConfig()) throws -> DatasetSplit {
        try config.validate()
        var split = make(table, labeled: table.labeledRows, task: task, config: config, stream: "split")
        if config.development {
            let setAside = Set(split.test)
            split = make(table, labeled: table.labeledRows.filter { !setAside.contains($0) }, task: task, config: config, stream: "development split")
        }
        return split
    }

    private static func make(_ table: Table, labeled: [Int], task: TaskType, config: SplitConfig, stream: String) -> DatasetSplit {
        var strata: [[Int]]
        if task.isClassification, config.stratify, let target = table.target {
            var byClass: [String: [Int]] = [:]
            for row in labeled { byClass[target.text(at: row), default: []].append(row) }
            strata = byClass.keys.sorted().map { byClass[$0]! }
        } else {
            strata = [labeled]
        }
        var generator = SeededGenerator(seed: config.seed, stream: stream)
        var split = DatasetSplit(train: [], validation: [], test: [], unlabeled: table.unlabeledRows)
        for index in strata.indices {
            var rows = strata[index]
            generator.shuffle(&rows)
            let count = rows.count
            var testCount = Int((Double(count) * config.testFraction).rounded())
            var validationCount = Int((Double(count) * config.validationFraction).rounded())
            if count >= 3 {
                testCount = max(testCount, 1)
                if config.validationFraction > 0 { validationCount = max(validationCount, 1) }
            }
            testCount = min(testCount, count)
            validationCount = min(validationCount, count - testCount)
            split.test += rows[0..<testCount]
            split.validation += rows[testCount..<(testCount + validationCount)]
            split.train += rows[(testCount + validationCount)...]
        }
        split.train.sort()
        split.validation.sort()
        split.test.sort()
        return split
    }
}

public extension DatasetSplit {
    /// `rows` grouped by class index in increasing order of class, each group in the given
    /// order; one group without classes.
    static func groupedByClass(_ rows: [Int], classes: [Int32]?) -> [[Int]] {
        guard let classes else { return [rows] }
        var byClass: [Int32: [Int]] = [:]
        for (row, label) in zip(rows, classes) { byClass[label, default: []].append(row) }
        return byClass.keys.sorted().map { byClass[$0]! }
    }

    /// Splits `rows` into training and validation parts, stratified by `classes` when
    /// given: round(n_c·fraction) rows of each class (at least one for a class with at
    /// least 2 rows) go to validation. Seeded; both parts sorted.
    /// How many of `total` rows a hold-out of `fraction` takes: rounded, at least 1 when
    /// there are 2 rows or more (and the fraction is positive), always leaving one.
    public static func holdOutCount(of total: Int, fraction: Double) -> Int {
        var count = Int((Double(total) * fraction).rounded())
        if total >= 2 && fraction > 0 { count = max(count, 1) }
        return max(0, min(count, total - 1))
    }

    public static func holdOut(_ rows: [Int], classes: [Int32]?, fraction: Double, seed: UInt64) -> (train: [Int], validation: [Int]) {
        var generator = SeededGenerator(seed: seed, stream: "hold-out")
        let groups = groupedByClass(rows, classes: classes)
        var train: [Int] = [], validation: [Int] = []
        for var group in groups {
            generator.shuffle(&group)
            let count = holdOutCount(of: group.count, fraction: fraction)
            validation += group.prefix(count)
            train += group.dropFirst(count)
        }
        return (train.sorted(), validation.sorted())
    }
}
