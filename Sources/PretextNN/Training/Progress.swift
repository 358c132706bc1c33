import PretextData
#if canImport(Glibc)
import Glibc
#endif

/// Progress lines on standard error for long work: epoch, losses, rows/s and an ETA.
/// At most one line a second (and always the last); silent when `quiet`.
public final class ProgressReporter: @unchecked Sendable {
    public let label: String
    public let quiet: Bool
    private let stopwatch = Stopwatch()
    private var lastPrint = -1.0

    public init(label: String, quiet: Bool = false) {
        self.label = label
        self.quiet = quiet
    }

    /// Reports `done` of `total` units (epochs) with a message; `rows` processed so far.
    public func report(done: Int, total: Int, rows: Int, message: String, force: Bool = false) {
        guard !quiet else { return }
        let elapsed = stopwatch.seconds
        guard force || done == total || elapsed - lastPrint >= 1 else { return }
        lastPrint = elapsed
        let rate = elapsed > 0 ? Double(rows) / elapsed : 0
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let line = "\(label) \(done)/\(total)  \(message)  \(Int(rate)) rows/s  elapsed \(Self.clock(elapsed))  ETA ≤ \(Self.clock(remaining))\n"
        var copy = line
        copy.withUTF8 { buffer in _ = write(2, buffer.baseAddress, buffer.count) }
    }

    public static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let minutes = total / 60, rest = total % 60
        return rest < 10 ? "\(minutes):0\(rest)" : "\(minutes):\(rest)"
    }
}
