import CCSV

/// Receives libcsv's callbacks: one call per field, one per record end.
///
/// `field` gets the unescaped bytes of the field (valid only during the call).
/// `endRecord` gets the terminating character (`\n`, `\r`) or -1 at end of input;
/// with `reportNewlines`, a newline outside any record also arrives as
/// `endRecord` with no preceding fields, so the sink can count lines exactly.
/// A base class rather than a protocol so that the C callbacks dispatch through a
/// vtable without a dynamic cast per field.
class FieldSink {
    func field(_ bytes: UnsafePointer<UInt8>, count: Int) {}
    func endRecord(_ terminator: Int32) {}
}

/// libcsv's streaming parser in strict mode.
///
/// This is the only file that touches libcsv's state or pointers.
final class LibCSVParser {
    enum Failure: Error {
        /// Malformed quoting at byte `offset` of the last `parse` call's input.
        case malformed(offset: Int)
        /// A quoted field was still open at the end of the input.
        case unterminatedQuote
        case outOfMemory
    }

    private var parser = csv_parser()

    init(delimiter: UInt8) {
        // CSV_STRICT: stray quotes are errors. CSV_STRICT_FINI: an open quote at the
        // end is an error. CSV_REPALL_NL: newlines outside records are reported, so
        // line numbers stay exact across blank lines and CRLF.
        let options = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)
        let status = csv_init(&parser, options)
        precondition(status == 0, "csv_init failed")
        csv_set_delim(&parser, delimiter)
        // libcsv's default space handling is kept: spaces and tabs around an unquoted
        // field are trimmed (never the delimiter itself); quoted fields keep theirs.
        // A custom space function would cost a call per byte.
    }

    deinit { csv_free(&parser) }

    /// Feeds `bytes` to the parser, calling `sink` for every complete field and record.
    func parse(_ bytes: UnsafeRawBufferPointer, into sink: FieldSink) throws(Failure) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let consumed = csv_parse(&parser, base, bytes.count, fieldCallback, recordCallback, context)
        if consumed != bytes.count {
            if csv_error(&parser) == CSV_ENOMEM { throw .outOfMemory }
            throw .malformed(offset: consumed)
        }
    }

    /// Parses a whole input held in an array, then ends it.
    func parseAll(_ bytes: [UInt8], into sink: FieldSink) throws(Failure) {
        let outcome: Result<Void, Failure> = bytes.withUnsafeBytes { raw in
            do throws(Failure) {
                try parse(raw, into: sink)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
        try finish(into: sink)
    }

    /// Ends the input: flushes a last record that has no trailing newline.
    func finish(into sink: FieldSink) throws(Failure) {
        let context = Unmanaged.passUnretained(sink).toOpaque()
        if csv_fini(&parser, fieldCallback, recordCallback, context) != 0 {
            throw .unterminatedQuote
        }
    }
}

private func fieldCallback(_ field: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
    // The sink outlives the parse call, so no retain/release per field.
    Unmanaged<FieldSink>.fromOpaque(context!)._withUnsafeGuaranteedRef { sink in
        if let field {
            sink.field(field.assumingMemoryBound(to: UInt8.self), count: count)
        } else {
            var empty: UInt8 = 0
            sink.field(&empty, count: 0)
        }
    }
}

private func recordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<FieldSink>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRecord(terminator) }
}
