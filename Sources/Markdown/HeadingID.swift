/// Heading ids the way GitHub makes them.
public enum HeadingID {
    /// Lower case, punctuation dropped except `-` and `_`, spaces become `-`.
    /// `Is SQL enough?` -> `is-sql-enough`.
    public static func slug(_ text: String) -> String {
        // ASCII text (most headings): the same rules on bytes, without a Unicode property lookup a letter.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: " "): bytes.append(UInt8(ascii: "-"))
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): bytes.append(byte)
                default: break
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return unicodeSlug(text)
    }

    /// `slug` for any text, a character at a time.
    static func unicodeSlug(_ text: String) -> String {
        var id = ""
        for character in text.lowercased() {
            if character == " " {
                id.append("-")
            } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
                id.append(character)
            }
        }
        return id
    }

    /// Makes ids unique in document order: a repeated id gets `-1`, `-2`, ...
    public struct Uniquer {
        private var used: [String: Int] = [:]

        public init() {}

        public mutating func unique(_ base: String) -> String {
            let base = base.isEmpty ? "section" : base
            guard let count = used[base] else {
                used[base] = 0
                return base
            }
            var next = count + 1
            while used["\(base)-\(next)"] != nil { next += 1 }
            used[base] = next
            used["\(base)-\(next)"] = 0
            return "\(base)-\(next)"
        }
    }
}
