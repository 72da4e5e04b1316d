import Foundation
import JSONText

/// How diagnostics are printed: for people (`text`), as GitHub Actions workflow commands that a
/// CI log turns into annotations on the pull request (`github`), or as one JSON array (`json`).
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    case text, github, json

    /// The diagnostics, sorted and without repeats, in this format (ends with a newline unless empty;
    /// `json` is always one array).
    public func render(_ diagnostics: Diagnostics) -> String {
        let list = diagnostics.sorted
        switch self {
        case .text:
            return list.isEmpty ? "" : list.map(\.description).joined(separator: "\n") + "\n"
        case .github:
            return list.map(\.githubCommand).map { $0 + "\n" }.joined()
        case .json:
            return JSON.array(list.map(\.json)).text + "\n"
        }
    }
}

extension Diagnostic {
    /// `{"file": ..., "line": ..., "column": ..., "severity": ..., "code": ..., "message": ..., "hint": ...}`;
    /// a missing line, column or hint is null.
    public var json: JSON {
        .object([
            "file": .string(location.file),
            "line": location.line.map(JSON.int) ?? .null,
            "column": location.column.map(JSON.int) ?? .null,
            "severity": .string(severity.rawValue),
            "code": .string(code.rawValue),
            "message": .string(message),
            "hint": hint.map(JSON.string) ?? .null,
        ])
    }

    /// `::error file=F,line=L,col=C,title=CODE::message` (and the hint on a second line), escaped as
    /// GitHub's workflow commands require.
    public var githubCommand: String {
        func property(_ text: String) -> String {
            data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        func data(_ text: String) -> String {
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
        }
        var properties = ["file=" + property(location.file.terminalSafe)]
        if let line = location.line { properties.append("line=\(line)") }
        if let column = location.column { properties.append("col=\(column)") }
        properties.append("title=" + property(code.rawValue))
        let text = message.terminalSafe + (hint.map { "\nhint: " + $0.terminalSafe } ?? "")
        return "::\(severity == .error ? "error" : "warning") \(properties.joined(separator: ","))::\(data(text))"
    }
}

extension Diagnostics {
    /// For `--strict`: every warning becomes an error, with its code, place and hint.
    public func promotingWarnings() -> Diagnostics {
        Diagnostics(all.map { diagnostic in
            var promoted = diagnostic
            promoted.severity = .error
            return promoted
        })
    }

    /// `2 errors, 1 warning`.
    public var counts: String {
        func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }
        let list = sorted
        return count(list.filter { $0.severity == .error }.count, "error") + ", "
            + count(list.filter { $0.severity == .warning }.count, "warning")
    }
}
