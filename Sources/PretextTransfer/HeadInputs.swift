import PretextData
import PretextNN
import PretextSSL

/// The training rows a head (and its encoder) learn from, positions 0..<count: held in
/// memory, or a columnar cache's rows visited a window at a time (`WindowedFeatureRows`)
/// when they do not fit — then each epoch reads the file in order once and memory holds
/// at most two windows.
public enum HeadInputs {
    /// (N, F) features, position p its row p.
    case held(Matrix)
    /// N rows of a cache; an epoch's batches are its virtual positions in order.
    case windowed(WindowedFeatureRows)

    public var count: Int {
        switch self {
        case .held(let x): return x.rows
        case .windowed(let windows): return windows.rowCount
        }
    }

    /// `Trainer.epochOrder` for these rows: nil (the trainer shuffles positions) when held;
    /// for windows, a new epoch's windows and batches of virtual positions in order.
    var epochOrder: ((Int, inout SeededGenerator) -> [Int])? {
        guard case .windowed(let windows) = self else { return nil }
        return { _, generator in
            windows.startEpoch(generator: &generator)
            return []
        }
    }

    /// One batch of the trainer (`batch`: positions when held, virtual positions when
    /// windowed): the positions of its rows (what the labels are read by) and a reader of
    /// the features of any of those positions (a rank's part of the batch).
    func batch(_ batch: [Int]) -> (positions: [Int], features: ([Int]) -> Matrix) {
        switch self {
        case .held(let x):
            return (batch, { x.gatheringRows($0) })
        case .windowed(let windows):
            let positions = batch.map(windows.position)
            let virtualOf = Dictionary(uniqueKeysWithValues: zip(positions, batch))
            return (positions, { rows in windows.gather(rows.map { virtualOf[$0]! }).anchors })
        }
    }

    /// Rows a windowed fit embeds at a time (a pass over the file, or the hold-out): with
    /// a 256-wide encoder 4 MB of embeddings, and as much per layer while they are computed.
    static let sliceRows = 4_096

    /// `outputs` of the validation rows `x`: all at once when the training rows are held
    /// (as a table's fit computes them), `sliceRows` at a time when they are windowed, so
    /// that a hold-out of 20,000 rows never has its embeddings in memory together.
    func validationOutputs(_ x: Matrix, _ outputs: (Matrix) -> Matrix) -> Matrix {
        guard case .windowed = self, x.rows > Self.sliceRows else { return outputs(x) }
        var values: [Float] = []
        var columns = 0
        for start in stride(from: 0, to: x.rows, by: Self.sliceRows) {
            let slice = outputs(x.gatheringRows(Array(start..<min(x.rows, start + Self.sliceRows))))
            columns = slice.columns
            values += slice.values
        }
        return Matrix(rows: x.rows, columns: columns, values: values)
    }

    /// Calls `body` with the features of every row, a slice at a time, in position order
    /// (held) or file order (windowed: a pass over the file outside any epoch's windows).
    func forEachSlice(rows sliceRows: Int = HeadInputs.sliceRows, _ body: (Matrix) throws -> Void) rethrows {
        switch self {
        case .held(let x):
            try body(x)
        case .windowed(let windows):
            try windows.forEachSlice(rows: sliceRows, body)
        }
    }
}
