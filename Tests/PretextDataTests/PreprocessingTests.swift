import Foundation
import XCTest
@testable import PretextData

final class PreprocessingTests: XCTestCase {
    let folder = TemporaryFolder()

    func sample() throws -> Table {
        var (table, _) = try read(folder.write("train.csv", """
        age,city,income,constant,member,label
        30,paris,100,7,true,a
        40,lyon,,7,false,b
        50,paris,300,7,true,a
        60,nice,400,7,false,b
        ,paris,500,7,true,a

        """))
        try table.setRole(.target, for: "label")
        return table
    }

    func testStandardizeImputeIndicatorsAndDropConstant() throws {
        let table = try sample()
        let fitted = try Preprocessor().fit(table, rows: Array(0..<5))
        XCTAssertEqual(fitted.featureNames, ["age", "age__missing", "city=paris", "city=lyon", "city=nice", "city=<unknown>",
                                             "income", "income__missing", "member"])
        XCTAssertTrue(fitted.notes.contains { $0.contains("constant") })
        let (matrix, _) = try fitted.transform(table)
        // age: mean 45, population std √125; the missing row is imputed with the median 45.
        XCTAssertEqual(matrix[0, 0], Float((30 - 45) / 125.0.squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(matrix[4, 0], 0, accuracy: 1e-6)
        XCTAssertEqual((0..<5).map { matrix[$0, 1] }, [0, 0, 0, 0, 1])
        XCTAssertEqual((0..<5).map { matrix[$0, 2] }, [1, 0, 1, 0, 1])
        XCTAssertEqual(fitted.blocks.map(\.column), ["age", "city", "income", "member"])
        XCTAssertEqual(fitted.blocks[1].width, 4)
        XCTAssertEqual(fitted.blocks[0].missingIndicator, 1)
    }

    func testUnknownCategoriesAndColumnOrderInNewFiles() throws {
        let fitted = try Preprocessor().fit(try sample(), rows: Array(0..<5))
        let (reordered, _) = try read(folder.write("new.csv", "member,income,city,age\nfalse,250,marseille,35\ntrue,,paris,\n"))
        let (matrix, report) = try fitted.transform(reordered)
        XCTAssertEqual(report.unknownCategories, ["city": 1])
        XCTAssertEqual(matrix[0, 5], 1)     // city=<unknown>
        XCTAssertEqual(matrix[1, 2], 1)     // city=paris
        XCTAssertEqual(matrix[1, 7], 1)     // income__missing
        let (missingColumns, _) = try read(folder.write("short.csv", "age,city\n1,paris\n"))
        assertDataError(try fitted.transform(missingColumns)) {
            if case .schemaMismatch(let missing, _) = $0 { return missing == ["income", "member"] }
            return false
        }
    }

    func testCodableRoundTripGivesIdenticalTransform() throws {
        let table = try read("\(datasetsPath)/credit_data.csv").table
        var config = PreprocessingConfig()
        config.numericTransform = .quantileNormal
        let fitted = try Preprocessor(config: config).fit(table, rows: Array(0..<3000))
        let data = try JSONEncoder().encode(fitted)
        let decoded = try JSONDecoder().decode(FittedPreprocessor.self, from: data)
        XCTAssertEqual(decoded, fitted)
        XCTAssertEqual(try decoded.transform(table).matrix, try fitted.transform(table).matrix)
    }

    func testQuantileNormalIsMonotoneAndCentred() throws {
        var text = "x\n"
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<2000 { text += "\(exp(generator.nextNormal() * 2))\n" }   // heavy right skew
        let table = try read(folder.write("skew.csv", text)).table
        var config = PreprocessingConfig()
        config.numericTransform = .quantileNormal
        let fitted = try Preprocessor(config: config).fit(table, rows: Array(0..<2000))
        let (matrix, _) = try fitted.transform(table)
        let values = table["x"]!.floats
        let order = values.indices.sorted { values[$0] < values[$1] }
        let mapped = order.map { matrix[$0, 0] }
        XCTAssertEqual(mapped, mapped.sorted())
        let mean = mapped.reduce(0, +) / Float(mapped.count)
        XCTAssertEqual(mean, 0, accuracy: 0.05)
        XCTAssertEqual(InverseNormal.quantile(0.975), 1.959964, accuracy: 1e-5)
    }

    func testTargetEncoding() throws {
        let table = try sample()
        let encoder = try TargetEncoder.fit(table, rows: Array(0..<5), task: .binaryClassification)
        XCTAssertEqual(encoder.classNames, ["a", "b"])
        XCTAssertEqual(try encoder.classIndices(table, rows: [0, 1, 2]), [0, 1, 0])
        var diabetes = try read("\(datasetsPath)/diabetes.csv").table
        try diabetes.setRole(.target, for: "target")
        let regression = try TargetEncoder.fit(diabetes, rows: Array(0..<442), task: .regression)
        let standardized = try regression.standardized(diabetes, rows: Array(0..<442))
        XCTAssertEqual(Double(standardized.reduce(0, +)) / 442, 0, accuracy: 1e-4)
        XCTAssertEqual(regression.original(standardized[0]), Double(diabetes["target"]!.floats[0]), accuracy: 1e-3)
        // Numeric class names sort as numbers.
        var italy = try read("\(datasetsPath)/italy_power_demand_train.csv").table
        try italy.setRole(.target, for: "target")
        XCTAssertEqual(try TargetEncoder.fit(italy, rows: Array(0..<67), task: .binaryClassification).classNames, ["1", "2"])
    }
}
