import Diagnostics
import Foundation

/// The checks of what templates include (`{{>name}}`, `{{<name}}`): every include names a template of
/// the set, and no template includes itself.
extension TemplateSet {
    /// swift-mustache renders a missing partial as nothing; here it is an error at its tag. `names` are
    /// every template's, for the hint.
    static func missingPartials(_ templates: [(name: String, data: Data, source: String)], names: [String]) -> [Diagnostic] {
        let known = Set(names)
        var diagnostics: [Diagnostic] = []
        for template in templates {
            for reference in partialReferences(in: template.data) where !known.contains(reference.name) {
                diagnostics.append(.error(.template,
                    at: SourceLocation(file: template.source, line: reference.line, column: reference.column),
                    "template error: the partial `\(reference.name)` does not exist",
                    hint: "add templates/\(reference.name).mustache to the theme, or fix the name; templates are: "
                        + names.sorted().joined(separator: ", ")
                ))
            }
        }
        return diagnostics
    }

    /// A template that includes itself, directly or through others, would be rendered inside itself
    /// without end (the build would run out of stack): an error at its tag that starts the loop.
    /// Includes are read from the programs (as the library parsed them), from the text for a template
    /// without one. A loop could only end if a section's value ran out on the way down, and no value
    /// guidegen gives templates nests like that.
    static func includeCycles(_ templates: [(name: String, data: Data, source: String)], programs: [String: TemplateProgram?]) -> [Diagnostic] {
        var includes: [String: [String]] = [:]
        var files: [String: (data: Data, source: String)] = [:]
        for template in templates {
            includes[template.name] = programs[template.name].flatMap { $0?.partials.sorted() } ?? partialReferences(in: template.data).map(\.name)
            files[template.name] = (template.data, template.source)
        }
        var diagnostics: [Diagnostic] = []
        for name in includes.keys.sorted() {
            guard let loop = shortestLoop(from: name, includes: includes) else { continue }
            let first = loop[1]
            let file = files[name]!
            let tag = partialReferences(in: file.data).first { $0.name == first }
            diagnostics.append(.error(.template, at: SourceLocation(file: file.source, line: tag?.line, column: tag?.column),
                                      "template error: `\(name)` includes itself (\(loop.joined(separator: " -> "))), so it would never end",
                                      hint: "remove the {{>\(first)}} tag, or include a template that does not lead back to `\(name)`"))
        }
        return diagnostics
    }

    /// The shortest way from `name` back to itself through `includes` (breadth first), both ends included;
    /// nil when there is none.
    private static func shortestLoop(from name: String, includes: [String: [String]]) -> [String]? {
        var cameFrom: [String: String] = [:]
        var queue: [String] = []
        for next in includes[name] ?? [] where cameFrom[next] == nil {
            cameFrom[next] = name
            queue.append(next)
        }
        var index = 0
        while cameFrom[name] == nil, index < queue.count {
            let current = queue[index]
            index += 1
            for next in includes[current] ?? [] where cameFrom[next] == nil {
                cameFrom[next] = current
                queue.append(next)
            }
        }
        guard cameFrom[name] != nil else { return nil }
        var loop = [name]
        var step = cameFrom[name]!
        while step != name {
            loop.append(step)
            step = cameFrom[step]!
        }
        loop.append(name)
        return loop.reversed()
    }

    /// The `{{> name}}` and `{{< name}}` tags of a template, with their places (dynamic `{{>*name}}` left out).
    static func partialReferences(in data: Data) -> [(name: String, line: Int, column: Int)] {
        let bytes = [UInt8](data)
        var result: [(name: String, line: Int, column: Int)] = []
        var line = 1
        var lineStart = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            } else if bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") {
                var cursor = index + 2
                while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ">") || bytes[cursor] == UInt8(ascii: "<") {
                    cursor += 1
                    while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                    var end = cursor
                    while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "}") && bytes[end + 1] == UInt8(ascii: "}")), bytes[end] != 0x0A { end += 1 }
                    let name = String(decoding: bytes[cursor..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty, !name.hasPrefix("*") {
                        result.append((name, line, index - lineStart + 1))
                    }
                    index = end
                    continue
                }
            }
            index += 1
        }
        return result
    }
}
