import Foundation
import CPretextBLAS
import PretextData

/// Matrix multiplication through oneDNN or OpenBLAS, with the kernels chosen for this CPU.
///
/// Products run on oneDNN's sgemm when libdnnl loads and the CPU has AVX2 and FMA:
/// it generates kernels for the CPU it finds and runs a training step's small products
/// (128–1024 rows × 256 × 256) up to ~1.8× faster than OpenBLAS on one core here, a
/// SCARF step 1.05–1.3× faster (docs/perf-log.md). `PRETEXT_GEMM=openblas` or `=onednn`
/// overrides the choice; `Status.productLibrary` says which runs. OpenBLAS is always
/// loaded (the fallback; `PRETEXT_GEMM=openblas pretext bench gemm` measures it).
///
/// On first use Pretext reads the CPU's vector features (CPUID, with the OS-enabled
/// register state from XGETBV) and, unless `OPENBLAS_CORETYPE` is already set, sets it
/// to the fastest kernel family the CPU can run (`SkylakeX` for AVX-512, `Haswell` for
/// AVX2+FMA, `Sandybridge` for AVX) before loading OpenBLAS. Debian's OpenBLAS 0.3.21
/// otherwise falls back to its Prescott kernels on CPUs newer than its table (~6× slower
/// here). A value the user set is always respected.
///
/// Threads: each library call runs single-threaded. Products of at least 2¹⁹ multiply-adds are
/// cut into blocks of 16-row (or 16-column) tiles of C, `PRETEXT_BLOCKS_PER_LANE` per compute lane
/// (`CPretextParallel`: persistent threads that spin briefly between pieces of work and
/// take blocks a slower lane has left),
/// and element-wise passes use the same lanes and blocks (`Lanes`). For a training
/// step's small products this beats OpenBLAS's own threading, whose caller spent ~20%
/// of a SCARF step waiting in `sched_yield` (docs/perf-log.md). Results depend only on the
/// lane count and the library, never on timing.
public enum BLAS {
    public struct Status: Sendable, CustomStringConvertible {
        /// The kernel family OpenBLAS runs.
        public var coreName: String
        /// Whether Pretext chose it (false: the user's OPENBLAS_CORETYPE, or none needed).
        public var chosenByPretext: Bool
        public var threads: Int
        public var configuration: String
        /// The library that runs the products: "oneDNN x.y.z" or "OpenBLAS".
        public var productLibrary: String

        public var description: String {
            "\(configuration.split(separator: " ").prefix(2).joined(separator: " ")), kernels \(coreName)"
                + (chosenByPretext ? " (chosen from CPU features)" : "") + ", \(threads) thread(s); products on \(productLibrary)"
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        /// A LAPACK routine reported failure (e.g. an eigen-decomposition that did not converge).
        case failed(String)
        public var description: String {
            switch self {
            case .unavailable(let message): return "the matrix libraries could not be loaded: \(message)"
            case .failed(let message): return "a matrix routine failed: \(message)"
            }
        }
    }

    /// Loads OpenBLAS (and oneDNN, see above) if needed; throws when OpenBLAS is not
    /// installed, or PRETEXT_GEMM asks for a library that cannot be loaded.
    public static func load() throws -> Status {
        guard pretext_blas_load() == 0 else { throw Failure.unavailable(String(cString: pretext_blas_error())) }
        return Status(coreName: String(cString: pretext_blas_corename()),
                      chosenByPretext: pretext_blas_coretype_was_chosen() != 0,
                      threads: Int(pretext_blas_get_threads()),
                      configuration: String(cString: pretext_blas_config()),
                      productLibrary: String(cString: pretext_blas_product_library()))
    }

    /// Sets the compute lanes' count (default: all cores, or OPENBLAS_NUM_THREADS).
    public static func setThreads(_ threads: Int) {
        ensureLoaded()
        pretext_blas_set_threads(Int32(max(1, threads)))
    }

    /// The vector features of this CPU, and the kernel family they allow.
    public static var cpuKernelFamily: String? {
        pretext_cpu_openblas_coretype(pretext_cpu_detect()).map { String(cString: $0) }
    }

    private static func ensureLoaded() {
        if pretext_blas_load() != 0 {
            preconditionFailure("the matrix libraries are not available: \(String(cString: pretext_blas_error())); call BLAS.load() first to handle this")
        }
    }

    /// How `sgemm` splits an m×n×k product over the compute lanes: the number of blocks
    /// (1: whole) and whether they are blocks of C's rows or of its columns; block `part`
    /// is `Lanes.block(part, of: parts, in: m or n)`. A layer can run each block itself
    /// (`sgemmUnsplit`) together with the element-wise work of the same rows.
    public static func splitPlan(m: Int, n: Int, k: Int) -> (parts: Int, byRows: Bool) {
        ensureLoaded()
        var byRows: Int32 = 1
        let parts = pretext_sgemm_plan(Int32(m), Int32(n), Int32(k), &byRows)
        return (Int(parts), byRows != 0)
    }

    /// `sgemm` as one single-threaded call, never split: a block of a planned product.
    @inline(__always)
    public static func sgemmUnsplit(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        pretext_sgemm_unsplit(transposeA ? PRETEXT_TRANS : PRETEXT_NO_TRANS, transposeB ? PRETEXT_TRANS : PRETEXT_NO_TRANS,
                              Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Row-major C = α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n.
    @inline(__always)
    public static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        ensureLoaded()
        pretext_sgemm(transposeA ? PRETEXT_TRANS : PRETEXT_NO_TRANS, transposeB ? PRETEXT_TRANS : PRETEXT_NO_TRANS,
                      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension BLAS {
    /// Eigen-decomposition of a symmetric n × n matrix (LAPACK `dsyevd`, from OpenBLAS):
    /// eigenvalues ascending, and eigenvectors as the columns of a column-major n × n
    /// matrix (`vectors[i + j·n]` is component i of the eigenvector of `values[j]`).
    public static func symmetricEigen(_ matrix: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n, "symmetricEigen: \(matrix.count) values for \(n)×\(n)")
        var vectors = matrix
        var values = [Double](repeating: 0, count: n)
        let info = vectors.withUnsafeMutableBufferPointer { a in
            values.withUnsafeMutableBufferPointer { w in pretext_dsyevd(Int32(n), a.baseAddress!, w.baseAddress!) }
        }
        if info == -1000 { throw Failure.unavailable("OpenBLAS's LAPACK (dsyevd) could not be loaded: \(String(cString: pretext_blas_error()))") }
        guard info == 0 else { throw Failure.failed("LAPACK dsyevd returned info \(info) on a \(n)×\(n) matrix (non-finite values?)") }
        return (values, vectors)
    }
}

/// Library users get the CLI's message from `localizedDescription`.
extension BLAS.Failure: LocalizedError {
    public var errorDescription: String? { description }
}
