// Time series, from Swift: pretrain a TCN by next-step prediction on the nine Chicago
// signals, fine-tune it on the airline passengers, forecast 1961, and score the same
// recipe on 1960 (the last 12 months held out) against seasonal naive. Epochs can be
// capped with PRETRAIN_EPOCHS and EPOCHS (environment), as in the other walkthroughs.
import Foundation
import Pretext

let environment = ProcessInfo.processInfo.environment
let pretrainEpochs = environment["PRETRAIN_EPOCHS"].flatMap(Int.init) ?? 100
let epochs = environment["EPOCHS"].flatMap(Int.init) ?? 200

do {
    _ = try BLAS.load()
    let (chicagoTable, _) = try CSVReader().read("datasets/chicago_ridership.csv")
    let chicago = try SeriesReader(layout: .single(time: "date")).series(from: chicagoTable).splittingChannels()
    print("pretraining on \(chicago.count) series of \(chicago.series[0].length) days")
    var nextStep = NextStepConfig()                     // TCN, lookback 24, next-step MSE
    nextStep.window.stride = 7                          // one window a week
    nextStep.training.maximumEpochs = pretrainEpochs
    let encoder = try NextStepPretrainer(config: nextStep).fit(chicago)

    let (airlineTable, _) = try CSVReader().read("datasets/airline.csv")
    let airline = try SeriesReader(layout: .single(time: "date"), valueColumns: ["passengers"]).series(from: airlineTable)
    var forecast = ForecastConfig()                     // 12 months ahead from the last 24
    forecast.training.maximumEpochs = epochs
    let forecaster = SeriesForecaster(config: forecast, encoder: encoder)
    let next = try forecaster.fit(airline).forecast(airline)[0]
    print("forecast for \(airline.axis.format(next.times[0])) … \(airline.axis.format(next.times[11])): "
          + next.values.prefix(3).map { String(format: "%.0f", $0) }.joined(separator: ", ") + ", …")

    // The same recipe with 1960 hidden: each forecaster sees only the months before it.
    let backtest = Backtest(horizon: 12, folds: 1, season: 12)
    let pretrained = try backtest.run(airline, forecaster: forecaster)[0]
    let seasonal = try backtest.run(airline, forecaster: SeasonalNaiveForecaster(season: 12))[0]
    print(String(format: "1960 held out: seasonal naive MASE %.3f", seasonal.mase))
    print(String(format: "1960 held out: pretrained TCN MASE %.3f, sMAPE %.1f%%", pretrained.mase, pretrained.smape))
} catch {
    print("error: \(error)")
    exit(1)
}
