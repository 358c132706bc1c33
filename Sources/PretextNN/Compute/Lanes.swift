import CPretextParallel

/// Element-wise work split over the compute lanes — the same persistent threads that
/// run the blocks of a split matrix product (`CPretextParallel`, `BLAS.sgemm`).
///
/// Work is cut into contiguous blocks of whole 16-item tiles, `PRETEXT_BLOCKS_PER_LANE`
/// per lane, each lane running its own blocks in order and then taking blocks left by a
/// slower lane (`CPretextParallel`); for rows these are exactly the row blocks a product
/// with that many rows is cut into, so a pass over a layer's output mostly touches rows
/// already in that lane's cache.
/// Each block writes only its own items, so results do not depend on the lanes; work
/// that reduces across blocks (a sum over rows, say) must keep one block per output.
public enum Lanes {
    /// Threads that parallel work uses (the caller included); set with `BLAS.setThreads`.
    public static var count: Int { Int(pretext_parallel_lanes()) }

    /// Below this many elements of work a pass runs whole on the caller (a few µs).
    public static let minimumParallelWork = 16_384

    /// The blocks `extent` items are cut into for work of `work` elements in all.
    static func blockCount(extent: Int, work: Int) -> Int {
        guard work >= minimumParallelWork, count > 1 else { return 1 }
        return max(1, min(count * Int(PRETEXT_BLOCKS_PER_LANE), extent / 16))
    }

    /// Runs `body` once per block of `0..<extent` (at once on the lanes when `work` —
    /// the elements touched in all — is large enough) and returns when all are done.
    public static func forEachBlock(of extent: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let parts = blockCount(extent: extent, work: work)
        if parts <= 1 {
            if extent > 0 { body(0..<extent) }
            return
        }
        forEachPart(parts) { part in
            let range = block(part, of: parts, in: extent)
            if !range.isEmpty { body(range) }
        }
    }

    /// Block `part` of `parts` over `0..<extent` (whole 16-item tiles, as products split).
    public static func block(_ part: Int, of parts: Int, in extent: Int) -> Range<Int> {
        var start = 0, length = 0
        pretext_block_range(extent, parts, part, &start, &length)
        return start..<(start + length)
    }

    /// Runs `body(part)` for every part in `0..<parts` at once on the lanes (lane l owns
    /// a contiguous run of parts; idle lanes take what a slower one has left) and
    /// returns when all are done. Parts must write disjoint outputs.
    public static func forEachPart(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 {
            if parts == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var job = PartJob(body: body)
            withUnsafeMutablePointer(to: &job) { pointer in
                pretext_parallel_for(parts, { context, part in
                    context!.assumingMemoryBound(to: PartJob.self).pointee.body(part)
                }, pointer)
            }
        }
    }

    private struct PartJob {
        let body: (Int) -> Void
    }
}
