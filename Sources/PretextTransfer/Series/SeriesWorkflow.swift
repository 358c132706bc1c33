import PretextData
import PretextNN
import PretextSSL

/// The calls behind `pretext series …`, shared by the CLI and library users.
public enum SeriesWorkflow {
    /// How to read series files: the layout, value columns, gap filling, and whether each
    /// channel becomes its own univariate series.
    public struct Source: Sendable {
        public var layout: SeriesLayout
        public var valueColumns: [String] = []
        public var labelColumn: String?
        public var fill: GapFill?
        public var channelsAsSeries = false

        public init(layout: SeriesLayout, valueColumns: [String] = [], labelColumn: String? = nil, fill: GapFill? = nil, channelsAsSeries: Bool = false) {
            self.layout = layout
            self.valueColumns = valueColumns
            self.labelColumn = labelColumn
            self.fill = fill
            self.channelsAsSeries = channelsAsSeries
        }
    }

    /// Reads one file as a series collection.
    public static func read(_ path: String, source: Source, options: ReadOptions) throws -> SeriesCollection {
        let (table, _) = try TableFile.read(path, options: options)
        let collection = try SeriesReader(layout: source.layout, valueColumns: source.valueColumns, labelColumn: source.labelColumn,
                                          fill: source.fill).series(from: table)
        return source.channelsAsSeries ? collection.splittingChannels() : collection
    }

    /// Reads several files into one collection (same channels).
    public static func read(_ paths: [String], source: Source, options: ReadOptions) throws -> SeriesCollection {
        guard let first = paths.first else { throw DataError.invalidOption(name: "DATA", value: "", reason: "give at least one file") }
        var collection = try read(first, source: source, options: options)
        for path in paths.dropFirst() { collection = try collection.appending(try read(path, source: source, options: options)) }
        return collection
    }
}
