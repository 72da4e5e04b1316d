/// One sheet of a spreadsheet as text: the rows it holds, each with its number in the sheet and its
/// cells by column (`cells[0]` is column A). Numbers are kept as the file writes them (`135980`,
/// `1.5E-2`); what a cell means is for the reader of the table to say.
public struct Table: Sendable, Hashable {
    /// The sheet's name in a workbook; empty for a CSV file.
    public var name: String
    /// The rows that hold at least one cell, in order. Empty trailing cells are left off.
    public var rows: [Row]

    public init(name: String, rows: [Row]) {
        self.name = name
        self.rows = rows
    }

    public struct Row: Sendable, Hashable {
        /// 1 for the first row of the sheet or file, as a spreadsheet numbers them.
        public var number: Int
        public var cells: [String]

        public init(number: Int, cells: [String]) {
            self.number = number
            self.cells = cells
        }

        /// The cell of column `index` (0 for A), empty where the row has none.
        public subscript(index: Int) -> String {
            index < cells.count ? cells[index] : ""
        }
    }

    /// A column's name as a spreadsheet shows it: 0 -> A, 25 -> Z, 26 -> AA.
    public static func columnName(_ index: Int) -> String {
        var name = ""
        var rest = index + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + digit))) + name
            rest = (rest - 1) / 26
        }
        return name
    }

    /// The index of a column name (A -> 0, AA -> 26), nil for anything else.
    public static func columnIndex(_ name: some StringProtocol) -> Int? {
        guard !name.isEmpty, name.utf8.count <= 3 else { return nil }
        var index = 0
        for byte in name.utf8 {
            guard (65...90).contains(byte) else { return nil }
            index = index * 26 + Int(byte - 64)
        }
        return index - 1
    }
}

/// Why a file could not be read as a table, and where: a row and column of the sheet when the problem
/// is in one, else the file as a whole.
public struct TableError: Error, Sendable, Hashable {
    public var row: Int?
    /// 0 for column A.
    public var column: Int?
    public var message: String
    public var hint: String

    public init(row: Int? = nil, column: Int? = nil, _ message: String, hint: String) {
        self.row = row
        self.column = column
        self.message = message
        self.hint = hint
    }
}

/// How much a table file may hold: a data file is untrusted input, so a huge or hostile one stops at a
/// located error in bounded time and memory, never a crash.
public struct TableLimits: Sendable, Hashable {
    /// Rows in one sheet (an OEWS state file has about 40,000).
    public var rows: Int
    /// Columns in one row (an OEWS file has about 32; Excel allows 16,384).
    public var columns: Int
    /// UTF-8 bytes in one cell (Excel allows 32,767 characters).
    public var cellBytes: Int
    /// Bytes of the file once unpacked: the sum of a workbook's parts, or the CSV file itself.
    public var unpackedBytes: Int

    public init(rows: Int = 1_000_000, columns: Int = 16_384, cellBytes: Int = 32_767 * 4, unpackedBytes: Int = 512 << 20) {
        self.rows = rows
        self.columns = columns
        self.cellBytes = cellBytes
        self.unpackedBytes = unpackedBytes
    }

    public static let standard = TableLimits()
}
