import Foundation

/// What a query asks for, read the way a reader means it (`search.js` has the same rules as `plan`;
/// Tests/SearchTests/Fixtures/query-plans.json holds the cases both must agree on):
///
/// - Words that carry no subject ("how", "to", "a", "the", "what", "does", "vs"...) are neither required
///   nor scored, unless the query has nothing else.
/// - Pay words ("salary", "pay", "make", "earn"...) add the optional term `salary`, which lifts salary
///   guides; the verbs ("make", "earn") are not required, the nouns are.
/// - "become" (as in "how to become X") and words of starting out ("entry", "junior") are optional and add
///   `become`, which lifts the how-to guides, whose titles have it; "vs" adds `vs`, which lifts comparison pages.
/// - An optional word counts twice what a required word does, where a page has it.
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
    /// The required words split where the query said "vs", "versus" or "or": each side may be a title.
    public var sides: [Range<Int>]

    /// Words dropped from a query that has other words.
    public static let stopWords: Set<String> = [
        "a", "an", "the", "to", "how", "what", "whats", "does", "do", "is", "are", "for", "of", "in", "on", "i", "can",
        "much", "and", "with", "be", "as", "you", "my", "should", "need", "job", "jobs", "work", "which",
        "who", "or", "get", "into", "being", "there", "it", "me", "at",
    ]
    /// Pay words that are a subject of their own: required, and they add `salary`.
    public static let payNouns: Set<String> = ["salary", "salaries", "pay", "paid", "wage", "wages", "income", "compensation", "earnings"]
    /// Pay verbs: not required; they add `salary`.
    public static let payVerbs: Set<String> = ["make", "makes", "earn", "earns", "paying"]
    /// Words of the how-to intent, and of starting out: not required; they add `become`.
    public static let becomeWords: Set<String> = ["become", "becoming", "entry", "junior", "graduate", "beginner", "beginners", "trainee"]
    /// A comparison: not required; they add `vs`, which comparison pages have in their titles.
    public static let versusWords: Set<String> = ["vs", "versus"]
    /// Words that end the name of a job: a query of two or more words ending in one names a role, and when no
    /// page has that exact title the site does not cover it ("data scientist").
    public static let jobNouns: Set<String> = Set([
        "engineer", "developer", "scientist", "designer", "manager", "analyst", "architect", "administrator", "programmer",
        "tester", "consultant", "specialist", "writer", "director", "officer", "technician", "master", "lead",
    ].map(EnglishStemmer.stem))
    /// What an optional word's score counts for, beside a required word's 1.
    public static let optionalWeight = 2.0

    public init(required: [Word], optional: [Word], sides: [Range<Int>] = []) {
        self.required = required
        self.optional = optional
        self.sides = sides.isEmpty && !required.isEmpty ? [0..<required.count] : sides
    }

    /// The plan of a query's words (`Tokenizer.queryTerms`).
    public static func plan(_ words: [(term: String, raw: String)]) -> QueryPlan {
        var required: [Word] = []
        var optional: [Word] = []
        var sides: [Range<Int>] = []
        var sideStart = 0
        func closeSide() {
            if required.count > sideStart { sides.append(sideStart..<required.count) }
            sideStart = required.count
        }
        func addOptional(_ raw: String) {
            let word = Word(term: EnglishStemmer.stem(raw), raw: raw)
            if !optional.contains(word) { optional.append(word) }
        }
        for (term, raw) in words {
            if versusWords.contains(raw) || raw == "or" { closeSide() }
            if stopWords.contains(raw) { continue }
            if payVerbs.contains(raw) {
                addOptional("salary")
            } else if becomeWords.contains(raw) {
                addOptional("become")
            } else if versusWords.contains(raw) {
                addOptional("vs")
            } else {
                if payNouns.contains(raw) { addOptional("salary") }
                required.append(Word(term: term, raw: raw))
            }
        }
        closeSide()
        // A query of stop words and intents only ("how to become", "make") asks for them.
        if required.isEmpty {
            let kept = words.filter { !stopWords.contains($0.raw) && !versusWords.contains($0.raw) }
            required = (kept.isEmpty ? words : kept).map { Word(term: $0.term, raw: $0.raw) }
            optional = []
            sides = [0..<required.count]
        }
        return QueryPlan(required: required, optional: optional, sides: sides)
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

/// Exact titles: each page's title and alternate titles are also indexed as one term, their words' stems each
/// followed by U+0001 ("product\u{1}manager\u{1}"), so a query that is exactly a title (or each side of an
/// "X vs Y" query that is) finds that page first. The term sorts right after its first word's stem, in the
/// same shard (`SearchIndex` keeps them together), so looking it up reads nothing more.
public enum ExactTitle {
    static let separator = "\u{1}"
    /// A page with the exact title gets its score times this.
    public static let lift = 1.5
    /// Titles of more words are not indexed whole.
    static let longest = 6

    public static func key(_ stems: [String]) -> String? {
        guard !stems.isEmpty, stems.count <= longest else { return nil }
        return stems.map { $0 + separator }.joined()
    }

    /// Whether `next` is an exact-title or title-word term of `word` (the shard must not end between them).
    static func continues(word: String, next: String) -> Bool {
        next.hasPrefix(word + separator) || next == TitleWord.key(word)
    }
}

/// Title words: each stem of a page's title is also indexed as itself followed by U+0002 ("salari\u{2}"), so a
/// query's intent (pay: `salary`; how-to: `become`; comparison: `vs`) lifts the pages whose titles carry it,
/// not every page that mentions it. The term sorts right after the stem, in the same shard.
public enum TitleWord {
    /// A page whose title has an intent's word gets its score times this.
    public static let lift = 1.5

    public static func key(_ stem: String) -> String {
        stem + "\u{2}"
    }
}
