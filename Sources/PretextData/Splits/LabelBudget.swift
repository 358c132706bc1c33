/// How many training labels a model may use: a share of the training rows (`5%`) or a
/// row count (`100`).
public enum LabelBudget: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    case fraction(Double)
    case count(Int)

    /// Parses `"5%"`, `"0.5%"`, `"100%"` or `"100"`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast()), percent.isFinite else {
                throw DataError.invalidLabelBudget(text: text, reason: "\"\(trimmed.dropLast())\" is not a number")
            }
            guard percent > 0 else { throw DataError.invalidLabelBudget(text: text, reason: "a budget must be above 0%") }
            guard percent <= 100 else { throw DataError.invalidLabelBudget(text: text, reason: "a budget cannot exceed 100% of the training rows") }
            self = .fraction(percent / 100)
        } else if let count = Int(trimmed) {
            guard count > 0 else { throw DataError.invalidLabelBudget(text: text, reason: "a budget must be at least 1 row") }
            self = .count(count)
        } else {
            throw DataError.invalidLabelBudget(text: text, reason: "it is neither a percentage nor a whole number")
        }
    }

    public var description: String {
        switch self {
        case .fraction(let share):
            let percent = share * 100
            return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
        case .count(let count): return "\(count)"
        }
    }

    /// The number of rows this budget allows out of `available`, at least one per class.
    public func rowCount(available: Int, classes: Int) throws -> Int {
        let minimum = max(1, classes)
        let wanted: Int
        switch self {
        case .fraction(let share):
            guard share > 0, share <= 1 else { throw DataError.invalidLabelBudget(text: description, reason: "must lie in (0%, 100%]") }
            wanted = max(minimum, Int((share * Double(available)).rounded()))
        case .count(let count):
            guard count <= available else {
                throw DataError.invalidLabelBudget(text: description, reason: "only \(available) labeled training rows are available")
            }
            guard count >= minimum else {
                throw DataError.invalidLabelBudget(text: description, reason: "at least \(minimum) rows are needed to have one per class")
            }
            wanted = count
        }
        guard wanted <= available else {
            throw DataError.invalidLabelBudget(text: description, reason: "needs \(wanted) rows but only \(available) labeled training rows are available")
        }
        return wanted
    }
}

/// Chooses the labeled rows for each budget so that budgets are nested: for one seed,
/// the rows of a smaller budget are always among those of a larger one.
///
/// The training rows are put in one seeded order and a budget of k rows takes the
/// first k. The order starts with one row of each class (so every budget has every
/// class); the remaining rows of class c, shuffled, get keys (i + 0.5)/n_c and are
/// merged by key, so every prefix keeps the class proportions within one row.
public struct LabelBudgetSampler: Sendable {
    public let order: [Int]
    public let classCount: Int

    /// - Parameters:
    ///   - rows: the training rows.
    ///   - classes: each row's class id (nil for regression).
    public init(rows: [Int], classes: [Int32]?, seed: UInt64) {
        var generator = SeededGenerator(seed: seed, stream: "label-budget")
        guard let classes else {
            var shuffled = rows
            generator.shuffle(&shuffled)
            order = shuffled
            classCount = 0
            return
        }
        precondition(classes.count == rows.count, "one class per row")
        var byClass: [Int32: [Int]] = [:]
        for (row, label) in zip(rows, classes) { byClass[label, default: []].append(row) }
        var first: [Int] = []
        var keyed: [(key: Double, tie: Int, row: Int)] = []
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            generator.shuffle(&members)
            first.append(members[0])
            let rest = members.dropFirst()
            for (position, row) in rest.enumerated() {
                keyed.append(((Double(position) + 0.5) / Double(rest.count), Int(label), row))
            }
        }
        keyed.sort { $0.key < $1.key || ($0.key == $1.key && $0.tie < $1.tie) }
        order = first + keyed.map(\.row)
        classCount = byClass.count
    }

    /// The training rows a budget allows, sorted.
    public func rows(for budget: LabelBudget) throws -> [Int] {
        let count = try budget.rowCount(available: order.count, classes: classCount)
        return order.prefix(count).sorted()
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
