import Foundation
import PretextData

/// Finished comparison cells on disk, one JSON file each, tagged with a fingerprint of
/// everything that changes a result: a run that is interrupted (or repeated) reuses the
/// cells it already finished, and anything changed recomputes them.
///
/// The fingerprint is a `ContentHash` of
/// - the data's content (`Table.contentFingerprint`, `SeriesCollection.contentFingerprint`),
///   never its file name: an edited value invalidates every cell, a renamed file none;
/// - every setting, as sorted-key JSON;
/// - the running code (`PretextVersion.codeFingerprint`): the sources it was built from
///   when a source stamp vouches for the executable (a rebuild of the same commit resumes
///   a run), else the executable's bytes — different code never reuses another's cells.
///
/// `compare` and `series compare` both keep their cells here.
struct CellCache<Cell: Codable> {
    private struct Entry: Codable {
        var fingerprint: String
        var cell: Cell
    }

    let directory: String?
    let fingerprint: String

    /// - Parameters:
    ///   - data: content fingerprints of every input the cells depend on.
    ///   - settings: every configuration that changes a cell's result.
    ///   - code: the code's fingerprint; tests pass their own to show a change invalidates.
    init(directory: String?, data: [String], settings: [any Encodable], code: String = PretextVersion.codeFingerprint) throws {
        self.directory = directory
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var hash = ContentHash()
        hash.combine(code)
        hash.combine(data.count)
        for part in data { hash.combine(part) }
        hash.combine(settings.count)
        for setting in settings {
            // A setting that cannot be encoded must not silently match another that cannot.
            let json = try encoder.encode(AnyEncodable(setting))
            json.withUnsafeBytes { hash.combine(bytes: $0) }
        }
        fingerprint = hash.hex
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
    }

    private func file(seed: Int, point: String, method: String) -> String? {
        directory.map { "\($0)/seed\(seed)-\(Self.fileSafe(point))-\(Self.fileSafe(method)).json" }
    }

    /// A name safe in a file name: `%` → `pct`, `/` → `_`, spaces → `_`.
    static func fileSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "pct").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: " ", with: "_")
    }

    /// The finished cell, if an earlier run with the same data, settings and code left one.
    func cached(seed: Int, point: String, method: String) -> Cell? {
        guard let file = file(seed: seed, point: point, method: method), let data = FileManager.default.contents(atPath: file),
              let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.fingerprint == fingerprint else { return nil }
        return entry.cell
    }

    /// Writes a finished cell atomically.
    func store(_ cell: Cell, seed: Int, point: String, method: String) throws {
        guard let file = file(seed: seed, point: point, method: method) else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(Entry(fingerprint: fingerprint, cell: cell))), to: file)
    }
}

/// Lets an existential `Encodable` be encoded as itself.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
