import ArgumentParser
import Pretext

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show how Pretext reads a CSV: column types, missing values, the target's classes.",
        discussion: """
        Reads FILE (.csv, .tsv or .csv.gz) on all cores and prints, per column, the \
        inferred type, missing share, distinct count and a summary; with --target, the \
        task (binary, multiclass or regression), class balance and how many rows are \
        unlabeled (target empty: they still count for pretraining).

        Examples:
          pretext inspect datasets/credit_data.csv --target target
          pretext inspect data.tsv --delimiter tab --no-header
          pretext inspect export.csv.gz --missing=-,n/a --skip-bad-rows
        """
    )

    @Argument(help: "The CSV file to read (- reads standard input; pipes work too).")
    var file: String

    @Option(name: .long, help: "The label column (rows where it is empty are unlabeled).")
    var target: String?

    @OptionGroup var read: ReadOptionsGroup

    func run() throws {
        try reportingErrors {
            let (table, report) = try TableFile.read(file, options: try read.readOptions())
            let inspection = try InspectionReport(table: table, read: report, target: target)
            print(inspection.render())
        }
    }
}
