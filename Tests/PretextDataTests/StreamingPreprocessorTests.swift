import Foundation
import XCTest
@testable import PretextData

/// Preprocessing fitted in one streamed pass over a cache matches the in-memory fit:
/// the same features, categories and indicators, exact means and scales, and medians and
/// reference quantiles within the sketch's rank error.
final class StreamingPreprocessorTests: XCTestCase {
    func testStreamedFitMatchesTheInMemoryFit() throws {
        let folder = TemporaryFolder()
        for (name, transform) in [("credit_data.csv", PreprocessingConfig.NumericTransform.standardize), ("ames.csv", .quantileNormal)] {
            let output = folder.path + "/\(name).pretext"
            try ColumnarCache.build(datasetsPath + "/" + name, to: output)
            let cache = try CachedTable(path: output)
            var table = try CSVReader().read(datasetsPath + "/" + name).table
            try table.setRole(.target, for: "target")
            var config = PreprocessingConfig()
            config.numericTransform = transform
            let exact = try Preprocessor(config: config).fit(table, rows: Array(0..<table.rowCount))
            // Whole, and merged from three parts' statistics sent as JSON (as ranks do).
            let whole = try Preprocessor(config: config).fit(cache, excluding: ["target"], blockRows: 500)
            let encoder = JSONEncoder(), decoder = JSONDecoder()
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let n = cache.rowCount
            var parts: CacheStatistics?
            for range in [0..<(n / 3), (n / 3)..<(2 * n / 3), (2 * n / 3)..<n] {
                let part = try decoder.decode(CacheStatistics.self, from: encoder.encode(
                    try Preprocessor(config: config).statistics(cache, excluding: ["target"], rows: range, blockRows: 500)))
                if parts == nil { parts = part } else { parts!.merge(part) }
            }
            XCTAssertEqual(parts?.rows, n)
            let merged = try Preprocessor(config: config).fit(parts!, schema: cache.schema)
            for streamed in [whole, merged] {
                XCTAssertEqual(streamed.features.map(\.name), exact.features.map(\.name), name)
                XCTAssertEqual(streamed.notes, exact.notes, name)
                var checkedQuantiles = 0
                for (a, b) in zip(streamed.features, exact.features) {
                    switch (a, b) {
                    case (.categorical(let a), .categorical(let b)):
                        XCTAssertEqual(a, b, "\(name): \(a.name)")
                    case (.numeric(let a), .numeric(let b)):
                        XCTAssertEqual(a.hasIndicator, b.hasIndicator, "\(name): \(a.name)")
                        XCTAssertEqual(a.sourceType, b.sourceType)
                        XCTAssertEqual(a.mean, b.mean, accuracy: 1e-9 * max(1, abs(b.mean)), "\(name): \(a.name)")
                        XCTAssertEqual(a.scale, b.scale, accuracy: 1e-9 * max(1, b.scale), "\(name): \(a.name)")
                        // The streamed median's rank among the column's values is within 2% of ½.
                        let values = (0..<table.rowCount).map { Preprocessor.number(table[a.name]!, $0) }.filter(\.isFinite).sorted()
                        func rank(_ x: Double) -> ClosedRange<Double> {
                            func count(_ included: (Double) -> Bool) -> Double {   // values are sorted: a binary search
                                var low = 0, high = values.count
                                while low < high { let mid = (low + high) / 2; if included(values[mid]) { low = mid + 1 } else { high = mid } }
                                return Double(low)
                            }
                            let below = count { $0 < x }, atMost = count { $0 <= x }
                            return (below / Double(values.count))...(atMost / Double(values.count))
                        }
                        func near(_ x: Double, _ q: Double) -> Bool { let r = rank(x); return r.lowerBound - 0.02 <= q && q <= r.upperBound + 0.02 }
                        XCTAssertTrue(near(a.median, 0.5), "\(name): \(a.name) median \(a.median) has rank \(rank(a.median))")
                        if let quantiles = a.quantiles {
                            XCTAssertEqual(quantiles.count, b.quantiles?.count)
                            for (index, value) in quantiles.enumerated() where index % 97 == 0 {
                                let q = Double(index) / Double(quantiles.count - 1)
                                XCTAssertTrue(near(value, q), "\(name): \(a.name) quantile \(q) = \(value) has rank \(rank(value))")
                                checkedQuantiles += 1
                            }
                        }
                    default:
                        XCTFail("\(name): \(a.name) is \(a) streamed but \(b) in memory")
                    }
                }
                if transform == .quantileNormal { XCTAssertGreaterThan(checkedQuantiles, 50) }
            }
        }
    }
}
