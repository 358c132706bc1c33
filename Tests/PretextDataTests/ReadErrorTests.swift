import Foundation
import XCTest
@testable import PretextData

/// Every read error is typed and names the file, the 1-based line and the column.
final class ReadErrorTests: XCTestCase {
    let folder = TemporaryFolder()

    func testRaggedRowNamesTheRealLineAfterQuotedNewlines() throws {
        let path = folder.write("ragged.csv", "a,b,c\n1,\"two\nlines\",3\n4,5,6\n7,8\n")
        let error = assertDataError(try read(path)) {
            if case .raggedRow(let location, 3, 2) = $0 { return location.line == 5 && location.file == path }
            return false
        }
        XCTAssertTrue(error?.description.contains("\(path):5") ?? false)
        // Library users see the same message through Foundation's error API.
        XCTAssertEqual((error as Error?)?.localizedDescription, error?.description)
        XCTAssertTrue(error?.description.contains("--skip-bad-rows") ?? false)
    }

    func testSkipBadRowsCountsThem() throws {
        let path = folder.write("skip.csv", "a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n")
        let (table, report) = try read(path) { $0.skipBadRows = true }
        XCTAssertEqual(table["a"]!.floats, [1, 4, 9])
        XCTAssertEqual(table["b"]!.floats, [2, 5, 10])
        XCTAssertEqual(report.skippedRows, 2)
        XCTAssertEqual(report.skippedRowLines, [3, 5])
    }

    func testLineNumbersAcrossChunks() throws {
        var text = "a,b\n"
        for row in 0..<30_000 { text += row == 10 ? "\"x\ny\",1\n" : "\(row),\(row)\n" }
        text += "1,2,3\n"
        let path = folder.write("late.csv", text)
        assertDataError(try read(path) { $0.chunkSize = 1 << 16 }) {
            if case .raggedRow(let location, _, 3) = $0 { return location.line == 30_000 + 3 }
            return false
        }
    }

    func testUnterminatedQuote() throws {
        let path = folder.write("open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n")
        assertDataError(try read(path)) {
            if case .unterminatedQuote(let location) = $0 { return location.line == 3 && location.file == path }
            return false
        }
    }

    func testStrayQuoteInUnquotedField() throws {
        let path = folder.write("stray.csv", "name,height\nann,5'11\"\nbob,6\n")
        assertDataError(try read(path)) {
            if case .malformedQuote(let location, _) = $0 { return location.line == 2 }
            return false
        }
    }

    func testInvalidUTF8NamesLineAndColumn() throws {
        let bytes = Array("id,city\n1,Paris\n2,".utf8) + [0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e] + Array("\n".utf8)
        let path = folder.write("latin1.csv", bytes: bytes)
        let error = assertDataError(try read(path)) {
            if case .invalidUTF8(let location, _) = $0 {
                return location.line == 3 && location.columnIndex == 2 && location.columnName == "city"
            }
            return false
        }
        XCTAssertTrue(error?.description.contains("iconv") ?? false)
    }

    func testEmptyAndHeaderOnlyFiles() throws {
        assertDataError(try read(folder.write("empty.csv", ""))) { if case .emptyFile = $0 { return true }; return false }
        assertDataError(try read(folder.write("blank.csv", "\n\n"))) { if case .emptyFile = $0 { return true }; return false }
        assertDataError(try read(folder.write("header.csv", "a,b,c\n"))) { if case .headerOnly = $0 { return true }; return false }
        assertDataError(try read(folder.write("header2.csv", "a,b,c"))) { if case .headerOnly = $0 { return true }; return false }
    }

    func testDuplicateAndEmptyColumnNames() throws {
        assertDataError(try read(folder.write("dup.csv", "a,b,a\n1,2,3\n"))) {
            if case .duplicateColumnName(let location, "a", 1) = $0 { return location.columnIndex == 3 && location.line == 1 }
            return false
        }
        assertDataError(try read(folder.write("noname.csv", "a,,c\n1,2,3\n"))) {
            if case .emptyColumnName(let location) = $0 { return location.columnIndex == 2 }
            return false
        }
    }

    func testEncodingsAndBinaryData() throws {
        let utf16: [UInt8] = [0xff, 0xfe] + Array("a,b\n".utf8).flatMap { [$0, UInt8(0)] }
        assertDataError(try read(folder.write("utf16.csv", bytes: utf16))) {
            if case .notText(_, let reason) = $0 { return reason.contains("UTF-16") }
            return false
        }
        assertDataError(try read(folder.write("nul.csv", bytes: Array("a,b\n1,2\n3,".utf8) + [0, 0x41] + [0x0a]))) {
            if case .notText(let location, _) = $0 { return location.line == 3 }
            return false
        }
    }

    func testNumberOutOfFloatRange() throws {
        let path = folder.write("huge.csv", "a,b\n1,2\n3,4e39\n")
        assertDataError(try read(path)) {
            if case .valueOutOfRange(let location, "4e39") = $0 { return location.line == 3 && location.columnName == "b" }
            return false
        }
    }

    func testGzipProblems() throws {
        var text = "a,b\n"
        for row in 0..<20_000 { text += "\(row),\(row * 3)\n" }
        let good = try folder.writeGzip("good.csv.gz", text)
        let bytes = Array(FileManager.default.contents(atPath: good)!)
        let truncated = folder.write("truncated.csv.gz", bytes: Array(bytes.prefix(bytes.count / 2)))
        assertDataError(try read(truncated)) { if case .corruptCompressedFile = $0 { return true }; return false }
        let fake = folder.write("fake.csv.gz", "a,b\n1,2\n")
        assertDataError(try read(fake)) {
            if case .corruptCompressedFile(_, let reason) = $0 { return reason.contains("gzip signature") }
            return false
        }
    }

    func testMissingFileAndDirectory() throws {
        assertDataError(try read(folder.path + "/nope.csv")) { if case .fileNotFound = $0 { return true }; return false }
        assertDataError(try read(folder.path)) { if case .unreadable(_, let reason) = $0 { return reason.contains("directory") }; return false }
    }

    func testUnknownTargetListsCloseMatches() throws {
        var (table, _) = try read("\(datasetsPath)/credit_data.csv")
        let error = assertDataError(try table.setRole(.target, for: "Targt")) {
            if case .unknownColumn(_, "Targt", _, let matches) = $0 { return matches.first == "target" }
            return false
        }
        XCTAssertTrue(error?.description.contains("Did you mean \"target\"") ?? false)
    }

    func testInvalidOptions() throws {
        let path = folder.write("ok.csv", "a\n1\n")
        assertDataError(try read(path) { $0.strayTextTolerance = 0.9 })
        assertDataError(try read(path) { $0.threads = 0 })
        assertDataError(try read(path) { $0.chunkSize = 10 })
        assertDataError(try read(path) { $0.columnTypes = ["nope": .categorical] }) {
            if case .unknownColumn = $0 { return true }; return false
        }
    }
}
