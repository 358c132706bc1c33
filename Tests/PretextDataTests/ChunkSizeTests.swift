import XCTest
@testable import PretextData

/// A chunk is widened for wide records, so that each holds `minimumRecordsPerChunk`
/// records (per-chunk work is per column), and the table does not depend on it.
final class ChunkSizeTests: XCTestCase {
    let folder = TemporaryFolder()

    private func chunkSize(_ text: String, option: Int = 1 << 20) -> Int {
        var options = ReadOptions()
        options.chunkSize = option
        return Array(text.utf8).withUnsafeBytes { CSVReader.chunkSize(options: options, firstRecords: $0) }
    }

    func testNarrowRecordsKeepTheOptionsSize() {
        let narrow = String(repeating: "1.5,2.25,3,abc\n", count: 1000)   // 15 bytes a record
        XCTAssertEqual(chunkSize(narrow), 1 << 20)
        XCTAssertEqual(chunkSize(narrow, option: 1 << 16), 1 << 16, "2,048 records of 15 bytes fit in 64 KiB")
        XCTAssertEqual(chunkSize(""), 1 << 20)
    }

    func testWideRecordsWidenTheChunkUpToTheMaximum() {
        let record = (0..<784).map { _ in "-0.12345" }.joined(separator: ",") + "\n"   // 7,056 bytes
        let wide = String(repeating: record, count: 100)
        XCTAssertEqual(chunkSize(wide), 7056 * CSVReader.minimumRecordsPerChunk)
        let unbroken = String(repeating: "x", count: 100_000)   // no line break seen: one record of 100 kB
        XCTAssertEqual(chunkSize(unbroken), CSVReader.maximumChunkSize)
    }

    /// A 400-column file (widened chunks) reads every value, whatever the option's chunk
    /// size and thread count.
    func testAWideFileReadsTheSameWithAnyChunkSize() throws {
        var generator = SeededGenerator(seed: 11)
        let columns = 400, rows = 3000
        var values: [[Float]] = []
        var text = (0..<columns).map { "x\($0)" }.joined(separator: ",") + "\n"
        for _ in 0..<rows {
            let row = (0..<columns).map { _ in Float(Int(generator.nextNormal() * 1000)) / 100 }
            values.append(row)
            text += row.map { "\($0)" }.joined(separator: ",") + "\n"
        }
        let path = folder.write("wide.csv", text)
        for (chunk, threads) in [(1 << 16, 1), (1 << 16, 2), (1 << 20, 2)] {
            let (table, _) = try read(path) { $0.chunkSize = chunk; $0.threads = threads }
            XCTAssertEqual(table.rowCount, rows)
            for column in [0, 1, 199, 399] {
                XCTAssertEqual(table["x\(column)"]!.floats, values.map { $0[column] }, "column \(column), chunk \(chunk), threads \(threads)")
            }
        }
    }
}
