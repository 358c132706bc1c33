import Foundation
import XCTest
@testable import PretextData

/// The columnar cache holds exactly the table `CSVReader.read` gives, built in two
/// streamed passes that never hold more than a few chunks; its file is complete or
/// absent, and damage is a typed error.
final class ColumnarCacheTests: XCTestCase {
    /// Small chunks, so every file below spans many of them.
    var smallChunks: ReadOptions {
        var options = ReadOptions()
        options.chunkSize = 1 << 16
        return options
    }

    func assertCacheEqualsRead(_ path: String, options: ReadOptions, file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = TemporaryFolder()
        let output = folder.path + "/cache.pretext"
        let (schema, report) = try ColumnarCache.build(path, options: options, to: output, maximumChunksInFlight: 2)
        let (expected, expectedReport) = try CSVReader(options: options).read(path)
        let cache = try CachedTable(path: output)
        // Tables compare by fingerprint: values bit for bit (NaN equals NaN), names,
        // types, roles, spellings and vocabularies.
        let table = cache.table()
        XCTAssertEqual(table.columns.map(\.name), expected.columns.map(\.name), file: file, line: line)
        XCTAssertEqual(table.columns.map(\.type), expected.columns.map(\.type), "\(path)", file: file, line: line)
        XCTAssertEqual(table.contentFingerprint, expected.contentFingerprint, "\(path)", file: file, line: line)
        XCTAssertEqual(cache.schema, schema, file: file, line: line)
        XCTAssertEqual(schema.contentFingerprint, expected.contentFingerprint, "the cache's fingerprint is the table's", file: file, line: line)
        XCTAssertEqual(report.notes, expectedReport.notes, file: file, line: line)
        XCTAssertEqual(report.rows, expectedReport.rows, file: file, line: line)
        try cache.verify()
        // A batch of rows, in any order and with repeats, is those rows of the table.
        let rows = [expected.rowCount - 1, 0, expected.rowCount / 2, 0]
        XCTAssertEqual(cache.table(rows: rows).contentFingerprint, expected.selecting(rows: rows).contentFingerprint, file: file, line: line)
    }

    func testEveryBundledTableIsCachedAsReadIsIt() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: datasetsPath).filter { $0.hasSuffix(".csv") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 10)
        for name in files { try assertCacheEqualsRead(datasetsPath + "/" + name, options: smallChunks) }
    }

    /// Every type and every inference rule, spread over many chunks: numbers with a few
    /// stray texts, a mostly-text column with numbers (read as text), booleans spelled
    /// "No"/"yes", ISO dates, quoted fields with delimiters and newlines, missing tokens,
    /// an all-missing column, a category first seen in the last chunk; plain and gzip.
    func testEveryInferenceRuleAcrossManyChunks() throws {
        let folder = TemporaryFolder()
        var text = "id,amount,code,flag,day,note,empty,city\n"
        for row in 0..<20_000 {
            let amount = row % 997 == 0 ? "n/a?" : String(format: "%.3f", Double(row) * 0.37)
            let code = row % 3 == 0 ? "\(row % 50)" : "C\(row % 40)"
            let flag = row % 7 == 0 ? "" : (row % 2 == 0 ? "No" : "yes")
            let day = String(format: "2024-%02d-%02d", row % 12 + 1, row % 28 + 1)
            let note = row % 5 == 0 ? "\"said \"\"hi\"\", then\nleft\"" : (row % 11 == 0 ? "NA" : "plain \(row % 13)")
            let city = row == 19_999 ? "Last Town" : ["Oslo", "Lima", "Pune"][row % 3]
            text += "\(row),\(amount),\(code),\(flag),\(day),\(note),,\(city)\n"
        }
        let plain = folder.write("mixed.csv", text)
        try assertCacheEqualsRead(plain, options: smallChunks)
        try assertCacheEqualsRead(try folder.writeGzip("mixed.csv.gz", text), options: smallChunks)
        // Given types are honoured as `read` honours them.
        var given = smallChunks
        given.columnTypes = ["code": .categorical, "id": .categorical]
        try assertCacheEqualsRead(plain, options: given)
        let schema = try CachedTable(path: { () -> String in
            let output = folder.path + "/types.pretext"
            try! ColumnarCache.build(plain, options: smallChunks, to: output)
            return output
        }()).schema
        XCTAssertEqual(schema.columns.map(\.type), [.numeric, .numeric, .categorical, .boolean, .datetime, .categorical, .numeric, .categorical])
        XCTAssertEqual(schema.columns[3].booleanSpellings, ["No", "yes"])
        XCTAssertEqual(schema.columns[7].vocabulary?.last, "Last Town")
    }

    /// Found by fuzzing: with `skipBadRows`, a dropped row's number in a text-only column
    /// must leave the same trace as in `read` (which parses such columns without keeping
    /// numbers as text); the cache once kept it as a category no row has.
    func testRowsDroppedAsBadLeaveTheSameVocabularyAsRead() throws {
        let folder = TemporaryFolder()
        var options = smallChunks
        options.skipBadRows = true
        try assertCacheEqualsRead(folder.write("dropped.csv", "name,city\nabc,Oslo\n0,1,2\ndef,Lima\n"), options: options)
    }

    /// The streamed pass hands chunks over in order and never has more than the limit
    /// alive, whatever the file's size.
    func testStreamingHoldsAtMostTheLimitOfChunks() throws {
        let folder = TemporaryFolder()
        let path = folder.write("numbers.csv", "a,b\n" + (0..<60_000).map { "\($0),\($0 % 17)" }.joined(separator: "\n") + "\n")
        var lines: [Int] = [], rows = 0
        let pass = try CSVReader(options: smallChunks).stream(try SpooledInput(path: path), maximumInFlight: 3) { chunk, line, _ in
            lines.append(line)
            XCTAssertEqual(chunk.columns[0].values?.buffer.first.map(Int.init), rows, "chunks arrive in file order")
            rows += chunk.rowCount
        }
        XCTAssertGreaterThan(lines.count, 5)
        XCTAssertEqual(lines.first, 2)
        XCTAssertEqual(rows, 60_000)
        XCTAssertEqual(pass.rowCount, 60_000)
        XCTAssertLessThanOrEqual(pass.mostChunksInFlight, 3)
    }

    /// A bad row fails the build with `read`'s error; the previous output is untouched
    /// and no temporary file is left.
    func testAFailedBuildLeavesTheOldFileAndNoPartial() throws {
        let folder = TemporaryFolder()
        let output = folder.path + "/out.pretext"
        try ColumnarCache.build(folder.write("good.csv", "a,b\n1,2\n"), to: output)
        let before = try Data(contentsOf: URL(fileURLWithPath: output))
        let bad = folder.write("bad.csv", "a,b\n" + (0..<30_000).map { "\($0),1" }.joined(separator: "\n") + "\n7,8,9\n")
        XCTAssertThrowsError(try ColumnarCache.build(bad, options: smallChunks, to: output)) { error in
            XCTAssertEqual(error as? DataError, .raggedRow(SourceLocation(file: bad, line: 30_002), expected: 2, actual: 3))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }, [])
    }

    func testDamagedCachesAreTypedErrors() throws {
        let folder = TemporaryFolder()
        let output = folder.path + "/wine.pretext"
        try ColumnarCache.build(datasetsPath + "/wine.csv", to: output)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        func expectCorrupt(_ data: Data, _ fragment: String, line: UInt = #line) {
            let path = folder.write("damaged.pretext", bytes: Array(data))
            XCTAssertThrowsError(try CachedTable(path: path).verify(), line: line) { error in
                guard case .corruptCache(_, let reason) = error as? DataError else { return XCTFail("\(error)", line: line) }
                XCTAssertTrue(reason.contains(fragment), reason, line: line)
            }
        }
        expectCorrupt(bytes.prefix(bytes.count - 10), "lies outside")
        expectCorrupt(Data("PRTXCACX".utf8) + bytes.dropFirst(8), "magic")
        var flipped = bytes
        flipped[CacheFormat.headerSize + 5] ^= 0x40
        expectCorrupt(flipped, "do not match the fingerprint")
        expectCorrupt(bytes.prefix(20), "shorter than the header")
        XCTAssertThrowsError(try CachedTable(path: folder.path + "/none.pretext")) { error in
            XCTAssertEqual(error as? DataError, .fileNotFound(path: folder.path + "/none.pretext"))
        }
        XCTAssertTrue(CachedTable.isCache(output))
        XCTAssertFalse(CachedTable.isCache(datasetsPath + "/wine.csv"))
    }

    /// Telling a cache from a CSV never reads from a pipe: the bytes it read would be gone
    /// for the CSV reader (found by the pipe tests: the header lost its first 8 bytes).
    func testTellingACacheFromACSVLeavesAPipeUntouched() throws {
        let folder = TemporaryFolder()
        let fifo = folder.path + "/pipe.csv"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data("a,b\n1,2\n3,4\n".utf8))
                try? handle.close()
            }
        }
        writer.start()
        XCTAssertFalse(CachedTable.isCache(fifo))
        let (table, _) = try TableFile.read(fifo)
        XCTAssertEqual(table.columnNames, ["a", "b"])
        XCTAssertEqual(table.rowCount, 2)
    }
}
