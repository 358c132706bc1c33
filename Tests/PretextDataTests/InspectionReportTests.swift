import XCTest
@testable import PretextData

/// `inspect`'s target summary counts classes by code or bit pattern, not by a `String`
/// per row: the counts must equal a per-row count of the written-back texts.
final class InspectionReportTests: XCTestCase {
    private let read = ReadReport(path: "t.csv", fileBytes: 0, textBytes: 0, compressed: false, seconds: 0, delimiter: 0x2c, rows: 0, columns: 0)

    /// Per-row reference: every present row's text, counted.
    private func referenceCounts(_ column: Column) -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in 0..<column.count where !column.isMissing(row) { counts[column.text(at: row), default: 0] += 1 }
        return counts
    }

    private func counts(_ report: InspectionReport) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: report.classCounts.map { ($0.name, $0.count) })
    }

    func testCategoricalTargetCountsAndLabeledRows() throws {
        let codes: [Int32] = [0, 1, -1, 1, 2, 1, -1, 0]
        let target = Column(name: "y", type: .categorical, storage: .categorical(codes: codes, vocabulary: ["a", "b", "c", "unused"]))
        let feature = Column(name: "x", type: .numeric, storage: .numeric((0..<8).map(Float.init)))
        let report = try InspectionReport(table: Table(columns: [feature, target]), read: read, target: "y")
        XCTAssertEqual(counts(report), referenceCounts(target))
        XCTAssertEqual(report.classCounts.map(\.name), ["b", "a", "c"])   // by count, then name
        XCTAssertEqual(report.labeledRows, 6)
        XCTAssertEqual(report.unlabeledRows, 2)
    }

    /// A numeric class column: 0 and −0 are one class ("0"), as their texts are.
    func testNumericTargetMergesValuesWrittenAlike() throws {
        let values: [Float] = [1, 0, -0.0, .nan, 1, 2, 0, 2, 2]
        let target = Column(name: "y", type: .numeric, storage: .numeric(values))
        let report = try InspectionReport(table: Table(columns: [target]), read: read, target: "y")
        XCTAssertEqual(counts(report), referenceCounts(target))
        XCTAssertEqual(counts(report), ["0": 3, "1": 2, "2": 3])
        XCTAssertEqual(report.labeledRows, 8)
    }

    func testWithoutATargetEveryRowIsLabeled() throws {
        let feature = Column(name: "x", type: .numeric, storage: .numeric([1, .nan, 3]))
        let report = try InspectionReport(table: Table(columns: [feature]), read: read)
        XCTAssertEqual(report.labeledRows, 3)
        XCTAssertEqual(report.unlabeledRows, 0)
        XCTAssertTrue(report.classCounts.isEmpty)
    }
}
