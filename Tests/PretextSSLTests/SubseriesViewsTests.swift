import XCTest
import PretextData
import PretextNN
import PretextTestSupport
@testable import PretextSSL

/// T-Loss's subseries views (`ContrastiveSeriesConfig.Views.subseries`): view 2 is a
/// stretch of view 1, padded at the start with masked steps; pretraining with them learns
/// and is reproducible; the setting is refused beside the temporal term and absent from
/// old files.
final class SubseriesViewsTests: XCTestCase {
    /// Series whose value is its time stamp, so a view's observed values say which stamps
    /// it holds: 40 series of 50 steps and 10 of 5 (shorter than the crop of 12).
    func collection() -> SeriesCollection {
        let long = TimeSeries(id: "long", times: (0..<50).map(Double.init), values: (0..<50).map { Float($0) }, channels: 1)
        let short = TimeSeries(id: "short", times: (0..<5).map(Double.init), values: (0..<5).map { Float($0) }, channels: 1)
        return SeriesCollection(series: Array(repeating: long, count: 40) + Array(repeating: short, count: 10),
                                channelNames: ["value"], axis: .index, source: "test")
    }

    /// Every view 2 is a contiguous run of ℓ ≥ 2 of view 1's stamps at the end of its row,
    /// the steps before it masked; lengths and positions vary.
    func testTheSecondViewIsAStretchOfTheFirst() throws {
        var config = ContrastiveSeriesConfig()
        config.views = .subseries
        (config.jitter, config.scaling, config.maskRate) = (0, 0, 0)   // values stay time stamps
        let collection = collection(), crop = 12, count = collection.series.count
        var generator = SeededGenerator(seed: 7)
        let standardizer = SeriesStandardizer(location: [0], scale: [10])   // stamp / 10: inside the standardised range
        let (views, starts) = ContrastiveSeriesPretrainer(config: config).drawViews(collection, Array(0..<count), crop: crop,
                                                                                     standardizer: standardizer, generator: &generator)
        XCTAssertEqual(views.rows, 2 * count)
        func stamps(_ row: Int) -> [Int] {   // the observed steps' values, in order, and that they come last
            let values = Array(views.values[(row * views.columns)..<((row + 1) * views.columns)])
            let observed = (0..<crop).filter { values[2 * $0 + 1] == 1 }
            XCTAssertEqual(observed, Array((crop - observed.count)..<crop), "row \(row): observed steps end the row")
            return observed.map { Int((values[2 * $0] * 10).rounded()) }
        }
        var lengths: Set<Int> = [], offsets: Set<Int> = []
        for series in 0..<count {
            let first = stamps(series), second = stamps(count + series)
            XCTAssertEqual(first.count, min(crop, collection.series[series].length))
            XCTAssertGreaterThanOrEqual(second.count, 2)
            XCTAssertEqual(second, Array(second[0]..<(second[0] + second.count)), "contiguous")
            XCTAssertTrue(Set(second).isSubset(of: Set(first)), "series \(series): \(second) within \(first)")
            XCTAssertEqual(starts[count + series], second.last! + 1 - crop, "the row's first stamp")
            lengths.insert(second.count)
            offsets.insert(second[0] - first[0])
        }
        XCTAssertGreaterThan(lengths.count, 5, "lengths vary: \(lengths.sorted())")
        XCTAssertGreaterThan(offsets.count, 3, "positions vary: \(offsets.sorted())")
    }

    /// With subseries views pretraining lowers the held-out InfoNCE, is reproducible from
    /// its seed and trains another encoder than crops do.
    func testPretrainingWithSubseriesViewsLearnsAndIsReproducible() throws {
        let collection = try italyTrainingSeries()
        var config = quickContrastive()
        config.views = .subseries
        let encoder = try pretrainLearnsAndIsReproducible(config, on: collection)
        XCTAssertEqual(encoder.objective, .contrastive(config))
        config.views = .crops
        let crops = try ContrastiveSeriesPretrainer(config: config).fit(collection)
        XCTAssertNotEqual(crops.network.store.values, encoder.network.store.values)
    }

    func testSubseriesViewsAreRefusedWithTheTemporalTermAndDefaultToCropsInOldFiles() throws {
        var config = ContrastiveSeriesConfig()
        config.views = .subseries
        XCTAssertNoThrow(try config.validate())
        config.temporalWeight = 1
        XCTAssertThrowsError(try config.validate()) { error in
            XCTAssertTrue("\(error)".contains("views"), "\(error)")
        }
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ContrastiveSeriesConfig())) as! [String: Any]
        XCTAssertEqual(json["views"] as? String, "crops")
        json.removeValue(forKey: "views")
        let old = try JSONDecoder().decode(ContrastiveSeriesConfig.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old, ContrastiveSeriesConfig())
    }
}
