// libFuzzer entry point for the series reader: every input is written to a file, read
// by CSVReader, then grouped into series by SeriesReader under a layout, value columns
// and gap fill chosen by the input's first byte, and cut into training, latest and
// whole-series windows. Any crash or sanitizer report is a bug; a typed error is the
// expected outcome for junk. Every window input that is produced must be finite
// (missing values are written as 0 and flagged), and targets finite or NaN (missing).
// Built by fuzz/run.sh together with PretextData's sources as one module.
#if canImport(Glibc)
import Glibc
#endif

private let path = "/dev/shm/pretext-fuzz-series-\(getpid()).csv"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeries(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let control = data[0]
    guard let file = fopen(path, "wb") else { return 0 }
    fwrite(data + 1, 1, size - 1, file)
    fclose(file)
    var options = ReadOptions()
    options.threads = 1   // the CSV target covers threaded reading; this one is about the series
    guard let (table, _) = try? CSVReader(options: options).read(path), !table.columns.isEmpty else { return 0 }
    let names = table.columnNames
    let layout: SeriesLayout
    var label: String? = nil
    switch control % 3 {
    case 0:
        layout = .wide
        if control & 0x10 != 0 { label = names.last }
    case 1:
        guard names.count >= 2 else { return 0 }
        layout = .long(seriesID: names[0], time: names[1])
    default:
        layout = .single(time: control & 0x10 != 0 ? names[0] : nil)
    }
    let fills: [GapFill?] = [nil, .forward, .linear, .zero, .missing]
    let fill = fills[Int(control >> 5) % fills.count]
    guard let collection = try? SeriesReader(layout: layout, labelColumn: label, fill: fill).series(from: table) else { return 0 }
    let lookback = 1 + Int(control >> 2) % 8
    let config = WindowConfig(lookback: lookback, horizon: 1 + Int(control >> 4) % 3, stride: 1 + Int(control) % 2)
    for set in [WindowSet.training(collection, config: config),
                WindowSet.latest(collection, lookback: lookback, horizon: 2),
                WindowSet.whole(collection, length: 1 + Int(control) % 16)] {
        guard set.inputs.allSatisfy(\.isFinite) else { fatalError("non-finite window input") }
        guard set.targets.allSatisfy({ $0.isFinite || $0.isNaN }) else { fatalError("infinite window target") }
        guard set.scale.allSatisfy({ $0.isFinite && $0 > 0 }) else { fatalError("window scale not finite and positive") }
    }
    return 0
}
