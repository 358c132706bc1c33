import Foundation
import XCTest
@testable import PretextData
#if canImport(Glibc)
import Glibc
#endif

/// Pipes, FIFOs and standard input are read exactly as the same bytes in a file: no byte
/// lost at the start, every block, the rare second pass, gzip, and no temporary copy left.
final class StreamInputTests: XCTestCase {
    let folder = TemporaryFolder()

    /// Writes `bytes` into a new FIFO from another thread, in small pieces (as a slow
    /// producer would), and reads the FIFO with `CSVReader`.
    func readThroughFIFO(_ bytes: [UInt8], _ configure: (inout ReadOptions) -> Void = { _ in }) throws -> (Table, ReadReport) {
        let fifo = "\(folder.path)/fifo-\(UUID().uuidString)"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let writer = Thread {
            let descriptor = open(fifo, O_WRONLY)
            guard descriptor >= 0 else { return }
            var offset = 0
            while offset < bytes.count {
                let piece = min(4093, bytes.count - offset)
                let written = bytes[offset..<(offset + piece)].withUnsafeBytes { write(descriptor, $0.baseAddress!, piece) }
                if written <= 0 { break }
                offset += written
            }
            close(descriptor)
        }
        writer.start()
        return try read(fifo, configure)
    }

    func assertSameTable(_ bytes: [UInt8], name: String, file: StaticString = #filePath, line: UInt = #line,
                         _ configure: (inout ReadOptions) -> Void = { _ in }) throws {
        let path = folder.write(name, bytes: bytes)
        let (expected, _) = try read(path, configure)
        let (streamed, report) = try readThroughFIFO(bytes, configure)
        XCTAssertEqual(streamed.columnNames, expected.columnNames, file: file, line: line)
        XCTAssertEqual(streamed.columns, expected.columns, file: file, line: line)
        XCTAssertEqual(report.fileBytes, bytes.count, "the report counts the streamed bytes", file: file, line: line)
    }

    func testAPipedFileKeepsItsFirstBytes() throws {
        // The reported defect: "date" read as "te" through a pipe.
        let airline = Array(FileManager.default.contents(atPath: datasetsPath + "/airline.csv")!)
        try assertSameTable(airline, name: "airline.csv")
        let (table, _) = try readThroughFIFO(Array("a,b\n1,2\n3,4\n".utf8))
        XCTAssertEqual(table.columnNames, ["a", "b"])
        XCTAssertEqual(table["a"]!.floats, [1, 3])
    }

    func testManyBlocksAndTheSecondPassReadTheSameBytes() throws {
        var text = "id,value,label\n"
        for row in 0..<60_000 { text += "\(row),\(Double(row) * 0.25),\(row % 7 == 0 ? "x\(row % 5)" : "y")\n" }
        try assertSameTable(Array(text.utf8), name: "blocks.csv") { $0.chunkSize = 1 << 16 }
        // A column that is mostly text with a few numbers is read twice (its text kept).
        var mixed = "a,b\n"
        for row in 0..<2_000 { mixed += "\(row),\(row % 3 == 0 ? "\(row)" : "word\(row % 11)")\n" }
        try assertSameTable(Array(mixed.utf8), name: "mixed.csv")
        let (table, _) = try readThroughFIFO(Array(mixed.utf8))
        XCTAssertEqual(table["b"]!.type, .categorical)
    }

    func testGzipThroughAPipe() throws {
        let text = "x,y\n" + (0..<5_000).map { "\($0),\($0 * 2)\n" }.joined()
        let compressed = try folder.writeGzip("g.csv.gz", text)
        let bytes = Array(FileManager.default.contents(atPath: compressed)!)
        let (table, report) = try readThroughFIFO(bytes)
        XCTAssertTrue(report.compressed)
        XCTAssertEqual(table.rowCount, 5_000)
        XCTAssertEqual(table["y"]!.floats.last, 9_998)
    }

    func testTheTemporaryCopyIsRemovedAfterReadsAndErrors() throws {
        let spool = "\(folder.path)/spool"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let previous = getenv("TMPDIR").map { String(cString: $0) }
        setenv("TMPDIR", spool, 1)
        defer { if let previous { setenv("TMPDIR", previous, 1) } else { unsetenv("TMPDIR") } }
        _ = try readThroughFIFO(Array("a,b\n1,2\n".utf8))
        assertDataError(try readThroughFIFO(Array("a,b\n1,2\n3\n".utf8))) {
            if case .raggedRow(let location, 2, 1) = $0 { return location.line == 3 }
            return false
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spool), [])
    }

    func testRegularFilesAreNotCopied() throws {
        let path = folder.write("plain.csv", "a\n1\n")
        let input = try SpooledInput(path: path)
        XCTAssertEqual(input.readablePath, path)
        XCTAssertEqual(input.name, path)
    }
}
