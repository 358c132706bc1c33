extension ContrastiveSeriesConfig {
    /// What pretraining on `series` series with these settings does, in one sentence for
    /// a report's setup (every setting that changes the encoder is named).
    public func summary(series: Int) -> String {
        let crops = cropLength.map(String.init) ?? "\(cropFraction) × the longest series'"
        let views: String
        switch self.views {
        case .crops: views = "two random crops of \(crops) steps per series"
        case .subseries: views = "a random crop of \(crops) steps per series and a random stretch of it (T-Loss's subseries views)"
        case .permuted: views = "a random crop of \(crops) steps per series and the same crop cut into 1–\(permutationSegments - 1) segments in a random order (TS-TCC's strong view)"
        }
        let loss = loss == .mixup ? "MCL's mixup loss (α \(mixupAlpha))" : "InfoNCE"
        var terms = ""
        if temporalWeight > 0 {
            terms += " plus TS2Vec's \(hierarchical ? "hierarchical contrast" : "temporal term") with weight \(temporalWeight) (crops overlapping by at least half)"
        }
        if predictionWeight > 0 {
            terms += " plus TS-TCC's temporal prediction of the other view's next \(predictionHorizon) steps with weight \(predictionWeight)"
                + (self.views == .permuted ? "" : " (crops overlapping by at least half)")
        }
        let schedule = series >= earlyStoppingSeries
            ? "up to \(training.maximumEpochs) epochs with early stopping on held-out series."
            : "\(steps) optimizer steps (fewer than \(earlyStoppingSeries) series are too few for early stopping)."
        return "Contrastive pretraining once per seed on the same \(series) series: \(views), jitter σ \(jitter), scaling σ \(scaling), "
            + "\(Int(maskRate * 100))% of steps masked, \(loss) with τ \(temperature) on a \(projectionWidth)-wide projection head\(terms), "
            + "batch \(training.batchSize), " + schedule
    }
}
