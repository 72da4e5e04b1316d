import Foundation

/// A byte-level rewrite of every page body's HTML: tables and code blocks made reachable by keyboard.
extension Renderer {
    /// Wide content a reader may need to scroll sideways is reachable by keyboard: each table sits in a
    /// focusable region named after the heading above it (or "Table N"), each code block is focusable.
    /// Only when the text's tables are balanced (raw HTML, where a site allows it, could leave one open).
    /// Works on the UTF-8 bytes: every page body goes through it.
    static func scrollable(_ html: String) -> String {
        var html = html
        let changed = html.withUTF8 { bytes -> String? in
            // One pass over the tags: where code blocks and tables open and where tables close.
            var opens: [Int] = [], closes: [Int] = [], codes: [Int] = []
            var index = 0
            while let found = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
                if matches(bytes, at: found, pre) {
                    codes.append(found)
                    index = found + pre.count
                } else if matches(bytes, at: found, open) {
                    opens.append(found)
                    index = found + open.count
                } else if matches(bytes, at: found, close) {
                    closes.append(found)
                    index = found + close.count
                } else {
                    index = found + 1
                }
            }
            guard !opens.isEmpty || !codes.isEmpty else { return nil }
            let wrapTables = !opens.isEmpty && opens.count == closes.count && zip(opens, closes).allSatisfy { $0 < $1 }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + opens.count * 96 + codes.count * 16)
            var position = 0
            var number = 0
            var openIndex = 0, closeIndex = 0, codeIndex = 0
            while true {
                let nextOpen = wrapTables && openIndex < opens.count ? opens[openIndex] : Int.max
                let nextClose = wrapTables && closeIndex < closes.count ? closes[closeIndex] : Int.max
                let nextCode = codeIndex < codes.count ? codes[codeIndex] : Int.max
                let next = min(nextOpen, nextClose, nextCode)
                guard next != Int.max else { break }
                output.append(contentsOf: bytes[position..<next])
                if next == nextCode {
                    output.append(contentsOf: Array("<pre tabindex=\"0\"><code".utf8))
                    position = next + pre.count
                    codeIndex += 1
                } else if next == nextOpen {
                    number += 1
                    let label = lastHeading(in: bytes[..<next]) ?? "Table \(number)"
                    output.append(contentsOf: Array("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"\(label)\">".utf8))
                    output.append(contentsOf: open)
                    position = next + open.count
                    openIndex += 1
                } else {
                    output.append(contentsOf: close)
                    output.append(contentsOf: Array("</div>".utf8))
                    position = next + close.count
                    closeIndex += 1
                }
            }
            output.append(contentsOf: bytes[position...])
            return String(decoding: output, as: UTF8.self)
        }
        return changed ?? html
    }

    private static let pre = Array("<pre><code".utf8), open = Array("<table>".utf8), close = Array("</table>".utf8)

    /// Whether `pattern` starts at `index` of `bytes`.
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ pattern: [UInt8]) -> Bool {
        guard index + pattern.count <= bytes.count else { return false }
        for offset in pattern.indices where bytes[index + offset] != pattern[offset] { return false }
        return true
    }

    /// The text of the last `<h1>`-`<h6>` before the end of `bytes` (tags removed; still escaped), if any.
    static func lastHeading<Bytes: RandomAccessCollection<UInt8>>(in bytes: Bytes) -> String? where Bytes.Index == Int {
        // Back to the last `</hN>`, then to its `<hN`.
        var end = bytes.endIndex - 4
        while end >= bytes.startIndex {
            if bytes[end] == UInt8(ascii: "<"), bytes[end + 1] == UInt8(ascii: "/"), bytes[end + 2] == UInt8(ascii: "h"),
               (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[end + 3]) { break }
            end -= 1
        }
        guard end >= bytes.startIndex else { return nil }
        var start = end - 1
        while start >= bytes.startIndex, !(bytes[start] == UInt8(ascii: "<") && bytes[start + 1] == UInt8(ascii: "h")
                                           && (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[start + 2])) {
            start -= 1
        }
        guard start >= bytes.startIndex else { return nil }
        var text: [UInt8] = []
        var inTag = true
        for byte in bytes[start..<end] {
            if byte == UInt8(ascii: "<") { inTag = true } else if byte == UInt8(ascii: ">") { inTag = false } else if !inTag { text.append(byte) }
        }
        let label = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\"", with: "&quot;")
        return label.isEmpty ? nil : label
    }
}
