/// Comma-separated values as RFC 4180 writes them and spreadsheets save them: fields in double quotes
/// may hold commas, line breaks and doubled quotes; lines end in CRLF or LF; a UTF-8 byte order mark
/// at the start is skipped.
public enum CSVReader {
    /// The file's records as rows. It reads best whole: one pass over the bytes whose field, row and
    /// quote state the nested steps share.
    public static func read(_ bytes: [UInt8], limits: TableLimits = .standard) throws(TableError) -> Table {
        guard bytes.count <= limits.unpackedBytes else {
            throw TableError("the file has \(bytes.count) bytes, more than the \(limits.unpackedBytes) a data file may have",
                             hint: "keep only the rows and columns the site uses, or split the file")
        }
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard String(validating: bytes[index...], as: UTF8.self) != nil else {
            throw TableError("the file is not UTF-8 text",
                             hint: "save it again as \"CSV UTF-8\" (a spreadsheet's Save As offers it), or keep the .xlsx file as downloaded")
        }
        var rows: [Table.Row] = []
        var cells: [String] = []
        var field: [UInt8] = []
        // Records, numbered as a spreadsheet opening the file numbers its rows (a quoted line break stays in its row).
        var rowLine = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        func endField() throws(TableError) {
            guard field.count <= limits.cellBytes else {
                throw TableError(row: rowLine, column: cells.count, "the cell has \(field.count) bytes, more than \(limits.cellBytes)",
                                 hint: "a data file's cells are figures and titles; check that a quote is not left open above")
            }
            guard cells.count < limits.columns else {
                throw TableError(row: rowLine, column: cells.count, "the row has more than \(limits.columns) columns",
                                 hint: "check the separator: the file must be comma-separated")
            }
            cells.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRow() throws(TableError) {
            try endField()
            while cells.last?.isEmpty == true { cells.removeLast() }
            if !cells.isEmpty {
                guard rows.count < limits.rows else {
                    throw TableError(row: rowLine, "the file has more than \(limits.rows) rows",
                                     hint: "keep only the rows the site uses, or split the file")
                }
                rows.append(Table.Row(number: rowLine, cells: cells))
            }
            cells.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote && field.isEmpty {
                // A quoted field: up to the closing quote; "" inside is one quote.
                let opened = (rowLine, cells.count)
                index += 1
                while true {
                    guard index < bytes.count else {
                        throw TableError(row: opened.0, column: opened.1, "a quoted cell is never closed",
                                         hint: "end the cell with a double quote, and double every quote inside it (\"\")")
                    }
                    let inner = bytes[index]
                    if inner == quote {
                        if index + 1 < bytes.count, bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(inner)
                    index += 1
                }
                if index < bytes.count, ![comma, cr, lf].contains(bytes[index]) {
                    throw TableError(row: rowLine, column: cells.count, "text follows the closing quote of a cell",
                                     hint: "put the whole cell in quotes and double the quotes inside it (\"\")")
                }
                continue
            }
            switch byte {
            case comma:
                try endField()
            case cr where index + 1 < bytes.count && bytes[index + 1] == lf:
                break
            case lf, cr:
                try endRow()
                rowLine += 1
            default:
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !cells.isEmpty { try endRow() }
        return Table(name: "", rows: rows)
    }
}
