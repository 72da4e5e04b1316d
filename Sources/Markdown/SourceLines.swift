/// A Markdown text's bytes and where each of its lines is, found once per parse and shared
/// by the checks that look at the source (table limits, link columns, footnotes).
struct SourceLines {
    let bytes: [UInt8]
    /// Line `n` (1-based) is `bytes[ranges[n - 1]]`, without its line feed.
    let ranges: [Range<Int>]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            ranges.append(start..<index)
            start = index + 1
        }
        ranges.append(start..<bytes.count)
        self.ranges = ranges
    }
}
