/// How features are prepared for a neural network. Fitted on training rows only.
public struct PreprocessingConfig: Codable, Sendable, Equatable {
    public enum NumericTransform: String, Codable, Sendable, CaseIterable {
        /// (x − mean) / standard deviation.
        case standardize
        /// Empirical CDF → standard normal quantile (scikit-learn's
        /// `QuantileTransformer(output_distribution="normal")`), robust to outliers and
        /// skew; Gorishniy et al. (2021) use it for deep tabular models.
        case quantileNormal = "quantile-normal"
    }

    /// Transform for numeric, boolean and datetime columns. Default `.standardize`.
    public var numericTransform: NumericTransform = .standardize
    /// Add a 0/1 "was missing" feature for every column with a missing value among the
    /// fit rows; missing numbers are imputed with the fit rows' median. Default true.
    public var missingIndicators: Bool = true
    /// Replace missing numbers by the fit rows' median. Default true; tree models turn it
    /// off and receive NaN, which they route natively.
    public var imputeMissing: Bool = true
    /// Quantiles kept by `.quantileNormal` (range 10...100_000; default 1000 as in
    /// scikit-learn).
    public var quantileCount: Int = 1000
    /// Categories seen fewer times than this among the fit rows go to the unknown
    /// bucket (range ≥ 1; default 1 keeps every seen category).
    public var minimumCategoryCount: Int = 1

    public init() {}

    public func validate() throws {
        guard (10...100_000).contains(quantileCount) else {
            throw DataError.invalidOption(name: "quantileCount", value: "\(quantileCount)", reason: "must lie in 10...100000")
        }
        guard minimumCategoryCount >= 1 else {
            throw DataError.invalidOption(name: "minimumCategoryCount", value: "\(minimumCategoryCount)", reason: "must be at least 1")
        }
    }
}
