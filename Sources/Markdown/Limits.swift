/// Bounds on what one Markdown body may ask of cmark-gfm, checked before it parses.
///
/// cmark-gfm pads every short table row to the header's width, so an 18 KB table of
/// 3000 columns and short rows becomes nine million cells (25 s, 2.4 GB). Tables are
/// therefore limited in width and in cells; the check over-counts rows (to the next
/// blank line), which only matters for tables near the limit.
enum Limits {
    static let maximumTableColumns = 64
    static let maximumTableCells = 200_000
    static let maximumCellsPerDocument = 500_000

    static func check(_ text: SourceLines) -> MarkdownProblem? {
        let source = text.bytes
        let lines = text.ranges
        var totalCells = 0
        for number in lines.indices.dropFirst() {
            guard let columns = delimiterColumns(source[lines[number]]), columns > 0 else { continue }
            var rows = 1
            var next = number + 1
            while next < lines.count, !isBlank(source[lines[next]]) {
                rows += 1
                next += 1
            }
            let cells = columns * rows
            totalCells += cells
            let line = number  // the header row's line, 1-based: the delimiter row is the line after it
            if columns > maximumTableColumns {
                return MarkdownProblem(line: line, column: 1,
                                       message: "this table has \(columns) columns; at most \(maximumTableColumns) are allowed",
                                       hint: "split the table, or link a file in static/ that holds the data")
            }
            if cells > maximumTableCells {
                return MarkdownProblem(line: line, column: 1,
                                       message: "this table has \(columns) columns and about \(rows) rows (\(cells) cells); at most \(maximumTableCells) cells are allowed",
                                       hint: "split the table, or link a file in static/ that holds the data")
            }
            if totalCells > maximumCellsPerDocument {
                return MarkdownProblem(line: line, column: 1,
                                       message: "the tables of this page have more than \(maximumCellsPerDocument) cells in all",
                                       hint: "move some tables to other pages, or link files in static/ that hold the data")
            }
        }
        return nil
    }

    /// The number of columns if the line is a GFM table delimiter row (`| --- | :-: |`), else nil.
    /// Block quote markers and indentation before it are skipped.
    static func delimiterColumns(_ line: ArraySlice<UInt8>) -> Int? {
        var bytes = line[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 || first == UInt8(ascii: ">") { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D { bytes.removeLast() }
        guard bytes.contains(UInt8(ascii: "|")), bytes.contains(UInt8(ascii: "-")) else { return nil }
        for byte in bytes where !(byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: "|") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")) {
            return nil
        }
        if bytes.first == UInt8(ascii: "|") { bytes.removeFirst() }
        if bytes.last == UInt8(ascii: "|") { bytes.removeLast() }
        return bytes.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false).count
    }

    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
