// Placeholder until the XLSX reader lands from h-tables: every workbook is refused with a located error.
public enum XLSXReader {
    public static func read(_ bytes: [UInt8], limits: TableLimits = .standard) throws(TableError) -> [Table] {
        throw TableError("reading .xlsx files is not available in this build", hint: "save the sheet as CSV UTF-8 and declare the .csv file")
    }
}
