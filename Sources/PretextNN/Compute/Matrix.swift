/// A dense row-major `Float` matrix.
public struct Matrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var values: [Float]      // (rows, columns)

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "Matrix: \(values.count) values for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: value, count: rows * columns))
    }

    /// A matrix whose values `initialize` writes, every one of them (no zero fill first).
    public init(rows: Int, columns: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = rows * columns
        self.init(rows: rows, columns: columns, values: [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialize(buffer)
            initialized = count
        })
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The given rows, in order (blocks of them copied on the compute lanes).
    public func gatheringRows(_ indices: [Int]) -> Matrix {
        let columns = columns
        return Matrix(rows: indices.count, columns: columns) { target in
            values.withUnsafeBufferPointer { source in
                indices.withUnsafeBufferPointer { indices in
                    Lanes.forEachBlock(of: indices.count, work: indices.count * columns) { block in
                        for position in block {
                            (target.baseAddress! + position * columns).update(from: source.baseAddress! + indices[position] * columns,
                                                                             count: columns)
                        }
                    }
                }
            }
        }
    }

    /// C = op(A)·op(B) (+ C when `accumulate`), through BLAS.
    public static func multiply(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                                into c: inout Matrix, accumulate: Bool = false) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition((transposeB ? b.columns : b.rows) == k, "inner dimensions differ: \(k) vs \(transposeB ? b.columns : b.rows)")
        precondition(c.rows == m && c.columns == n, "output is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 { if !accumulate { c.values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }; return }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                               a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns,
                               beta: accumulate ? 1 : 0, c: pc.baseAddress!, ldc: c.columns)
                }
            }
        }
    }

    /// op(A)·op(B) as a new matrix.
    public static func product(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) -> Matrix {
        var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }
}
