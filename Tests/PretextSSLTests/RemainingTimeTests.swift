import XCTest
@testable import PretextReport

/// The ETA of a comparison counts each remaining cell at its own method's and point's
/// pace, not at the mean of the cheap cells that come first.
final class RemainingTimeTests: XCTestCase {
    func testEachRemainingCellCountsAtItsMethodsPace() throws {
        var remaining = RemainingTime()
        XCTAssertNil(remaining.estimate([(method: "naive", point: "10%")]))
        XCTAssertEqual(remaining.describe([(method: "naive", point: "10%")]), "ETA unknown")
        // One seed so far: a cheap baseline and an expensive network at 10%, the network at 100%.
        remaining.record(method: "naive", point: "10%", seconds: 1)
        remaining.record(method: "scratch", point: "10%", seconds: 30)
        remaining.record(method: "scratch", point: "100%", seconds: 90)
        let nextSeed = [(method: "naive", point: "10%"), (method: "scratch", point: "10%"),
                        (method: "naive", point: "100%"), (method: "scratch", point: "100%")]
        // naive at 100% was never seen: its method's mean (1 s) stands in.
        XCTAssertEqual(try XCTUnwrap(remaining.estimate(nextSeed)), 1 + 30 + 1 + 90, accuracy: 1e-9)
        // While a remaining cell's method has not run, there is no estimate.
        XCTAssertNil(remaining.estimate(nextSeed + [(method: "auto", point: "10%")]))
        // Means, not the last time: a second scratch cell at 10%.
        remaining.record(method: "scratch", point: "10%", seconds: 50)
        XCTAssertEqual(try XCTUnwrap(remaining.estimate([(method: "scratch", point: "10%")])), 40, accuracy: 1e-9)
        XCTAssertEqual(remaining.describe([(method: "scratch", point: "100%"), (method: "scratch", point: "100%")]), "ETA 3:00")
    }
}
