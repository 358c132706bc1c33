/// A CSV written a chunk of rows at a time, so output never has to be held whole: each
/// chunk is a `CSVWriter` with the same header, and its rows are appended. To a file, the
/// rows go to a temporary file beside it that `finish` renames over it — complete or
/// absent, as with `CSVWriter.write`; to standard output (`-`) they go as they come.
///
/// ```swift
/// let stream = try CSVStream(path: "out.csv", header: ["id", "prediction"])
/// for chunk in chunks { try stream.append(chunk) }   // CSVWriter(header: …) each
/// try stream.finish()
/// ```
public final class CSVStream {
    public let path: String
    public let header: [String]
    /// Rows appended so far.
    public private(set) var rowCount = 0
    private let file: TemporaryOutput?

    public init(path: String, header: [String]) throws {
        self.path = path
        self.header = header
        file = path == "-" ? nil : try TemporaryOutput(path: path)
        try write(CSVWriter(header: header).headerLine)
    }

    /// Appends `chunk`'s rows; its header must be this stream's.
    public func append(_ chunk: CSVWriter) throws {
        precondition(chunk.header == header, "CSVStream.append: a chunk with another header")
        try write(chunk.body)
        rowCount += chunk.rowCount
    }

    /// Completes the file (flushed and renamed over `path`). Without it the target is
    /// left as it was.
    public func finish() throws {
        try file?.commit()
    }

    private func write(_ bytes: ArraySlice<UInt8>) throws {
        if let file { try file.append(bytes) } else { try CSVWriter.writeStandardOutput(bytes) }
    }
}
