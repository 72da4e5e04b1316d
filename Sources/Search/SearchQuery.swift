import Foundation

/// Runs a query against a written index the way the browser does (`search.js` in the
/// default theme mirrors this): it is the reference the tests check ranking with, and
/// what `guidegen explain search` prints.
///
/// - Every word of the query must match (AND); when no page has them all, pages with
///   the most of them come first.
/// - A word matches its stem; the last word, while the reader is still typing it
///   (no space after it, at least 3 characters), also matches every term it starts
///   (scored 0.7), and terms it extends by at most 3 characters, so `developm` still
///   finds `develop`.
/// - A page's score for a word is its stored level times the term's rarity
///   (BM25 idf); its score for the query is the sum over words.
public struct SearchQuery: Sendable {
    public struct Hit: Sendable, Hashable {
        public var page: Int
        public var score: Double
        /// How many of the query's words matched (all of them unless `partial`).
        public var matchedWords: Int
    }

    public struct Result: Sendable {
        public var hits: [Hit]
        /// No page matched every word; hits are pages matching some.
        public var partial: Bool
        /// Shard files read.
        public var shards: [Int]
    }

    let pages: Int
    let firstTerms: [String]
    let levelsPerPoint: Double
    let shard: @Sendable (Int) -> [UInt8]?

    /// - Parameters:
    ///   - manifest: the bytes of `search/manifest.json`.
    ///   - shard: the bytes of `search/s/N.bin`.
    public init?(manifest: [UInt8], shard: @escaping @Sendable (Int) -> [UInt8]?) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(manifest)) as? [String: Any],
              let pages = object["pages"] as? Int, let shards = object["shards"] as? [String] else { return nil }
        self.pages = pages
        firstTerms = shards
        levelsPerPoint = object["levelsPerPoint"] as? Double ?? 24
        self.shard = shard
    }

    public func run(_ text: String) -> Result {
        let words = Tokenizer.queryTerms(text)
        guard !words.isEmpty else { return Result(hits: [], partial: false, shards: []) }
        let typing = !(text.last?.isWhitespace ?? true)
        var loaded: [Int: [String: ArraySlice<UInt8>]] = [:]
        func dictionary(_ index: Int) -> [String: ArraySlice<UInt8>] {
            if let cached = loaded[index] { return cached }
            let decoded = shard(index).map(ShardDecoder.terms) ?? [:]
            loaded[index] = decoded
            return decoded
        }

        var perWord: [[Int: Double]] = []
        for (position, word) in words.enumerated() {
            let prefix = typing && position == words.count - 1 && word.raw.utf16.count >= 3
            var candidates = [word.term: 1.0]
            candidates[word.raw] = 1
            if prefix {
                let raw = Array(word.raw.utf16)
                for length in stride(from: max(4, raw.count - 3), to: raw.count, by: 1) {
                    let shorter = String(decoding: raw[..<length], as: UTF16.self)
                    if candidates[shorter] == nil { candidates[shorter] = 0.7 }
                }
            }
            var scores: [Int: Double] = [:]
            func add(_ term: String, _ postings: ArraySlice<UInt8>, weight: Double) {
                let decoded = ShardDecoder.postings(postings)
                let idf = log(1 + (Double(pages) - Double(decoded.count) + 0.5) / (Double(decoded.count) + 0.5))
                for (page, level) in decoded {
                    let score = Double(level) / levelsPerPoint * idf * weight
                    if score > scores[page, default: 0] { scores[page] = score }
                }
            }
            for (term, weight) in candidates {
                if let postings = dictionary(shardIndex(for: term))[term] { add(term, postings, weight: weight) }
            }
            if prefix {
                // The raw word and its stem usually share shards: read each once.
                for index in Set(shardRange(prefix: word.raw) + shardRange(prefix: word.term)).sorted() {
                    for (term, postings) in dictionary(index) where candidates[term] == nil
                        && (term.hasPrefix(word.raw) || term.hasPrefix(word.term)) {
                        add(term, postings, weight: 0.7)
                    }
                }
            }
            perWord.append(scores)
        }

        var totals: [Int: Hit] = [:]
        for scores in perWord {
            for (page, score) in scores {
                totals[page, default: Hit(page: page, score: 0, matchedWords: 0)].score += score
                totals[page]!.matchedWords += 1
            }
        }
        let complete = totals.values.filter { $0.matchedWords == words.count }
        let partial = complete.isEmpty
        let hits = (partial ? Array(totals.values) : complete).sorted {
            ($0.matchedWords, $0.score, -$0.page) > ($1.matchedWords, $1.score, -$1.page)
        }
        return Result(hits: hits, partial: partial && !hits.isEmpty, shards: loaded.keys.sorted())
    }

    /// The shard that holds `term` if any does: the last whose first term is not after it.
    func shardIndex(for term: String) -> Int {
        var low = 0
        var high = firstTerms.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedesOrEqual(firstTerms[middle], term) { low = middle + 1 } else { high = middle }
        }
        return max(0, low - 1)
    }

    /// Shards that may hold terms starting with `prefix` (at most 8).
    func shardRange(prefix: String) -> [Int] {
        let first = shardIndex(for: prefix)
        var last = first
        while last + 1 < firstTerms.count, last - first < 7, firstTerms[last + 1].hasPrefix(prefix) { last += 1 }
        return Array(first...last)
    }

    static func precedesOrEqual(_ a: String, _ b: String) -> Bool {
        !b.utf16.lexicographicallyPrecedes(a.utf16)
    }
}

/// Reads what `ShardEncoder` wrote.
enum ShardDecoder {
    /// Term -> its postings bytes.
    static func terms(_ bytes: [UInt8]) -> [String: ArraySlice<UInt8>] {
        var offset = 0
        let count = Varint.read(bytes, &offset)
        var result: [String: ArraySlice<UInt8>] = [:]
        var previous: [UInt8] = []
        for _ in 0..<count {
            let shared = Varint.read(bytes, &offset)
            let suffix = Varint.read(bytes, &offset)
            let term = Array(previous[..<shared]) + bytes[offset..<offset + suffix]
            offset += suffix
            let length = Varint.read(bytes, &offset)
            result[String(decoding: term, as: UTF8.self)] = bytes[offset..<offset + length]
            offset += length
            previous = term
        }
        return result
    }

    /// (document, level) pairs.
    static func postings(_ bytes: ArraySlice<UInt8>) -> [(Int, UInt8)] {
        let bytes = Array(bytes)
        var offset = 0
        var result: [(Int, UInt8)] = []
        let bands = Varint.read(bytes, &offset)
        for _ in 0..<bands {
            let level = bytes[offset]
            offset += 1
            let header = Varint.read(bytes, &offset)
            if header & 1 == 1 {
                let firstByte = Varint.read(bytes, &offset)
                let byteCount = Varint.read(bytes, &offset)
                for index in 0..<byteCount {
                    let byte = bytes[offset + index]
                    for bit in 0..<8 where byte & (1 << bit) != 0 {
                        result.append(((firstByte + index) * 8 + bit, level))
                    }
                }
                offset += byteCount
            } else {
                var document = 0
                for index in 0..<(header >> 1) {
                    let gap = Varint.read(bytes, &offset)
                    document = index == 0 ? gap : document + gap
                    result.append((document, level))
                }
            }
        }
        return result
    }
}
