/// What one pass over a column's chunks tells about its type, kept small: counts, a few
/// stray examples, and its distinct texts only while they could still all be booleans
/// or ISO dates. The type decided from it is the one `CSVReader.read` infers
/// (`ColumnAssembler`), without holding the column.
struct ColumnEvidence {
    enum Decision: Equatable {
        /// Numbers; `strays` text values read as missing (at most `strayTextTolerance`).
        case numeric(strays: Int)
        /// Kept as text, then typed: boolean, datetime or categorical.
        case text(ColumnType)
    }

    var numbers = 0
    var texts = 0
    var missing = 0
    var rows = 0
    /// The first few text values of the column, with their file lines.
    var examples: [ReadReport.Example] = []
    private var couldBeBoolean = true
    private var couldBeDatetime = true
    private var seen: Set<String> = []

    mutating func add(_ piece: ChunkColumn, startLine: Int) {
        numbers += piece.numberCount
        texts += piece.textCount
        missing += piece.missingCount
        rows += piece.rowCount
        for example in piece.textExamples where examples.count < 3 {
            examples.append(.init(line: startLine + example.line, text: example.text))
        }
        guard couldBeBoolean || couldBeDatetime else { return }
        for text in piece.texts where seen.insert(text).inserted {
            let lowered = text.lowercased()
            couldBeBoolean = couldBeBoolean && (ColumnAssembler.trueTokens.contains(lowered) || ColumnAssembler.falseTokens.contains(lowered))
            couldBeDatetime = couldBeDatetime && ISODate.parse(text) != nil
            if !couldBeBoolean && !couldBeDatetime {
                seen = []
                return
            }
        }
    }

    /// The rules of `ColumnAssembler.assemble`: no text (or given numeric) → numeric;
    /// numbers and a little text → numeric with strays; numbers and more text → read as
    /// categorical text; text only → the given type, else boolean, datetime or categorical.
    func decide(given: ColumnType?, strayTextTolerance: Double) -> Decision {
        if texts == 0 || given == .numeric { return .numeric(strays: 0) }
        if numbers > 0 {
            return Double(texts) / Double(numbers + texts) <= strayTextTolerance ? .numeric(strays: texts) : .text(.categorical)
        }
        if let given { return .text(given) }
        return .text(couldBeBoolean ? .boolean : couldBeDatetime ? .datetime : .categorical)
    }
}
