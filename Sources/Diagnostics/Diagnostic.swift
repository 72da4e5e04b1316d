/// A place in a source file. Lines and columns start at 1; columns count UTF-8 bytes,
/// as cmark-gfm and libyaml report them.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        switch (line, column) {
        case let (line?, column?): return "\(file):\(line):\(column)"
        case let (line?, nil): return "\(file):\(line)"
        default: return file
        }
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.column ?? 0) < (rhs.file, rhs.line ?? 0, rhs.column ?? 0)
    }
}

/// Every problem a user sees: where, what is wrong, and what would fix it.
public struct Diagnostic: Sendable, Hashable, Comparable, CustomStringConvertible, Error {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var code: Code
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public init(_ severity: Severity, _ code: Code, at location: SourceLocation, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// Every error and warning has a code and says what would fix it.
    public static func error(_ code: Code, at location: SourceLocation, _ message: String, hint: String) -> Diagnostic {
        Diagnostic(.error, code, at: location, message, hint: hint)
    }

    public static func warning(_ code: Code, at location: SourceLocation, _ message: String, hint: String) -> Diagnostic {
        Diagnostic(.warning, code, at: location, message, hint: hint)
    }

    /// `file:line:column: error: message [code]` and, on the next line, the hint.
    /// What front matter or a file name put in it is escaped (`terminalSafe`): it goes to a terminal.
    public var description: String {
        var text = "\(location.description.terminalSafe): \(severity.rawValue): \(message.terminalSafe) [\(code)]"
        if let hint { text += "\n  hint: \(hint.terminalSafe)" }
        return text
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.location, lhs.message) < (rhs.location, rhs.message)
    }
}

/// Diagnostics of one run, kept in a stable order.
public struct Diagnostics: Sendable, Error, CustomStringConvertible {
    public private(set) var all: [Diagnostic] = []

    public init(_ diagnostics: [Diagnostic] = []) {
        all = diagnostics
    }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }

    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func append(contentsOf other: some Sequence<Diagnostic>) { all.append(contentsOf: other) }

    /// Sorted by file, line, column and message, without repeats.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.sorted().filter { seen.insert($0).inserted }
    }

    public var description: String { sorted.map(\.description).joined(separator: "\n") }
}

extension Diagnostic {
    /// How many diagnostics of one kind a list shows before it sums up the rest in one line.
    public static let shownOfOneKind = 10

    /// The first `shown` of `problems` and, when there are more, one diagnostic of the same severity and
    /// code at the first one left out, saying how many more there are (`more(count)`) with its hint.
    public static func limited(_ problems: [Diagnostic], shown: Int = shownOfOneKind, more: (Int) -> String) -> [Diagnostic] {
        guard problems.count > shown else { return problems }
        let next = problems[shown]
        return Array(problems.prefix(shown)) + [Diagnostic(next.severity, next.code, at: next.location, more(problems.count - shown), hint: next.hint)]
    }

    /// The problems of one file, at most `shown` of each code (the first in the file) and a line saying how
    /// many more of that code there are: one mistake repeated (a hundred thousand unknown keys) is not a
    /// hundred thousand lines.
    public static func limitedPerCode(_ problems: [Diagnostic], shown: Int = shownOfOneKind) -> [Diagnostic] {
        guard problems.count > shown else { return problems }
        var byCode: [Code: [Diagnostic]] = [:]
        for problem in problems { byCode[problem.code, default: []].append(problem) }
        guard byCode.values.contains(where: { $0.count > shown }) else { return problems }
        return byCode.keys.sorted().flatMap { code in
            limited(byCode[code]!.sorted(), shown: shown) { "... and \($0) more `\(code)` problems in this file" }
        }
    }
}
