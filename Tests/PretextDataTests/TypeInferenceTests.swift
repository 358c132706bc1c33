import XCTest
@testable import PretextData

final class TypeInferenceTests: XCTestCase {
    let folder = TemporaryFolder()

    func testTypesFromData() throws {
        let path = folder.write("types.csv", """
        count,ratio,sci,flag,answer,color,day,stamp,special
        1,0.5,1e3,true,yes,red,2020-01-31,2020-01-31T12:30:00Z,inf
        2,-1.25,-2.5E-2,FALSE,No,blue,2020-02-29,2020-02-29 08:00,-inf
        3,,3E+1,True,YES,red,,2021-03-01T00:00:00+01:00,1

        """)
        let (table, _) = try read(path)
        let types = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.type) })
        XCTAssertEqual(types, ["count": .numeric, "ratio": .numeric, "sci": .numeric, "flag": .boolean, "answer": .boolean,
                               "color": .categorical, "day": .datetime, "stamp": .datetime, "special": .numeric])
        XCTAssertEqual(table["sci"]!.floats, [1000, -0.025, 30])
        XCTAssertEqual(table["flag"]!.floats, [1, 0, 1])
        XCTAssertEqual(table["answer"]!.floats, [1, 0, 1])
        XCTAssertTrue(table["ratio"]!.isMissing(2))
        XCTAssertTrue(table["day"]!.isMissing(2))
        XCTAssertEqual(table["special"]!.floats[0], .infinity)
        guard case .datetime(let stamps) = table["stamp"]!.storage else { return XCTFail("datetime storage") }
        XCTAssertEqual(stamps[0], 1_580_473_800)        // 2020-01-31T12:30:00Z
        XCTAssertEqual(stamps[2], 1_614_553_200)        // 2021-03-01T00:00:00+01:00 = 2021-02-28T23:00Z
        guard case .categorical(let codes, let vocabulary) = table["color"]!.storage else { return XCTFail("categorical storage") }
        XCTAssertEqual(vocabulary, ["red", "blue"])
        XCTAssertEqual(codes, [0, 1, 0])
    }

    func testDefaultAndConfiguredMissingTokens() throws {
        let path = folder.write("missing.csv", "v,w\n1,a\nNA,N/A\nNaN,null\nNone,?\n,b\n-,c\n")
        let (table, report) = try read(path)
        XCTAssertEqual(table["w"]!.texts, ["a", "", "", "", "b", "c"])
        // "-" is not a default token: it is a stray text in a numeric column… but at
        // 1 of 2 present values it is too many, so the column is categorical.
        XCTAssertEqual(table["v"]!.type, .categorical)
        XCTAssertTrue(report.strays.isEmpty)
        let (custom, _) = try read(path) { $0.missingTokens = ["", "-", "NA", "NaN", "None"] }
        XCTAssertEqual(custom["v"]!.type, .numeric)
        XCTAssertEqual(custom["v"]!.presentCount, 1)
        XCTAssertEqual(custom["w"]!.texts, ["a", "N/A", "null", "?", "b", "c"])
    }

    /// A numeric column with a few stray strings stays numeric and the strays are
    /// reported with their lines, never silently turned categorical.
    func testStrayStringsAreReported() throws {
        var text = "id,amount\n"
        for row in 1...100 { text += "\(row),\(row == 40 ? "n.a." : row == 77 ? "unknown" : String(Double(row) * 1.5))\n" }
        let (table, report) = try read(folder.write("strays.csv", text))
        XCTAssertEqual(table["amount"]!.type, .numeric)
        XCTAssertEqual(report.strays.count, 1)
        XCTAssertEqual(report.strays[0].column, "amount")
        XCTAssertEqual(report.strays[0].count, 2)
        XCTAssertEqual(report.strays[0].examples.map(\.line), [41, 78])
        XCTAssertEqual(report.strays[0].examples.map(\.text), ["n.a.", "unknown"])
        XCTAssertTrue(table["amount"]!.isMissing(39))
        XCTAssertTrue(report.notes.contains { $0.contains("amount") && $0.contains("stray") })
    }

    /// Mostly-text columns with some numbers keep every value's original text.
    func testMixedColumnBecomesCategoricalWithOriginalText() throws {
        let path = folder.write("mixed.csv", "code,x\n007,1\nA12,2\n10,3\nB7,4\n")
        let (table, _) = try read(path)
        XCTAssertEqual(table["code"]!.type, .categorical)
        XCTAssertEqual(table["code"]!.texts, ["007", "A12", "10", "B7"])
    }

    func testGivenCategoricalKeepsLeadingZeros() throws {
        let path = folder.write("zip.csv", "zip,y\n02139,1\n10001,0\n")
        let (table, _) = try read(path) { $0.columnTypes = ["zip": .categorical] }
        XCTAssertEqual(table["zip"]!.texts, ["02139", "10001"])
    }

    func testAllMissingColumnIsNumericWithNote() throws {
        let (table, report) = try read(folder.write("empty-col.csv", "a,b\n1,\n2,NA\n"))
        XCTAssertEqual(table["b"]!.type, .numeric)
        XCTAssertEqual(table["b"]!.presentCount, 0)
        XCTAssertTrue(report.notes.contains { $0.contains("\"b\"") && $0.contains("missing") })
    }

    func testUnlabeledRowsStayInTheTable() throws {
        var (table, _) = try read(folder.write("partial.csv", "x,y\n1,a\n2,\n3,b\n4,\n5,a\n"))
        try table.setRole(.target, for: "y")
        XCTAssertEqual(table.rowCount, 5)
        XCTAssertEqual(table.labeledRows, [0, 2, 4])
        XCTAssertEqual(table.unlabeledRows, [1, 3])
    }

    func testTaskInference() throws {
        let path = folder.write("tasks.csv", "num_classes,real,text,single\n1,0.5,a,z\n2,1.7,b,z\n1,2.2,a,z\n3,9.1,c,z\n")
        let (table, _) = try read(path)
        XCTAssertEqual(try TaskType.infer(for: table["num_classes"]!, path: path), .multiclassClassification)
        XCTAssertEqual(try TaskType.infer(for: table["real"]!, path: path), .regression)
        XCTAssertEqual(try TaskType.infer(for: table["text"]!, path: path), .multiclassClassification)
        assertDataError(try TaskType.infer(for: table["single"]!, path: path)) {
            if case .invalidTarget(_, "single", let reason) = $0 { return reason.contains("single class") }
            return false
        }
        let italy = try read("\(datasetsPath)/italy_power_demand_train.csv").table
        XCTAssertEqual(try TaskType.infer(for: italy["target"]!, path: "italy"), .binaryClassification)
        let diabetes = try read("\(datasetsPath)/diabetes.csv").table
        XCTAssertEqual(try TaskType.infer(for: diabetes["target"]!, path: "diabetes"), .regression)
    }

    /// A column given in pieces (a cache read a slice at a time) gets the task, the errors
    /// and the target encoding it gets whole, to the last bit.
    func testTaskAndTargetFromPiecesEqualTheWhole() throws {
        let path = folder.write("pieces.csv", "num_classes,real,text,single,flag,infinite\n"
            + (0..<40).map { "\($0 % 3 + 1),\(Double($0) * 0.37 + 0.1),\(["a", "b"][$0 % 2]),z,\($0 % 2 == 0 ? "yes" : "no"),\($0 == 29 ? "inf" : "1.5")" }
                .joined(separator: "\n") + "\n,,,,,\n")
        let (table, _) = try read(path)
        func pieces(_ name: String, size: Int) -> [Column] {
            stride(from: 0, to: table.rowCount, by: size).map { table.selecting(rows: Array($0..<min(table.rowCount, $0 + size)))[name]! }
        }
        for name in ["num_classes", "real", "text", "flag", "single", "infinite"] {
            for size in [1, 7, 41] {
                var inference = TaskType.Inference(path: path)
                let pieced = Result { () throws -> TaskType in
                    for piece in pieces(name, size: size) { try inference.add(piece) }
                    return try inference.task(requested: nil)
                }
                let whole = Result { try TaskType.infer(for: table[name]!, path: path) }
                switch (pieced, whole) {
                case (.success(let a), .success(let b)): XCTAssertEqual(a, b, "\(name) in pieces of \(size)")
                case (.failure(let a), .failure(let b)): XCTAssertEqual("\(a)", "\(b)", "\(name) in pieces of \(size)")
                default: XCTFail("\(name) in pieces of \(size): \(pieced) against \(whole)")
                }
                guard case .success(let task) = whole else { continue }
                var target = table
                try target.setRole(.target, for: name)
                let rows = Array(0..<table.rowCount)
                let expected = try TargetEncoder.fit(target, rows: rows, task: task)
                let fromPieces = try TargetEncoder.fit(task: task, path: path) { piece in
                    for start in stride(from: 0, to: rows.count, by: size) { try piece(target, Array(rows[start..<min(rows.count, start + size)])) }
                }
                XCTAssertEqual(fromPieces, expected, "\(name) in pieces of \(size)")
            }
        }
        assertDataError(try TaskType.infer(for: table["infinite"]!, path: path)) {
            if case .invalidTarget(_, "infinite", let reason) = $0 { return reason.contains("row 30") }
            return false
        }
    }

    func testISODateRoundTrip() {
        XCTAssertEqual(ISODate.parse("1970-01-01"), 0)
        XCTAssertEqual(ISODate.parse("1949-01"), ISODate.parse("1949-01-01"))
        XCTAssertEqual(ISODate.parse("2000-02-29"), 951_782_400)
        XCTAssertNil(ISODate.parse("2001-02-29"))
        XCTAssertNil(ISODate.parse("2020-13-01"))
        XCTAssertNil(ISODate.parse("20200101"))
        XCTAssertEqual(ISODate.format(951_782_400), "2000-02-29")
        XCTAssertEqual(ISODate.format(ISODate.parse("1960-12-31T23:59:59Z")!), "1960-12-31T23:59:59Z")
    }
}
