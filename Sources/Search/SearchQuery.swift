import Foundation

/// Runs a query against a written index the way the browser does (`search.js` in the
/// default theme mirrors this): it is the reference the tests check ranking with, and
/// what `guidegen explain search` prints.
///
/// - The query is read as `QueryPlan` says: words with no subject ("how", "to", "vs") drop
///   out; pay and how-to words add an optional term that lifts salary and how-to guides.
/// - Every required word must match (AND); when no page has them all, pages with the most
///   of them come first (`partial`).
/// - A word matches its stem; the last word, while the reader is still typing it (no space
///   after it, at least 3 characters), also matches every term it starts, and terms it extends
///   by at most 3 characters, so `developm` still finds `develop`. A term it starts scores 0.7,
///   or, when the word itself is in the index, 0.5 at most the word's own rarity: "pay" finds
///   pages about pay before pages about payments.
/// - A required word of 5 or more characters that matches nothing is replaced by the nearest word of
///   the index's vocabulary (`Typos`), and the result says so (`corrections`).
/// - A page's score for a word is its stored level times the term's rarity (BM25 idf); its
///   score for the query is the sum over required words, plus the optional words it has.
public struct SearchQuery: Sendable {
    public struct Hit: Sendable, Hashable {
        public var page: Int
        public var score: Double
        /// How many of the query's required words matched (all of them unless `partial`).
        public var matchedWords: Int
    }

    public struct Result: Sendable {
        public var hits: [Hit]
        /// No page matched every word; hits are pages matching some.
        public var partial: Bool
        /// Shard files read.
        public var shards: [Int]
        /// Words that matched nothing, each with the word searched instead.
        public var corrections: [(typed: String, used: String)] = []
        /// The required words searched for (after corrections), as typed.
        public var words: [String] = []
        /// The query names a role (two or more words ending in a job's name) that no page has as its title:
        /// the words, for "No guide for data scientist".
        public var uncovered: String?
    }

    let pages: Int
    let firstTerms: [String]
    let levelsPerPoint: Double
    let shard: @Sendable (Int) -> [UInt8]?
    let vocabulary: @Sendable () -> [UInt8]?

    /// - Parameters:
    ///   - manifest: the bytes of `search/manifest.json`.
    ///   - shard: the bytes of `search/s/N.bin`.
    ///   - vocabulary: the bytes of `search/v.txt` (read only for a word that matches nothing).
    public init?(manifest: [UInt8], shard: @escaping @Sendable (Int) -> [UInt8]?, vocabulary: @escaping @Sendable () -> [UInt8]? = { nil }) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(manifest)) as? [String: Any],
              let pages = object["pages"] as? Int, let shards = object["shards"] as? [String] else { return nil }
        self.pages = pages
        firstTerms = shards
        levelsPerPoint = object["levelsPerPoint"] as? Double ?? 24
        self.shard = shard
        self.vocabulary = vocabulary
    }

    /// Decoded shards of one run, read once each.
    final class Loaded {
        var dictionaries: [Int: [String: ArraySlice<UInt8>]] = [:]
    }

    /// The required words, each with its pages' scores, as searched (a typo replaced by its nearest word).
    struct Searched {
        var perWord: [[Int: Double]] = []
        /// As typed, or the word used instead.
        var words: [String] = []
        var stems: [String] = []
        var corrections: [(typed: String, used: String)] = []
    }

    /// What every page scored, and which sides of the query it has whole.
    struct Totals {
        var hits: [Int: Hit] = [:]
        var sides: [Int: Int] = [:]
    }

    public func run(_ text: String) -> Result {
        let words = Tokenizer.queryTerms(text)
        guard !words.isEmpty else { return Result(hits: [], partial: false, shards: []) }
        let plan = QueryPlan.plan(words)
        let loaded = Loaded()
        let searched = searchRequired(plan, words: words, typing: !(text.last?.isWhitespace ?? true), loaded)
        var totals = total(searched, plan: plan)
        liftIntents(&totals, plan: plan, loaded)
        let uncovered = liftExactTitles(&totals, plan: plan, words: words, searched: searched, loaded)
        let sides = totals.sides
        let complete = totals.hits.values.filter { sides[$0.page]! > 0 }
        let partial = complete.isEmpty
        // A role the site does not cover: the pages with some of its words are the nearest, after those with all.
        // Pages with more sides whole first (both roles of "X vs Y" before one), then more words, then score.
        let hits = (partial || uncovered != nil ? Array(totals.hits.values) : complete).sorted {
            (sides[$0.page]!, $0.matchedWords, $0.score, -$0.page) > (sides[$1.page]!, $1.matchedWords, $1.score, -$1.page)
        }
        return Result(hits: hits, partial: partial && !hits.isEmpty, shards: loaded.dictionaries.keys.sorted(),
                      corrections: searched.corrections, words: searched.words, uncovered: uncovered)
    }

    /// Scores each required word; one that matches nothing but its shorter forms is read as a typo of the nearest
    /// word of the vocabulary, when one is near.
    func searchRequired(_ plan: QueryPlan, words: [(term: String, raw: String)], typing: Bool, _ loaded: Loaded) -> Searched {
        var searched = Searched()
        var vocabularyWords: [String]?
        for (position, word) in plan.required.enumerated() {
            // Only the query's last word is still being typed.
            let prefix = typing && position == plan.required.count - 1 && word.raw == words.last?.raw && word.raw.utf16.count >= 3
            var (scores, direct) = score(word, prefix: prefix, loaded)
            var used = word.raw
            if !direct, word.raw.utf16.count >= Typos.shortest {
                if vocabularyWords == nil {
                    vocabularyWords = vocabulary().map { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) } ?? []
                }
                if let nearest = Typos.nearest(word.raw, in: vocabularyWords ?? []) {
                    scores = score(QueryPlan.Word(term: EnglishStemmer.stem(nearest), raw: nearest), prefix: false, loaded).scores
                    searched.corrections.append((word.raw, nearest))
                    used = nearest
                }
            }
            searched.words.append(used)
            searched.stems.append(used == word.raw ? word.term : EnglishStemmer.stem(used))
            searched.perWord.append(scores)
        }
        return searched
    }

    /// Each page's sum over the required words, how many it has, and how many sides of the query it has whole.
    func total(_ searched: Searched, plan: QueryPlan) -> Totals {
        var totals = Totals()
        // Which required words each page has (the first 30), to tell which sides of "X vs Y" it has whole.
        var masks: [Int: Int] = [:]
        for (index, scores) in searched.perWord.enumerated() {
            for (page, score) in scores {
                totals.hits[page, default: Hit(page: page, score: 0, matchedWords: 0)].score += score
                totals.hits[page]!.matchedWords += 1
                if index < 30 { masks[page, default: 0] |= 1 << index }
            }
        }
        let sideMasks = plan.sides.map { side in side.filter { $0 < 30 }.reduce(0) { $0 | 1 << $1 } }
        for page in totals.hits.keys {
            let mask = masks[page] ?? 0
            totals.sides[page] = sideMasks.filter { $0 != 0 && mask & $0 == $0 }.count
        }
        return totals
    }

    /// The optional words add their scores; the pages whose titles carry them (salary guides, how-to guides,
    /// comparisons of this pair) are lifted.
    func liftIntents(_ totals: inout Totals, plan: QueryPlan, _ loaded: Loaded) {
        for word in plan.optional {
            for (page, score) in self.score(word, prefix: false, loaded).scores where totals.hits[page] != nil {
                totals.hits[page]!.score += score * QueryPlan.optionalWeight
            }
            let key = TitleWord.key(word.term)
            guard let postings = dictionary(shardIndex(for: key), loaded)[key] else { continue }
            // A comparison lifts only the pages of this pair: those with every side whole.
            for (page, _) in ShardDecoder.postings(postings)
            where totals.hits[page] != nil && (word.raw != "vs" || totals.sides[page] == plan.sides.count) {
                totals.hits[page]!.score *= TitleWord.lift
            }
        }
    }

    /// A page whose title is exactly the query, or one side of "X vs Y", comes first among its equals; not when the
    /// query asks for pay or a way in (then the salary or how-to guide about the role is the answer). A title that is
    /// every word typed ("How to Become a Data Engineer") always does. Returns the role named that no title is.
    func liftExactTitles(_ totals: inout Totals, plan: QueryPlan, words: [(term: String, raw: String)], searched: Searched, _ loaded: Loaded) -> String? {
        let intent = plan.optional.contains { $0.raw != "vs" }
        var lifted = Set<Int>()
        if searched.corrections.isEmpty, words.count > plan.required.count, let key = ExactTitle.key(words.map(\.term)),
           let postings = dictionary(shardIndex(for: key), loaded)[key] {
            for (page, _) in ShardDecoder.postings(postings) where totals.hits[page] != nil {
                totals.hits[page]!.score *= ExactTitle.lift
                lifted.insert(page)
            }
        }
        var uncovered: String?
        for side in plan.sides {
            guard let key = ExactTitle.key(Array(searched.stems[side])),
                  let postings = dictionary(shardIndex(for: key), loaded)[key] else {
                if side.count >= 2, let last = searched.stems[side].last, QueryPlan.jobNouns.contains(last) {
                    uncovered = searched.words[side].joined(separator: " ")
                }
                continue
            }
            for (page, _) in ShardDecoder.postings(postings) where !intent && totals.hits[page] != nil && !lifted.contains(page) {
                totals.hits[page]!.score *= ExactTitle.lift
                lifted.insert(page)
            }
        }
        return uncovered
    }

    /// Each page's best score for one word: its stem and spelling, and while typing the terms it starts and
    /// its shorter forms. `direct`: the word itself, or a term it starts, is in the index.
    func score(_ word: QueryPlan.Word, prefix: Bool, _ loaded: Loaded) -> (scores: [Int: Double], direct: Bool) {
        func dictionary(_ index: Int) -> [String: ArraySlice<UInt8>] { self.dictionary(index, loaded) }
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
        var direct = false
        // The word's own rarity, when the index has the word itself: what a term it starts may score at most.
        var ownIDF: Double?
        func idf(_ count: Int) -> Double { log(1 + (Double(pages) - Double(count) + 0.5) / (Double(count) + 0.5)) }
        func add(_ postings: ArraySlice<UInt8>, weight: Double, maxIDF: Double? = nil) {
            let decoded = ShardDecoder.postings(postings)
            let rarity = min(idf(decoded.count), maxIDF ?? .infinity)
            for (page, level) in decoded {
                let score = Double(level) / levelsPerPoint * rarity * weight
                if score > scores[page, default: 0] { scores[page] = score }
            }
        }
        for (term, weight) in candidates.sorted(by: { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }) {
            guard let postings = dictionary(shardIndex(for: term))[term] else { continue }
            add(postings, weight: weight)
            if weight == 1 {
                ownIDF = max(ownIDF ?? 0, idf(ShardDecoder.postingCount(postings)))
                direct = true
            }
        }
        if prefix {
            // The raw word and its stem usually share shards: read each once.
            for index in Set(shardRange(prefix: word.raw) + shardRange(prefix: word.term)).sorted() {
                // Not the title terms that follow a word (they end in U+0001 or U+0002).
                for (term, postings) in dictionary(index) where candidates[term] == nil && (term.utf8.last ?? 0) > 2
                    && (term.hasPrefix(word.raw) || term.hasPrefix(word.term)) {
                    add(postings, weight: ownIDF == nil ? 0.7 : 0.5, maxIDF: ownIDF)
                    direct = true
                }
            }
        }
        return (scores, direct)
    }

    /// A shard's terms, decoded once a run.
    func dictionary(_ index: Int, _ loaded: Loaded) -> [String: ArraySlice<UInt8>] {
        if let cached = loaded.dictionaries[index] { return cached }
        let decoded = shard(index).map(ShardDecoder.terms) ?? [:]
        loaded.dictionaries[index] = decoded
        return decoded
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

    /// How many documents a term's postings hold.
    static func postingCount(_ bytes: ArraySlice<UInt8>) -> Int {
        postings(bytes).count
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
