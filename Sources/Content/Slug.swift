/// The slug rules: the characters a URL segment made by guidegen may hold.
public enum Slug {
    /// The longest slug (file name, `slug:`, category or skill), in bytes: file systems
    /// allow 255 per name, and URLs this long are already unreadable.
    public static let maximumLength = 100

    /// The bytes of the slug rule, `[a-z0-9-]`, for file and folder names under content/ and for `slug:`.
    static func isAllowed(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
    }

    /// The first character that breaks the rule, described for a message: "` ` (a space) at character 8".
    public static func firstProblem(in text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        for (offset, character) in text.enumerated() where !character.utf8.allSatisfy(isAllowed) {
            let shown: String
            if character.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F }) {
                shown = "a control character (U+" + String(character.unicodeScalars.first!.value, radix: 16, uppercase: true) + ")"
            } else if character == " " {
                shown = "a space"
            } else if character.isUppercase {
                shown = "`\(character)` (upper case)"
            } else {
                shown = "`\(character)`"
            }
            return "\(shown) at character \(offset + 1)"
        }
        if text.utf8.count > maximumLength { return "it is \(text.utf8.count) characters long (at most \(maximumLength))" }
        return nil
    }

    /// A name that follows the rule, for hints: `Backend Dev` -> `backend-dev`.
    public static func suggestion(for text: String) -> String {
        var result = ""
        for byte in text.lowercased().utf8 {
            if isAllowed(byte), byte != 0x2D {
                result.append(Character(Unicode.Scalar(byte)))
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return String((result.isEmpty ? "page" : result).prefix(maximumLength))
    }

    /// URL slugs for categories and skills: `Node.js` -> `node-js`, `C#` -> `c-sharp`, `C++` -> `c-plus-plus`.
    public static func make(_ name: String) -> String {
        name.utf8.allSatisfy { $0 < 0x80 } ? makeASCII(name) : makeUnicode(name)
    }

    /// `make` for ASCII names, byte by byte: the same slugs without a Unicode property lookup per
    /// character (those were 0.5% of a 10k-page build).
    static func makeASCII(_ name: String) -> String {
        var slug: [UInt8] = []
        slug.reserveCapacity(name.utf8.count + 8)
        var pendingDash = false
        func word(_ text: String) {
            if !slug.isEmpty { slug.append(0x2D) }
            slug += text.utf8
            pendingDash = true
        }
        for var byte in name.utf8 {
            if byte >= 0x41, byte <= 0x5A { byte += 0x20 }
            if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                if pendingDash, !slug.isEmpty { slug.append(0x2D) }
                pendingDash = false
                slug.append(byte)
            } else if byte == 0x23 {
                word("sharp")
            } else if byte == 0x2B {
                word("plus")
            } else {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "untitled" : String(decoding: slug, as: UTF8.self)
    }

    static func makeUnicode(_ name: String) -> String {
        var slug = ""
        var pendingDash = false
        func word(_ text: String) {
            if !slug.isEmpty { slug.append("-") }
            slug += text
            pendingDash = true
        }
        for scalar in name.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else if scalar == "#" {
                word("sharp")
            } else if scalar == "+" {
                word("plus")
            } else {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "untitled" : slug
    }
}

extension Slug {
    /// Slugs made once per name: lists of skills and categories repeat a few names many times.
    public struct Cache: Sendable {
        private var known: [String: String] = [:]

        public init() {}

        public mutating func make(_ name: String) -> String {
            if let slug = known[name] { return slug }
            let slug = Slug.make(name)
            known[name] = slug
            return slug
        }
    }
}
