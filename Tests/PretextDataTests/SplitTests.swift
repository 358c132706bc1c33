import Foundation
import XCTest
@testable import PretextData

final class SplitTests: XCTestCase {
    func creditTable() throws -> Table {
        var (table, _) = try read("\(datasetsPath)/credit_data.csv")
        try table.setRole(.target, for: "target")
        return table
    }

    func testSameSeedSameSplitOtherSeedOtherSplit() throws {
        let table = try creditTable()
        var config = SplitConfig()
        config.seed = 11
        let first = try DatasetSplit.make(table, task: .binaryClassification, config: config)
        let again = try DatasetSplit.make(table, task: .binaryClassification, config: config)
        XCTAssertEqual(first, again)
        config.seed = 12
        XCTAssertNotEqual(try DatasetSplit.make(table, task: .binaryClassification, config: config).test, first.test)
        // A partition of the labeled rows.
        let all = (first.train + first.validation + first.test).sorted()
        XCTAssertEqual(all, Array(0..<table.rowCount))
        XCTAssertEqual(first.test.count, 891, accuracy: 2)       // 20% of 4454
        XCTAssertEqual(first.validation.count, 445, accuracy: 2) // 10%
    }

    func testStratificationKeepsClassShares() throws {
        let table = try creditTable()
        let split = try DatasetSplit.make(table, task: .binaryClassification)
        let target = table.target!
        func badShare(_ rows: [Int]) -> Double { Double(rows.filter { target.text(at: $0) == "bad" }.count) / Double(rows.count) }
        let overall = badShare(Array(0..<table.rowCount))
        for part in [split.train, split.validation, split.test] {
            XCTAssertEqual(badShare(part), overall, accuracy: 0.005)
        }
    }

    func testUnlabeledRowsNeverEnterValidationOrTest() throws {
        var text = "x,y\n"
        for row in 0..<200 { text += "\(row),\(row % 3 == 0 ? "" : (row % 2 == 0 ? "a" : "b"))\n" }
        let folder = TemporaryFolder()
        var (table, _) = try read(folder.write("partial.csv", text))
        try table.setRole(.target, for: "y")
        let split = try DatasetSplit.make(table, task: .binaryClassification)
        XCTAssertEqual(split.unlabeled, table.unlabeledRows)
        XCTAssertTrue(Set(split.unlabeled).isDisjoint(with: split.train + split.validation + split.test))
        XCTAssertEqual(split.pretraining.count, table.rowCount - split.test.count)
    }

    /// A development split never reads the seed's test rows — they are in no part, not
    /// even the pretraining rows — and splits the other labeled rows by the same rule
    /// (stratified, the same shares); the unlabeled rows stay. Configurations saved
    /// before the option existed decode as ordinary splits.
    func testADevelopmentSplitSetsTheTestRowsAside() throws {
        var text = "x,y\n"
        for row in 0..<300 { text += "\(row),\(row % 7 == 0 ? "" : ["a", "b", "c"][row % 3])\n" }
        let folder = TemporaryFolder()
        var (table, _) = try read(folder.write("partial.csv", text))
        try table.setRole(.target, for: "y")
        for seed in [0, 3] as [UInt64] {
            var config = SplitConfig()
            config.seed = seed
            let official = try DatasetSplit.make(table, task: .multiclassClassification, config: config)
            config.development = true
            let development = try DatasetSplit.make(table, task: .multiclassClassification, config: config)
            let setAside = Set(official.test)
            for (name, part) in [("train", development.train), ("validation", development.validation), ("test", development.test),
                                 ("pretraining", development.pretraining)] {
                XCTAssertTrue(setAside.isDisjoint(with: part), "seed \(seed): the official test rows are in \(name)")
            }
            XCTAssertEqual(Set(development.train + development.validation + development.test),
                           Set(table.labeledRows).subtracting(setAside), "every other labeled row is used")
            XCTAssertEqual(development.unlabeled, table.unlabeledRows)
            XCTAssertEqual(Double(development.test.count), 0.2 * Double(table.labeledRows.count - setAside.count), accuracy: 3)
            let target = table.target!
            let shares = Dictionary(grouping: development.test) { target.text(at: $0) }.mapValues(\.count)
            XCTAssertEqual(shares.count, 3, "stratified: every class tested")
            XCTAssertEqual(try DatasetSplit.make(table, task: .multiclassClassification, config: config), development, "seeded")
        }
        let saved = #"{"testFraction":0.2,"validationFraction":0.1,"stratify":true,"seed":4}"#
        let decoded = try JSONDecoder().decode(SplitConfig.self, from: Data(saved.utf8))
        XCTAssertFalse(decoded.development)
        XCTAssertEqual(decoded.seed, 4)
    }

    func testLabelBudgetsAreNestedAndCoverEveryClass() throws {
        let table = try read("\(datasetsPath)/wine.csv").table
        var labeled = table
        try labeled.setRole(.target, for: "target")
        let split = try DatasetSplit.make(labeled, task: .multiclassClassification)
        let encoder = try TargetEncoder.fit(labeled, rows: split.train, task: .multiclassClassification)
        let classes = try encoder.classIndices(labeled, rows: split.train)
        let sampler = LabelBudgetSampler(rows: split.train, classes: classes, seed: 5)
        var previous: Set<Int> = []
        for text in ["3", "1%", "5%", "10", "25%", "100%"] {
            let rows = try sampler.rows(for: LabelBudget(parsing: text))
            XCTAssertTrue(previous.isSubset(of: Set(rows)), "budget \(text) must contain the smaller ones")
            let present = Set(try encoder.classIndices(labeled, rows: rows))
            XCTAssertEqual(present.count, 3, "budget \(text) must have every class")
            previous = Set(rows)
        }
        XCTAssertEqual(previous, Set(split.train))
        XCTAssertEqual(try sampler.rows(for: .fraction(0.05)), try LabelBudgetSampler(rows: split.train, classes: classes, seed: 5).rows(for: .fraction(0.05)))
        // Proportions hold within one row per class at 25%.
        let quarter = try sampler.rows(for: .fraction(0.25))
        let counts = try encoder.classIndices(labeled, rows: quarter).reduce(into: [Int32: Int]()) { $0[$1, default: 0] += 1 }
        let fullCounts = classes.reduce(into: [Int32: Int]()) { $0[$1, default: 0] += 1 }
        for (label, count) in fullCounts {
            XCTAssertEqual(Double(counts[label]!), Double(count) * Double(quarter.count) / Double(split.train.count), accuracy: 1.5)
        }
    }

    func testLabelBudgetParsingAndLimits() throws {
        XCTAssertEqual(try LabelBudget(parsing: "5%"), .fraction(0.05))
        XCTAssertEqual(try LabelBudget(parsing: " 100 "), .count(100))
        XCTAssertEqual(try LabelBudget(parsing: "0.5%"), .fraction(0.005))
        for bad in ["150%", "0%", "0", "-3", "abc", "5 %x", "%"] {
            assertDataError(try LabelBudget(parsing: bad)) { if case .invalidLabelBudget = $0 { return true }; return false }
        }
        XCTAssertEqual(try LabelBudget.count(10).rowCount(available: 50, classes: 2), 10)
        XCTAssertEqual(try LabelBudget.fraction(0.01).rowCount(available: 50, classes: 3), 3)
        assertDataError(try LabelBudget.count(60).rowCount(available: 50, classes: 2))
        assertDataError(try LabelBudget.count(2).rowCount(available: 50, classes: 3))
    }

    func testSeededGeneratorIsReproducibleAndUniform() {
        var a = SeededGenerator(seed: 99), b = SeededGenerator(seed: 99)
        XCTAssertEqual((0..<100).map { _ in a.next() }, (0..<100).map { _ in b.next() })
        var generator = SeededGenerator(seed: 1)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[generator.nextInt(below: 10)] += 1 }
        for count in counts { XCTAssertEqual(Double(count), 10_000, accuracy: 400) }
        var streamA = SeededGenerator(seed: 1, stream: "a"), streamB = SeededGenerator(seed: 1, stream: "b")
        XCTAssertNotEqual(streamA.next(), streamB.next())
    }

    /// Gamma and Beta draws have their distributions' means and variances (shape above and
    /// below 1, where the boost applies; Beta(0.2, 0.2), MCL's mixing weights, is U-shaped).
    func testGammaAndBetaDrawsHaveTheirMoments() {
        var generator = SeededGenerator(seed: 4)
        let n = 40_000
        for shape in [0.2, 1.0, 3.5] {
            let draws = (0..<n).map { _ in generator.nextGamma(shape: shape) }
            let mean = draws.reduce(0, +) / Double(n)
            let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
            XCTAssertEqual(mean, shape, accuracy: 0.05 * shape + 0.01, "Gamma(\(shape)) mean")
            XCTAssertEqual(variance, shape, accuracy: 0.1 * shape + 0.02, "Gamma(\(shape)) variance")
            XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0.isFinite })
        }
        let (a, b) = (0.2, 0.2)
        let betas = (0..<n).map { _ in generator.nextBeta(a, b) }
        let mean = betas.reduce(0, +) / Double(n)
        let variance = betas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        XCTAssertEqual(mean, 0.5, accuracy: 0.01)
        XCTAssertEqual(variance, a * b / ((a + b) * (a + b) * (a + b + 1)), accuracy: 0.01)   // 0.179
        XCTAssertTrue(betas.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertGreaterThan(betas.filter { $0 < 0.1 || $0 > 0.9 }.count, n / 2, "U-shaped")
    }

    /// `RowsExcept` lists exactly the rows a filtered array lists, by position and in
    /// parts (a rank's shard), with the excluded rows at the ends and side by side.
    func testRowsExceptMatchesTheFilteredRows() {
        for excluded in [[], [0], [9], [0, 1, 2], [3, 4, 8, 9], [1, 5, 6, 7]] {
            let rows = RowsExcept(total: 10, excluding: excluded)
            let expected = (0..<10).filter { !excluded.contains($0) }
            XCTAssertEqual(Array(rows), expected, "\(excluded)")
            XCTAssertEqual(rows.count, expected.count)
            for range in [0..<expected.count, 0..<(expected.count / 2), (expected.count / 2)..<expected.count] {
                XCTAssertEqual(Array(rows.part(range)), Array(expected[range]), "\(excluded), part \(range)")
            }
            let third = expected.count / 3   // a part of a part
            XCTAssertEqual(Array(rows.part(third..<expected.count).part(1..<(expected.count - third))), Array(expected[(third + 1)...]))
        }
    }

    /// `RowSubset` lists exactly the rows a filter keeps, by position, across block and
    /// word boundaries, with empty and full stretches; `contains` agrees.
    func testRowSubsetMatchesTheFilteredRows() {
        var generator = SeededGenerator(seed: 11, stream: "test")
        let total = 3 * RowSubset.blockRows + 77
        let rules: [(Int) -> Bool] = [
            { _ in false }, { _ in true }, { $0 % 3 == 0 },
            { $0 >= RowSubset.blockRows && $0 < 2 * RowSubset.blockRows },   // a block alone
            { $0 < 64 || $0 == total - 1 },                                  // a word, then the last row
        ]
        let random = (0..<total).map { _ in generator.nextInt(below: 10) == 0 }
        for (index, keeps) in (rules + [{ random[$0] }]).enumerated() {
            let subset = RowSubset(total: total, keeps: keeps)
            let expected = (0..<total).filter(keeps)
            XCTAssertEqual(subset.count, expected.count, "rule \(index)")
            XCTAssertEqual(Array(subset), expected, "rule \(index)")
            XCTAssertEqual((0..<total).filter(subset.contains), expected, "rule \(index)")
        }
        XCTAssertFalse(RowSubset(total: 5) { _ in true }.contains(5))
        XCTAssertTrue(RowSubset(total: 0) { _ in true }.isEmpty)
    }

    /// Floyd's sample: the count asked for, distinct, sorted, in range, the same for a
    /// seed, and uniform (each of 20 positions drawn about 5 in 20 times).
    func testFloydSampleIsDistinctSeededAndUniform() {
        var generator = SeededGenerator(seed: 3, stream: "test")
        var counts = [Int](repeating: 0, count: 20)
        for _ in 0..<20_000 {
            let sample = DatasetSplit.sample(count: 5, of: 20, generator: &generator)
            XCTAssertEqual(sample.count, 5)
            XCTAssertEqual(sample, Array(Set(sample)).sorted())
            XCTAssertTrue(sample.allSatisfy { (0..<20).contains($0) })
            for position in sample { counts[position] += 1 }
        }
        for count in counts { XCTAssertEqual(Double(count), 5_000, accuracy: 250) }
        var a = SeededGenerator(seed: 8), b = SeededGenerator(seed: 8)
        XCTAssertEqual(DatasetSplit.sample(count: 1_000, of: 10_000_000, generator: &a), DatasetSplit.sample(count: 1_000, of: 10_000_000, generator: &b))
        XCTAssertEqual(DatasetSplit.sample(count: 7, of: 7, generator: &a), Array(0..<7))
        XCTAssertEqual(DatasetSplit.sample(count: 0, of: 7, generator: &a), [])
    }
}
