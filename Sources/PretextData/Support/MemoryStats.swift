#if canImport(Glibc)
import Glibc
#endif

/// Resident-memory readings from Linux's `/proc/self` (nil elsewhere).
public enum MemoryStats {
    /// Resets the kernel's peak-RSS mark (VmHWM) to the current RSS, so a later
    /// `peakResidentBytes()` measures only what follows.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
        defer { fclose(file) }
        return fputs("5", file) >= 0
    }

    /// Peak resident set size since start or the last `resetPeak()`, in bytes.
    public static func peakResidentBytes() -> Int? { statusField("VmHWM:") }

    /// Current resident set size, in bytes.
    public static func residentBytes() -> Int? { statusField("VmRSS:") }

    private static func statusField(_ key: String) -> Int? {
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(cString: line)
            if text.hasPrefix(key) {
                let digits = text.dropFirst(key.count).filter(\.isNumber)
                return Int(digits).map { $0 * 1024 }
            }
        }
        return nil
    }
}
