/// A worksheet's rows as its XML gives them, cell by cell, into a `Table`: where each cell is (its `r`
/// reference, or after the previous one where it has none), what its text is for its type, and the limits.
/// Both readers of a worksheet's XML feed it, so they agree on every rule.
///
/// Cell text by type (`t`): `s` the shared string its value numbers; `inlineStr` the text of its `<is>`;
/// `b` TRUE or FALSE (as a spreadsheet shows them: openpyxl gives Python's True and False); `n` (or no
/// type), `str`, `e` (an error such as #N/A) and `d` the value's text as written. A formula is never
/// evaluated: its cell has the value the file cached, or no text.
struct SheetBuilder {
    enum CellType {
        case number, shared, inline, boolean, text

        init(_ bytes: UnsafeBufferPointer<UInt8>) throws(TableError) {
            switch bytes.count {
            case 0: self = .number
            case 1 where bytes[0] == UInt8(ascii: "n"): self = .number
            case 1 where bytes[0] == UInt8(ascii: "s"): self = .shared
            case 1 where bytes[0] == UInt8(ascii: "b"): self = .boolean
            case 1 where bytes[0] == UInt8(ascii: "e") || bytes[0] == UInt8(ascii: "d"): self = .text
            case 3 where bytes.elementsEqual("str".utf8): self = .text
            case 9 where bytes.elementsEqual("inlineStr".utf8): self = .inline
            default:
                throw TableError("a cell has the type \"\(String(decoding: bytes, as: UTF8.self))\", which a workbook does not use",
                                 hint: ZipParts.damagedHint)
            }
        }
    }

    /// Excel's last row.
    static let lastRow = 1_048_576

    let limits: TableLimits
    let sharedStrings: [String]
    private(set) var rows: [Table.Row] = []
    /// The number of the row being read (of the last one read between rows); 0 before the first.
    private(set) var row = 0
    /// The column of the last cell read in this row; -1 before the first.
    private var column = -1
    private var cells: [String] = []

    init(limits: TableLimits, sharedStrings: [String]) {
        self.limits = limits
        self.sharedStrings = sharedStrings
    }

    /// A `<row>`, numbered by its `r` attribute or as the one after the previous row.
    mutating func startRow(reference: UnsafeBufferPointer<UInt8>?) throws(TableError) {
        var number = row + 1
        if let reference {
            guard let parsed = Self.decimal(reference), parsed >= 1 else {
                throw TableError(row: row + 1, "a row is numbered \"\(String(decoding: reference, as: UTF8.self))\"", hint: ZipParts.damagedHint)
            }
            guard parsed > row else {
                throw TableError(row: parsed, "row \(parsed) comes after row \(row): the rows are out of order or repeated",
                                 hint: ZipParts.damagedHint)
            }
            number = parsed
        }
        guard number <= Self.lastRow else {
            throw TableError(row: number, "row \(number) is past a sheet's last row (\(Self.lastRow))", hint: ZipParts.damagedHint)
        }
        row = number
        if firstRow == nil { firstRow = number }
        column = -1
        cells.removeAll(keepingCapacity: true)
    }

    /// The number of the first row read (kept or not), nil before one.
    private(set) var firstRow: Int?

    /// The rows another builder read after this one's, as if this one had read them.
    mutating func append(_ other: SheetBuilder) {
        rows += other.rows
        row = other.row
    }

    mutating func endRow() throws(TableError) {
        while cells.last?.isEmpty == true { cells.removeLast() }
        guard !cells.isEmpty else { return }
        guard rows.count < limits.rows else {
            throw TableError(row: row, "the sheet has more than \(limits.rows) rows", hint: "keep only the rows the site uses, or split the file")
        }
        rows.append(Table.Row(number: row, cells: cells))
    }

    /// A `<c>`: its column from its `r` reference (which must name this row), or the one after the previous cell.
    mutating func startCell(reference: UnsafeBufferPointer<UInt8>?) throws(TableError) {
        var index = column + 1
        if let reference {
            // Up to three letters (A to XFD and beyond, refused below), then this row's number.
            var letters = 0, parsed = 0
            while letters < min(reference.count, 4), (65...90).contains(reference[letters]) {
                parsed = parsed * 26 + Int(reference[letters] - 64)
                letters += 1
            }
            parsed -= 1
            guard (1...3).contains(letters), Self.decimal(UnsafeBufferPointer(rebasing: reference[letters...])) == row else {
                throw TableError(row: row, column: index, "a cell of row \(row) is at \"\(String(decoding: reference, as: UTF8.self))\"",
                                 hint: ZipParts.damagedHint)
            }
            guard parsed > column else {
                throw TableError(row: row, column: parsed,
                                 "cell \(Table.columnName(parsed))\(row) comes after \(Table.columnName(column))\(row): the cells are out of order or repeated",
                                 hint: ZipParts.damagedHint)
            }
            index = parsed
        }
        guard index < limits.columns, index < 16_384 else {
            throw TableError(row: row, column: index, "the row has more than \(min(limits.columns, 16_384)) columns",
                             hint: "keep only the columns the site uses")
        }
        column = index
    }

    /// The current cell's text: `value` is its `<v>` text, `inline` its `<is>` text (`<t>` and runs' `<t>`).
    mutating func endCell(type: CellType, value: UnsafeBufferPointer<UInt8>, inline: UnsafeBufferPointer<UInt8>) throws(TableError) {
        let text: String
        switch type {
        case .number, .text:
            text = try string(value)
        case .inline:
            text = try string(inline)
        case .shared:
            guard !value.isEmpty else { return }
            guard let index = Self.decimal(Self.trimmed(value)), index < sharedStrings.count else {
                throw TableError(row: row, column: column,
                                 "the cell refers to shared string \"\(String(decoding: value, as: UTF8.self))\", but the workbook has \(sharedStrings.count)",
                                 hint: ZipParts.damagedHint)
            }
            text = sharedStrings[index]
        case .boolean:
            guard !value.isEmpty else { return }
            switch Self.decimal(Self.trimmed(value)) {
            case 0?: text = "FALSE"
            case _?: text = "TRUE"
            case nil:
                throw TableError(row: row, column: column, "a TRUE/FALSE cell holds \"\(String(decoding: value, as: UTF8.self))\"",
                                 hint: ZipParts.damagedHint)
            }
        }
        guard !text.isEmpty else { return }
        guard text.utf8.count <= limits.cellBytes else {
            throw TableError(row: row, column: column, "the cell has \(text.utf8.count) bytes, more than \(limits.cellBytes)",
                             hint: "a data file's cells are figures and titles")
        }
        while cells.count < column { cells.append("") }
        cells.append(text)
    }

    private func string(_ bytes: UnsafeBufferPointer<UInt8>) throws(TableError) -> String {
        guard bytes.count <= limits.cellBytes else {
            throw TableError(row: row, column: column, "the cell has \(bytes.count) bytes, more than \(limits.cellBytes)",
                             hint: "a data file's cells are figures and titles")
        }
        // ASCII (every number) needs no validation, and String(validating:) is slow on short text.
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TableError(row: row, column: column, "the cell is not UTF-8 text", hint: ZipParts.damagedHint)
        }
        return text
    }

    /// A decimal number of at most 9 digits, nil for anything else.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// Without XML whitespace at either end.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !space($0) }), let last = bytes.lastIndex(where: { !space($0) }) else {
            return UnsafeBufferPointer(rebasing: bytes[0..<0])
        }
        return UnsafeBufferPointer(rebasing: bytes[first...last])
    }
}
