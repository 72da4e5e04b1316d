/// Escaping for text placed in HTML, shared by every stage that writes HTML.
public enum HTMLEscaping {
    /// Escapes `& < > " '` so the text is safe in element content and quoted attributes.
    public static func attribute(_ text: String) -> String {
        var bytesOf = text
        return bytesOf.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: needsEscape) else { return text }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 16)
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<first]))
            for byte in bytes[first...] {
                switch byte {
                case 0x26: result += "&amp;".utf8
                case 0x3C: result += "&lt;".utf8
                case 0x3E: result += "&gt;".utf8
                case 0x22: result += "&quot;".utf8
                case 0x27: result += "&#39;".utf8
                default: result.append(byte)
                }
            }
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// `& < > " '`.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
    }

    /// Same as `attribute`: one escaping is safe in both places.
    public static func text(_ text: String) -> String { attribute(text) }
}
