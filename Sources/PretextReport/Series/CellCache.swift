import Foundation
import PretextData

/// Finished comparison cells on disk, one JSON file each, tagged with a fingerprint of
/// every setting that changes a result: a run that is interrupted (or repeated) reuses
/// the cells it already finished, and a changed setting recomputes them.
struct CellCache {
    struct Entry: Codable {
        var fingerprint: String
        var cell: SeriesReport.Cell
    }

    let directory: String?
    let fingerprint: String

    /// FNV-1a over the settings' sorted-key JSON and the data's description.
    init(directory: String?, data: String, settings: [any Encodable]) throws {
        self.directory = directory
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let parts = [data] + settings.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "|").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        fingerprint = String(hash, radix: 16)
        if let directory { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
    }

    private func file(seed: Int, point: String, method: String) -> String? {
        directory.map { "\($0)/seed\(seed)-\(LabelEfficiencyExperiment.fileSafe(point).replacingOccurrences(of: " ", with: "_"))-\(method).json" }
    }

    /// The finished cell, if an earlier run with the same settings left one.
    func cached(seed: Int, point: String, method: String) -> SeriesReport.Cell? {
        guard let file = file(seed: seed, point: point, method: method), let data = FileManager.default.contents(atPath: file),
              let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.fingerprint == fingerprint else { return nil }
        return entry.cell
    }

    /// Writes a finished cell atomically.
    func store(_ cell: SeriesReport.Cell) throws {
        guard let file = file(seed: cell.seed, point: cell.point, method: cell.method) else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(Entry(fingerprint: fingerprint, cell: cell))), to: file)
    }
}
