import Foundation
@testable import Search
import TestSupport
import Testing

/// Builds an index in memory and queries it the way the browser does.
struct MemoryIndex {
    let index: SearchIndex
    let files: [String: [UInt8]]
    /// The manifest's version: the folder of every other file.
    let version: String
    let query: SearchQuery

    init(_ documents: [SearchDocument], shardBytes: Int = 6 * 1024) {
        var options = SearchIndex.Options()
        options.shardBytes = shardBytes
        index = SearchIndex.build(documents, options: options)
        let files = Dictionary(uniqueKeysWithValues: index.files.map { ($0.path, Array($0.data)) })
        self.files = files
        let version = SearchIndex.version(ofManifest: Data(files["search/manifest.json"]!))!
        self.version = version
        query = SearchQuery(manifest: files["search/manifest.json"]!, shard: { files["search/\(version)/s/\($0).bin"] },
                            vocabulary: { files["search/\(version)/v.txt"] })!
    }

    func titles(_ text: String, _ documents: [SearchDocument]) -> [String] {
        query.run(text).hits.map { documents[$0.page].title }
    }
}

@Suite struct RankingTests {
    static let documents = [
        SearchDocument(url: "roles/frontend-developer/", title: "Frontend Developer", kind: "Role", category: "Web Development",
                       body: "Works with backend developers on APIs. Frontend work is about the browser."),
        SearchDocument(url: "salaries/backend-developer/", title: "Backend Developer Salary Guide", kind: "Salary guide",
                       body: "What a backend developer earns."),
        SearchDocument(url: "roles/data-engineer/", title: "Data Engineer", kind: "Role",
                       body: String(repeating: "Backend developer backend developer. ", count: 12)),
        SearchDocument(url: "roles/backend-developer/", title: "Backend Developer", kind: "Role", category: "Web Development",
                       alternateTitles: ["Back-End Developer", "Server-Side Developer"], keywords: ["SQL", "Python"],
                       headings: ["What a backend developer does"], summary: "Builds the server side of applications.",
                       body: "What a backend developer does. Backend developers build APIs and development tools.", boost: 0.25),
        SearchDocument(url: "guides/resume/", title: "Résumé tips", kind: "Guide", body: "Write a résumé that fits one page. 日本語のガイド"),
    ]

    let index = MemoryIndex(RankingTests.documents)

    func titles(_ text: String) -> [String] { index.titles(text, Self.documents) }

    @Test func titleMatchesOutrankBodyMatches() {
        let titles = titles("backend developer")
        #expect(titles.first == "Backend Developer")
        #expect(titles.prefix(2) == ["Backend Developer", "Backend Developer Salary Guide"])
        // A body saying "backend developer" twelve times still comes after both title matches.
        #expect(titles.firstIndex(of: "Data Engineer")! > 1)
        #expect(Set(titles) == ["Backend Developer", "Backend Developer Salary Guide", "Data Engineer", "Frontend Developer"])
    }

    @Test func alternateTitlesFindTheRole() {
        #expect(titles("back-end").first == "Backend Developer")
        #expect(titles("server side developer").first == "Backend Developer")
    }

    @Test func prefixesMatchWhileTyping() {
        #expect(titles("backe").first == "Backend Developer")
        #expect(titles("developm").contains("Backend Developer"))  // "development" stems to "develop"
        // A finished word (space after it) is not expanded: it matches nothing, so it is read as a typo of the
        // nearest title word.
        #expect(index.query.run("backen ").corrections.map(\.used) == ["backend"])
        // Short words are never expanded.
        #expect(titles("ba").isEmpty)
    }

    @Test func stemmingCaseAndDiacritics() {
        #expect(titles("DEVELOPERS").first == "Backend Developer")
        #expect(titles("resume").first == "Résumé tips")
        #expect(titles("RÉSUMÉS").first == "Résumé tips")
        #expect(titles("日本").first == "Résumé tips")
    }

    @Test func noResultsAndPartialResults() {
        let none = index.query.run("zzqx")
        #expect(none.hits.isEmpty && !none.partial)
        let partial = index.query.run("backend zzqx ")
        #expect(partial.partial)
        #expect(partial.hits.first.map { Self.documents[$0.page].title } == "Backend Developer")
    }

    @Test func rankingIsDeterministic() {
        let again = MemoryIndex(Self.documents)
        #expect(again.files == index.files)
        #expect(titles("developer") == again.titles("developer", Self.documents))
    }
}

@Suite struct ShardingTests {
    /// 300 pages with overlapping synthetic words, cut into many small shards.
    static let documents: [SearchDocument] = (0..<300).map { page in
        let words = (0..<40).map { "w\(($0 * 7 + page * 13) % 500)" }
        return SearchDocument(url: "p/\(page)/", title: "Page \(page)", kind: "Page", body: words.joined(separator: " ") + " common")
    }

    @Test func everyTermIsInExactlyTheShardTheManifestPointsTo() throws {
        let index = MemoryIndex(Self.documents, shardBytes: 300)
        #expect(index.index.shardCount > 10)
        var seen: [String: Int] = [:]
        for shard in 0..<index.index.shardCount {
            for term in ShardDecoder.terms(index.files[SearchIndex.shardPath(shard, version: index.version)]!).keys {
                #expect(seen[term] == nil, "\(term) in two shards")
                seen[term] = shard
                #expect(index.query.shardIndex(for: term) == shard)
            }
        }
        #expect(seen.count == index.index.termCount)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(index.files["search/manifest.json"]!)) as? [String: Any])
        let first = try #require(manifest["shards"] as? [String])
        #expect(first == first.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) })
    }

    @Test func postingsRoundTripAsListsAndBitmaps() {
        let sparse: [UInt32] = [3, 90, 91, 4000].map { $0 << 8 | 30 }
        let dense: [UInt32] = (0..<1000).map { UInt32($0) << 8 | UInt32($0 % 3 == 0 ? 200 : 24) }
        for postings in [sparse, dense] {
            let bytes = ShardEncoder.encodePostings(postings[...])
            let decoded = ShardDecoder.postings(bytes[...]).map { UInt32($0.0) << 8 | UInt32($0.1) }
            #expect(decoded.sorted() == postings.sorted())
        }
        // A term on every page costs about a bit a page, not a byte.
        #expect(ShardEncoder.encodePostings(dense[...]).count < 300)
    }

    /// The bands as the format describes them (levels from the highest, documents ascending, each as
    /// a list or a bitmap), built the plain way, against the encoder's one sort.
    @Test func postingsEncodeAsTheirBandsDescribe() {
        func reference(_ postings: [UInt32]) -> [UInt8] {
            var bands: [UInt8: [UInt32]] = [:]
            for posting in postings { bands[UInt8(posting & 0xFF), default: []].append(posting >> 8) }
            var output: [UInt8] = []
            Varint.write(bands.count, to: &output)
            for level in bands.keys.sorted(by: >) {
                let documents = bands[level]!
                output.append(level)
                var list: [UInt8] = []
                for (index, document) in documents.enumerated() { Varint.write(Int(index == 0 ? document : document - documents[index - 1]), to: &list) }
                let firstByte = Int(documents.first! / 8), byteCount = Int(documents.last! / 8) - firstByte + 1
                if byteCount + 4 < list.count {
                    Varint.write(documents.count << 1 | 1, to: &output)
                    Varint.write(firstByte, to: &output)
                    Varint.write(byteCount, to: &output)
                    var bitmap = [UInt8](repeating: 0, count: byteCount)
                    for document in documents { bitmap[Int(document / 8) - firstByte] |= 1 << (document % 8) }
                    output += bitmap
                } else {
                    Varint.write(documents.count << 1, to: &output)
                    output += list
                }
            }
            return output
        }
        var random = SplitMix64(seed: 5)
        for _ in 0..<2000 {
            var document: UInt32 = 0
            let postings = (0..<(1 + random.below(200))).map { _ -> UInt32 in
                document += UInt32(1 + random.below(random.chance(50) ? 3 : 300))
                return document << 8 | UInt32(1 + random.below(random.chance(70) ? 4 : 255))
            }
            #expect(ShardEncoder.encodePostings(postings[...]) == reference(postings))
        }
    }

    @Test func aQueryReadsOnlyTheShardsOfItsTerms() {
        let index = MemoryIndex(Self.documents, shardBytes: 300)
        let result = index.query.run("w123 common ")
        #expect(result.shards.count <= 2)
        #expect(!result.hits.isEmpty)
        #expect(result.hits.allSatisfy { Self.documents[$0.page].body.contains("w123 ") })
    }

    @Test func fragmentsHoldWhatAResultShows() throws {
        let index = MemoryIndex(RankingTests.documents)
        let fragment = try #require(try JSONSerialization.jsonObject(with: Data(index.files[SearchIndex.fragmentPath(3, version: index.version)]!)) as? [String: Any])
        #expect(fragment["t"] as? String == "Backend Developer")
        #expect(fragment["u"] as? String == "roles/backend-developer/")
        #expect(fragment["k"] as? String == "Role")
        #expect(fragment["c"] as? String == "Web Development")
        #expect(fragment["a"] as? [String] == ["Back-End Developer", "Server-Side Developer"])
        #expect(SearchIndex.excerpt("one  two\n\nthree four", maxBytes: 12) == "one two…")
        #expect(SearchIndex.excerpt("short text", maxBytes: 100) == "short text")
    }
}

extension ShardingTests {
    /// Pages are scored in runs of about equal text; the index is the same however they are cut.
    @Test func scoringRunsCoverEveryPageInOrder() {
        let documents = (0..<50).map { page in
            SearchDocument(url: "p/\(page)/", title: "Page \(page)", kind: "Page",
                           body: String(repeating: "word\(page % 7) ", count: page < 10 ? 400 : 5))
        }
        for count in [1, 2, 3, 8, 50, 60] {
            let runs = SearchIndex.chunks(of: documents, count: min(count, documents.count))
            #expect(runs.count <= count)
            #expect(runs.allSatisfy { !$0.isEmpty })
            #expect(runs.first?.lowerBound == 0 && runs.last?.upperBound == documents.count)
            #expect(zip(runs, runs.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        }
        // The long pages at the start are cut finer than the short ones after them.
        let runs = SearchIndex.chunks(of: documents, count: 4)
        #expect(runs.count == 4)
        #expect(runs[0].count < runs[3].count)
        #expect(SearchIndex.chunks(of: [], count: 0) == [0..<0])
    }
}

extension ShardingTests {
    /// The word table finds every word it was given, and no other, as it grows past its first size.
    @Test func wordTableFindsWhatItHolds() {
        var table = WordTable()
        let words = (0..<5000).map { "w\($0)" } + ["", "a-very-long-word-that-is-not-small", "é"]
        for (index, word) in words.enumerated() {
            #expect(table[word, WordTable.hash(word)] == nil)
            table.insert(word, hash: WordTable.hash(word), id: Int32(index))
        }
        for (index, word) in words.enumerated() { #expect(table[word, WordTable.hash(word)] == Int32(index)) }
        #expect(table["w5000", WordTable.hash("w5000")] == nil)
    }
}

extension ShardingTests {
    /// The scoring's byte path emits for ASCII text the words `indexWords` emits, in order.
    @Test func asciiWordsAsBytesAreTheIndexWords() {
        var random = SplitMix64(seed: 21)
        let pieces = ["a", "Z", "9", "'", "'s", "+", "++", "#", "-", ".", "/", "_", ",", " ", "\n", "\t", "don't", "C#", "c++", "node.js",
                      "3,000", "back-end", "x's", "A_B", "<", "&", "\u{1}", "Developer's", "CI/CD", "a-b-c-d-e", String(repeating: "long", count: 11)]
        var words = 0
        for _ in 0..<3000 {
            let text = (0..<random.below(24)).map { _ in random.pick(pieces) }.joined()
            var fast: [String] = [], slow: [String] = []
            let ascii = Tokenizer.indexWordsASCII(text) { fast.append(String(decoding: $0, as: UTF8.self)) }
            Tokenizer.indexWords(text) { slow.append($0) }
            #expect(ascii)
            #expect(fast == slow, "\(text.debugDescription)")
            words += slow.count
        }
        #expect(words > 10_000)
        var emitted = 0
        #expect(!Tokenizer.indexWordsASCII("Résumé writing") { _ in emitted += 1 })
        #expect(emitted == 0)
    }
}
