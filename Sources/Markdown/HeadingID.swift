/// Heading ids the way GitHub makes them.
public enum HeadingID {
    /// Lower case, punctuation dropped except `-` and `_`, spaces become `-`.
    /// `Is SQL enough?` -> `is-sql-enough`.
    public static func slug(_ text: String) -> String {
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
