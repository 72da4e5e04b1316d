/// Percent-encoding of URLs the build writes into HTML, XML and JSON.
public enum URLEncoding {
    /// Encodes every byte a URL may not hold as it is (non-ASCII, controls, space and `"<>\\^`{|}`),
    /// keeping `/ ? # % &` and the rest, so an already encoded URL is not encoded twice.
    public static func encode(_ url: String) -> String {
        guard url.utf8.contains(where: needsEncoding) else { return url }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(url.utf8.count + 16)
        for byte in url.utf8 {
            if needsEncoding(byte) {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func needsEncoding(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<0x21, 0x7F...: true
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\\"), UInt8(ascii: "^"),
             UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"): true
        default: false
        }
    }
}
