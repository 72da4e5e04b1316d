import Content
import Diagnostics
import Foundation
import Markdown
import Mustache
import Synchronization

/// A theme: Mustache templates (parsed once) and static assets.
///
/// The default theme is built into the binary; a site overrides any of its files
/// by putting a file at the same path under `themes/NAME/` in the site folder.
public struct Theme: Sendable {
    public let name: String
    let library: MustacheLibrary
    /// The templates as programs (`TemplateProgram`): nil for one the library alone renders.
    let programs: [String: TemplateProgram?]
    /// Tells these programs from any other theme's, for the copies threads keep (`threadPrograms`).
    private let generation: Int
    /// Asset files copied to the output root, by path (`style.css`).
    public let assets: [String: Data]
    /// Every file the theme was made from, by path: two themes with the same files render alike.
    public let files: [String: Data]
    /// Renders that went past their bound (see `programRender`).
    let overflows = OverflowLog()

    /// Files every theme must provide (from the site, or from the built-in default).
    static let requiredTemplates = ["base", "header", "footer", "card", "role", "salary", "faq", "guide", "page", "list", "home", "404"]

    public var assetPaths: [String] { assets.keys.sorted() }

    /// Loads `themes/NAME/` from the site folder over the built-in default theme.
    /// Its files are listed like the site's own: nothing outside the site folder is read.
    /// - Parameter previous: the theme an earlier load made; returned as it is when the files are
    ///   the same (the preview loads the theme on every save: its templates are parsed once).
    public static func load(name: String, siteDirectory: String, reusing previous: Theme? = nil) -> (Theme?, [Diagnostic]) {
        var files: [String: (data: Data, source: String)] = [:]
        for (path, data) in EmbeddedTheme.files { files[path] = (data, "(built-in theme)/\(path)") }
        let folder = "themes/\(name)"
        let siteFiles = SiteFiles(siteDirectory: siteDirectory)
        var isDirectory: ObjCBool = false
        let hasOwn = siteFiles.map { FileManager.default.fileExists(atPath: $0.root + "/" + folder, isDirectory: &isDirectory) } == true && isDirectory.boolValue
        if !hasOwn, name != "default" {
            return (nil, [.error(.themeNotFound, at: SourceLocation(file: "guidegen.yml"), "theme `\(name)` not found",
                                 hint: "create themes/\(name)/ in the site folder, or use theme: default")])
        }
        guard let siteFiles else { return build(name: name, files: files, reusing: previous) }
        let listing = siteFiles.list(folder)
        var diagnostics = listing.diagnostics
        for path in listing.files {
            let data: Data
            switch FileReader.read(siteFiles.root + "/" + folder + "/" + path) {
            case let .success(bytes): data = bytes
            case let .failure(failure):
                diagnostics.append(.error(.unreadableFile, at: SourceLocation(file: folder + "/" + path), "cannot read this file: \(failure.reason)",
                                          hint: failure.hint))
                continue
            }
            files[path] = (data, folder + "/" + path)
        }
        let (theme, themeDiagnostics) = build(name: name, files: files, reusing: previous)
        diagnostics += themeDiagnostics
        return (diagnostics.contains { $0.severity == .error } ? nil : theme, diagnostics)
    }

    /// A theme from files in memory, keyed by path inside the theme (`templates/role.mustache`).
    static func build(name: String, files: [String: (data: Data, source: String)], reusing previous: Theme? = nil) -> (Theme?, [Diagnostic]) {
        // A theme with errors is never made, so the previous one had none.
        if let previous, previous.name == name, previous.files.count == files.count,
           files.allSatisfy({ previous.files[$0.key] == $0.value.data }) {
            return (previous, [])
        }
        _ = escaping
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        var programs: [String: TemplateProgram?] = [:]
        var assets: [String: Data] = [:]
        var outlines: [String: TemplateOutline] = [:]
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            if let templateName = templateName(of: path) {
                // Its nesting is bounded before anything recursive reads it.
                let outline = TemplateOutline(String(decoding: file.data, as: UTF8.self), limit: TemplateLimits.nesting)
                if let excess = outline.excess {
                    diagnostics.append(nestingError(excess, source: file.source))
                    continue
                }
                outlines[templateName] = outline
                // Every template escapes with guidegen's HTML escaper (see `escaping`): same output as
                // swift-mustache's, without its per-character dictionary lookups. Kept on line 1, so error lines stay right.
                let text = escapingPragma + String(decoding: file.data, as: UTF8.self)
                do {
                    let template = try MustacheTemplate(string: text)
                    library.register(template, named: templateName)
                    programs[templateName] = .some(TemplateProgram.compile(template))
                } catch let error as MustacheTemplate.ParserError {
                    diagnostics.append(.error(.template,
                        at: SourceLocation(file: file.source, line: error.context.lineNumber,
                                           column: error.context.lineNumber == 1 ? max(1, error.context.columnNumber - escapingPragma.count) : error.context.columnNumber),
                        "template error: \(error.error)",
                        hint: "check that every {{#section}} and {{$block}} is closed with {{/name}}"
                    ))
                } catch {
                    diagnostics.append(.error(.template, at: SourceLocation(file: file.source), "template error: \(error)",
                                              hint: "check the template's {{...}} tags against the Mustache syntax"))
                }
            } else if path.hasPrefix("static/") {
                assets[String(path.dropFirst("static/".count))] = file.data
            }
        }
        // swift-mustache renders a missing partial as nothing; here it is an error at its tag.
        // A template that nests too deep is not read again: its error is enough.
        let readable = files.filter { path, _ in templateName(of: path).map { outlines[$0] != nil } ?? true }
        for (path, file) in readable.sorted(by: { $0.key < $1.key }) where templateName(of: path) != nil {
            for reference in partialReferences(in: file.data) where files["templates/\(reference.name).mustache"] == nil {
                diagnostics.append(.error(.template,
                    at: SourceLocation(file: file.source, line: reference.line, column: reference.column),
                    "template error: the partial `\(reference.name)` does not exist",
                    hint: "add templates/\(reference.name).mustache to the theme, or fix the name; templates are: "
                        + files.keys.compactMap(templateName(of:)).sorted().joined(separator: ", ")
                ))
            }
        }
        diagnostics += includeCycles(files: readable, programs: programs)
        // Only over templates that all parsed, and include no loop.
        if !diagnostics.contains(where: { $0.severity == .error }) {
            diagnostics += expansionErrors(outlines: outlines, sources: Dictionary(uniqueKeysWithValues: files.compactMap { path, file in
                templateName(of: path).map { ($0, file.source) }
            }))
        }
        for required in requiredTemplates where library.getTemplate(named: required) == nil && !diagnostics.contains(where: { $0.location.file.hasSuffix("\(required).mustache") }) {
            diagnostics.append(.error(.missingTemplate, at: SourceLocation(file: "themes/\(name)/templates/\(required).mustache"),
                                      "the theme has no `\(required)` template", hint: "add templates/\(required).mustache to the theme"))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (Theme(name: name, library: library, programs: programs, assets: assets, files: files.mapValues(\.data)), diagnostics)
    }

    /// `templates/role.mustache` -> `role`; nil for a file that is not a template.
    static func templateName(of path: String) -> String? {
        guard path.hasPrefix("templates/"), path.hasSuffix(".mustache") else { return nil }
        return String(path.dropFirst("templates/".count).dropLast(".mustache".count))
    }

    /// A template that includes itself, directly or through others, would be rendered inside itself
    /// without end (the build would run out of stack): an error at its tag that starts the loop.
    /// Includes are read from the programs (as the library parsed them), from the text for a template
    /// without one. A loop could only end if a section's value ran out on the way down, and no value
    /// guidegen gives templates nests like that.
    static func includeCycles(files: [String: (data: Data, source: String)], programs: [String: TemplateProgram?]) -> [Diagnostic] {
        var includes: [String: [String]] = [:]
        for (path, file) in files {
            guard let name = templateName(of: path) else { continue }
            includes[name] = programs[name].flatMap { $0?.partials.sorted() } ?? partialReferences(in: file.data).map(\.name)
        }
        var diagnostics: [Diagnostic] = []
        for name in includes.keys.sorted() {
            // The shortest way back to `name`, breadth first.
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
            guard cameFrom[name] != nil else { continue }
            var loop = [name]
            var step = cameFrom[name]!
            while step != name {
                loop.append(step)
                step = cameFrom[step]!
            }
            loop.append(name)
            loop.reverse()
            let first = loop[1]
            let file = files["templates/\(name).mustache"]!
            let tag = partialReferences(in: file.data).first { $0.name == first }
            diagnostics.append(.error(.template, at: SourceLocation(file: file.source, line: tag?.line, column: tag?.column),
                                      "template error: `\(name)` includes itself (\(loop.joined(separator: " -> "))), so it would never end",
                                      hint: "remove the {{>\(first)}} tag, or include a template that does not lead back to `\(name)`"))
        }
        return diagnostics
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

    static let escapingPragma = "{{% CONTENT_TYPE: GUIDEGEN_HTML}}"

    /// Registers the escaper once, before any template is parsed (the pragma is resolved while parsing).
    private static let escaping: Void = MustacheContentTypes.register(FastHTMLEscaping(), named: "GUIDEGEN_HTML")

    private init(name: String, library: MustacheLibrary, programs: [String: TemplateProgram?], assets: [String: Data], files: [String: Data]) {
        self.name = name
        self.library = library
        self.programs = programs
        generation = Self.generations.add(1, ordering: .relaxed).newValue
        self.assets = assets
        self.files = files
    }

    func render(_ context: View, template: String) -> String {
        programRender(context, template: template) ?? libraryRender(context, template: template)
    }

    /// The template's program over `context`; nil when the template has none or its run stopped at what only the
    /// library renders. A run past `TemplateRun.maximumBytes` or `maximumDepth` gives nothing and is logged in
    /// `overflows` (the library, which has no such bounds, does not get it).
    func programRender(_ context: View, template: String) -> String? {
        let programs = threadPrograms
        guard let found = programs[template], let program = found else { return nil }
        var run = TemplateRun(programs: programs)
        do {
            return try run.render(program, view: context)
        } catch {
            guard error.pastBound else { return nil }
            overflows.record(template)
            return ""
        }
    }

    /// The templates whose render went past its bounds, as errors at their files (each once), and
    /// forgotten: a build asks after writing its pages and before it swaps the new site in.
    public func takeOverflows() -> [Diagnostic] {
        overflows.take().map { template in
            .error(.templateSize, at: SourceLocation(file: "themes/\(name)/templates/\(template).mustache"),
                   "rendering `\(template)` produced more than \(TemplateRun.maximumBytes >> 20) MiB for one page, or nested templates more than "
                   + "\(TemplateRun.maximumDepth) deep, so the build stopped",
                   hint: "sections over lists nested in each other multiply the page (each list repeats everything inside it): render the inner "
                   + "list once, outside the outer section; a block whose override includes the template that declares it repeats without end")
        }
    }

    /// What `takeOverflows` reports, from any thread.
    final class OverflowLog: Sendable {
        private let templates = Mutex<Set<String>>([])

        func record(_ template: String) {
            templates.withLock { _ = $0.insert(template) }
        }

        func take() -> [String] {
            templates.withLock { taken in
                defer { taken = [] }
                return taken.sorted()
            }
        }
    }

    /// The programs as this thread's own copy, made on its first render with this theme. A run
    /// retains every step it reads; with one copy for all threads, the cores took turns at the
    /// steps' reference counts (see `ThreadLocal`).
    private var threadPrograms: [String: TemplateProgram?] {
        guard Self.threadCopy.isAvailable else { return programs }
        if let copy = Self.threadCopy.value, copy.generation == generation { return copy.programs }
        let copy = ProgramsCopy(generation: generation, programs: Dictionary(uniqueKeysWithValues: programs.map { ($0.key.copied(), $0.value?.copied()) }))
        Self.threadCopy.value = copy
        return copy.programs
    }

    private final class ProgramsCopy {
        let generation: Int
        let programs: [String: TemplateProgram?]

        init(generation: Int, programs: [String: TemplateProgram?]) {
            self.generation = generation
            self.programs = programs
        }
    }

    private static let threadCopy = ThreadLocal<ProgramsCopy>()
    private static let generations = Atomic<Int>(0)

    /// The template rendered by swift-mustache.
    func libraryRender(_ context: View, template: String) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    /// This theme rendered by swift-mustache alone, or (`programsOnly`) by the programs alone, with
    /// nothing where a run stops: for tests that render a whole site both ways.
    func withoutPrograms() -> Theme {
        Theme(name: name, library: library, programs: [:], assets: assets, files: files)
    }

    func programsOnly() -> Theme {
        Theme(name: name, library: MustacheLibrary(), programs: programs, assets: assets, files: files)
    }
}

/// HTML escaping of `& < > " '` that returns the text untouched when it has none of them.
struct FastHTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        HTMLEscaping.text(text)
    }
}
