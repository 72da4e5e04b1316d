import Diagnostics
import Foundation
import Markdown
import Testing
@testable import Content

/// Front matter written to cost the build time or memory, or to put characters no page can show into
/// titles, feeds and meta tags: each is a located error with a hint, found quickly.
@Suite struct HostileFrontMatterTests {
    func parse(_ text: String) -> (Page?, [Diagnostic]) {
        PageParser.parse(text: text, source: "content/roles/a.md", path: "roles/a.md", options: MarkdownOptions())
    }

    /// `a: &a [x, x, ...]`, then each level a list of `width` aliases of the level before: the last
    /// level holds `width ^ levels` values for a few hundred bytes.
    static func aliasBomb(levels: Int, width: Int = 9) -> String {
        let names = (0..<levels).map { String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) }
        var lines = ["n\(names[0]): &\(names[0]) [" + Array(repeating: "x", count: width).joined(separator: ",") + "]"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("n\(name): &\(name) [" + Array(repeating: "*" + previous, count: width).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Aliases

    @Test func anAliasBombIsRefusedAtTheAliasThatPassesTheLimit() {
        // Eight levels of nine: 447 bytes that expand to 9^8 (43 million) values.
        let yaml = Self.aliasBomb(levels: 8)
        #expect(yaml.utf8.count < 500)
        let clock = ContinuousClock()
        var result: (Page?, [Diagnostic]) = (nil, [])
        let elapsed = clock.measure { result = parse("---\ntitle: A\ncategory: X\n" + yaml + "---\nText.\n") }
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        let error = result.1.first { $0.code == .aliasLimit }
        #expect(error != nil, "\(result.1)")
        // Levels b-d copy 90 + 819 + 7380 values; the first alias of level e (7381 more) passes 10,000:
        // line 7 of the YAML (file line 8), column 9 (`ne: &e [*d`).
        #expect(error?.location.description == "content/roles/a.md:8:9", "\(String(describing: error))")
        #expect(error?.message.contains("at most 10000") == true)
        #expect(error?.hint?.isEmpty == false)
    }

    @Test func aliasesWithinTheLimitComposeAsBefore() {
        // Four levels copy 8,289 values: within the limit, composed by Yams (the anchors) as before.
        let (page, diagnostics) = parse("---\ntitle: A\ncategory: X\n" + Self.aliasBomb(levels: 4) + "skills: &s [Go, SQL]\nindustries: *s\n---\nText.\n")
        #expect(diagnostics.filter { $0.code == .aliasLimit }.isEmpty)
        #expect(page?.role?.industries == ["Go", "SQL"])
    }

    @Test func theAliasScanCountsWhatAliasesCopy() {
        #expect(YAMLNode.aliasExpansion("a: &a [1, 2]\nb: *a\n") == nil)
        #expect(YAMLNode.aliasExpansion(Self.aliasBomb(levels: 4)) == nil)
        let refused = YAMLNode.aliasExpansion(Self.aliasBomb(levels: 5))
        #expect(refused?.mark == YAMLNode.Mark(line: 5, column: 9))
        #expect(refused?.nodes == 8289 + 7381)
        #expect(refused.map { $0.nodes > YAMLNode.maximumAliasNodes } == true)
        // A mapping's keys and values count, and an anchor redefined counts as its last value.
        let keys = "m: &m {" + (0..<100).map { "k\($0): v" }.joined(separator: ", ") + "}\n"
        #expect(YAMLNode.aliasExpansion(keys + "x: *m\n") == nil)
        let many = keys + "l: [" + Array(repeating: "*m", count: 50).joined(separator: ", ") + "]\n"
        #expect(YAMLNode.aliasExpansion(many) != nil)
        // Text libyaml cannot parse is composing's to report.
        #expect(YAMLNode.aliasExpansion("a: [*x") == nil)
    }

    @Test func anAliasBombInGuidegenYml() {
        let (config, diagnostics) = SiteConfig.load(text: "title: T\nbase_url: https://example.org/\n" + Self.aliasBomb(levels: 9), file: "guidegen.yml", baseURLOverride: nil)
        #expect(config == nil)
        #expect(diagnostics.first { $0.code == .aliasLimit }?.location.description == "guidegen.yml:7:9", "\(diagnostics)")
    }

    // MARK: Control characters written as escapes

    @Test(arguments: [
        (#"title: "T \x01""#, "U+0001"),
        (#"title: "T \0""#, "U+0000"),
        (#"title: "T \x1b[31m""#, "U+001B"),
        (#"title: "T \e""#, "U+001B"),
        (#"title: "T \uFFFE""#, "U+FFFE"),
        (#"title: "T \uFFFF""#, "U+FFFF"),
        (#"title: "T \x7f""#, "U+007F"),
        (#"title: "T \x85""#, "U+0085"),
        (#"title: "T \N""#, "U+0085"),
        (#"title: "T \uFDD0""#, "U+FDD0"),
        (#"title: "T \U0010FFFF""#, "U+10FFFF"),
        (#"title: "T \r""#, "U+000D"),
        (#"title: "T \f""#, "U+000C"),
    ])
    func controlCharactersInEscapesAreErrors(_ line: String, _ character: String) {
        let (_, diagnostics) = parse("---\n" + line + "\ncategory: X\n---\nText.\n")
        let error = diagnostics.first { $0.code == .controlCharacter }
        #expect(error?.location.description == "content/roles/a.md:2:8", "\(diagnostics)")
        #expect(error?.message.contains(character) == true, "\(String(describing: error))")
        #expect(error?.hint?.isEmpty == false)
    }

    /// libyaml refuses an escape of a lone surrogate: a syntax error at the escape, not a value.
    @Test func aLoneSurrogateEscapeIsASyntaxError() {
        let (_, diagnostics) = parse("---\ntitle: \"A \\uD800\"\ncategory: X\n---\nText.\n")
        #expect(diagnostics.map(\.code) == [.yamlSyntax], "\(diagnostics)")
        #expect(diagnostics.first?.location.description == "content/roles/a.md:2:13")
    }

    @Test func controlCharactersAnywhereInFrontMatter() {
        // In a list item, a nested mapping, a key, and through an alias (composed by Yams).
        let (_, diagnostics) = parse("""
        ---
        title: A
        category: X
        skills: [Go, "S\\x02QL"]
        salary: {currency: USD, source: "B\\aLS", as_of: 2024-05-31}
        "k\\x03": 1
        industries: &i ["\\x04"]
        education: *i
        ---
        Text.
        """)
        let places = diagnostics.filter { $0.code == .controlCharacter }.map(\.location.description)
        // The alias is the anchored value itself: reported at the anchor's place, as often as it is used.
        #expect(places == ["content/roles/a.md:4:14", "content/roles/a.md:5:33", "content/roles/a.md:6:1",
                           "content/roles/a.md:7:17", "content/roles/a.md:7:17"], "\(diagnostics)")
    }

    @Test func tabsNewlinesAndTextAreFine() {
        let (page, diagnostics) = parse("---\ntitle: \"Tab\\there, résumé, 日本, 😀, \\u00A0\"\nsummary: \"one\\ntwo\"\ncategory: X\n---\nText.\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(page?.title == "Tab\there, résumé, 日本, 😀, \u{A0}")
        for scalar in ["\u{9}", "\n", " ", "~", "\u{A0}", "\u{FFFD}", "\u{FEFF}", "\u{10FFFD}", "é"] {
            #expect(YAMLNode.firstForbiddenCharacter(in: "a" + scalar + "b") == nil, "\(scalar.unicodeScalars.first!.value)")
        }
        for value: UInt32 in [0, 8, 0xB, 0x1F, 0x7F, 0x80, 0x9F, 0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF] {
            let scalar = Unicode.Scalar(value)!
            #expect(YAMLNode.firstForbiddenCharacter(in: "ab" + String(scalar)) == scalar, "\(value)")
        }
    }

    @Test func controlCharactersInGuidegenYml() {
        let (config, diagnostics) = SiteConfig.load(text: "title: \"Guides\\x1b\"\nbase_url: https://example.org/\n", file: "guidegen.yml", baseURLOverride: nil)
        #expect(config == nil)
        #expect(diagnostics.map(\.location.description) == ["guidegen.yml:1:8"], "\(diagnostics)")
        #expect(diagnostics.first?.code == .controlCharacter)
    }

    // MARK: Repeated errors

    @Test func aHundredThousandUnknownKeysAreTenLinesAndASum() {
        let keys = (0..<100_000).map { "k\($0): 1\n" }.joined()
        let clock = ContinuousClock()
        var diagnostics: [Diagnostic] = []
        let elapsed = clock.measure { diagnostics = parse("---\ntitle: A\ncategory: X\n" + keys + "---\nText.\n").1 }
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        let unknown = diagnostics.filter { $0.code == .unknownKey }
        #expect(unknown.count == 11)
        #expect(unknown.prefix(10).map(\.location.line) == Array(4..<14))
        #expect(unknown.last?.message == "... and 99990 more `unknown-key` problems in this file")
        #expect(unknown.last?.location.description == "content/roles/a.md:14:1")
        #expect(unknown.last?.hint?.isEmpty == false)
    }

    @Test func fewRepeatedErrorsAreAllShown() {
        let keys = (0..<10).map { "k\($0): 1\n" }.joined()
        let diagnostics = parse("---\ntitle: A\ncategory: X\n" + keys + "---\nText.\n").1
        #expect(diagnostics.filter { $0.code == .unknownKey }.count == 10)
    }
}

@Suite struct FileNameEscapingTests {
    /// A name's bytes that are not UTF-8 are shown as `\xNN`, the rest as text.
    @Test func escapedNamesKeepTheirText() {
        #expect(SiteFiles.escaped(Array("résumé-日本.md".utf8)) == "résumé-日本.md")
        #expect(SiteFiles.escaped([0x61, 0xFF, 0xE6, 0x97, 0x62]) == "a\\xff\\xe6\\x97b")
        #expect(SiteFiles.escaped([0xF0, 0x9F, 0x98, 0x80, 0xF0]) == "😀\\xf0")
    }
}
