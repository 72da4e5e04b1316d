import Diagnostics
import Foundation
import Yams

/// Reads typed values out of a composed YAML tree, recording a diagnostic
/// at the value's `file:line:column` for each thing that is wrong.
struct YAMLReader {
    let file: String
    /// File line of the YAML text's first line.
    let firstLine: Int
    var diagnostics: [Diagnostic] = []
    /// Unknown keys reported so far: past the number a file's list shows, no "did you mean" is looked for.
    private var unknownKeys = 0

    init(file: String, firstLine: Int) {
        self.file = file
        self.firstLine = firstLine
    }

    func location(_ node: YAMLNode?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: file, line: firstLine) }
        return SourceLocation(file: file, line: firstLine + mark.line - 1, column: mark.column)
    }

    mutating func error(_ node: YAMLNode?, _ code: Diagnostic.Code, _ message: String, hint: String) {
        diagnostics.append(.error(code, at: location(node), message, hint: hint))
    }

    /// Values are read from the composed nodes here, never through Yams's constructor, so it needs none of its
    /// maps: one empty constructor is shared (`Constructor.default` makes three new dictionaries on each use).
    /// It is never changed after it is made, so sharing it between threads is safe.
    nonisolated(unsafe) private static let constructor = Constructor([:], [:], [:])

    /// Parses YAML text, reporting a syntax error at its position, and each value that holds a control
    /// character or a noncharacter (most can only be written as escapes: libyaml refuses them as they are).
    mutating func compose(_ text: String) -> YAMLNode? {
        guard let node = composeTree(text) else { return nil }
        for (mark, character) in node.forbiddenCharacters() {
            let code = String(character.value, radix: 16, uppercase: true)
            let name = character.value == 0 ? "a NUL character" : (character.properties.generalCategory == .control ? "a control character" : "a noncharacter")
            diagnostics.append(.error(.controlCharacter,
                at: SourceLocation(file: file, line: firstLine + mark.line - 1, column: mark.column),
                "this value holds \(name) (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code))",
                hint: "remove it (in quoted text it may be an escape like \\x01, \\u0001, \\0 or \\e); pages, feeds and link previews cannot show it"))
        }
        return node
    }

    private mutating func composeTree(_ text: String) -> YAMLNode? {
        switch YAMLNode.compose(text) {
        case let .node(node): return node
        case .empty: return nil
        case .unsupported:
            // Before Yams composes (and before its aliases are copied into a tree): a document whose
            // aliases expand without bound is refused at the alias that passes the limit.
            if let expansion = YAMLNode.aliasExpansion(text) {
                diagnostics.append(.error(.aliasLimit,
                      at: SourceLocation(file: file, line: firstLine + expansion.mark.line - 1, column: expansion.mark.column),
                      "with this alias, aliases copy \(expansion.nodes) values; at most \(YAMLNode.maximumAliasNodes) are allowed (an alias of a list of aliases multiplies)",
                      hint: "write the values out instead of repeating them through anchors (&name) and aliases (*name), or nest fewer aliases of aliases"))
                return nil
            }
            return composeWithYams(text).map(YAMLNode.init)
        }
    }

    /// What `YAMLNode.compose` leaves to Yams: the forms it does not compose, and every error.
    private mutating func composeWithYams(_ text: String) -> Node? {
        do {
            // Scalars are read as text and typed here (numbers, booleans, dates), so the basic resolver is enough
            // and skips libyaml tag resolution by regular expression, the slowest part of loading.
            return try Yams.compose(yaml: text, .basic, Self.constructor, .utf8)
        } catch let error as YamlError {
            var line = firstLine
            var column: Int?
            var problem = "\(error)"
            switch error {
            case let .scanner(_, message, mark, _), let .parser(_, message, mark, _), let .composer(_, message, mark, _):
                line = firstLine + mark.line - 1
                column = mark.column
                problem = message
            case let .duplicatedKeysInMapping(duplicates, context):
                let key = duplicates.sorted().first ?? ""
                let place = Self.secondOccurrence(of: key, in: text, from: context.mark.line)
                    ?? (line: context.mark.line, column: context.mark.column)
                diagnostics.append(.error(.duplicateKey,
                    at: SourceLocation(file: file, line: firstLine + place.line - 1, column: place.column),
                    "`\(key)` appears twice in the same mapping",
                    hint: "keep one of them; YAML keys must be unique"
                ))
                return nil
            default:
                break
            }
            diagnostics.append(.error(.yamlSyntax,
                at: SourceLocation(file: file, line: line, column: column),
                "invalid YAML: \(problem)",
                hint: "check indentation and quoting; quote values that contain ': ' or start with '[', '{', '*' or '#'"
            ))
            return nil
        } catch {
            diagnostics.append(.error(.yamlSyntax, at: SourceLocation(file: file, line: firstLine), "invalid YAML: \(error)",
                                      hint: "check indentation and quoting of the front matter"))
            return nil
        }
    }

    /// Where `key:` starts a line for the second time at the indentation of its first time,
    /// from line `start` on (1-based, in `text`). Block mappings only; nil otherwise.
    static func secondOccurrence(of key: String, in text: String, from start: Int) -> (line: Int, column: Int)? {
        var firstIndent: Int?
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where offset + 1 >= start {
            var rest = line[...]
            var indent = 0
            while rest.first == " " || rest.first == "-" {
                rest = rest.dropFirst()
                indent += 1
            }
            for quote in ["", "\"", "'"] where rest.hasPrefix(quote + key + quote) {
                let after = rest.dropFirst(quote.count * 2 + key.count).drop { $0 == " " }
                guard after.hasPrefix(":") else { continue }
                if let firstIndent {
                    if indent == firstIndent { return (offset + 1, indent + 1) }
                } else {
                    firstIndent = indent
                }
            }
        }
        return nil
    }

    /// The key/value pairs of a mapping; unknown keys are errors that suggest the nearest known key.
    mutating func fields(_ node: YAMLNode, of what: String, allowed: [String]) -> [String: YAMLNode] {
        guard case let .mapping(pairs) = node.value else {
            error(node, .notAMapping, "\(what) must be a mapping of `key: value` lines", hint: "write one `key: value` per line, indented under its parent")
            return [:]
        }
        var result: [String: YAMLNode] = [:]
        for pair in pairs {
            let keyNode = pair.key, value = pair.value
            guard let key = keyNode.string else {
                error(keyNode, .wrongType, "keys in \(what) must be plain names", hint: "use a name like `title`, not a list or mapping")
                continue
            }
            if result[key] != nil {
                error(keyNode, .duplicateKey, "`\(key)` appears twice in \(what)", hint: "keep one of them")
                continue
            }
            if !allowed.contains(key) {
                // Only the first few of a file's unknown keys are shown (`Diagnostic.limitedPerCode`).
                unknownKeys += 1
                let suggestion = unknownKeys > Diagnostic.shownOfOneKind ? nil : Suggestion.nearest(to: key, among: allowed)
                error(keyNode, .unknownKey, "unknown key `\(key)` in \(what)",
                      hint: "\(suggestion.map { "did you mean `\($0)`? " } ?? "")known keys: \(allowed.joined(separator: ", "))")
                continue
            }
            result[key] = value
        }
        return result
    }

    mutating func string(_ node: YAMLNode?, _ field: String, required: Bool = false) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            error(node, .wrongType, "`\(field)` must be text, not a \(kindName(node))", hint: "write it on one line after `\(field): `, in quotes if it holds `: ` or starts with [ { * # &")
            return nil
        }
        if node.tag.isEmpty, scalar.isPlain, scalar.string == "~" || scalar.string == "null" || scalar.string.isEmpty {
            if required { error(node, .emptyValue, "`\(field)` must not be empty", hint: "give it a value, or remove the line") }
            return nil
        }
        let value = scalar.string.trimmingBlanks()
        if required, value.isEmpty {
            error(node, .emptyValue, "`\(field)` must not be empty", hint: "give it a value, or remove the line")
            return nil
        }
        return value
    }

    mutating func bool(_ node: YAMLNode?, _ field: String) -> Bool? {
        guard let node else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error(node, .wrongType, "`\(field)` must be true or false", hint: "write \(field): true or \(field): false")
            return nil
        }
    }

    /// The largest figure front matter may hold: a trillion (pay in any currency, job counts)
    /// keeps every later step (formatting, charts, JSON) exact and far from overflow.
    static let maximumNumber = 1e12

    mutating func number(_ node: YAMLNode?, _ field: String, positive: Bool = true, minimum: Double? = nil, maximum: Double = YAMLReader.maximumNumber) -> Double? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let value = Double(text.contains("_") ? text.replacingOccurrences(of: "_", with: "") : text), value.isFinite else {
            error(node, .wrongType, "`\(field)` must be a number", hint: "write digits only, like 85000 (no currency sign or thousands separator)")
            return nil
        }
        if let minimum {
            if value < minimum {
                error(node, .outOfRange, "`\(field)` must be \(minimum == minimum.rounded() ? String(Int(minimum)) : String(minimum)) or more, not \(text)", hint: "a percent change is written as a number like 15 or -3.5")
                return nil
            }
        } else if positive ? value <= 0 : value < 0 {
            error(node, .outOfRange, "`\(field)` must be \(positive ? "greater than 0" : "0 or more"), not \(text)", hint: "write the figure in plain units, like 85000")
            return nil
        }
        if value > maximum {
            let limit = maximum == YAMLReader.maximumNumber ? "1000000000000 (a trillion)" : "\(Int(maximum))"
            error(node, .outOfRange, "`\(field)` is too large: \(text); at most \(limit)",
                  hint: "check for extra digits or an exponent; figures are written in plain units, like 85000")
            return nil
        }
        return value
    }

    /// A whole number in `range`.
    mutating func integer(_ node: YAMLNode?, _ field: String, in range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let value = Int(text), range.contains(value) else {
            error(node, .outOfRange, "`\(field)` must be a whole number from \(range.lowerBound) to \(range.upperBound), not `\(node.scalar?.string ?? "a list or mapping")`",
                  hint: "for example \(field): \(range.lowerBound + (range.upperBound - range.lowerBound) / 10)")
            return nil
        }
        return value
    }

    /// A date written `YYYY-MM-DD`.
    mutating func date(_ node: YAMLNode?, _ field: String) -> String? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, isDate(text) else {
            error(node, .invalidValue, "`\(field)` must be a date written YYYY-MM-DD", hint: "for example \(field): 2025-03-31")
            return nil
        }
        return text
    }

    /// A list of strings; a single string is taken as a list of one.
    mutating func strings(_ node: YAMLNode?, _ field: String) -> [Located<String>] {
        guard let node else { return [] }
        let items: [YAMLNode]
        switch node.value {
        case let .sequence(sequence): items = sequence
        case .scalar:
            if let value = string(node, field) { return [Located(value, at: location(node))] }
            return []
        default:
            error(node, .wrongType, "`\(field)` must be a list, like [a, b]", hint: "write \(field): [first, second], or one item per line starting with '- '")
            return []
        }
        var result: [Located<String>] = []
        for item in items {
            if let value = string(item, field, required: true) {
                result.append(Located(value, at: location(item)))
            }
        }
        return result
    }

    mutating func list(_ node: YAMLNode?, _ field: String) -> [YAMLNode] {
        guard let node else { return [] }
        guard case let .sequence(sequence) = node.value else {
            error(node, .wrongType, "`\(field)` must be a list (lines starting with '- ')", hint: "put each item on its own line, indented, starting with '- '")
            return []
        }
        return sequence
    }

    private func kindName(_ node: YAMLNode) -> String {
        switch node.value {
        case .mapping: "mapping"
        case .sequence: "list"
        case .scalar: "value"
        }
    }
}

func isDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
          let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
          (1...12).contains(month), day >= 1 else { return false }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return day <= days
}

extension String {
    /// Without leading and trailing spaces and tabs; cheap when there are none.
    func trimmingBlanks() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        if !blank(first), !blank(last) { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}
