import Foundation
import XCTest
@testable import PretextData

/// The parser edge-case corpus: quoting, line endings, delimiters, headers, gzip,
/// very wide files, very long fields, and chunk boundaries.
final class CSVParsingTests: XCTestCase {
    let folder = TemporaryFolder()

    func testQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let path = folder.write("quoted.csv", "name,note,value\n\"Smith, J\",\"said \"\"hi\"\"\",1\n\"multi\nline\",\"a\r\nb\",2\nplain,,3\n")
        let (table, report) = try read(path)
        XCTAssertEqual(report.rows, 3)
        XCTAssertEqual(table["name"]!.texts, ["Smith, J", "multi\nline", "plain"])
        XCTAssertEqual(table["note"]!.texts, ["said \"hi\"", "a\r\nb", ""])
        XCTAssertEqual(table["value"]!.floats, [1, 2, 3])
    }

    func testLineEndingsBOMAndMissingFinalNewline() throws {
        let variants: [(String, [UInt8])] = [
            ("lf", Array("a,b\n1,x\n2,y\n".utf8)),
            ("crlf", Array("a,b\r\n1,x\r\n2,y\r\n".utf8)),
            ("no-final-newline", Array("a,b\n1,x\n2,y".utf8)),
            ("bom", [0xef, 0xbb, 0xbf] + Array("a,b\r\n1,x\r\n2,y".utf8)),
            ("blank-lines", Array("\na,b\n\n1,x\n\n2,y\n\n".utf8)),
        ]
        for (name, bytes) in variants {
            let (table, _) = try read(folder.write("\(name).csv", bytes: bytes))
            XCTAssertEqual(table.columnNames, ["a", "b"], name)
            XCTAssertEqual(table["a"]!.floats, [1, 2], name)
            XCTAssertEqual(table["b"]!.texts, ["x", "y"], name)
        }
    }

    func testDelimitersDetectedAndGiven() throws {
        let rows = [["id", "size", "label"], ["1", "2.5", "red"], ["2", "3.5", "blue"], ["3", "1.0", "red"]]
        for (delimiter, byte) in [(",", UInt8(0x2c)), (";", 0x3b), ("\t", 0x09), ("|", 0x7c)] {
            let text = rows.map { $0.joined(separator: delimiter) }.joined(separator: "\n") + "\n"
            let path = folder.write("delimited-\(byte).csv", text)
            let (detected, report) = try read(path)
            XCTAssertEqual(report.delimiter, byte, "detect \(delimiter.debugDescription)")
            XCTAssertEqual(detected.columnNames, ["id", "size", "label"])
            let (given, _) = try read(path) { $0.delimiter = byte }
            XCTAssertEqual(given, detected)
        }
        // A semicolon file with decimal commas stays semicolon-delimited.
        let european = folder.write("european.csv", "a;b\n\"1,5\";x\n\"2,5\";y\n")
        XCTAssertEqual(try read(european).report.delimiter, 0x3b)
    }

    func testNoHeader() throws {
        let path = folder.write("noheader.csv", "1,a\n2,b\n")
        let (table, report) = try read(path) { $0.hasHeader = false }
        XCTAssertEqual(table.columnNames, ["column_1", "column_2"])
        XCTAssertEqual(report.rows, 2)
        XCTAssertEqual(table["column_1"]!.floats, [1, 2])
    }

    func testGzipInputMatchesPlain() throws {
        var text = "x,y,label\n"
        for row in 0..<5000 { text += "\(row),\(Double(row) / 7),\(row % 3 == 0 ? "a" : "b")\n" }
        let plain = folder.write("plain.csv", text)
        let gzip = try folder.writeGzip("packed.csv.gz", text)
        let (fromPlain, _) = try read(plain)
        let (fromGzip, report) = try read(gzip)
        XCTAssertTrue(report.compressed)
        XCTAssertEqual(report.textBytes, text.utf8.count)
        XCTAssertEqual(fromGzip.columns, fromPlain.columns)
    }

    func testTenThousandColumns() throws {
        let columns = 10_000
        let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
        let rows = (0..<3).map { row in (0..<columns).map { String(row * columns + $0) }.joined(separator: ",") }
        let path = folder.write("wide.csv", ([header] + rows).joined(separator: "\n") + "\n")
        let (table, _) = try read(path)
        XCTAssertEqual(table.columns.count, columns)
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table["c9999"]!.floats, [9999, 19_999, 29_999])
    }

    func testOneMegabyteField() throws {
        let big = String(repeating: "abcdefghij", count: 100_000) + "\n,\"end"
        let path = folder.write("bigfield.csv", "id,text\n1,\"\(big.replacingOccurrences(of: "\"", with: "\"\""))\"\n2,short\n")
        let (table, _) = try read(path) { $0.chunkSize = 1 << 16 }
        XCTAssertEqual(table["text"]!.texts, [big, "short"])
        XCTAssertEqual(table["id"]!.floats, [1, 2])
    }

    /// Small chunks force record boundaries (and quoted newlines) across chunk edges;
    /// the table must not depend on chunk size or thread count.
    func testChunkingAndThreadsDoNotChangeTheTable() throws {
        var generator = SeededGenerator(seed: 3)
        var text = "id,value,comment,flag\n"
        for row in 0..<20_000 {
            let comment = generator.nextUniform() < 0.2 ? "\"line one\nline, two \"\"q\"\"\"" : "c\(generator.nextInt(below: 50))"
            text += "\(row),\(generator.nextNormal()),\(comment),\(generator.nextUniform() < 0.5 ? "yes" : "no")\n"
        }
        let path = folder.write("chunks.csv", text)
        let (reference, _) = try read(path) { $0.threads = 1; $0.chunkSize = 64 << 20 }
        for (chunk, threads) in [(1 << 16, 1), (1 << 16, 2), (100_000, 4)] {
            let (table, _) = try read(path) { $0.threads = threads; $0.chunkSize = chunk }
            XCTAssertEqual(table, reference, "chunk \(chunk), threads \(threads)")
        }
        XCTAssertEqual(reference.rowCount, 20_000)
        XCTAssertEqual(reference["flag"]!.type, .boolean)
    }

    func testBundledDatasetsReadWithExpectedShapes() throws {
        let expected: [(String, Int, Int)] = [
            ("breast_cancer.csv", 569, 31), ("wine.csv", 178, 14), ("diabetes.csv", 442, 11), ("credit_data.csv", 4454, 14),
            ("penguins.csv", 344, 7), ("ames.csv", 2930, 74), ("airline.csv", 144, 2),
            ("italy_power_demand_train.csv", 67, 25), ("italy_power_demand_test.csv", 1029, 25), ("chicago_ridership.csv", 5698, 10),
        ]
        for (name, rows, columns) in expected {
            let (table, report) = try read("\(datasetsPath)/\(name)")
            XCTAssertEqual(table.rowCount, rows, name)
            XCTAssertEqual(table.columns.count, columns, name)
            XCTAssertTrue(report.strays.isEmpty, "\(name): \(report.strays)")
        }
    }
}

/// The splitter must produce exactly what libcsv produces, quoted fields included.
final class SplitterDifferentialTests: XCTestCase {
    let folder = TemporaryFolder()

    func testSplitterMatchesLibCSVWithAndWithoutQuotes() throws {
        var generator = SeededGenerator(seed: 17)
        let plain = ["1", "2.5", "-3e2", "", "NA", "abc", " padded ", "\tx\t", "x y", "true", "2020-01-02", "?", "  "]
        // Quoted fields the splitter takes (delimiters, line breaks and "" inside, spaces
        // around) and quoting it hands to libcsv (a quote inside a field, text after the
        // closing quote, no closing quote).
        let quoted = ["\"a,b\"", "\"x\"\"y\"", "\"line\nbreak\"", "\" spaced \"", "\"\"", "\"12\"", "  \"q\"  ", "\"a;b|c\"",
                      "\"crlf\r\nin\"", "\"\"\"\"", "\"ñ€\""]
        let broken = ["a\"b", "\"abc\"d", "\"unterminated"]
        for trial in 0..<80 {
            let pieces = trial < 40 ? plain : plain + quoted + (trial >= 70 ? broken : [])
            let columns = 1 + generator.nextInt(below: 5)
            let delimiter: UInt8 = [0x2c, 0x3b, 0x09, 0x7c][generator.nextInt(below: 4)]
            let separator = String(UnicodeScalar(delimiter))
            var lines = [(0..<columns).map { "c\($0)" }.joined(separator: separator)]
            for _ in 0..<(50 + generator.nextInt(below: 200)) {
                switch generator.nextInt(below: 20) {
                case 0: lines.append("")                        // blank line
                case 1: lines.append("   ")                     // whitespace-only line
                case 2: lines.append((0..<(columns + 1)).map { _ in "9" }.joined(separator: separator))  // ragged
                default:
                    lines.append((0..<columns).map { _ in
                        let piece = pieces[generator.nextInt(below: pieces.count)]
                        return delimiter == 0x09 ? piece.replacingOccurrences(of: "\t", with: " ") : piece
                    }.joined(separator: separator))
                }
            }
            let ending = ["\n", "\r\n", "\r"][generator.nextInt(below: 3)]
            var text = lines.joined(separator: ending)
            if generator.nextUniform() < 0.5 { text += ending }
            let path = folder.write("diff-\(trial).csv", text)
            func attempt(_ libcsv: Bool) -> Result<Table, DataError> {
                do {
                    return .success(try read(path) {
                        $0.delimiter = delimiter
                        $0.skipBadRows = true
                        $0.alwaysUseLibCSV = libcsv
                        $0.chunkSize = 1 << 16
                    }.table)
                } catch let error as DataError { return .failure(error) } catch { fatalError("\(error)") }
            }
            XCTAssertEqual(attempt(false), attempt(true), "trial \(trial) (delimiter \(delimiter), ending \(ending.debugDescription))")
        }
    }
}

/// The chunk cutter's quote-parity scan (count the quotes, walk back to the last line
/// break outside quotes) equals the byte-at-a-time state machine it replaced.
final class ChunkCutTests: XCTestCase {
    func testScanMatchesTheByteAtATimeDefinition() {
        var generator = SeededGenerator(seed: 4)
        let alphabet: [UInt8] = [0x22, 0x0a, 0x2c, 0x61, 0x0d, 0x22, 0x62]
        for _ in 0..<2_000 {
            // Up to 300 bytes: several of the quote counter's 64-byte blocks and a tail.
            let bytes = (0..<generator.nextInt(below: 300)).map { _ in alphabet[generator.nextInt(below: alphabet.count)] }
            let start = bytes.isEmpty ? 0 : generator.nextInt(below: bytes.count + 1)
            let parity = generator.nextInt(below: 2) == 1, lastCut = generator.nextInt(below: start + 1)
            var inQuotes = parity, cut = lastCut
            for index in start..<bytes.count {
                if bytes[index] == 0x22 { inQuotes.toggle() } else if bytes[index] == 0x0a, !inQuotes { cut = index + 1 }
            }
            let expected = start < bytes.count ? (inQuotes, cut) : (parity, lastCut)
            let got = CSVReader.scan(bytes, from: start, parity: parity, lastCut: lastCut)
            XCTAssertTrue(got == expected, "\(bytes) from \(start), parity \(parity): \(got) vs \(expected)")
        }
    }

    func testQuoteCountMatchesAPlainCount() {
        var generator = SeededGenerator(seed: 5)
        for length in [0, 1, 63, 64, 65, 127, 128, 129, 200, 1000, 64 * 5 + 3] {
            // Up to 255 quotes in a block of 64 would overflow a byte counter; a block of all quotes is the edge.
            let bytes = length == 1000 ? [UInt8](repeating: 0x22, count: length)
                : (0..<length).map { _ in generator.nextInt(below: 3) == 0 ? 0x22 : UInt8(generator.nextInt(below: 256)) }
            let count = bytes.withUnsafeBufferPointer { CSVReader.countQuotes($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: length) }
            XCTAssertEqual(count, bytes.filter { $0 == 0x22 }.count, "length \(length)")
        }
    }
}

/// A last line that ends with a delimiter and no line break has an empty last field —
/// the splitter once dropped that whole record without a word (libcsv kept it).
final class TrailingDelimiterTests: XCTestCase {
    let folder = TemporaryFolder()

    func testTheLastRecordSurvivesATrailingDelimiterAtTheEnd() throws {
        for text in ["a,b\n1,\n2,", "a,b\n1,\n\"2\",", "a,b\n1,\"x\"\n3,"] {
            for libcsv in [false, true] {
                let (table, _) = try read(folder.write("t.csv", text)) { $0.alwaysUseLibCSV = libcsv }
                XCTAssertEqual(table.rowCount, 2, "\(text.debugDescription), libcsv \(libcsv)")
                XCTAssertEqual(table["a"]?.text(at: 1), text.hasSuffix("3,") ? "3" : "2")
                XCTAssertTrue(table["b"]!.isMissing(1))
            }
        }
    }
}

/// Inputs the fuzzer found (fuzz/run.sh), kept as regression tests.
final class FuzzRegressionTests: XCTestCase {
    let folder = TemporaryFolder()

    /// CR-only line endings: more records than LF bytes (the first fuzz finding, a heap
    /// overflow in the per-column buffers).
    func testCarriageReturnOnlyLineEndings() throws {
        let crash: [UInt8] = [0x30, 0x2d, 0x31, 0x32, 0x39, 0x2d, 0x30, 0x31, 0x2d, 0x30, 0x32, 0x0a, 0x05, 0x2d, 0x30, 0x31,
                              0x2d, 0x0a, 0x0d, 0x32, 0x33, 0x0d, 0x33, 0x0d, 0x31, 0x26]
        _ = try? read(folder.write("crash.csv", bytes: crash))
        let (table, _) = try read(folder.write("cr.csv", bytes: Array("a,b\r1,2\r3,4\r5,6\r7,8\r".utf8)))
        XCTAssertEqual(table["a"]!.floats, [1, 3, 5, 7])
        var many = "x\r"
        for row in 0..<10_000 { many += "\(row)\r" }
        let (long, _) = try read(folder.write("many.csv", bytes: Array(many.utf8))) { $0.chunkSize = 1 << 16 }
        XCTAssertEqual(long.rowCount, 10_000)
        XCTAssertEqual(long["x"]!.floats.last, 9999)
    }

    /// A column's text codes start at its first text (the rows before it are "not text")
    /// and survive the buffers' growth on CR-only files; the chunk columns adopt the
    /// builders' buffers, so every row's number and code must be the one written.
    func testTextFirstSeenLateAndBuffersGrownKeepEveryRow() throws {
        var csv = "n,c,s\r"
        for row in 0..<6_000 {
            let category = row < 2_500 ? "" : (row % 3 == 0 ? "u" : "v")
            let stray = row == 4_000 ? "oops" : "\(row)"
            csv += "\(row),\(category),\(stray)\r"
        }
        let (table, report) = try read(folder.write("late.csv", bytes: Array(csv.utf8))) { $0.chunkSize = 1 << 16 }
        XCTAssertEqual(table.rowCount, 6_000)
        XCTAssertEqual(table["n"]!.floats, (0..<6_000).map(Float.init))
        let category = table["c"]!
        XCTAssertEqual(category.type, .categorical)
        XCTAssertEqual((0..<6_000).map { category.text(at: $0) }, (0..<6_000).map { $0 < 2_500 ? "" : ($0 % 3 == 0 ? "u" : "v") })
        let stray = table["s"]!.floats
        XCTAssertTrue(stray[4_000].isNaN)
        XCTAssertEqual(stray.enumerated().filter { $0.offset != 4_000 }.map(\.element),
                       (0..<6_000).filter { $0 != 4_000 }.map(Float.init))
        XCTAssertEqual(report.strays.map(\.count), [1])
    }

    /// A value far outside the fit rows' range divided by a tiny scale overflowed `Float`
    /// to −inf (the preprocessing fuzz target's first finding); it is now clipped.
    func testStandardizingAFarValueStaysFinite() throws {
        let values: [Float] = [0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .greatestFiniteMagnitude]
        let table = Table(columns: [Column(name: "x", type: .numeric, storage: .numeric(values))])
        let fitted = try Preprocessor().fit(table, rows: [0, 1])
        let (matrix, _) = try fitted.transform(table)
        XCTAssertEqual(matrix.values[0], -1, accuracy: 1e-6)
        XCTAssertEqual(matrix.values[1], 1, accuracy: 1e-6)
        XCTAssertEqual(matrix.values[2], -Float(FittedPreprocessor.standardizedBound))
        XCTAssertEqual(matrix.values[3], Float(FittedPreprocessor.standardizedBound))
    }
}
