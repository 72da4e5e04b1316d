/// Writes a shard: its terms in order, each with its postings grouped by score level.
///
///     shard    := varint termCount, entry*
///     entry    := varint sharedPrefixBytes, varint suffixBytes, suffix (UTF-8),
///                 varint postingsBytes, postings
///     postings := varint bandCount, band*            (bands by level, highest first)
///     band     := byte level, varint (count << 1 | isBitmap), docs
///     docs     := list:   count varints, the first document then gaps
///               | bitmap: varint firstByte, varint byteCount, bytes
///                         (bit b of byte i: document (firstByte + i) * 8 + b)
///
/// Varints are LEB128 (7 bits a byte, low bits first). A band is a list or a bitmap,
/// whichever is smaller, so a term on nearly every page costs about a bit a page.
struct ShardEncoder {
    private var entries: [UInt8] = []
    private var termCount = 0
    private var previousTerm: [UInt8] = []

    var isEmpty: Bool { termCount == 0 }
    var byteCount: Int { entries.count }

    /// `postings`: bytes from `encodePostings`.
    mutating func add(term: String, postings encoded: [UInt8]) {
        let bytes = Array(term.utf8)
        var shared = 0
        while shared < min(bytes.count, previousTerm.count), bytes[shared] == previousTerm[shared] { shared += 1 }
        Varint.write(shared, to: &entries)
        Varint.write(bytes.count - shared, to: &entries)
        entries.append(contentsOf: bytes[shared...])
        previousTerm = bytes

        Varint.write(encoded.count, to: &entries)
        entries.append(contentsOf: encoded)
        termCount += 1
    }

    /// The shard's bytes; the encoder starts over empty.
    mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(entries.count + 4)
        Varint.write(termCount, to: &output)
        output.append(contentsOf: entries)
        self = ShardEncoder()
        return output
    }

    /// `postings`: document << 8 | level, documents ascending.
    static func encodePostings(_ postings: ArraySlice<UInt32>) -> [UInt8] {
        // Bands by level, highest first, documents ascending inside each: one sort of
        // `(255 - level) << 32 | document` (a dictionary of arrays per term cost more than the encoding).
        var keys = postings.map { UInt64(255 - ($0 & 0xFF)) << 32 | UInt64($0 >> 8) }
        keys.sort()
        var bands: [(level: UInt8, documents: ArraySlice<UInt32>)] = []
        let documentsInOrder = keys.map { UInt32(truncatingIfNeeded: $0) }
        var start = 0
        while start < keys.count {
            let band = keys[start] >> 32
            var end = start + 1
            while end < keys.count, keys[end] >> 32 == band { end += 1 }
            bands.append((UInt8(255 - band), documentsInOrder[start..<end]))
            start = end
        }
        var output: [UInt8] = []
        Varint.write(bands.count, to: &output)
        for (level, documents) in bands {
            output.append(level)
            var list: [UInt8] = []
            var previous: UInt32 = 0
            for (index, document) in documents.enumerated() {
                Varint.write(Int(index == 0 ? document : document - previous), to: &list)
                previous = document
            }
            let firstByte = Int(documents.first! / 8)
            let byteCount = Int(documents.last! / 8) - firstByte + 1
            if byteCount + 4 < list.count {
                Varint.write(documents.count << 1 | 1, to: &output)
                Varint.write(firstByte, to: &output)
                Varint.write(byteCount, to: &output)
                var bitmap = [UInt8](repeating: 0, count: byteCount)
                for document in documents {
                    bitmap[Int(document / 8) - firstByte] |= 1 << (document % 8)
                }
                output.append(contentsOf: bitmap)
            } else {
                Varint.write(documents.count << 1, to: &output)
                output.append(contentsOf: list)
            }
        }
        return output
    }
}

enum Varint {
    static func write(_ value: Int, to output: inout [UInt8]) {
        var value = UInt(value)
        while value >= 0x80 {
            output.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    /// Reads a varint at `offset`, moving it past.
    static func read(_ bytes: [UInt8], _ offset: inout Int) -> Int {
        var value = 0
        var shift = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return value
    }
}
