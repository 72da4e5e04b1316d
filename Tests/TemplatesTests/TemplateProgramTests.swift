import Foundation
import Mustache
import Testing
import TestSupport
@testable import Templates

/// `TemplateProgram` must print what swift-mustache prints, or stop and leave the page to it.
/// Random templates (every tag the library parses, standalone lines, partials with indentation,
/// inheritance, delimiters, transforms) over random views, rendered both ways.
@Suite struct TemplateProgramTests {
    static let names = ["a", "b", "flag", "off", "items", "tags", "n", "none", "empty", "a.b", "a.items", "items.a", ".", ".a", "a.b.c", "missing.a", "x"]
    static let transforms = ["first", "last", "count", "empty", "uppercased", "reversed", "plusone", "equalzero", "even", "sorted", "nope"]
    static let texts = ["", " ", "  ", "x", "<&\"'>", "\n", " \n", "\r\n", "é", "{ ", " }"]

    static func name(_ random: inout SplitMix64) -> String {
        let base = random.pick(names)
        switch random.below(10) {
        case 0: return "\(random.pick(transforms))(\(base))"
        case 1: return "\(random.pick(["first", "last", "index", "odd", "even", "nope"]))()"
        case 2: return "\(random.pick(transforms))(\(random.pick(transforms))(\(base)))"
        default: return base
        }
    }

    /// A template body; `partials` are the names it may include, `blocks` whether it may hold `{{$name}}`.
    static func body(_ random: inout SplitMix64, depth: Int, partials: [String], blocks: Bool) -> String {
        var text = ""
        for _ in 0..<random.below(depth > 2 ? 3 : 7) {
            let indent = random.chance(30) ? random.pick(["", " ", "  ", "\t"]) : ""
            let newline = random.chance(40) ? random.pick(["\n", "\r\n"]) : ""
            switch random.below(depth > 2 ? 5 : 12) {
            case 0, 1: text += random.pick(texts) + random.pick(texts)
            case 2: text += indent + "{{\(name(&random))}}" + newline
            case 3: text += indent + "{{{\(name(&random))}}}" + newline
            case 4: text += indent + "{{& \(name(&random)) }}" + newline
            case 5, 6:
                let sectionName = name(&random)
                let kind = random.pick(["#", "^"])
                text += indent + "{{\(kind)\(sectionName)}}" + newline
                text += body(&random, depth: depth + 1, partials: partials, blocks: blocks)
                text += (random.chance(50) ? indent : "") + "{{/\(sectionName)}}" + (random.chance(50) ? newline : "")
            case 7: text += indent + "{{! a comment }}" + newline
            case 8 where !partials.isEmpty: text += indent + "{{>\(random.pick(partials))}}" + newline
            case 9 where blocks:
                let block = random.pick(["main", "side"])
                text += indent + "{{$\(block)}}" + newline + body(&random, depth: depth + 1, partials: partials, blocks: false) + "{{/\(block)}}" + newline
            case 10: text += indent + "{{=<% %>=}}" + newline + "<%\(name(&random))%>" + "<%={{ }}=%>" + newline
            case 11: text += indent + "{{% CONTENT_TYPE: \(random.pick(["TEXT", "HTML", "GUIDEGEN_HTML"]))}}" + newline
            default: text += random.pick(texts)
            }
        }
        return text
    }

    static func value(_ random: inout SplitMix64, depth: Int) -> any Sendable {
        switch random.below(depth > 2 ? 5 : 9) {
        case 0: return random.pick(texts + ["a", "Fish & <Chips>"])
        case 1: return random.chance(50)
        case 2: return random.below(3)
        case 3: return random.chance(20) ? [TemplateText]() : TemplateText.list((0..<random.below(3)).map { _ in random.pick(["x", "y", "<z>"]) })
        case 4: return random.chance(10) ? 1.5 : "plain"
        case 5, 6: return view(&random, depth: depth + 1)
        default: return (0..<random.below(4)).map { _ in view(&random, depth: depth + 1) }
        }
    }

    static func view(_ random: inout SplitMix64, depth: Int) -> View {
        var view: View = [:]
        for name in ["a", "b", "c", "flag", "off", "items", "tags", "n", "empty", "x"] where random.chance(depth == 0 ? 70 : 40) {
            view[name] = value(&random, depth: depth)
        }
        return view
    }

    /// The pair the renderer uses: a library and the programs of its templates.
    static func theme(_ templates: [String: String]) throws -> (MustacheLibrary, [String: TemplateProgram?]) {
        var library = MustacheLibrary()
        var programs: [String: TemplateProgram?] = [:]
        for (name, text) in templates {
            let template = try MustacheTemplate(string: text)
            library.register(template, named: name)
            programs[name] = .some(TemplateProgram.compile(template))
        }
        return (library, programs)
    }

    @Test func printsWhatTheLibraryPrints() throws {
        // As `TemplateSet.build` does before it parses a template.
        MustacheContentTypes.register(FastHTMLEscaping(), named: "GUIDEGEN_HTML")
        var random = SplitMix64(seed: 2026)
        var compared = 0, stopped = 0, unparsed = 0
        for _ in 0..<3000 {
            func pragma() -> String { random.chance(80) ? TemplateSet.escapingPragma : "" }
            func inherit(_ parent: String) -> String {
                let block = random.pick(["main", "side"])
                return "{{<\(parent)}}\n{{$\(block)}}" + Self.body(&random, depth: 1, partials: ["p1"], blocks: false) + "{{/\(block)}}\n{{/\(parent)}}"
            }
            var templates = [
                "p1": pragma() + Self.body(&random, depth: 1, partials: [], blocks: false),
                "base": pragma() + Self.body(&random, depth: 1, partials: ["p1"], blocks: true),
            ]
            // A parent that is itself a child: overrides meet on the way down.
            templates["parent"] = pragma() + Self.body(&random, depth: 1, partials: ["p1", "base"], blocks: true) + (random.chance(50) ? inherit("base") : "")
            var main = pragma() + Self.body(&random, depth: 0, partials: ["p1", "parent", "gone"], blocks: false)
            if random.chance(40) { main += inherit("parent") }
            templates["main"] = main
            guard let (library, programs) = try? Self.theme(templates) else {
                unparsed += 1
                continue
            }
            let view = Self.view(&random, depth: 0)
            let expected = library.render(view, withTemplate: "main")
            var run = TemplateRun(programs: programs)
            guard let program = programs["main"], let program else {
                Issue.record("no program for \(main.debugDescription)")
                continue
            }
            guard let output = try? run.render(program, view: view) else {
                stopped += 1
                continue
            }
            compared += 1
            #expect(output == expected, "template \(main.debugDescription) partials \(templates)")
            // A thread's copy of the programs (`TemplateProgram.copied`) prints the same.
            let copies = programs.mapValues { $0?.copied() }
            var copyRun = TemplateRun(programs: copies)
            #expect((try? copyRun.render(copies["main"]!!, view: view)) == expected, "copy of \(main.debugDescription)")
        }
        // Most cases are compared, not left to the library.
        #expect(compared > 1500, "compared \(compared), stopped \(stopped), unparsed \(unparsed)")
    }

    @Test func aCopySharesNoStorageWithItsProgram() throws {
        let long = String(repeating: "longer than fifteen bytes ", count: 2)
        let (_, programs) = try Self.theme(["main": long + "{{#section.name}}" + long + "{{/section.name}}"])
        let program = try #require(programs["main"] ?? nil)
        let copy = program.copied()
        func texts(_ program: TemplateProgram) -> [String] {
            program.steps.flatMap { step -> [String] in
                switch step {
                case let .text(text): [text]
                case let .section(name, inner, _): name.components + texts(inner)
                default: []
                }
            }
        }
        func address(_ text: String) -> UnsafeRawPointer? {
            var text = text
            return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        }
        #expect(texts(copy) == texts(program))
        #expect(texts(program).count == 4)
        for (original, copied) in zip(texts(program), texts(copy)) where original.utf8.count > 15 {
            #expect(address(original) != address(copied), "\(original) shares its storage")
        }
    }

    @Test func leavesToTheLibraryWhatItDoesNotKnow() throws {
        // A dynamic partial has no program; a view printed as text and a value of another kind stop the run.
        let (library, programs) = try Self.theme([
            "dynamic": "{{>*name}}", "p": "x", "printed": "{{a}}", "other": "{{#n}}{{.}}{{/n}}",
        ])
        #expect(programs["dynamic"]! == nil)
        var run = TemplateRun(programs: programs)
        #expect(throws: TemplateRun.Stop.self) { try run.render(programs["printed"]!!, view: ["a": ["b": "c"] as View]) }
        #expect(throws: TemplateRun.Stop.self) { try run.render(programs["other"]!!, view: ["n": 1.5]) }
        #expect(library.render(["n": 1.5] as View, withTemplate: "other") == "1.5")
    }
}

extension TemplateProgramTests {
    @Test func escapesAPartialAsTheLibraryDoes() throws {
        // A partial starts with the library's own HTML escaping, whatever its includer switched to:
        // the run stops at a partial that prints before choosing (every theme template chooses first).
        let (library, programs) = try Self.theme([
            "main": "{{% CONTENT_TYPE: TEXT}}{{a}}{{>p}}", "p": "{{% CONTENT_TYPE: TEXT}}{{a}}",
            "viaQ": "{{% CONTENT_TYPE: TEXT}}{{a}}{{>q}}", "q": "{{a}}",
        ])
        let view: View = ["a": "<&>"]
        var run = TemplateRun(programs: programs)
        #expect(try run.render(programs["main"]!!, view: view) == library.render(view, withTemplate: "main"))
        #expect(library.render(view, withTemplate: "viaQ") == "<&>&lt;&amp;&gt;")
        #expect(throws: TemplateRun.Stop.self) { try run.render(programs["viaQ"]!!, view: view) }
    }
}
