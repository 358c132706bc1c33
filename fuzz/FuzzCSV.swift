// libFuzzer entry point for the CSV/ingestion layer: every input is written to a file
// and read by CSVReader (whole-file or 64 KiB chunks, one or two threads, by the input's size). Any crash
// or sanitizer report is a bug; typed errors are the expected outcome for junk.
// Built by fuzz/run.sh together with PretextData's sources as one module.
#if canImport(Glibc)
import Glibc
#endif

private let path = "/dev/shm/pretext-fuzz-\(getpid()).csv"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = fopen(path, "wb") else { return 0 }
    fwrite(data, 1, size, file)
    fclose(file)
    // One reading per input (half the cost of both): whole-file chunk on one thread, or
    // 64 KiB chunks on two threads, chosen by the input's size.
    let (chunk, threads) = size & 2 == 0 ? (4 << 20, 1) : (1 << 16, 2)
    do {
        var options = ReadOptions()
        options.chunkSize = chunk
        options.threads = threads
        options.skipBadRows = size % 2 == 0
        if let (table, _) = try? CSVReader(options: options).read(path), let first = table.columns.first {
            _ = ColumnSummary(first)
            if let target = table.columns.last, table.columns.count > 1 {
                var labeled = table
                try? labeled.setRole(.target, for: target.name)
                _ = try? TaskType.infer(for: labeled.columns.last!, path: path)
            }
        }
    }
    return 0
}
