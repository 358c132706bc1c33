import XCTest
import PretextTestSupport
import PretextData
@testable import PretextBaselines
@testable import PretextReport

/// The AR baseline: least squares recovers known coefficients, AIC finds the order, and
/// forecasts follow the fitted recursion.
final class AutoRegressiveTests: XCTestCase {
    func testNoiselessRecursionIsForecastExactly() throws {
        var y: [Double] = [10]
        for _ in 1..<60 { y.append(0.5 * y.last! + 1) }
        let series = TimeSeries(id: "s", times: (0..<60).map(Double.init), values: y.map(Float.init), channels: 1)
        let collection = SeriesCollection(series: [series], channelNames: ["v"], axis: TimeAxis(unit: .index, step: 1), source: "ar")
        let forecast = try AutoRegressiveForecaster().forecast(history: collection, horizon: 5)[0]
        var expected = y.last!
        for h in 0..<5 {
            expected = 0.5 * expected + 1
            XCTAssertEqual(Double(forecast.values[h]), expected, accuracy: 1e-4)
        }
        XCTAssertEqual(forecast.times, [60, 61, 62, 63, 64])
    }

    func testAICChoosesTheOrderAndLeastSquaresTheCoefficients() {
        var generator = SeededGenerator(seed: 5)
        var y: [Double] = [0, 0]
        for _ in 0..<3000 { y.append(2 + 0.6 * y[y.count - 1] - 0.3 * y[y.count - 2] + generator.nextNormal()) }
        let fit = AutoRegressiveForecaster.select(y, maximumOrder: 8)
        XCTAssertEqual(fit.coefficients.count, 2, "AIC picks the true order on 3,000 steps")
        XCTAssertEqual(fit.coefficients[0], 0.6, accuracy: 0.05)
        XCTAssertEqual(fit.coefficients[1], -0.3, accuracy: 0.05)
        XCTAssertEqual(fit.intercept, 2, accuracy: 0.2)
        // White noise around 5: whatever order AIC takes, the coefficients are near 0 and
        // the implied mean c / (1 − Σφ) is 5.
        let noise = (0..<2000).map { _ in 5 + generator.nextNormal() }
        let flat = AutoRegressiveForecaster.select(noise, maximumOrder: 8)
        XCTAssertTrue(flat.coefficients.allSatisfy { abs($0) < 0.1 }, "\(flat.coefficients)")
        XCTAssertEqual(flat.intercept / (1 - flat.coefficients.reduce(0, +)), 5, accuracy: 0.1)
    }

    /// On the airline series' last 12 months (the classic protocol), AR beats the naive
    /// forecast by a wide margin; a constant history forecasts that constant.
    func testAirlineAndConstantHistories() throws {
        let (table, _) = try CSVReader().read("\(datasetsPath)/airline.csv")
        let airline = try SeriesReader(layout: .single(time: "date"), valueColumns: ["passengers"]).series(from: table)
        let backtest = Backtest(horizon: 12, folds: 1, season: 12)
        let ar = ForecastScores.mean(try backtest.run(airline, forecaster: AutoRegressiveForecaster()))
        let naive = ForecastScores.mean(try backtest.run(airline, forecaster: NaiveForecaster()))
        XCTAssertLessThan(ar.mase, naive.mase * 0.7, "AR \(ar.mase) against naive \(naive.mase)")
        let constant = TimeSeries(id: "c", times: (0..<30).map(Double.init), values: [Float](repeating: 3, count: 30), channels: 1)
        let flat = try AutoRegressiveForecaster().forecast(history: SeriesCollection(series: [constant], channelNames: ["v"],
                                                                                      axis: TimeAxis(unit: .index, step: 1), source: "c"), horizon: 4)
        for value in flat[0].values { XCTAssertEqual(value, 3, accuracy: 1e-4) }
    }

    /// Theta on the airline series' first 132 months, against statsmodels/sktime
    /// (sktime 0.x `ThetaForecaster(sp=12)`, run on the same values): the same seasonal
    /// indices, smoothing level α = 0.9069284 (initial level 123.97036) and half-slope
    /// 1.2769430. sktime's drift multiplies the half-slope by h where R's `thetaf` (and
    /// Hyndman & Billah) use h − 1, so its forecasts [412.488, 403.364, 464.133] are
    /// ours plus one half-slope times the month's index.
    func testThetaMatchesTheReferenceComponentsOnTheAirlineSeries() throws {
        let table = try loadUntargetedTable("airline.csv")
        let y = (0..<132).map { Double(table["passengers"]!.floatValues![$0]) }
        XCTAssertTrue(ThetaForecaster.isSeasonal(y, season: 12))
        let indices = ThetaForecaster.seasonalIndices(y, season: 12)
        for (index, expected) in zip(indices, [0.91, 0.8874, 1.0182, 0.9754, 0.9798, 1.1116, 1.2221, 1.2136, 1.0609, 0.9218, 0.8002, 0.899]) {
            XCTAssertEqual(index, expected, accuracy: 5e-5)
        }
        let adjusted = y.indices.map { y[$0] / indices[$0 % 12] }
        let (alpha, _) = ThetaForecaster.smoothing(adjusted)
        XCTAssertEqual(alpha, 0.9069284, accuracy: 1e-4)
        XCTAssertEqual(ThetaForecaster.leastSquaresSlope(adjusted) / 2, 1.2769430, accuracy: 1e-6)
        let series = TimeSeries(id: "airline", times: (0..<132).map(Double.init), values: y.map(Float.init), channels: 1)
        let collection = SeriesCollection(series: [series], channelNames: ["passengers"], axis: TimeAxis(unit: .index, step: 1), source: "airline")
        let forecast = try ThetaForecaster(season: 12).forecast(history: collection, horizon: 3)[0].values
        for (h, sktime) in [412.488, 403.364, 464.133].enumerated() {
            XCTAssertEqual(Double(forecast[h]), sktime - 1.2769430 * indices[h], accuracy: 2e-3)
        }
        // Without seasonality (m = 1) it is SES with drift: on a straight line α → 1, the
        // level is the last value and the drift is half the slope (the θ = 2 line's trend
        // averaged with the θ = 0 line's none).
        let line = (0..<40).map { 3 + 0.5 * Double($0) }
        let straight = ThetaForecaster.forecast(line, season: 1, horizon: 3)
        for (h, value) in straight.enumerated() { XCTAssertEqual(value, line.last! + 0.25 * Double(h + 1), accuracy: 1e-3) }
    }
}
