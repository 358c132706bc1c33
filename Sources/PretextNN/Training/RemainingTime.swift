/// How long a comparison has left, from what its cells took so far: each remaining cell
/// is expected to take the mean time of the cells of its method at its point (label
/// budget or history), else of its method at any point; while some remaining cell's
/// method has not run yet there is no estimate. A plain mean over the cells done misleads,
/// because every seed starts with cheap baselines: a series forecasting comparison
/// printed "ETA 2:11" with more than ten minutes to go. Used by `compare`, `series
/// compare` and `series classify --method auto`'s cross-validation.
public struct RemainingTime {
    private struct Mean {
        var total = 0.0, count = 0
        var value: Double? { count > 0 ? total / Double(count) : nil }
        mutating func add(_ seconds: Double) { (total, count) = (total + seconds, count + 1) }
    }

    public init() {}

    private var byCell: [String: Mean] = [:], byMethod: [String: Mean] = [:]

    /// A cell of `method` at `point` took `seconds`. Cells kept from an earlier run are
    /// neither recorded nor estimated: callers leave them out of `remaining` too, since a
    /// resumed run keeps its first cells and computes the rest.
    public mutating func record(method: String, point: String, seconds: Double) {
        byCell["\(method)\u{1F}\(point)", default: Mean()].add(seconds)
        byMethod[method, default: Mean()].add(seconds)
    }

    /// Seconds the `remaining` cells are expected to take; nil while one of their methods
    /// has not run.
    public func estimate<Cells: Sequence>(_ remaining: Cells) -> Double? where Cells.Element == (method: String, point: String) {
        var total = 0.0
        for cell in remaining {
            guard let seconds = byCell["\(cell.method)\u{1F}\(cell.point)"]?.value ?? byMethod[cell.method]?.value else { return nil }
            total += seconds
        }
        return total
    }

    /// "ETA m:ss" for the `remaining` cells, or "ETA unknown" while one of their methods
    /// has not run.
    public func describe<Cells: Sequence>(_ remaining: Cells) -> String where Cells.Element == (method: String, point: String) {
        estimate(remaining).map { "ETA \(ProgressReporter.clock($0))" } ?? "ETA unknown"
    }
}
