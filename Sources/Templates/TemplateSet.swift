import Concurrency
import Diagnostics
import Foundation
import Markdown
import Mustache
import Synchronization

/// A theme's Mustache templates, parsed once, checked, and rendered over `View`s.
///
/// Two engines render them. swift-mustache parses every template (its syntax, whitespace rules and
/// errors) and renders what the other cannot; `TemplateProgram` is the same template read out of the
/// library's parse and run (`TemplateRun`) straight over views, which is most of a page's render time
/// saved. Before either reads a template, `TemplateOutline` bounds how deep it nests and how large it
/// grows with its partials (`TemplateLimits`), and a run stops past 64 MiB or 256 nested templates.
///
/// What a swift-mustache update may break: `TemplateProgram.compile` reads the library's private
/// parsed tokens by reflection (`Mirror`: the `tokens` of a `MustacheTemplate`, the cases and payloads
/// of its token enum), and `TemplateRun` repeats the library's rendering rules (context stack, list
/// positions, partial indentation, blocks, content types); `TemplateOutline` reads tags as the
/// library's parser does. A renamed token, a new case or a changed rule makes pages differ from what
/// the library prints, or leaves every template to the library (slower, still right). Package.swift
/// pins the library to the minor release this was written for. The contract is `TemplateProgramTests`:
/// it renders thousands of random templates over random views both ways, and fails on the first
/// difference and on a template left without a program. `ViewTests` compares views with the
/// library's own types, and `TemplateLimitsTests` checks that templates past the bounds are refused
/// at the tag that goes past them (the outline reads delimiters, comments and names as the parser does).
public struct TemplateSet: Sendable {
    let library: MustacheLibrary
    /// The templates as programs: nil for one the library alone renders.
    let programs: [String: TemplateProgram?]
    /// Tells these programs from any other set's, for the copies threads keep (`threadPrograms`).
    private let generation: Int
    /// Renders that went past their bound (see `programRender`).
    let overflows = OverflowLog()

    /// The templates, each with its name (`role`) and where its errors are reported, in the order they are
    /// parsed and checked. Every template escapes with guidegen's HTML escaper (`escapingPragma`). The
    /// diagnostics are the templates' errors: one that nests too deep or does not parse, an include of a
    /// template that does not exist, a template that includes itself, or one that grows past the limits.
    /// With errors, the set holds the templates that parsed (`contains`) and is not meant for rendering.
    public static func build(_ templates: [(name: String, data: Data, source: String)]) -> (TemplateSet, [Diagnostic]) {
        _ = escaping
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        var programs: [String: TemplateProgram?] = [:]
        var outlines: [String: TemplateOutline] = [:]
        for template in templates {
            // Its nesting is bounded before anything recursive reads it.
            let outline = TemplateOutline(String(decoding: template.data, as: UTF8.self), limit: TemplateLimits.nesting)
            if let excess = outline.excess {
                diagnostics.append(nestingError(excess, source: template.source))
                continue
            }
            outlines[template.name] = outline
            if let parsed = parse(template, diagnostics: &diagnostics) {
                library.register(parsed, named: template.name)
                programs[template.name] = .some(TemplateProgram.compile(parsed))
            }
        }
        // A template that nests too deep is not read again: its error is enough.
        let readable = templates.filter { outlines[$0.name] != nil }
        diagnostics += missingPartials(readable, names: templates.map(\.name))
        diagnostics += includeCycles(readable, programs: programs)
        // Only over templates that all parsed, and include no loop.
        if !diagnostics.contains(where: { $0.severity == .error }) {
            diagnostics += expansionErrors(outlines: outlines, sources: Dictionary(templates.map { ($0.name, $0.source) }) { first, _ in first })
        }
        return (TemplateSet(library: library, programs: programs), diagnostics)
    }

    /// swift-mustache's parse of a template, or nil with its error added to `diagnostics`.
    private static func parse(_ template: (name: String, data: Data, source: String), diagnostics: inout [Diagnostic]) -> MustacheTemplate? {
        // Every template escapes with guidegen's HTML escaper (see `escaping`): same output as
        // swift-mustache's, without its per-character dictionary lookups. Kept on line 1, so error lines stay right.
        let text = escapingPragma + String(decoding: template.data, as: UTF8.self)
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            diagnostics.append(.error(.template,
                at: SourceLocation(file: template.source, line: error.context.lineNumber,
                                   column: error.context.lineNumber == 1 ? max(1, error.context.columnNumber - escapingPragma.count) : error.context.columnNumber),
                "template error: \(error.error)",
                hint: "check that every {{#section}} and {{$block}} is closed with {{/name}}"
            ))
        } catch {
            diagnostics.append(.error(.template, at: SourceLocation(file: template.source), "template error: \(error)",
                                      hint: "check the template's {{...}} tags against the Mustache syntax"))
        }
        return nil
    }

    /// Whether the library parsed a template of this name.
    public func contains(_ name: String) -> Bool {
        library.getTemplate(named: name) != nil
    }

    static let escapingPragma = "{{% CONTENT_TYPE: GUIDEGEN_HTML}}"

    /// Registers the escaper once, before any template is parsed (the pragma is resolved while parsing).
    private static let escaping: Void = MustacheContentTypes.register(FastHTMLEscaping(), named: "GUIDEGEN_HTML")

    private init(library: MustacheLibrary, programs: [String: TemplateProgram?]) {
        self.library = library
        self.programs = programs
        generation = Self.generations.add(1, ordering: .relaxed).newValue
    }

    /// `template` over `view`: by its program, or by the library where the program stops.
    public func render(_ view: View, template: String) -> String {
        programRender(view, template: template) ?? libraryRender(view, template: template)
    }

    /// The template's program over `view`; nil when the template has none or its run stopped at what only the
    /// library renders. A run past `TemplateRun.maximumBytes` or `maximumDepth` gives nothing and is logged in
    /// `overflows` (the library, which has no such bounds, does not get it).
    func programRender(_ view: View, template: String) -> String? {
        let programs = threadPrograms
        guard let found = programs[template], let program = found else { return nil }
        var run = TemplateRun(programs: programs)
        do {
            return try run.render(program, view: view)
        } catch {
            guard error.pastBound else { return nil }
            overflows.record(template)
            return ""
        }
    }

    /// The template rendered by swift-mustache.
    func libraryRender(_ view: View, template: String) -> String {
        library.render(view, withTemplate: template) ?? ""
    }

    /// The templates whose render went past its bounds, as errors at their files (`file` of a template's
    /// name, each once), and forgotten: a build asks after writing its pages and before it swaps the new
    /// site in.
    public func takeOverflows(file: (String) -> String) -> [Diagnostic] {
        overflows.take().map { template in
            .error(.templateSize, at: SourceLocation(file: file(template)),
                   "rendering `\(template)` produced more than \(TemplateRun.maximumBytes >> 20) MiB for one page, or nested templates more than "
                   + "\(TemplateRun.maximumDepth) deep, so the build stopped",
                   hint: "sections over lists nested in each other multiply the page (each list repeats everything inside it): render the inner "
                   + "list once, outside the outer section; a block whose override includes the template that declares it repeats without end")
        }
    }

    /// What `takeOverflows` reports, from any thread.
    final class OverflowLog: Sendable {
        private let templates = Locked<Set<String>>([])

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

    /// The programs as this thread's own copy, made on its first render with this set. A run
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

    /// These templates rendered by swift-mustache alone, or (`programsOnly`) by the programs alone, with
    /// nothing where a run stops: for tests that render a whole site both ways.
    public func withoutPrograms() -> TemplateSet {
        TemplateSet(library: library, programs: [:])
    }

    public func programsOnly() -> TemplateSet {
        TemplateSet(library: MustacheLibrary(), programs: programs)
    }
}

/// HTML escaping of `& < > " '` that returns the text untouched when it has none of them.
struct FastHTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        HTMLEscaping.text(text)
    }
}
