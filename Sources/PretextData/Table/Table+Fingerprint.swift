extension Table {
    /// A `ContentHash` of everything a method can learn from: every column's name, type,
    /// role, boolean spellings and values (numbers bit for bit, categories by their text).
    /// Where the table came from (`source`) is not part of it: the same data under
    /// another name has the same fingerprint, and an edited value a different one.
    public var contentFingerprint: String {
        var hash = ContentHash()
        hash.combine(columns.count)
        for column in columns {
            hash.combine(column.name)
            hash.combine(column.type.rawValue)
            hash.combine(column.role.rawValue)
            hash.combine(column.booleanSpellings?.joined(separator: "\u{1f}") ?? "")
            switch column.storage {
            case .numeric(let values):
                hash.combine(0)
                hash.combine(values)
            case .categorical(let codes, let vocabulary):
                hash.combine(1)
                hash.combine(codes)
                hash.combine(vocabulary.count)
                for word in vocabulary { hash.combine(word) }
            case .datetime(let values):
                hash.combine(2)
                hash.combine(values)
            }
        }
        return hash.hex
    }
}

extension SeriesCollection {
    /// A `ContentHash` of the series (their order, times, values, channels and labels),
    /// the channel names and the label column; not of `source`, nor of the series' ids,
    /// which only name them (a single series is named after its file).
    public var contentFingerprint: String {
        var hash = ContentHash()
        hash.combine(series.count)
        for item in series {
            hash.combine(item.times)
            hash.combine(item.values)
            hash.combine(item.channels)
            hash.combine(item.label ?? "\u{0}")
        }
        for name in channelNames { hash.combine(name) }
        hash.combine(labelColumn ?? "\u{0}")
        return hash.hex
    }
}
