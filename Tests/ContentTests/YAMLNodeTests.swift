import Foundation
import TestSupport
import Testing
import Yams
@testable import Content

/// `YAMLNode.compose` against Yams, the peer it stands in for: whatever it composes must be what Yams
/// composes (converted), and what it leaves to Yams must include every document Yams rejects.
@Suite struct YAMLNodeTests {
    /// Yams' result as the readers used it before: nil for no document, or an error.
    static func yams(_ text: String) -> Result<YAMLNode?, Error> {
        Result { try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8).map(YAMLNode.init) }
    }

    static let plainScalars = ["plain", "two words", "42", "3.5", "true", "", "2025-03-31", "\"quoted: text\"", "'it''s'", "Résumé", "x #c"]

    static let scalars = [
        "plain", "two words", "42", "-3.5", "1e3", "true", "no", "~", "null", "", "2025-03-31", "\"quoted: text\"",
        "'single ''quoted'''", "\"esc\\u00e9 \\t tab\"", "Résumé — ünïcode", "中文", "a: b", "[x", "x]", "- x", "#no", "x #comment",
        "&a anchored", "*a", "!!str tagged", "!custom x", "! nonspecific", "\"multi\n  line\"", "'it''s'", "|\n  literal\n  block\n",
        ">-\n  folded\n  block\n", "\"\\0nul\"", "0x1F", ".inf", "\"\"", "''", "@reserved", "`tick", "%percent", "k: [a, b",
    ]

    static let keys = ["title", "kind", "skills", "salary", "a", "b", "\"quoted key\"", "'single'", "? complex", "[1, 2]", "{x: 1}", "a", "é", "x y", ""]

    /// Mostly text front matter is made of, sometimes anything.
    static func scalar(_ random: inout SplitMix64) -> String {
        random.chance(93) ? random.pick(plainScalars) : random.pick(scalars)
    }

    /// Mostly a fresh name, sometimes one of the tricky keys (which may repeat).
    static func key(_ random: inout SplitMix64) -> String {
        random.chance(85) ? "k\(random.below(1_000_000))" : random.pick(keys)
    }

    /// A value at `indent` after `key:` (block) or inside a flow collection (`flow`).
    static func value(_ random: inout SplitMix64, indent: Int, depth: Int, flow: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let choice = depth > 2 || random.chance(50) ? 0 : random.below(flow ? 3 : 5)
        switch choice {
        case 1:
            let items = (0..<random.below(4)).map { _ in value(&random, indent: indent, depth: depth + 1, flow: true) }
            return "[" + items.joined(separator: random.pick([", ", ",", " , "])) + "]"
        case 2:
            let pairs = (0..<random.below(4)).map { _ in key(&random) + ": " + value(&random, indent: indent, depth: depth + 1, flow: true) }
            return "{" + pairs.joined(separator: ", ") + "}"
        case 3:
            return "\n" + (0..<(1 + random.below(3))).map { _ in
                pad + "  - " + value(&random, indent: indent + 4, depth: depth + 1, flow: false)
            }.joined(separator: "\n")
        case 4:
            return "\n" + mapping(&random, indent: indent + 2, depth: depth + 1)
        default:
            let text = scalar(&random)
            // (In a flow a comment would eat the closing bracket; an empty item is an error.)
            if flow, text.contains("\n") || text.contains("#") || text.isEmpty { return random.chance(90) ? "x" : text }
            return text.replacingOccurrences(of: "\n", with: "\n" + pad + "  ")
        }
    }

    static func mapping(_ random: inout SplitMix64, indent: Int, depth: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return (0..<(1 + random.below(5))).map { _ in
            var line = pad + key(&random) + ":"
            let value = value(&random, indent: indent, depth: depth, flow: false)
            if !value.hasPrefix("\n") { line += " " }
            line += value
            if random.chance(10) { line += random.pick([" # note", "  ", "\t"]) }
            return line
        }.joined(separator: "\n")
    }

    static func document(_ random: inout SplitMix64) -> String {
        var text = ""
        if random.chance(5) { text += "%YAML 1.1\n---\n" }
        if random.chance(5) { text += "# only a comment\n" }
        switch random.below(20) {
        case 0: text += ""
        case 1: text += scalar(&random)
        case 2: text += "- " + scalar(&random) + "\n- " + scalar(&random)
        default: text += mapping(&random, indent: 0, depth: 0)
        }
        if random.chance(3) { text += "\n---\nsecond: document" }
        if random.chance(3) { text += "\n..." }
        if random.chance(3) { text += "\n\t tab: indented" }
        return text + (random.chance(50) ? "\n" : "")
    }

    @Test func composesWhatYamsComposes() {
        var random = SplitMix64(seed: 20261202)
        var compared = 0, empty = 0, left = 0, rejected = 0
        for _ in 0..<4000 {
            let text = Self.document(&random)
            let expected = Self.yams(text)
            switch YAMLNode.compose(text) {
            case let .node(node):
                compared += 1
                #expect((try? expected.get()) == .some(node), "\(text.debugDescription)")
            case .empty:
                empty += 1
                #expect((try? expected.get()) == .some(nil), "\(text.debugDescription)")
            case .unsupported:
                left += 1
                if case .failure = expected { rejected += 1 }
            }
        }
        // Most documents are composed here; every one Yams rejects is left to it (checked above:
        // a rejected document compared as a node or as empty fails).
        #expect(compared > 2000, "compared \(compared), empty \(empty), left to Yams \(left) (\(rejected) rejected)")
        #expect(rejected > 300, "rejected \(rejected)")
    }

    @Test func composesTheBundledSiteAsYamsDoes() throws {
        let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content").standardized
        let files = try #require(FileManager.default.enumerator(atPath: content.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }
        #expect(files.count > 20)
        for file in files {
            let text = try String(contentsOf: content.appendingPathComponent(file), encoding: .utf8)
            let parts = text.components(separatedBy: "\n---\n")
            guard text.hasPrefix("---\n"), parts.count > 1 else { continue }
            let yaml = String(parts[0].dropFirst(4))
            guard case let .node(node) = YAMLNode.compose(yaml) else {
                Issue.record("\(file): front matter left to Yams")
                continue
            }
            #expect((try? Self.yams(yaml).get()) == .some(node), "\(file)")
        }
    }

    @Test func leavesToYamsWhatOnlyItKnows() {
        for text in ["a: &x 1\nb: *x", "a: !!int 3", "? [1]\n: b", "a: 1\na: 2", "a: 1\n\"a\": 2", "a: 1\n---\nb: 2", "a: [1", "a:\n\t- b", "a: *nothing"] {
            #expect(YAMLNode.compose(text) == .unsupported, "\(text.debugDescription)")
        }
        #expect(YAMLNode.compose("") == .empty)
        #expect(YAMLNode.compose("# nothing here\n") == .empty)
    }

    @Test func marksCountLinesAndCharacters() throws {
        guard case let .node(root) = YAMLNode.compose("title: Résumé\nskills:\n  - \"é\"\n  - x\n") else {
            Issue.record("not composed")
            return
        }
        #expect(root["title"]?.mark == YAMLNode.Mark(line: 1, column: 8))
        let skills = try #require(root["skills"])
        guard case let .sequence(items) = skills.value else {
            Issue.record("skills is not a list")
            return
        }
        #expect(items.map(\.mark) == [YAMLNode.Mark(line: 3, column: 5), YAMLNode.Mark(line: 4, column: 5)])
        #expect(items.map(\.tag) == [YAMLNode.stringTag, ""])
        #expect(items.map { $0.scalar?.isPlain } == [false, true])
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        // libyaml stops at 1,000 levels; the composer keeps its own stack, so no depth reaches the thread's.
        let deep = String(repeating: "[", count: 999) + String(repeating: "]", count: 999)
        guard case let .node(node) = YAMLNode.compose("k: " + deep) else {
            Issue.record("999 levels not composed")
            return
        }
        #expect(node["k"] != nil)
        #expect(YAMLNode.compose("k: " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)) == .unsupported)
    }
}
