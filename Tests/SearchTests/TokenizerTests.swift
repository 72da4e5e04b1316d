import Foundation
import Search
import Testing

@Suite struct TokenizerTests {
    @Test func compoundsIndexPartsAndTheJoinedWord() {
        let terms = Tokenizer.indexTerms("Back-End Developer")
        #expect(terms == ["back", "end", "backend", "develop"])
        #expect(Tokenizer.queryTerms("back-end").map(\.term) == ["backend"])
        #expect(Tokenizer.queryTerms("Node.js CI/CD").map(\.term) == ["nodej", "cicd"])
        #expect(Tokenizer.indexTerms("$133,080 a year").prefix(3) == ["133", "080", "133080"])
    }

    @Test func caseAndDiacriticsFold() {
        #expect(Tokenizer.queryTerms("Résumé CAFÉ Straße Ærø naïve").map(\.raw) == ["resume", "cafe", "strasse", "aero", "naive"])
        #expect(Tokenizer.queryTerms("RÉSUMÉ").map(\.term) == Tokenizer.queryTerms("resume").map(\.term))
    }

    @Test func symbolsAndApostrophes() {
        #expect(Tokenizer.indexTerms("C++ and C# developers") == ["c++", "and", "c#", "develop"])
        #expect(Tokenizer.queryTerms("developer's don’t").map(\.raw) == ["developer", "dont"])
        #expect(Tokenizer.indexTerms("issue#5, a+b") == ["issu", "5", "a", "b"])
    }

    @Test func stemsEnglishWords() {
        #expect(Tokenizer.queryTerms("developers managing engineering").map(\.term) == ["develop", "manag", "engin"])
    }

    @Test func cjkTextIsIndexedByCharactersAndPairs() {
        #expect(Tokenizer.indexTerms("日本語") == ["日", "本", "語", "日本", "本語"])
        #expect(Tokenizer.queryTerms("日本").map(\.term) == ["日本"])
        #expect(Tokenizer.queryTerms("語").map(\.term) == ["語"])
        // Mixed text: the Latin word and the CJK run are separate.
        #expect(Tokenizer.indexTerms("Java开发") == ["java", "开", "发", "开发"])
    }

    @Test func punctuationAndSpacesSeparateWords() {
        #expect(Tokenizer.indexTerms("  Hello,   world!  (SQL)  ") == ["hello", "world", "sql"])
        #expect(Tokenizer.indexTerms("").isEmpty)
        #expect(Tokenizer.indexTerms("— … !!").isEmpty)
    }
}

/// The cases the browser's tokenizer is checked against too (Tests/e2e/search_test.py):
/// `query` holds what `Tokenizer.queryTerms` returns. After a deliberate change, rewrite
/// the file with `GUIDEGEN_UPDATE_GOLDEN=1 swift test --filter sharedCases` and review the diff.
@Suite struct TokenizerFixtureTests {
    struct Case: Codable {
        var text: String
        var query: [String]?
    }

    @Test func sharedCases() throws {
        let url = try #require(Bundle.module.url(forResource: "tokenizer-cases", withExtension: "json", subdirectory: "Fixtures"))
        var cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
        if ProcessInfo.processInfo.environment["GUIDEGEN_UPDATE_GOLDEN"] == "1" {
            for index in cases.indices { cases[index].query = Tokenizer.queryTerms(cases[index].text).map(\.term) }
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizer-cases.json")
            let lines = try cases.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) }
            try Data(("[\n  " + lines.joined(separator: ",\n  ") + "\n]\n").utf8).write(to: source)
            return
        }
        for item in cases {
            #expect(Tokenizer.queryTerms(item.text).map(\.term) == item.query, "\(item.text)")
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
