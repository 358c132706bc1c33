import CPretextMPI
import CPretextParallel
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes a data-parallel job runs on, and the collectives training needs.
///
/// `Communicator.single` is one process: every collective is the identity and nothing
/// is loaded. `Communicator.world()` is MPI_COMM_WORLD when the process was started by
/// Open MPI's `mpirun` with more than one rank (`OMPI_COMM_WORLD_SIZE` > 1); Open MPI is
/// then loaded at run time (`CPretextMPI`), so Pretext needs no MPI to build or to run
/// alone.
///
/// Data parallelism as `Trainer` and `Pretrainer` use it: every rank holds the same
/// data and the same weights and walks the same global batches; rank r computes the
/// forward and backward pass of its contiguous part `localRange(of: B)` of each batch;
/// parameter gradients are summed over the ranks (one `allreduceSum` of one flat
/// buffer), so every rank applies the same update. Only the root (rank 0) writes files
/// and reports progress.
public final class Communicator: @unchecked Sendable {
    /// This process's rank, 0 ..< size.
    public let rank: Int
    public let size: Int
    /// "Open MPI v4.1.4" when MPI runs, nil for `single`.
    public let library: String?

    public static let single = Communicator(rank: 0, size: 1, library: nil)

    /// Time and bytes spent in collectives on this rank, for scaling projections.
    public struct Statistics: Sendable, Equatable {
        /// Gradient sums (one per training step) and the bytes each rank contributed.
        public var gradientReductions = 0
        public var gradientBytes = 0
        public var gradientSeconds = 0.0
        /// Every other collective (gathered projections, losses, broadcasts).
        public var otherCalls = 0
        public var otherBytes = 0
        public var otherSeconds = 0.0
    }

    /// Counted on this rank since it started (`single` counts nothing).
    public private(set) var statistics = Statistics()

    private init(rank: Int, size: Int, library: String?) {
        self.rank = rank
        self.size = size
        self.library = library
    }

    public var isRoot: Bool { rank == 0 }

    /// The ranks `mpirun` started (Open MPI's `OMPI_COMM_WORLD_SIZE`); 1 otherwise.
    public static var launchedSize: Int {
        ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"].flatMap(Int.init) ?? 1
    }

    /// A launcher that started several copies of this process without Open MPI's `mpirun`
    /// (MPICH/Intel MPI: `PMI_SIZE`; Slurm's `srun`: `SLURM_STEP_NUM_TASKS`), described;
    /// nil when there is none or `mpirun` started it. Such copies cannot talk to each other
    /// here, and each would run the whole job and write the same files.
    public static var foreignLauncher: String? {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OMPI_COMM_WORLD_SIZE"] == nil else { return nil }
        if let size = environment["PMI_SIZE"].flatMap(Int.init), size > 1 { return "an MPI launcher other than Open MPI's (PMI_SIZE=\(size))" }
        if let tasks = environment["SLURM_STEP_NUM_TASKS"].flatMap(Int.init), tasks > 1 { return "srun with \(tasks) tasks" }
        return nil
    }

    private static let started: Result<Communicator, DistributedError> = {
        guard launchedSize > 1 else { return .success(.single) }
        var rank: Int32 = 0, size: Int32 = 1
        guard pretext_mpi_start(&rank, &size) == 0 else {
            return .failure(.unavailable(String(cString: pretext_mpi_error())))
        }
        // Ranks on one machine share its cores: each rank's compute lanes get its share
        // (unless the user set a thread count).
        if pretext_parallel_lanes_configured() == 0 {
            let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? Int(size)
            BLAS.setThreads(max(1, Int(pretext_parallel_lanes()) / max(1, local)))
        }
        let library = String(cString: pretext_mpi_library()).split(separator: ",").first.map(String.init)
        return .success(Communicator(rank: Int(rank), size: Int(size), library: library))
    }()

    /// MPI_COMM_WORLD when started by `mpirun` with several ranks (MPI is started on the
    /// first call), else `single`.
    public static func world() throws -> Communicator { try started.get() }

    /// Rank r's contiguous part of `count` items: ⌊count·r/N⌋ ..< ⌊count·(r+1)/N⌋.
    public func localRange(of count: Int) -> Range<Int> { Self.range(of: count, rank: rank, size: size) }

    static func range(of count: Int, rank: Int, size: Int) -> Range<Int> {
        (count * rank / size)..<(count * (rank + 1) / size)
    }

    /// Sums `values` over the ranks, in place; every rank receives the same sums.
    public func allreduceSum(_ values: inout [Float]) {
        guard size > 1 else { return }
        count(bytes: values.count * 4, since: reduce(&values))
    }

    /// `allreduceSum` of a training step's flat gradient buffer, counted as such.
    public func sumGradients(_ values: inout [Float]) {
        guard size > 1 else { return }
        let start = reduce(&values)
        statistics.gradientReductions += 1
        statistics.gradientBytes += values.count * 4
        statistics.gradientSeconds += Self.now() - start
    }

    /// MPI_Allreduce (sum, in place); returns when it started.
    private func reduce(_ values: inout [Float]) -> Double {
        let start = Self.now()
        let status = values.withUnsafeMutableBufferPointer { pretext_mpi_allreduce_float($0.baseAddress, $0.count) }
        precondition(status == 0, "MPI_Allreduce failed")
        return start
    }

    public func allreduceSum(_ values: inout [Double]) {
        guard size > 1 else { return }
        let start = Self.now()
        let status = values.withUnsafeMutableBufferPointer { pretext_mpi_allreduce_double($0.baseAddress, $0.count) }
        precondition(status == 0, "MPI_Allreduce failed")
        count(bytes: values.count * 8, since: start)
    }

    private func count(bytes: Int, since start: Double) {
        statistics.otherCalls += 1
        statistics.otherBytes += bytes
        statistics.otherSeconds += Self.now() - start
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    public func allreduceSum(_ value: Double) -> Double {
        var values = [value]
        allreduceSum(&values)
        return values[0]
    }

    /// The rows of a (totalRows, C) matrix whose part `localRange(of: totalRows)` each rank
    /// holds as `local`, in rank order — the whole matrix, on every rank.
    public func allgatherRows(_ local: Matrix, totalRows: Int) -> Matrix {
        guard size > 1 else { return local }
        let columns = local.columns
        precondition(local.rows == localRange(of: totalRows).count, "allgatherRows: \(local.rows) local rows, expected \(localRange(of: totalRows).count)")
        let counts = (0..<size).map { Int32(Self.range(of: totalRows, rank: $0, size: size).count * columns) }
        let displacements = (0..<size).map { Int32(Self.range(of: totalRows, rank: $0, size: size).lowerBound * columns) }
        var whole = Matrix(rows: totalRows, columns: columns)
        let start = Self.now()
        let status = local.values.withUnsafeBufferPointer { send in
            whole.values.withUnsafeMutableBufferPointer { receive in
                pretext_mpi_allgatherv_float(send.baseAddress, Int32(send.count), receive.baseAddress, counts, displacements)
            }
        }
        precondition(status == 0, "MPI_Allgatherv failed")
        count(bytes: whole.values.count * 4, since: start)
        return whole
    }

    /// Every rank's `bytes`, in rank order, on every rank (any length per rank).
    public func allgather(_ bytes: [UInt8]) -> [[UInt8]] {
        guard size > 1 else { return [bytes] }
        var lengths = [Double](repeating: 0, count: size)
        lengths[rank] = Double(bytes.count)
        allreduceSum(&lengths)
        let counts = lengths.map { Int($0) }
        precondition(counts.reduce(0, +) < Int(Int32.max), "allgather: more than 2 GiB in all")
        var displacements = [Int](repeating: 0, count: size)
        for index in 1..<size { displacements[index] = displacements[index - 1] + counts[index - 1] }
        var whole = [UInt8](repeating: 0, count: counts.reduce(0, +))
        let start = Self.now()
        let status = bytes.withUnsafeBufferPointer { send in
            whole.withUnsafeMutableBufferPointer { receive in
                pretext_mpi_allgatherv_bytes(send.baseAddress, Int32(send.count), receive.baseAddress,
                                             counts.map { Int32($0) }, displacements.map { Int32($0) })
            }
        }
        precondition(status == 0, "MPI_Allgatherv failed")
        count(bytes: whole.count, since: start)
        return (0..<size).map { Array(whole[displacements[$0]..<(displacements[$0] + counts[$0])]) }
    }

    /// A contrastive batch's stacked rows — `total` first views, then `total` second views,
    /// as `InfoNCE.compute(stacked:)` reads them — on every rank, from each rank's (2b, D)
    /// part (its `localRange(of: total)` of the first views, then of the second).
    public func allgatherStacked(_ local: Matrix, total: Int) -> Matrix {
        guard size > 1 else { return local }
        let batch = local.rows / 2, width = local.columns
        let first = allgatherRows(Matrix(rows: batch, columns: width, values: Array(local.values[0..<(batch * width)])), totalRows: total)
        let second = allgatherRows(Matrix(rows: batch, columns: width, values: Array(local.values[(batch * width)...])), totalRows: total)
        return Matrix(rows: 2 * total, columns: width, values: first.values + second.values)
    }

    /// This rank's rows of a stacked (2·total, C) matrix: its part of the first half, then
    /// the same part of the second — the inverse of `allgatherStacked`.
    public func localStackedRows(_ whole: Matrix, total: Int) -> Matrix {
        guard size > 1 else { return whole }
        let part = localRange(of: total), width = whole.columns
        return Matrix(rows: 2 * part.count, columns: width,
                      values: Array(whole.values[(part.lowerBound * width)..<(part.upperBound * width)])
                          + Array(whole.values[((total + part.lowerBound) * width)..<((total + part.upperBound) * width)]))
    }

    /// The root's `value` on every rank.
    public func broadcast(_ value: Double, root: Int = 0) -> Double {
        guard size > 1 else { return value }
        var copy = value
        let start = Self.now()
        let status = withUnsafeMutableBytes(of: &copy) { pretext_mpi_broadcast($0.baseAddress, $0.count, Int32(root)) }
        precondition(status == 0, "MPI_Bcast failed")
        count(bytes: 8, since: start)
        return copy
    }

    /// The root's `values` on every rank (same count on every rank).
    public func broadcast(_ values: inout [Float], root: Int = 0) {
        guard size > 1 else { return }
        let start = Self.now()
        let status = values.withUnsafeMutableBytes { pretext_mpi_broadcast($0.baseAddress, $0.count, Int32(root)) }
        precondition(status == 0, "MPI_Bcast failed")
        count(bytes: values.count * 4, since: start)
    }

    /// One line for the root's report: ranks, library, and per step the gradient bytes and
    /// the time in collectives.
    public var summary: String {
        let steps = max(1, statistics.gradientReductions)
        let perStep = Double(statistics.gradientBytes) / Double(steps) / 1_000_000
        let milliseconds = (statistics.gradientSeconds + statistics.otherSeconds) / Double(steps) * 1000
        return "data-parallel on \(size) ranks (\(library ?? "MPI")): \(statistics.gradientReductions) steps, "
            + String(format: "%.2f MB of gradients summed per step, %.2f ms per step in collectives (allreduce of gradients %.2f ms)",
                     perStep, milliseconds, statistics.gradientSeconds / Double(steps) * 1000)
    }

    /// Ends every rank with `code` (a failure on one rank must not leave the others
    /// waiting in a collective). On `single`, nothing happens.
    public func abort(code: Int32) {
        guard size > 1 else { return }
        pretext_mpi_abort(code)
    }
}

/// Data-parallel runs that cannot start or are not supported.
public enum DistributedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Started by mpirun with several ranks, but Open MPI cannot be loaded or started.
    case unavailable(String)
    /// A command or model that does not run on several ranks.
    case unsupported(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "MPI: \(reason)"
        case .unsupported(let what): "\(what) does not run on several MPI ranks yet; run it as one process (without mpirun, or with -np 1)"
        }
    }
}

extension DistributedError: LocalizedError {
    public var errorDescription: String? { description }
}
