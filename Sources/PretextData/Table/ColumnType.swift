/// The inferred (or given) type of a column.
public enum ColumnType: String, Codable, Sendable, CaseIterable {
    /// Numbers (integers, decimals, scientific notation, ±inf), stored as `Float`.
    case numeric
    /// `true`/`false` or `yes`/`no` (any case), stored as `Float` 1 / 0.
    case boolean
    /// Text labels, stored as integer codes into a vocabulary.
    case categorical
    /// ISO 8601 dates or timestamps, stored as `Double` seconds since 1970-01-01 UTC.
    case datetime
}

/// What a column is for.
public enum ColumnRole: String, Codable, Sendable, CaseIterable {
    /// An input to the model.
    case feature
    /// The label to predict; rows where it is missing are unlabeled.
    case target
    /// An identifier, passed through to predictions, never a feature.
    case id
    /// Read but not used.
    case ignored
    /// The time stamp of a series.
    case time
    /// Which series a row belongs to (long layout).
    case seriesID = "series-id"
}
