import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex, for the few places that share state between worker threads.
final class PThreadMutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func locked<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

/// `body(index)` for every index below `count`, on every core (up to `lanes` threads,
/// each taking the next index not yet taken, so a few slow indices do not hold one
/// thread while the other idles), the results in index order.
func parallelMap<Value>(_ count: Int, lanes maximumLanes: Int = ProcessorInfo.activeCores,
                        _ body: @Sendable (Int) -> Value) -> [Value] {
    let lanes = min(count, maximumLanes)
    guard lanes > 1 else { return (0..<count).map(body) }
    let slots = DisjointSlots<Value>(count: count)
    DispatchQueue.concurrentPerform(iterations: lanes) { _ in
        while true {
            let index = slots.next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < count else { break }
            slots.set(index, body(index))
        }
    }
    return slots.values
}

/// One slot per index for `parallelMap`: each slot is written by one thread only (the
/// one that took its index from `next`).
private final class DisjointSlots<Value>: @unchecked Sendable {
    private var slots: UnsafeMutableBufferPointer<Value?>
    let next = Atomic<Int>(0)

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Value) { slots[index] = value }

    var values: [Value] { slots.map { $0! } }
}

/// Wall-clock time since creation, from the monotonic clock.
public struct Stopwatch: Sendable {
    private let start = ContinuousClock.now

    public init() {}

    public var seconds: Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// Facts about the processor.
public enum ProcessorInfo {
    /// Online cores (`sysconf(_SC_NPROCESSORS_ONLN)`).
    public static var activeCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
