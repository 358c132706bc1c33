// libFuzzer entry point for the columnar cache: every input is a CSV, read by CSVReader
// and cached by ColumnarCache (64 KiB chunks, two threads, at most two chunks in flight).
// Differential: read and the cache build must both fail or both succeed, and then the
// cache's table must equal read's (content fingerprint). Then the cache file is damaged
// at an input-chosen byte and opened again: typed errors are expected, crashes are bugs.
// Built by fuzz/run.sh together with PretextData's sources as one module.
#if canImport(Glibc)
import Glibc
#endif

private let csvPath = "/dev/shm/pretext-fuzz-cache-\(getpid()).csv"
private let cachePath = "/dev/shm/pretext-fuzz-cache-\(getpid()).pretext"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCache(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = fopen(csvPath, "wb") else { return 0 }
    fwrite(data, 1, size, file)
    fclose(file)
    var options = ReadOptions()
    options.chunkSize = 1 << 16
    options.threads = 2
    options.skipBadRows = size % 2 == 0
    let read = try? CSVReader(options: options).read(csvPath)
    let built = try? ColumnarCache.build(csvPath, options: options, to: cachePath, maximumChunksInFlight: 2)
    precondition((read == nil) == (built == nil), "read \(read == nil ? "failed" : "succeeded") but the cache build \(built == nil ? "failed" : "succeeded")")
    guard let (table, _) = read, let (schema, _) = built else { return 0 }
    precondition(schema.contentFingerprint == table.contentFingerprint, "the cache's fingerprint differs from read's table")
    guard let cache = try? CachedTable(path: cachePath) else { preconditionFailure("a cache just built does not open") }
    precondition(cache.table().contentFingerprint == table.contentFingerprint, "the cache's table differs from read's")
    // Damage one byte (position and value from the input) and open it again.
    guard size > 0, var bytes = try? readAll(cachePath), !bytes.isEmpty else { return 0 }
    let position = (Int(data[0]) << 8 | Int(data[size - 1])) * 7919 % bytes.count
    bytes[position] ^= data[size / 2] | 1
    guard let damaged = fopen(cachePath, "wb") else { return 0 }
    fwrite(bytes, 1, bytes.count, damaged)
    fclose(damaged)
    if let reopened = try? CachedTable(path: cachePath) {
        _ = reopened.table(rows: reopened.rowCount > 0 ? [0, reopened.rowCount - 1] : [])
        _ = try? reopened.verify()
    }
    return 0
}

private func readAll(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { return [] }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = fread(&block, 1, block.count, file)
        if got <= 0 { break }
        bytes += block[0..<got]
    }
    return bytes
}
