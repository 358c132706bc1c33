import XCTest
@testable import PretextData

/// Series ingestion (three layouts, frequency, duplicates, gaps, fill) and windowing.
final class SeriesTests: XCTestCase {
    let folder = TemporaryFolder()

    func read(_ text: String, _ reader: SeriesReader) throws -> SeriesCollection {
        let (table, _) = try CSVReader().read(folder.write("s.csv", text))
        return try reader.series(from: table)
    }

    func testSingleMonthlySeriesFromTheBundledAirlineFile() throws {
        let (table, _) = try CSVReader().read(datasetsPath + "/airline.csv")
        let airline = try SeriesReader(layout: .single(time: "date"), valueColumns: ["passengers"]).series(from: table)
        XCTAssertEqual(airline.count, 1)
        XCTAssertEqual(airline.series[0].length, 144)
        XCTAssertEqual(airline.axis, TimeAxis(unit: .months, step: 1))
        XCTAssertEqual(airline.axis.seasonLength, 12)
        XCTAssertEqual(airline.axis.format(airline.series[0].times.last!), "1960-12")
        XCTAssertEqual(airline.axis.format(airline.axis.advance(airline.series[0].times.last!, by: 1)), "1961-01")
        XCTAssertEqual(airline.series[0].value(0, 0), 112)
    }

    func testLongLayoutSortsByTimeAndGroupsSeries() throws {
        let collection = try read("""
            store,day,sales,price
            b,2024-01-02,5,1
            a,2024-01-03,3,2
            a,2024-01-01,1,2
            b,2024-01-01,4,1
            a,2024-01-02,2,2
            """, SeriesReader(layout: .long(seriesID: "store", time: "day")))
        XCTAssertEqual(collection.series.map(\.id), ["b", "a"])
        XCTAssertEqual(collection.channelNames, ["sales", "price"])
        XCTAssertEqual(collection.axis.description, "daily")
        XCTAssertEqual(collection.axis.seasonLength, 7)
        XCTAssertEqual(collection.series[1].values, [1, 2, 2, 2, 3, 2])
        XCTAssertEqual(collection.series[0].length, 2)
        XCTAssertTrue(collection.summary.contains("unequal lengths: 2 to 3 steps"), "\(collection.summary)")
    }

    func testWideLayoutReadsLabelsAndTrailingMissingAsShorterSeries() throws {
        let collection = try read("t0,t1,t2,class\n1,2,3,x\n4,5,,y\n", SeriesReader(layout: .wide, labelColumn: "class"))
        XCTAssertEqual(collection.series.map(\.length), [3, 2])
        XCTAssertEqual(collection.series.map(\.label), ["x", "y"])
        XCTAssertEqual(collection.series[1].values, [4, 5])
    }

    /// Long layout with a class column: one label per series, the first row of each
    /// series stands for it, and the class column is not a channel.
    func testLongLayoutReadsOneLabelPerSeries() throws {
        let text = "id,t,x,y,class\nb,0,1,2,up\nb,1,3,4,up\na,0,5,6,down\na,1,7,8,down\na,2,9,10,down\nc,0,1,1,\n"
        let (table, _) = try CSVReader().read(folder.write("labels.csv", text))
        let columns = SeriesColumns(seriesID: "id", time: "t")
        let (collection, rows) = try columns.read(table, labelColumn: "class")
        XCTAssertEqual(collection.channelNames, ["x", "y"])
        XCTAssertEqual(collection.series.map(\.id), ["b", "a", "c"])
        XCTAssertEqual(collection.series.map(\.label), ["up", "down", nil])
        XCTAssertEqual(collection.series.map(\.length), [2, 3, 1])
        XCTAssertEqual(rows.rowCount, 3)
        XCTAssertEqual((0..<3).map { rows["id"]!.text(at: $0) }, ["b", "a", "c"])
        XCTAssertEqual(columns.resolved(in: table, labelColumn: "class").valueColumns, ["x", "y"])
    }

    /// A series whose rows disagree about the class is an error naming both lines.
    func testLongLayoutWithTwoClassesInOneSeriesIsAnError() throws {
        let (table, _) = try CSVReader().read(folder.write("mixed.csv", "id,t,x,class\na,0,1,up\na,1,2,down\n"))
        XCTAssertThrowsError(try SeriesReader(layout: .long(seriesID: "id", time: "t"), labelColumn: "class").series(from: table)) { error in
            XCTAssertEqual(error as? SeriesError, .inconsistentLabel(path: table.source, column: "class", series: "a", first: "up", firstRow: 0,
                                                                     other: "down", otherRow: 1))
            XCTAssertTrue("\(error)".contains("line 2") && "\(error)".contains("line 3"), "\(error)")
        }
        let (partly, _) = try CSVReader().read(folder.write("partly.csv", "id,t,x,class\na,0,1,up\na,1,2,\n"))
        XCTAssertThrowsError(try SeriesReader(layout: .long(seriesID: "id", time: "t"), labelColumn: "class").series(from: partly)) { error in
            XCTAssertTrue("\(error)".contains("no value on line 3"), "\(error)")
        }
    }

    func testDuplicateTimeStampsAreAnErrorNamingSeriesAndRows() {
        XCTAssertThrowsError(try read("id,t,v\na,1,1\na,2,2\na,2,3\n", SeriesReader(layout: .long(seriesID: "id", time: "t")))) { error in
            XCTAssertEqual(error as? SeriesError, .duplicateTime(path: folder.path + "/s.csv", series: "a", time: "2", rows: [1, 2]))
            XCTAssertTrue("\(error)".contains("lines 3, 4"), "\(error)")
        }
    }

    func testGapsAreAnErrorUnlessAFillIsAsked() throws {
        let text = "date,v\n2024-01-01,1\n2024-01-02,2\n2024-01-05,8\n2024-01-06,9\n"
        XCTAssertThrowsError(try read(text, SeriesReader(layout: .single(time: "date")))) { error in
            XCTAssertEqual(error as? SeriesError, .gaps(path: folder.path + "/s.csv", series: "s.csv", after: "2024-01-02", before: "2024-01-05",
                                                        missingSteps: 2, totalGaps: 1, frequency: "daily"))
        }
        let expected: [GapFill: [Float]] = [.forward: [1, 2, 2, 2, 8, 9], .linear: [1, 2, 4, 6, 8, 9], .zero: [1, 2, 0, 0, 8, 9]]
        for (fill, values) in expected {
            let filled = try read(text, SeriesReader(layout: .single(time: "date"), fill: fill))
            XCTAssertEqual(filled.series[0].values, values, "\(fill)")
            XCTAssertEqual(filled.series[0].times.count, 6)
        }
        let masked = try read(text, SeriesReader(layout: .single(time: "date"), fill: .missing))
        XCTAssertEqual(masked.series[0].missingCount, 2)
    }

    /// Found by the series fuzz target: one stray time stamp (151042111 among steps of 1)
    /// made `--fill` add 151 million steps, minutes of work and gigabytes. Now a fill adds
    /// at most 10 steps per row of the series (at least 1,000) and says which jump it was.
    func testAFillFarLargerThanTheSeriesIsAnErrorNotAHang() throws {
        let text = "t,v\n7,112\n151042111,12\n1510421,-35\n1,\n2,1\n"
        for fill in GapFill.allCases {
            XCTAssertThrowsError(try read(text, SeriesReader(layout: .single(time: "t"), fill: fill))) { error in
                guard case .fillTooLarge(_, _, let after, let before, let missing, let limit, _) = error as? SeriesError else { return XCTFail("\(error)") }
                XCTAssertEqual([after, before], ["7", "1510421"])
                XCTAssertEqual(missing, 1_510_413)
                XCTAssertEqual(limit, 1_000)
                XCTAssertTrue("\(error)".contains("mistyped year"), "\(error)")
            }
        }
        // Also found by the fuzzer: a stamp 10²³ steps away trapped converting the gap to
        // an Int; now the count saturates and the error is the same.
        let far = "t,v\n3,112\n151045210412111521041211,35\n1,\n2,0\n"
        XCTAssertThrowsError(try read(far, SeriesReader(layout: .single(time: "t"), fill: .zero))) { error in
            guard case .fillTooLarge(_, _, _, _, let missing, _, _) = error as? SeriesError else { return XCTFail("\(error)") }
            XCTAssertEqual(missing, Int.max)
        }
        XCTAssertThrowsError(try read(far, SeriesReader(layout: .single(time: "t")))) { error in
            guard case .gaps = error as? SeriesError else { return XCTFail("\(error)") }
        }
        // Gaps within the limit are still filled.
        let filled = try read("t,v\n0,1\n1,1\n500,2\n", SeriesReader(layout: .single(time: "t"), fill: .linear))
        XCTAssertEqual(filled.series[0].length, 501)
    }

    func testIrregularStepsAndTextTimesAreErrors() {
        XCTAssertThrowsError(try read("t,v\n0,1\n2,2\n4,3\n5,4\n", SeriesReader(layout: .single(time: "t")))) { error in
            guard case .irregularTime = error as? SeriesError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try read("t,v\nmonday,1\ntuesday,2\n", SeriesReader(layout: .single(time: "t")))) { error in
            guard case .badTimeColumn = error as? SeriesError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try read("t,v\n1,1\n2,2\n", SeriesReader(layout: .single(time: "time")))) { error in
            guard case .unknownColumn = error as? DataError else { return XCTFail("\(error)") }
        }
    }

    /// Found by the series fuzz campaign (fuzz/crashes/series/crash-58dd43e2…): " inF" in
    /// a wide file became an infinite window input. Infinite values (spelled inf or
    /// infinity) in value or time columns are errors naming row, line and column —
    /// never windows with ±∞ in them.
    func testInfiniteValuesAreErrorsNamingRowAndColumn() {
        let cases: [(String, SeriesReader, String, Int)] = [
            ("\u{40E},112\n1, inF\n", SeriesReader(layout: .wide), "112", 0),
            ("t,v\n1,1\n2,-inf\n", SeriesReader(layout: .single(time: "t")), "v", 1),
            ("id,t,v\na,1,1\na,inf,2\n", SeriesReader(layout: .long(seriesID: "id", time: "t")), "t", 1),
            ("id,t,v\na,1,1\na,2,-infinity\n", SeriesReader(layout: .long(seriesID: "id", time: "t")), "v", 1),
        ]
        for (text, reader, expectedColumn, expectedRow) in cases {
            XCTAssertThrowsError(try read(text, reader), text) { error in
                guard case .infiniteValue(_, let column, let row, _) = error as? SeriesError else { return XCTFail("\(text): \(error)") }
                XCTAssertEqual(column, expectedColumn, text)
                XCTAssertEqual(row, expectedRow, text)
                XCTAssertTrue("\(error)".contains("line \(expectedRow + 2)"), "\(error)")
            }
        }
    }

    func testWindowNormalisationRoundTrip() throws {
        let series = TimeSeries(id: "s", times: (0..<10).map(Double.init), values: (0..<20).map { Float($0 * $0) / 3 + 100 }, channels: 2)
        let collection = SeriesCollection(series: [series], channelNames: ["a", "b"], axis: .index, source: "memory")
        let windows = WindowSet.training(collection, config: WindowConfig(lookback: 4, horizon: 2, stride: 1))
        XCTAssertEqual(windows.count, 6)   // ends 4…9 (the last with a partial horizon)
        // Undoing the normalisation of the targets gives the raw future values back.
        let restored = windows.denormalize(windows.targets.map { $0.isNaN ? 0 : $0 })
        for (window, origin) in windows.origins.enumerated() {
            for step in 0..<2 where origin.end + step < 10 {
                for channel in 0..<2 {
                    XCTAssertEqual(restored[window * 4 + step * 2 + channel], series.value(origin.end + step, channel), accuracy: 1e-3)
                }
            }
        }
        XCTAssertTrue(windows.targets[5 * 4 + 2].isNaN, "beyond the series' end is missing, not zero")
        // Each window's lookback is standardised: mean 0, unit deviation, flags 1.
        let first = Array(windows.inputs[0..<16])
        let values = stride(from: 0, to: 16, by: 4).map { first[$0] }
        XCTAssertEqual(values.reduce(0, +), 0, accuracy: 1e-5)
        XCTAssertEqual(values.map { $0 * $0 }.reduce(0, +) / 4, 1, accuracy: 1e-4)
        XCTAssertEqual(stride(from: 2, to: 16, by: 4).map { first[$0] }, [1, 1, 1, 1])
    }

    func testMissingInputsAreMaskedNotZeroed() {
        let values: [Float] = [1, 2, .nan, 4, 5, 6]
        let series = TimeSeries(id: "s", times: (0..<6).map(Double.init), values: values, channels: 1)
        let collection = SeriesCollection(series: [series], channelNames: ["v"], axis: .index, source: "memory")
        let windows = WindowSet.latest(collection, lookback: 5, horizon: 1)
        // Lookback 2, NaN, 4, 5, 6: mean 17/4 over the observed four; the NaN step has value 0 and flag 0.
        XCTAssertEqual(windows.location, [17 / 4])
        XCTAssertEqual(Array(windows.inputs[2..<4]), [0, 0])
        XCTAssertEqual(windows.inputs[1], 1)
        // Short series are padded with missing steps at the start.
        let padded = WindowSet.latest(collection, lookback: 8, horizon: 1)
        XCTAssertEqual(Array(padded.inputs[0..<4]), [0, 0, 0, 0])
        XCTAssertEqual(padded.inputs[2 * 2 + 1], 1)
    }
}
