import Foundation

/// What a query asks for, read the way a reader means it (`search.js` has the same rules as `plan`;
/// Tests/SearchTests/Fixtures/query-plans.json holds the cases both must agree on):
///
/// - Words that carry no subject ("how", "to", "a", "the", "what", "does", "vs"...) are neither required
///   nor scored, unless the query has nothing else.
/// - Pay words ("salary", "pay", "make", "earn"...) add the optional term `salary`, which lifts salary
///   guides; the verbs ("make", "earn") are not required, the nouns are.
/// - "become" (as in "how to become X") is optional and lifts the how-to guides, whose titles have it.
/// - Every other word is required (AND); `vs` between two names needs no rule of its own: a comparison
///   page's title holds both names, and each role's page the other's name.
public struct QueryPlan: Sendable, Equatable {
    public struct Word: Sendable, Equatable {
        /// The stem the index holds.
        public var term: String
        /// The word as typed (folded).
        public var raw: String
    }

    /// Words every result must have.
    public var required: [Word]
    /// Words that add to a result's score when it has them, but are not needed.
    public var optional: [Word]

    /// Words dropped from a query that has other words.
    public static let stopWords: Set<String> = [
        "a", "an", "the", "to", "how", "what", "whats", "does", "do", "is", "are", "for", "of", "in", "on", "i", "can",
        "much", "vs", "versus", "and", "with", "be", "as", "you", "my", "should", "need", "job", "jobs", "work", "which",
        "who", "or", "get", "into", "being", "there", "it", "me", "at",
    ]
    /// Pay words that are a subject of their own: required, and they add `salary`.
    public static let payNouns: Set<String> = ["salary", "salaries", "pay", "paid", "wage", "wages", "income", "compensation", "earnings"]
    /// Pay verbs: not required; they add `salary`.
    public static let payVerbs: Set<String> = ["make", "makes", "earn", "earns", "paying"]
    /// Words of the how-to intent: not required; they add `become`.
    public static let becomeWords: Set<String> = ["become", "becoming"]

    public init(required: [Word], optional: [Word]) {
        self.required = required
        self.optional = optional
    }

    /// The plan of a query's words (`Tokenizer.queryTerms`).
    public static func plan(_ words: [(term: String, raw: String)]) -> QueryPlan {
        var required: [Word] = []
        var optional: [Word] = []
        func addOptional(_ raw: String) {
            let word = Word(term: EnglishStemmer.stem(raw), raw: raw)
            if !optional.contains(word) { optional.append(word) }
        }
        for (term, raw) in words {
            if stopWords.contains(raw) { continue }
            if payVerbs.contains(raw) {
                addOptional("salary")
            } else if becomeWords.contains(raw) {
                addOptional("become")
            } else {
                if payNouns.contains(raw) && raw != "salary" { addOptional("salary") }
                required.append(Word(term: term, raw: raw))
            }
        }
        // A query of stop words and intents only ("how to become", "make") asks for them.
        if required.isEmpty {
            let kept = words.filter { !stopWords.contains($0.raw) }
            required = (kept.isEmpty ? words : kept).map { Word(term: $0.term, raw: $0.raw) }
            optional = []
        }
        optional.removeAll { word in required.contains { $0.term == word.term } }
        return QueryPlan(required: required, optional: optional)
    }
}

/// Nearest words for a typo: optimal string alignment distance (insertions, deletions, substitutions and
/// swaps of neighbours), on UTF-16 code units as JavaScript compares.
public enum Typos {
    /// A word this long or longer, that matches nothing, is tried against the vocabulary.
    public static let shortest = 5
    /// Distance allowed: 1, or 2 from this length on.
    public static let twoEditsFrom = 8

    public static func allowed(_ word: String) -> Int {
        word.utf16.count >= twoEditsFrom ? 2 : 1
    }

    /// The first word of `vocabulary` (most frequent first) nearest to `word` within its allowed distance.
    public static func nearest(_ word: String, in vocabulary: [String]) -> String? {
        let limit = allowed(word)
        let typed = Array(word.utf16)
        var best: (distance: Int, word: String)?
        for candidate in vocabulary where candidate != word {
            let other = Array(candidate.utf16)
            guard abs(other.count - typed.count) <= limit else { continue }
            let distance = Self.distance(typed, other, limit: limit)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (distance, candidate)
                if distance == 1 { break }
            }
        }
        return best?.word
    }

    /// Optimal string alignment distance, or `limit + 1` once it must exceed `limit`.
    static func distance(_ a: [UInt16], _ b: [UInt16], limit: Int) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var smallest = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, before[j - 2] + 1) }
                current[j] = value
                smallest = min(smallest, value)
            }
            if smallest > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
