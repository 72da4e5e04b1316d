import Content
import Diagnostics
import Foundation
import Tables

/// The figures of a site's declared data files, read and indexed by occupation code.
public struct DataSet: Sendable, Hashable {
    public struct National: Sendable, Hashable {
        public var declaration: DataDeclaration
        public var table: OEWSTable
        var byCode: [String: Int]
    }

    public struct States: Sendable, Hashable {
        public var declaration: DataDeclaration
        public var table: OEWSTable
        var byCode: [String: [Int]]
    }

    public struct Projections: Sendable, Hashable {
        public var declaration: DataDeclaration
        public var table: ProjectionTable
        var byCode: [String: Int]
    }

    public var national: National?
    public var states: States?
    public var projections: Projections?

    public init() {}

    public var isEmpty: Bool { national == nil && states == nil && projections == nil }

    /// The largest data file read, in bytes (64 MiB: an OEWS state workbook is about 3 MiB, its CSV about 10 MiB).
    public static let maximumFileBytes: Int64 = 64 << 20

    /// Reads the declared files of the site in `siteDirectory`; a file that cannot be read, or does not have
    /// its kind's layout, is an error at its declaration or at its row and column.
    /// - Parameter memo: the last read's files and tables: a file whose bytes are the same is not parsed again.
    public static func read(_ declarations: [DataDeclaration], siteDirectory: String, memo: DataMemo = DataMemo()) -> (DataSet, [Diagnostic], DataMemo) {
        var set = DataSet()
        var diagnostics: [Diagnostic] = []
        var next = DataMemo()
        guard !declarations.isEmpty, let siteFiles = SiteFiles(siteDirectory: siteDirectory) else { return (set, diagnostics, next) }
        for kind in DataDeclaration.Kind.allCases {
            let ofKind = declarations.filter { $0.kind == kind }
            for extra in ofKind.dropFirst() {
                diagnostics.append(.error(.dataFile, at: extra.location, "a second \(kind.rawValue) file is declared (\(ofKind[0].file) is the first)",
                                          hint: "declare one file of each kind: the release the site's figures come from"))
            }
        }
        for declaration in declarations where declarations.first(where: { $0.kind == declaration.kind }) == declaration {
            guard let bytes = readBytes(declaration, siteFiles, into: &diagnostics) else { continue }
            var entry: DataMemo.Entry
            if let known = memo.entries[declaration.file], known.bytes == bytes, known.declaration == declaration {
                entry = known
            } else {
                entry = DataMemo.Entry(bytes: bytes, declaration: declaration)
                if let sheets = parse(bytes, declaration, into: &entry.diagnostics) {
                    var part = DataSet()
                    part.add(sheets, declaration, into: &entry.diagnostics)
                    entry.part = part
                }
                next.parsed += 1
            }
            next.entries[declaration.file] = entry
            diagnostics += entry.diagnostics
            set.national = set.national ?? entry.part.national
            set.states = set.states ?? entry.part.states
            set.projections = set.projections ?? entry.part.projections
        }
        for file in memo.entries.keys where next.entries[file] == nil { next.parsed += 1 }
        return (set, diagnostics, next)
    }

    static func readBytes(_ declaration: DataDeclaration, _ siteFiles: SiteFiles, into diagnostics: inout [Diagnostic]) -> Data? {
        if let outside = siteFiles.checkInside(declaration.file) {
            diagnostics.append(outside)
            return nil
        }
        switch FileReader.read(siteFiles.root + "/" + declaration.file, maximumBytes: maximumFileBytes) {
        case let .success(data):
            return data
        case let .failure(failure) where failure.isMissing:
            diagnostics.append(.error(.dataFile, at: declaration.location, "\(declaration.file) does not exist",
                                      hint: "put the file BLS publishes at \(declaration.file), or correct `file:`"))
        case let .failure(failure):
            let reason = failure.size.map { "it has \($0) bytes, more than the \(maximumFileBytes) a data file may have" } ?? failure.reason
            diagnostics.append(.error(.dataFile, at: declaration.location, "cannot read \(declaration.file): \(reason)",
                                      hint: failure.size == nil ? failure.hint : "keep the file as BLS publishes it; a state file is a few megabytes"))
        }
        return nil
    }

    static func parse(_ bytes: Data, _ declaration: DataDeclaration, into diagnostics: inout [Diagnostic]) -> [Table]? {
        do throws(TableError) {
            if declaration.file.lowercased().hasSuffix(".csv") { return [try CSVReader.read(Array(bytes))] }
            return try XLSXReader.read(Array(bytes))
        } catch {
            diagnostics.append(.error(.dataFile, at: declaration.location(row: error.row, column: error.column),
                                      error.message, hint: error.hint))
            return nil
        }
    }

    mutating func add(_ sheets: [Table], _ declaration: DataDeclaration, into diagnostics: inout [Diagnostic]) {
        switch declaration.kind {
        case .oewsNational:
            guard let table = OEWSTable.read(sheets, declaration: declaration, into: &diagnostics) else { return }
            // An occupation published only at its broad level has two rows, `broad` and `detailed`, with the same figures;
            // the detailed one is the occupation's.
            var byCode: [String: Int] = [:]
            for (index, row) in table.rows.enumerated() {
                if let first = byCode[row.code] {
                    let kept = table.rows[first]
                    if kept.group != row.group {
                        if row.group == "detailed" { byCode[row.code] = index }
                        continue
                    }
                    diagnostics.append(.error(.dataValue, at: declaration.location(row: row.row),
                                              "\(row.code) has a second \(row.group.isEmpty ? "" : row.group + " ")row (the first is row \(kept.row))",
                                              hint: "a national file has one row per occupation; use the file as BLS publishes it"))
                    continue
                }
                byCode[row.code] = index
            }
            national = National(declaration: declaration, table: table, byCode: byCode)
        case .oewsState:
            guard let table = OEWSTable.read(sheets, declaration: declaration, into: &diagnostics) else { return }
            var byCode: [String: [Int]] = [:]
            for (index, row) in table.rows.enumerated() { byCode[row.code, default: []].append(index) }
            states = States(declaration: declaration, table: table, byCode: byCode)
        case .epOccupations:
            guard let table = ProjectionTable.read(sheets, declaration: declaration, into: &diagnostics) else { return }
            var byCode: [String: Int] = [:]
            for (index, row) in table.rows.enumerated() where byCode[row.code] == nil { byCode[row.code] = index }
            projections = Projections(declaration: declaration, table: table, byCode: byCode)
        }
    }

    /// The national row of `code`, else of the smallest group the file has that holds it (broad, minor, major).
    public func nationalRow(_ code: String) -> (row: OEWSTable.Row, broader: Bool)? {
        guard let national else { return nil }
        for (candidate, broader) in Self.groups(of: code) {
            if let index = national.byCode[candidate] { return (national.table.rows[index], broader) }
        }
        return nil
    }

    public func projectionRow(_ code: String) -> ProjectionTable.Row? {
        projections.flatMap { set in set.byCode[code].map { set.table.rows[$0] } }
    }

    public func stateRows(_ code: String) -> [OEWSTable.Row] {
        guard let states else { return [] }
        return (states.byCode[code] ?? []).map { states.table.rows[$0] }
    }

    /// The header text of a column of the file of `kind`, for messages and `explain figures`.
    func header(of kind: DataDeclaration.Kind, column: Int) -> String {
        let headers: [String]
        switch kind {
        case .oewsNational: headers = national?.table.headers ?? []
        case .oewsState: headers = states?.table.headers ?? []
        case .epOccupations: headers = projections?.table.headers ?? []
        }
        return column < headers.count ? headers[column] : ""
    }

    /// A SOC code and the groups that hold it, smallest first: 15-1252, 15-1250 (broad), 15-1200 (minor), 15-0000 (major).
    static func groups(of code: String) -> [(String, Bool)] {
        let prefix = String(code.prefix(7))
        var codes = [(prefix, false)]
        let chars = Array(prefix)
        guard chars.count == 7 else { return codes }
        let broad = String(chars[0..<6]) + "0", minor = String(chars[0..<5]) + "00", major = String(chars[0..<3]) + "0000"
        for candidate in [broad, minor, major] where !codes.contains(where: { $0.0 == candidate }) { codes.append((candidate, true)) }
        return codes
    }
}

/// What a data read keeps for the next: each file's bytes and what was read from them, so an unchanged file is
/// not parsed again.
public struct DataMemo: Sendable {
    struct Entry: Sendable {
        var bytes: Data
        var declaration: DataDeclaration
        var part = DataSet()
        var diagnostics: [Diagnostic] = []
    }

    var entries: [String: Entry] = [:]
    /// Files the last read parsed anew (or added or dropped): when 0, the data is what the memo's read had.
    public internal(set) var parsed = 0

    public init() {}
}
