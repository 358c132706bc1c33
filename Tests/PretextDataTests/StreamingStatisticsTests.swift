import XCTest
@testable import PretextData

/// The KLL quantile sketch and the running moments: accuracy against exact answers on
/// several kinds of stream, bounded memory, merging, determinism.
final class StreamingStatisticsTests: XCTestCase {
    /// Whether `estimate`'s true rank range in `sorted` comes within `tolerance` of `q`.
    func rankError(_ estimate: Float, q: Double, sorted: [Float]) -> Double {
        let below = Double(sorted.partitioningIndex { $0 >= estimate }), atOrBelow = Double(sorted.partitioningIndex { $0 > estimate })
        let n = Double(sorted.count)
        if q * n < below { return (below - q * n) / n }
        if q * n > atOrBelow { return (q * n - atOrBelow) / n }
        return 0
    }

    func streams() -> [(String, [Float])] {
        var generator = SeededGenerator(seed: 21)
        let n = 100_000
        let uniform = (0..<n).map { _ in Float(generator.nextUniform()) }
        let skewed = (0..<n).map { _ in Float(exp(3 * generator.nextNormal())) }   // log-normal, heavy right tail
        let duplicates = (0..<n).map { _ in Float(generator.nextInt(below: 7)) }
        return [("uniform", uniform), ("sorted", uniform.sorted()), ("reversed", uniform.sorted().reversed()),
                ("log-normal", skewed), ("seven values", duplicates)]
    }

    func testQuantilesAreWithinTheStatedRankError() {
        let fractions = stride(from: 0.01, through: 0.99, by: 0.01).map { $0 }
        for (name, values) in streams() {
            var sketch = QuantileSketch(k: 200, seed: 3)
            sketch.add(contentsOf: values)
            XCTAssertEqual(sketch.count, values.count)
            XCTAssertLessThanOrEqual(sketch.retained, 3 * sketch.k, "\(name): memory bound")
            let sorted = values.sorted()
            let estimates = sketch.quantiles(fractions)!
            let worst = zip(estimates, fractions).map { rankError($0, q: $1, sorted: sorted) }.max()!
            XCTAssertLessThan(worst, 0.02, "\(name): worst rank error \(worst)")
            XCTAssertEqual(sketch.quantile(0), sorted.first)
            XCTAssertEqual(sketch.quantile(1), sorted.last)
            for probe in [sorted[sorted.count / 10], sorted[sorted.count / 2], sorted[sorted.count * 9 / 10]] {
                let exact = Double(sorted.partitioningIndex { $0 > probe }) / Double(sorted.count)
                XCTAssertEqual(sketch.rank(probe), exact, accuracy: 0.02, "\(name): rank of \(probe)")
            }
        }
        XCTAssertEqual(QuantileSketch(k: 200).rankErrorBound, 0.0133, accuracy: 0.0005)
    }

    /// Sketches of chunks, merged, are as accurate as one of the whole stream; small
    /// streams are exact; NaN is not a value; the same seed gives the same sketch.
    func testMergingSmallStreamsAndDeterminism() {
        let values = streams()[3].1
        var merged = QuantileSketch(seed: 1)
        for chunk in stride(from: 0, to: values.count, by: 30_000) {
            var part = QuantileSketch(seed: UInt64(chunk))
            part.add(contentsOf: values[chunk..<min(chunk + 30_000, values.count)])
            merged.merge(part)
        }
        XCTAssertEqual(merged.count, values.count)
        XCTAssertLessThanOrEqual(merged.retained, 3 * merged.k)
        let sorted = values.sorted()
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            XCTAssertLessThan(rankError(merged.quantile(q)!, q: q, sorted: sorted), 0.02, "q \(q)")
        }

        var small = QuantileSketch()
        small.add(contentsOf: [5, .nan, 1, 4, 2, 3])
        XCTAssertEqual(small.count, 5)
        XCTAssertEqual(small.quantile(0.5), 3)
        XCTAssertEqual(small.quantiles([0.2, 0.4, 0.6, 0.8, 1]), [1, 2, 3, 4, 5])
        XCTAssertNil(QuantileSketch().quantile(0.5))

        var a = QuantileSketch(seed: 9), b = QuantileSketch(seed: 9), c = QuantileSketch(seed: 10)
        a.add(contentsOf: values); b.add(contentsOf: values); c.add(contentsOf: values)
        XCTAssertEqual(a.levels, b.levels)
        XCTAssertNotEqual(a.levels, c.levels, "the compaction offsets come from the seed")
    }

    func testRunningMomentsAreExactAndMerge() {
        var generator = SeededGenerator(seed: 4)
        let values = (0..<100_000).map { _ in Float(1e4 + generator.nextNormal() * 3) }   // a large mean: naive Σx² would cancel
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        var whole = RunningMoments()
        whole.add(contentsOf: values + [.nan])
        XCTAssertEqual(whole.count, values.count)
        XCTAssertEqual(whole.mean, mean, accuracy: 1e-9 * mean)
        XCTAssertEqual(whole.variance, variance, accuracy: 1e-9 * variance)
        var merged = RunningMoments()
        for chunk in stride(from: 0, to: values.count, by: 7_000) {
            var part = RunningMoments()
            part.add(contentsOf: values[chunk..<min(chunk + 7_000, values.count)])
            merged.merge(part)
        }
        XCTAssertEqual(merged.count, whole.count)
        XCTAssertEqual(merged.mean, mean, accuracy: 1e-9 * mean)
        XCTAssertEqual(merged.variance, variance, accuracy: 1e-9 * variance)
        XCTAssertEqual(RunningMoments().variance, 0)
    }
}
