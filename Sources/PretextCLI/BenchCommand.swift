import ArgumentParser
import Pretext

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Pretext's speed on this machine (build with -c release first).",
        subcommands: [BenchIngestCommand.self, BenchGemmCommand.self, BenchTrainCommand.self]
    )
}
