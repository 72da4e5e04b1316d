import Foundation

/// Text -> index terms. The browser script (`search.js` in the default theme) runs the
/// same rules on what the reader types, so both sides must change together; the
/// end-to-end test checks that they agree.
///
/// Rules:
/// - A word is a run of letters, marks and digits. An apostrophe between two word
///   characters stays inside the word, then `'s` at the end is dropped and other
///   apostrophes removed (`developer's` -> `developer`, `don't` -> `dont`).
/// - `++` or `#` right after a word belongs to it (`c++`, `c#`).
/// - Words joined by `-`, `.`, `/`, `_` (or `,` between digits) form a compound:
///   `back-end`, `node.js`, `ci/cd`. The index holds each part and, for 2-4 parts,
///   the parts written together (`backend`); a query looks up the joined form only,
///   so `back-end` finds `Backend` and `backend` finds `Back-End`.
/// - Folding: lower case, canonical decomposition without combining marks
///   (`Résumé` -> `resume`), and a few letters without a decomposition (`ß` -> `ss`).
/// - Chinese, Japanese and Korean characters are not split into words by spaces:
///   the index holds every character and every pair of neighbours; a query looks up
///   the pairs (one character alone: the character).
/// - Terms are stemmed with the Snowball English stemmer (`developers` -> `develop`).
public enum Tokenizer {
    /// One unit of text: a word (or compound) of ordinary letters, or a run of CJK characters.
    public enum Word: Equatable, Sendable {
        /// Folded parts of a word or compound, not stemmed.
        case parts([String])
        case cjk([Unicode.Scalar])
    }

    /// Longest term kept, in UTF-16 units (longer runs are identifiers or garbage).
    static let maxTermLength = 40

    /// Index terms of `text`, in order (a term may repeat), stemmed.
    public static func indexTerms(_ text: String, into emit: (String) -> Void) {
        indexWords(text) { emit(EnglishStemmer.stem($0)) }
    }

    /// What `indexTerms` emits before stemming (stemming is then one lookup per distinct word).
    static func indexWords(_ text: String, into emit: (String) -> Void) {
        scan(text) { word in
            switch word {
            case let .parts(parts):
                for part in parts where part.utf16.count <= maxTermLength { emit(part) }
                if parts.count > 1, parts.count <= 4 {
                    let joined = parts.joined()
                    if joined.utf16.count <= maxTermLength { emit(joined) }
                }
            case let .cjk(run):
                for scalar in run { emit(String(scalar)) }
                pairs(of: run).forEach(emit)
            }
        }
    }

    /// What `indexWords` emits for ASCII text, each word as its folded bytes (in a buffer reused from
    /// word to word), made without a `String`; false, having emitted nothing, for other text. The
    /// scoring looks most words up by these bytes (a `String` a word was a tenth of its time).
    ///
    /// It reads best whole: one pass over the bytes that applies `scan`'s rules (parts, connectors, `++` and `#`,
    /// apostrophes) in `scan`'s order, so the two can be read side by side.
    static func indexWordsASCII(_ text: String, into emit: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
            var folded: [UInt8] = []
            folded.reserveCapacity(4 * maxTermLength)
            var ends: [Int] = []
            let count = bytes.count
            func isWord(_ byte: UInt8) -> Bool {
                let lower = byte | 0x20
                return (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            }
            var index = 0
            while index < count {
                guard isWord(bytes[index]) else {
                    index += 1
                    continue
                }
                folded.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
                // The rules of `scan`, for bytes: parts joined by connectors, each folded as `fold` does.
                while true {
                    let start = index
                    while index < count {
                        if isWord(bytes[index]) {
                            index += 1
                        } else if bytes[index] == 0x27, index > start, index + 1 < count, isWord(bytes[index + 1]) {
                            index += 1
                        } else {
                            break
                        }
                    }
                    var end = index
                    var closed = false
                    if index + 1 < count, bytes[index] == 0x2B, bytes[index + 1] == 0x2B, index + 2 == count || !isWord(bytes[index + 2]) {
                        index += 2
                        end = index
                        closed = true
                    } else if index < count, bytes[index] == 0x23, index + 1 == count || !isWord(bytes[index + 1]) {
                        index += 1
                        end = index
                        closed = true
                    }
                    let partStart = folded.count
                    var apostrophe = false
                    for position in start..<end {
                        let byte = bytes[position]
                        if byte == 0x27 { apostrophe = true }
                        folded.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte)
                    }
                    if apostrophe {
                        if folded.count - partStart >= 2, folded[folded.count - 2] == 0x27, folded[folded.count - 1] == 0x73 { folded.removeLast(2) }
                        var kept = partStart
                        for position in partStart..<folded.count where folded[position] != 0x27 {
                            folded[kept] = folded[position]
                            kept += 1
                        }
                        folded.removeLast(folded.count - kept)
                    }
                    if folded.count > partStart { ends.append(folded.count) }
                    if !closed, index + 1 < count, isWord(bytes[index + 1]) {
                        let connector = bytes[index]
                        if connector == 0x2D || connector == 0x2E || connector == 0x2F || connector == 0x5F
                            || (connector == 0x2C && bytes[index - 1] >= 0x30 && bytes[index - 1] <= 0x39 && bytes[index + 1] >= 0x30 && bytes[index + 1] <= 0x39) {
                            index += 1
                            continue
                        }
                    }
                    break
                }
                guard !ends.isEmpty else { continue }
                folded.withUnsafeBufferPointer { word in
                    var start = 0
                    for end in ends {
                        if end - start <= maxTermLength { emit(UnsafeBufferPointer(rebasing: word[start..<end])) }
                        start = end
                    }
                    if ends.count > 1, ends.count <= 4, word.count <= maxTermLength { emit(word) }
                }
            }
            return true
        }
    }

    /// Index terms of `text` as an array.
    public static func indexTerms(_ text: String) -> [String] {
        var terms: [String] = []
        indexTerms(text) { terms.append($0) }
        return terms
    }

    /// What a query looks up, word by word: each entry is one term the results must contain.
    /// `raw` is the folded word before stemming (the browser uses it for prefix matching).
    public static func queryTerms(_ text: String) -> [(term: String, raw: String)] {
        var terms: [(term: String, raw: String)] = []
        scan(text) { word in
            switch word {
            case let .parts(parts):
                let joined = parts.count > 1 && parts.count <= 4 ? [parts.joined()] : parts
                for part in joined where part.utf16.count <= maxTermLength {
                    terms.append((EnglishStemmer.stem(part), part))
                }
            case let .cjk(run):
                let lookups = run.count == 1 ? [String(run[0])] : pairs(of: run)
                terms.append(contentsOf: lookups.map { ($0, $0) })
            }
        }
        return terms
    }

    /// Every two neighbouring characters of a CJK run.
    static func pairs(of run: [Unicode.Scalar]) -> [String] {
        guard run.count > 1 else { return [] }
        return (1..<run.count).map { index in
            var pair = String.UnicodeScalarView()
            pair.append(run[index - 1])
            pair.append(run[index])
            return String(pair)
        }
    }

    // MARK: - Scanning

    /// Splits text into words and CJK runs, already folded.
    public static func scan(_ text: String, _ visit: (Word) -> Void) {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        var index = 0
        // Reused from word to word (most words have one part).
        var parts: [String] = []
        while index < count {
            let scalar = scalars[index]
            if isCJK(scalar) {
                let start = index
                while index < count, isCJK(scalars[index]) { index += 1 }
                visit(.cjk(Array(scalars[start..<index])))
                continue
            }
            guard isWordCharacter(scalar) else {
                index += 1
                continue
            }
            parts.removeAll(keepingCapacity: true)
            while true {
                let start = index
                while index < count {
                    let current = scalars[index]
                    if isWordCharacter(current), !isCJK(current) {
                        index += 1
                    } else if isApostrophe(current), index > start, index + 1 < count,
                              isWordCharacter(scalars[index + 1]), !isCJK(scalars[index + 1]) {
                        index += 1
                    } else {
                        break
                    }
                }
                var end = index
                var closed = false
                // `c++` and `c#`: the symbols end the word.
                if index + 1 < count, scalars[index] == "+", scalars[index + 1] == "+",
                   index + 2 == count || !isWordCharacter(scalars[index + 2]) {
                    index += 2
                    end = index
                    closed = true
                } else if index < count, scalars[index] == "#", index + 1 == count || !isWordCharacter(scalars[index + 1]) {
                    index += 1
                    end = index
                    closed = true
                }
                let part = fold(scalars[start..<end])
                if !part.isEmpty { parts.append(part) }
                if !closed, index + 1 < count, isConnector(scalars[index], before: scalars[index - 1], after: scalars[index + 1]) {
                    index += 1
                    continue
                }
                break
            }
            if !parts.isEmpty { visit(.parts(parts)) }
        }
    }

    static func isConnector(_ scalar: Unicode.Scalar, before: Unicode.Scalar, after: Unicode.Scalar) -> Bool {
        guard isWordCharacter(after), !isCJK(after) else { return false }
        switch scalar {
        case "-", ".", "/", "_", "\u{2010}", "\u{2011}": return true
        case ",": return isDigit(before) && isDigit(after)
        default: return false
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }

    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}"
    }

    /// Letters, marks and numbers.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Chinese, Japanese and Korean characters (searched by character pairs).
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x11FF, 0x3040...0x30FF, 0x3130...0x318F, 0x31F0...0x31FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Lower case without diacritics; `'s` at the end dropped, other apostrophes removed.
    static func fold(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var ascii = true
        for scalar in scalars where scalar.value >= 0x80 {
            ascii = false
            break
        }
        var folded: String
        var apostrophe = false
        if ascii {
            folded = String(unsafeUninitializedCapacity: scalars.count) { buffer in
                for (offset, scalar) in zip(0..., scalars) {
                    let value = UInt8(truncatingIfNeeded: scalar.value)
                    if value == 0x27 { apostrophe = true }
                    buffer[offset] = value >= 0x41 && value <= 0x5A ? value + 32 : value
                }
                return scalars.count
            }
        } else {
            apostrophe = true
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            let decomposed = String(view).lowercased().decomposedStringWithCanonicalMapping
            var result = String.UnicodeScalarView()
            for scalar in decomposed.unicodeScalars {
                if scalar.properties.generalCategory == .nonspacingMark { continue }
                if let replacement = letterReplacements[scalar] {
                    result.append(contentsOf: replacement.unicodeScalars)
                } else {
                    result.append(scalar == "\u{2019}" ? "'" : scalar)
                }
            }
            folded = String(result)
        }
        guard apostrophe, folded.utf8.contains(0x27) else { return folded }
        if folded.hasSuffix("'s") { folded.removeLast(2) }
        folded.removeAll { $0 == "'" }
        return folded
    }

    /// Letters NFD does not split into a base letter and a mark.
    static let letterReplacements: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th", "ð": "d", "ς": "σ",
    ]
}
