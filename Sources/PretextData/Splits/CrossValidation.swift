/// Repeated stratified k-fold cross-validation on a set of rows: the model-selection rule
/// for small label budgets, where a hold-out of a few rows decides nothing.
///
/// Each repeat shuffles every class's rows (seeded, its own stream per repeat) and deals
/// them round-robin into k folds, so every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class
/// c; continuing the deal across classes keeps the fold sizes within one row of each
/// other. Fold i of a repeat validates on its rows and trains on the other k − 1 folds.
/// Over one repeat every row is validated exactly once (out-of-fold), so k·r fits score
/// each row r times. Without classes (regression) the rows are one group.
///
/// k is at most the smallest class's count: each training part keeps every class and
/// every fold sees each class at most once more than the others (scikit-learn's
/// `RepeatedStratifiedKFold` likewise).
public struct StratifiedKFold: Sendable, Equatable {
    public struct Fold: Sendable, Equatable {
        public var repeatIndex: Int
        public var train: [Int]
        public var validation: [Int]
    }

    /// k, after reduction to the smallest class's count.
    public let folds: Int
    public let repeats: Int
    public let seed: UInt64
    /// The rows grouped by class (one group without classes), each in the given order.
    private let groups: [[Int]]

    /// The folds of `rows`, or nil when cross-validation is impossible: fewer than 2
    /// folds fit (a class with a single row, or fewer than 4 rows in all).
    /// - Parameters:
    ///   - classes: each row's class index (same order as `rows`), or nil for regression.
    ///   - folds: k, reduced to the smallest class's count and to half the rows; default 5.
    ///   - repeats: r ≥ 1; default 2.
    public init?(rows: [Int], classes: [Int32]?, folds: Int = 5, repeats: Int = 2, seed: UInt64) {
        groups = DatasetSplit.groupedByClass(rows, classes: classes)
        let k = min(folds, groups.map(\.count).min() ?? 0, rows.count / 2)
        guard k >= 2, repeats >= 1 else { return nil }
        self.folds = k
        self.repeats = repeats
        self.seed = seed
    }

    /// Every (repeat, fold) split, repeat by repeat; each part sorted.
    public var splits: [Fold] {
        var result: [Fold] = []
        for repeatIndex in 0..<repeats {
            var generator = SeededGenerator(seed: seed, stream: "stratified-k-fold-\(repeatIndex)")
            var members = [[Int]](repeating: [], count: folds)
            var next = 0
            for var group in groups {
                generator.shuffle(&group)
                for row in group {
                    members[next].append(row)
                    next = (next + 1) % folds
                }
            }
            for fold in 0..<folds {
                let validation = members[fold].sorted()
                let train = (0..<folds).filter { $0 != fold }.flatMap { members[$0] }.sorted()
                result.append(Fold(repeatIndex: repeatIndex, train: train, validation: validation))
            }
        }
        return result
    }
}
