import PretextSSL

extension SeriesSettings {
    /// Contrastive options that cannot run together: `option` (with `value`, when the
    /// conflict is about one of its values) and why. `SeriesSettings.validate` and the
    /// CLI's option checks both read these, so the rules live in one place.
    public struct OptionConflict: Sendable, Equatable {
        public var option: String
        public var value: String?
        public var reason: String

        /// "--views subseries cannot be combined with …": the CLI's error sentence.
        public var sentence: String { ([option] + (value.map { [$0] } ?? []) + [reason]).joined(separator: " ") + "." }
    }

    /// The first contrastive options given together that cannot run, if any.
    public var contrastiveConflict: OptionConflict? {
        if hierarchical && temporalWeight == 0 {
            return OptionConflict(option: "--hierarchical", reason: "weights its term by --temporal-weight; give it a weight above 0 (e.g. --temporal-weight 1)")
        }
        if temporalWeight > 0 {
            switch (views, contrastiveLoss) {
            case (.subseries, _):
                return OptionConflict(option: "--views", value: "subseries",
                                      reason: "cannot be combined with --temporal-weight above 0 (the temporal term contrasts two equal, overlapping crops)")
            case (.permuted, _):
                return OptionConflict(option: "--views", value: "permuted",
                                      reason: "cannot be combined with --temporal-weight above 0 (the temporal term matches time stamps, which a permuted view no longer keeps)")
            case (_, .mixup):
                return OptionConflict(option: "--contrastive-loss", value: "mixup",
                                      reason: "cannot be combined with --temporal-weight above 0 (the temporal term contrasts a series' two views)")
            default: break
            }
        }
        if predictionWeight > 0 && (contrastiveLoss == .mixup || views == .subseries) {
            return OptionConflict(option: "--prediction-weight", value: "above 0",
                                  reason: "cannot be combined with \(contrastiveLoss == .mixup ? "--contrastive-loss mixup" : "--views subseries") (the prediction reads a series' two views at the same time stamps)")
        }
        if encoderKind != .tcn && (temporalWeight > 0 || predictionWeight > 0) {
            return OptionConflict(option: temporalWeight > 0 ? "--temporal-weight" : "--prediction-weight",
                                  reason: "needs --encoder-kind tcn (only it has a representation per time step)")
        }
        return nil
    }
}
