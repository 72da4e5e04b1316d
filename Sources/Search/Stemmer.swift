/// Snowball English (Porter2) stemmer.
///
/// Implements the current Snowball `english.sbl` (Snowball 3.x, as in the `snowballstemmer`
/// package): exceptional forms, Y-marking, R1 prefixes (gener, commun, arsen, emerg, inter,
/// later, organ, past, univers), the apostrophe step and steps 1a to 5.
/// `Tests/SearchTests/Fixtures/stem-vectors.txt` holds the reference output; the browser
/// search script carries a JavaScript twin that must give the same stems.
///
/// Works on ASCII bytes: no Foundation, no `Character` indexing. Suffixes of up to 8 bytes
/// are compared as one `UInt64` ("packed": first byte in the lowest 8 bits).
public enum EnglishStemmer {
    /// `word` is already lower-cased. Words containing anything but a-z, 0-9 and ' are
    /// returned unchanged (CJK, other scripts).
    public static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        let stemmed = stem(bytes: bytes)
        return stemmed == bytes ? word : String(decoding: stemmed, as: UTF8.self)
    }

    /// Same on UTF-8 bytes (fast path used by the indexer); returns the stem's bytes.
    public static func stem(bytes: [UInt8]) -> [UInt8] {
        if bytes.count < 3 { return bytes }
        for c in bytes where !isWordByte(c) { return bytes }
        if bytes.count <= 6 {
            let whole = packed(bytes)
            if let i = exceptionKeys.firstIndex(of: whole) { return exceptionStems[i] }
        }
        var word = Word(bytes)
        word.step1a()
        word.step1b()
        word.step1c()
        word.apply(step2, from: word.p1)
        word.apply(step3, from: word.p1)
        word.apply(step4, from: word.p2)
        word.step5()
        return word.finish()
    }
}

// MARK: - Tables

extension EnglishStemmer {
    /// Whole words with a fixed stem (stem == word means "leave alone").
    static let exceptions: [(String, String)] = [
        ("skis", "ski"), ("skies", "sky"), ("idly", "idl"), ("gently", "gentl"),
        ("ugly", "ugli"), ("early", "earli"), ("only", "onli"), ("singly", "singl"),
        ("sky", "sky"), ("news", "news"), ("howe", "howe"), ("atlas", "atlas"),
        ("cosmos", "cosmos"), ("bias", "bias"), ("andes", "andes"),
    ]
    static let exceptionKeys = exceptions.map { packed($0.0.utf8) }
    static let exceptionStems = exceptions.map { Array($0.1.utf8) }

    /// Prefixes that end R1.
    static let r1Prefixes = ["gener", "commun", "arsen", "emerg", "inter", "later", "organ", "past", "univers"]
        .map { Affix($0) }

    /// Whole stems kept before -ing (evening, canning, inning, earring, herring, outing) and
    /// before -eed (succeed, proceed, exceed).
    static let keepBeforeIng = ["even", "cann", "inn", "earr", "herr", "out"].map { packed($0.utf8) }
    static let keepBeforeEed = ["succ", "proc", "exc"].map { packed($0.utf8) }

    /// Step 2, in R1.
    static let step2 = RuleSet([
        Rule("tional", "tion"), Rule("enci", "ence"), Rule("anci", "ance"), Rule("abli", "able"),
        Rule("entli", "ent"), Rule("izer", "ize"), Rule("ization", "ize"), Rule("ational", "ate"),
        Rule("ation", "ate"), Rule("ator", "ate"), Rule("alism", "al"), Rule("aliti", "al"),
        Rule("alli", "al"), Rule("fulness", "ful"), Rule("fulli", "ful"), Rule("ousli", "ous"),
        Rule("ousness", "ous"), Rule("iveness", "ive"), Rule("iviti", "ive"), Rule("biliti", "ble"),
        Rule("bli", "ble"), Rule("ogist", "og"), Rule("lessli", "less"),
        Rule("ogi", "og", .afterL), Rule("li", "", .afterValidLI),
    ])

    /// Step 3, in R1.
    static let step3 = RuleSet([
        Rule("tional", "tion"), Rule("ational", "ate"), Rule("alize", "al"), Rule("icate", "ic"),
        Rule("iciti", "ic"), Rule("ical", "ic"), Rule("ful", ""), Rule("ness", ""),
        Rule("ative", "", .inR2),
    ])

    /// Step 4, in R2.
    static let step4 = RuleSet([
        Rule("al", ""), Rule("ance", ""), Rule("ence", ""), Rule("er", ""), Rule("ic", ""),
        Rule("able", ""), Rule("ible", ""), Rule("ant", ""), Rule("ement", ""), Rule("ment", ""),
        Rule("ent", ""), Rule("ism", ""), Rule("ate", ""), Rule("iti", ""), Rule("ous", ""),
        Rule("ive", ""), Rule("ize", ""), Rule("ion", "", .afterSOrT),
    ])

    /// Up to 8 bytes in one integer, first byte lowest. No byte is 0, so different
    /// lengths never collide.
    static func packed(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for (i, c) in bytes.enumerated() { key |= UInt64(c) << (8 * UInt64(i)) }
        return key
    }

    /// A prefix or suffix as a packed key and the mask that selects its length.
    struct Affix: Sendable {
        let key: UInt64
        let mask: UInt64
        let length: Int

        /// Suffixes are packed reversed (last byte lowest), to match `Word.tail()`.
        init(_ text: String, reversed: Bool = false) {
            let bytes = Array(text.utf8)
            key = packed(reversed ? bytes.reversed() : bytes)
            length = bytes.count
            mask = length >= 8 ? ~0 : (1 << (8 * UInt64(length))) - 1
        }
    }

    enum Condition: Sendable {
        case none, afterL, afterValidLI, afterSOrT, inR2
    }

    struct Rule: Sendable {
        let suffix: Affix
        let replacement: UInt64
        let replacementLength: Int
        let condition: Condition

        /// The suffix's last byte.
        var last: Int { Int(suffix.key & 0xFF) }

        init(_ suffix: String, _ replacement: String, _ condition: Condition = .none) {
            self.suffix = Affix(suffix, reversed: true)
            self.replacement = packed(replacement.utf8)
            self.replacementLength = replacement.utf8.count
            self.condition = condition
        }
    }

    /// A step's rules grouped by last letter, longest suffix first within a group, so the
    /// first match is Snowball's `among` (longest) match.
    struct RuleSet: Sendable {
        let rules: [Rule]
        /// `rules[groupStart[c - 97] ..< groupStart[c - 96]]` end in letter `c`.
        let groupStart: [Int]

        init(_ rules: [Rule]) {
            let sorted = rules.sorted { ($0.last, $1.suffix.length) < ($1.last, $0.suffix.length) }
            self.rules = sorted
            groupStart = (0...26).map { letter in sorted.firstIndex { $0.last >= 97 + letter } ?? sorted.count }
        }

        /// The longest rule whose suffix ends `tail` (packed, last byte lowest).
        @inline(__always) func match(_ tail: UInt64) -> Rule? {
            let letter = Int(tail & 0xFF) - 97
            guard letter >= 0 && letter < 26 else { return nil }
            for i in groupStart[letter]..<groupStart[letter + 1] where tail & rules[i].suffix.mask == rules[i].suffix.key {
                return rules[i]
            }
            return nil
        }
    }
}

// MARK: - Character classes

extension EnglishStemmer {
    static var apostrophe: UInt8 { UInt8(ascii: "'") }
    static var markedY: UInt8 { UInt8(ascii: "Y") }  // a y that acts as a consonant

    @inline(__always) static func isWordByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
            || c == apostrophe
    }

    /// a e i o u y (a marked `Y` is a consonant).
    @inline(__always) static func isVowel(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"),
             UInt8(ascii: "u"), UInt8(ascii: "y"): return true
        default: return false
        }
    }

    /// Endings that step 1b undoubles: bb dd ff gg mm nn pp rr tt.
    @inline(__always) static func isDoubleable(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "b"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "g"), UInt8(ascii: "m"),
             UInt8(ascii: "n"), UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "t"): return true
        default: return false
        }
    }

    /// Letters before which step 2 deletes -li: c d e g h k m n r t.
    @inline(__always) static func isValidLI(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "g"), UInt8(ascii: "h"),
             UInt8(ascii: "k"), UInt8(ascii: "m"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): return true
        default: return false
        }
    }
}

// MARK: - The word being stemmed

extension EnglishStemmer {
    struct Word {
        /// Never grows past the input's length, so edits do not reallocate.
        var b: [UInt8]
        /// Start of R1 and R2 (`b.count` of the prelude word when empty).
        var p1: Int
        var p2: Int

        /// Prelude: drop a leading apostrophe, mark consonant y as Y, find R1 and R2.
        init(_ bytes: [UInt8]) {
            var b = bytes
            if b[0] == apostrophe { b.removeFirst() }
            for i in b.indices where b[i] == UInt8(ascii: "y") && (i == 0 || isVowel(b[i - 1])) {
                b[i] = markedY
            }
            let head = packed(b.prefix(8))
            if let prefix = r1Prefixes.first(where: { head & $0.mask == $0.key }) {
                p1 = prefix.length
            } else {
                p1 = Word.regionStart(b, from: 0)
            }
            p2 = Word.regionStart(b, from: p1)
            self.b = b
        }

        /// Just after the first non-vowel that follows a vowel, searching from `from`.
        static func regionStart(_ b: [UInt8], from: Int) -> Int {
            let n = b.count
            var i = from
            while i < n && !isVowel(b[i]) { i += 1 }
            i += 1
            while i < n && isVowel(b[i]) { i += 1 }
            return i < n ? i + 1 : n
        }

        /// The last (up to) 8 bytes packed, last byte lowest.
        @inline(__always) func tail() -> UInt64 {
            var key: UInt64 = 0
            var i = b.count - 1, shift: UInt64 = 0
            while i >= 0 && shift < 64 {
                key |= UInt64(b[i]) << shift
                i -= 1
                shift += 8
            }
            return key
        }

        /// The first `count` bytes packed (count <= 8).
        @inline(__always) func head(_ count: Int) -> UInt64 {
            packed(b[0..<count])
        }

        @inline(__always) func ends(_ s: StaticString) -> Bool {
            let n = b.count, k = s.utf8CodeUnitCount
            guard n >= k else { return false }
            let p = s.utf8Start
            for i in 0..<k where b[n - k + i] != p[i] { return false }
            return true
        }

        /// Does `b[0..<end]` contain a vowel?
        func hasVowel(before end: Int) -> Bool {
            b[0..<end].contains(where: isVowel)
        }

        /// Does `b[0..<k]` end in a short syllable (or in "past")?
        func endsInShortSyllable(_ k: Int) -> Bool {
            if k >= 3 {
                let c = b[k - 1]
                if !isVowel(c) && c != UInt8(ascii: "w") && c != UInt8(ascii: "x") && c != markedY
                    && isVowel(b[k - 2]) && !isVowel(b[k - 3]) { return true }
            }
            if k == 2 && isVowel(b[0]) && !isVowel(b[1]) { return true }
            return k >= 4 && b[k - 4] == UInt8(ascii: "p") && b[k - 3] == UInt8(ascii: "a")
                && b[k - 2] == UInt8(ascii: "s") && b[k - 1] == UInt8(ascii: "t")
        }

        /// Replaces `b[start...]` with up to 8 packed bytes.
        mutating func replaceEnd(from start: Int, with replacement: UInt64, count: Int) {
            b.removeSubrange(start...)
            for i in 0..<count { b.append(UInt8(truncatingIfNeeded: replacement >> (8 * UInt64(i)))) }
        }

        /// Step 1a: 's' 's ' then sses -> ss, ied/ies -> i or ie, s deleted after a vowel+letter.
        mutating func step1a() {
            if ends("'s'") { b.removeLast(3) }
            else if ends("'s") { b.removeLast(2) }
            else if ends("'") { b.removeLast() }

            let n = b.count
            if ends("sses") {
                b.removeLast(2)
            } else if ends("ied") || ends("ies") {
                if n > 4 { replaceEnd(from: n - 3, with: packed("i".utf8), count: 1) }
                else { replaceEnd(from: n - 3, with: packed("ie".utf8), count: 2) }
            } else if ends("s") && !ends("ss") && !ends("us") {
                if n >= 2 && hasVowel(before: n - 2) { b.removeLast() }
            }
        }

        /// Step 1b: eed(ly) -> ee in R1; ed(ly), ing(ly) deleted after a vowel, then tidy up.
        mutating func step1b() {
            let length: Int
            let isEed: Bool
            if ends("eedly") { (length, isEed) = (5, true) }
            else if ends("ingly") { (length, isEed) = (5, false) }
            else if ends("edly") { (length, isEed) = (4, false) }
            else if ends("eed") { (length, isEed) = (3, true) }
            else if ends("ing") { (length, isEed) = (3, false) }
            else if ends("ed") { (length, isEed) = (2, false) }
            else { return }
            let start = b.count - length

            if isEed {
                if start >= p1 && !(start <= 4 && keepBeforeEed.contains(head(start))) {
                    replaceEnd(from: start, with: packed("ee".utf8), count: 2)
                }
                return
            }
            if length == 3 && ends("ing") {
                if start <= 4 && keepBeforeIng.contains(head(start)) { return }
                if start == 2 && b[1] == UInt8(ascii: "y") && !isVowel(b[0]) {  // dying -> die
                    replaceEnd(from: 1, with: packed("ie".utf8), count: 2)
                    return
                }
            }
            guard hasVowel(before: start) else { return }
            b.removeSubrange(start...)

            let n = b.count
            if ends("at") || ends("bl") || ends("iz") {
                b.append(UInt8(ascii: "e"))
            } else if n >= 2 && b[n - 1] == b[n - 2] && isDoubleable(b[n - 1]) {
                let first = b[0]
                let keepDouble = n == 3 && (first == UInt8(ascii: "a") || first == UInt8(ascii: "e") || first == UInt8(ascii: "o"))
                if !keepDouble { b.removeLast() }  // hopp -> hop, but add, egg, off stay
            } else if n == p1 && endsInShortSyllable(n) {
                b.append(UInt8(ascii: "e"))  // hop -> hope
            }
        }

        /// Step 1c: final y or Y -> i after a consonant that is not the first letter.
        mutating func step1c() {
            let n = b.count
            if n >= 3 && (b[n - 1] == UInt8(ascii: "y") || b[n - 1] == markedY) && !isVowel(b[n - 2]) {
                b[n - 1] = UInt8(ascii: "i")
            }
        }

        /// Steps 2 to 4: find the longest matching suffix; replace it if it starts at or
        /// after `region` and its condition holds.
        mutating func apply(_ rules: RuleSet, from region: Int) {
            guard let rule = rules.match(tail()) else { return }
            let start = b.count - rule.suffix.length
            guard start >= region else { return }
            let before = start > 0 ? b[start - 1] : 0
            switch rule.condition {
            case .none: break
            case .afterL: guard before == UInt8(ascii: "l") else { return }
            case .afterValidLI: guard isValidLI(before) else { return }
            case .afterSOrT: guard before == UInt8(ascii: "s") || before == UInt8(ascii: "t") else { return }
            case .inR2: guard start >= p2 else { return }
            }
            replaceEnd(from: start, with: rule.replacement, count: rule.replacementLength)
        }

        /// Step 5: final e deleted in R2, or in R1 unless after a short syllable; ll -> l in R2.
        mutating func step5() {
            guard let last = b.last else { return }
            let k = b.count - 1
            if last == UInt8(ascii: "e") {
                if k >= p2 || (k >= p1 && !endsInShortSyllable(k)) { b.removeLast() }
            } else if last == UInt8(ascii: "l") {
                if k >= p2 && k >= 1 && b[k - 1] == UInt8(ascii: "l") { b.removeLast() }
            }
        }

        /// Postlude: marked Y back to y.
        mutating func finish() -> [UInt8] {
            for i in b.indices where b[i] == markedY { b[i] = UInt8(ascii: "y") }
            return b
        }
    }
}
