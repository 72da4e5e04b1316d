import Foundation
import Search
import Testing

@Suite struct StemmerTests {
    /// `word<TAB>stem` pairs made by Python's snowballstemmer (see the file's header line).
    static func vectors() throws -> [(word: String, stem: String)] {
        let url = try #require(Bundle.module.url(forResource: "stem-vectors", withExtension: "txt", subdirectory: "Fixtures"))
        return try String(contentsOf: url, encoding: .utf8)
            .split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { line in
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                return (String(fields[0]), String(fields.count > 1 ? fields[1] : ""))
            }
    }

    @Test func matchesSnowballReference() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count > 3000)
        for (word, stem) in vectors {
            #expect(EnglishStemmer.stem(word) == stem, "stem of \"\(word)\"")
        }
    }

    @Test func bytesAgreeAndOtherScriptsPassThrough() throws {
        for (word, _) in try Self.vectors() {
            #expect(EnglishStemmer.stem(bytes: Array(word.utf8)) == Array(EnglishStemmer.stem(word).utf8), "stem of \"\(word)\"")
        }
        for word in ["日本語", "café", "naïve", "straße", "Running", ""] {
            #expect(EnglishStemmer.stem(word) == word)
            #expect(EnglishStemmer.stem(bytes: Array(word.utf8)) == Array(word.utf8))
        }
    }
}
