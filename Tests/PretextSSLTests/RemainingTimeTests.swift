import XCTest
import PretextNN
@testable import PretextAuto

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

    /// `series classify --method auto` runs its candidates one after another: until the
    /// last has run a fit, it says what the current one has left and which have no pace.
    func testAutoProgressNamesTheCandidatesNotYetTimed() {
        var remaining = RemainingTime()
        let plan = ["minirocket", "contrastive-full", "scratch"].flatMap { repeatElement((method: $0, point: ""), count: 3) }
        remaining.record(method: "minirocket", point: "", seconds: 2)
        XCTAssertEqual(SeriesAutoClassifier.timeLeft(remaining, plan[1...], current: "minirocket"),
                       "minirocket about 0:04 more, then 2 candidates not yet timed (contrastive-full, scratch)")
        remaining.record(method: "minirocket", point: "", seconds: 2)
        remaining.record(method: "minirocket", point: "", seconds: 2)
        XCTAssertEqual(SeriesAutoClassifier.timeLeft(remaining, plan[3...], current: "minirocket"),
                       "2 candidates not yet timed (contrastive-full, scratch)")
        remaining.record(method: "contrastive-full", point: "", seconds: 60)
        XCTAssertEqual(SeriesAutoClassifier.timeLeft(remaining, plan[4...], current: "contrastive-full"),
                       "contrastive-full about 2:00 more, then 1 candidate not yet timed (scratch)")
        remaining.record(method: "scratch", point: "", seconds: 30)
        XCTAssertEqual(SeriesAutoClassifier.timeLeft(remaining, plan[7...], current: "scratch"), "about 1:00 to go")
    }
}
