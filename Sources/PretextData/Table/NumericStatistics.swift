import CPretextKernels

/// Count, zeros, sum, range and integrality of a column's present (non-NaN) numbers, in
/// one vectorised pass (`pretext_float_statistics_of`, CPretextKernels: eight lanes of
/// branch-free accumulators; Swift's loop, with a branch per NaN test and a checked
/// conversion per integrality test, took four times as long and most of `inspect`'s
/// summaries).
///
/// `sum` adds in `Double`, eight partial sums combined at the end, so it can differ from
/// a sequential sum in the last bits. A column is integral when every present value is
/// whole: magnitudes ≥ 2²³ always are (infinities too), smaller ones when truncation to
/// `Int32` leaves them unchanged.
struct NumericStatistics: Equatable {
    /// The kernel's result, handed back to it by `distinctCount(of:limit:)`.
    private let kernel: pretext_float_statistics

    init(_ values: UnsafeBufferPointer<Float>) {
        kernel = pretext_float_statistics_of(values.baseAddress, values.count)
    }

    var present: Int { kernel.present }
    var zeros: Int { kernel.zeros }          // present values equal to ±0
    var sum: Double { kernel.sum }
    var low: Float { kernel.low }            // +∞ when nothing is present
    var high: Float { kernel.high }          // −∞ when nothing is present
    var integral: Bool { kernel.integral != 0 }

    static func == (lhs: NumericStatistics, rhs: NumericStatistics) -> Bool {
        (lhs.present, lhs.zeros, lhs.sum, lhs.low, lhs.high, lhs.integral)
            == (rhs.present, rhs.zeros, rhs.sum, rhs.low, rhs.high, rhs.integral)
    }

    /// How many distinct present values `values` (the column these statistics are of)
    /// holds, 0 and −0 as one, counted until the count exceeds `limit` (it is then
    /// limit + 1): whole numbers over a range below 2¹⁶ in a byte per value of the range,
    /// others in a hash set of bit patterns (CPretextKernels).
    func distinctCount(of values: UnsafeBufferPointer<Float>, limit: Int) -> Int {
        let count = pretext_count_distinct_floats(values.baseAddress, values.count, limit, kernel)
        precondition(count >= 0, "out of memory counting distinct values")
        return count
    }

    /// The same for `Double` values (dates as seconds), through the hash set.
    static func distinctCount(of values: UnsafeBufferPointer<Double>, limit: Int) -> Int {
        let count = pretext_count_distinct_doubles(values.baseAddress, values.count, limit)
        precondition(count >= 0, "out of memory counting distinct values")
        return count
    }
}
