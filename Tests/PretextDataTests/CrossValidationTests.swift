import XCTest
@testable import PretextData

/// Repeated stratified k-fold: folds partition the given rows (and only them), every
/// row is validated once per repeat, classes are spread evenly, and seeds repeat.
final class CrossValidationTests: XCTestCase {
    func testFoldsPartitionTheRowsStratifiedOncePerRepeat() throws {
        // Rows 100..<130 (not 0-based: folds must only ever hold the given rows), classes 20 / 7 / 3.
        let rows = Array(100..<130)
        let classes: [Int32] = (0..<30).map { $0 < 20 ? 0 : $0 < 27 ? 1 : 2 }
        let folds = try XCTUnwrap(StratifiedKFold(rows: rows, classes: classes, folds: 5, repeats: 3, seed: 7))
        XCTAssertEqual(folds.folds, 3, "k is reduced to the smallest class's count")
        let splits = folds.splits
        XCTAssertEqual(splits.count, 9)
        let classOf = Dictionary(uniqueKeysWithValues: zip(rows, classes))
        for repeatIndex in 0..<3 {
            let mine = splits.filter { $0.repeatIndex == repeatIndex }
            XCTAssertEqual(mine.flatMap(\.validation).sorted(), rows, "each row validated exactly once per repeat")
            for fold in mine {
                XCTAssertEqual(Set(fold.train).intersection(fold.validation), [])
                XCTAssertEqual((fold.train + fold.validation).sorted(), rows)
                for label: Int32 in [0, 1, 2] {
                    let count = fold.validation.filter { classOf[$0] == label }.count
                    let total = classes.filter { $0 == label }.count
                    XCTAssertTrue((total / 3...(total + 2) / 3).contains(count), "class \(label): \(count) of \(total) in a fold")
                }
            }
        }
        XCTAssertNotEqual(splits[0].validation, splits[3].validation, "repeats shuffle anew")
        XCTAssertEqual(StratifiedKFold(rows: rows, classes: classes, folds: 5, repeats: 3, seed: 7)!.splits, splits)
        XCTAssertNotEqual(StratifiedKFold(rows: rows, classes: classes, folds: 5, repeats: 3, seed: 8)!.splits, splits)
    }

    func testTooFewRowsPerClassGivesNoFolds() {
        XCTAssertNil(StratifiedKFold(rows: [1, 2, 3, 4, 5], classes: [0, 0, 0, 0, 1], seed: 0), "a class with one row")
        XCTAssertNil(StratifiedKFold(rows: [1, 2, 3], classes: nil, seed: 0))
        let regression = StratifiedKFold(rows: Array(0..<12), classes: nil, folds: 5, repeats: 1, seed: 0)
        XCTAssertEqual(regression?.folds, 5)
        XCTAssertEqual(regression?.splits.map(\.validation.count).sorted(), [2, 2, 3, 3, 2].sorted())
    }
}
