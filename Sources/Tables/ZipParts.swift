import Foundation
import ZIPFoundation

/// The parts of a zip archive held in memory, as an .xlsx workbook is one. The central directory is read
/// here, each field checked against the file's bytes; a part is inflated by ZIPFoundation's zlib stream
/// (`Data.decompress`), its output counted as it comes out against the bytes the workbook may unpack to.
///
/// Not ZIPFoundation's `Archive`: on Linux its `extract` asks for more input until the deflate stream
/// ends, and at the end of the file it gets none and asks again, forever (a stream cut short hangs it);
/// a part's offset and encryption flag are not public, and an encrypted entry silently ends its listing.
struct ZipParts {
    struct Entry {
        var flags: UInt16
        var method: UInt16
        var compressedSize: UInt64
        var size: UInt64
        var headerOffset: UInt64
    }

    let bytes: [UInt8]
    private(set) var entries: [String: Entry] = [:]

    static let damagedHint = "the file is damaged: download it again, or open it in a spreadsheet and save it as Excel Workbook (.xlsx)"

    init(_ bytes: [UInt8]) throws(TableError) {
        self.bytes = bytes
        let (count, directory) = try centralDirectory()
        var offset = directory.lowerBound
        for _ in 0..<count {
            guard offset + 46 <= directory.upperBound, u32(offset) == 0x0201_4B50 else { throw Self.damaged("its list of parts is cut short") }
            let nameLength = Int(u16(offset + 28)), extraLength = Int(u16(offset + 30)), commentLength = Int(u16(offset + 32))
            let end = offset + 46 + nameLength + extraLength + commentLength
            guard end <= directory.upperBound else { throw Self.damaged("its list of parts is cut short") }
            var entry = Entry(flags: u16(offset + 8), method: u16(offset + 10), compressedSize: UInt64(u32(offset + 20)),
                              size: UInt64(u32(offset + 24)), headerOffset: UInt64(u32(offset + 42)))
            readZIP64(into: &entry, extra: offset + 46 + nameLength ..< offset + 46 + nameLength + extraLength)
            let name = String(decoding: bytes[offset + 46 ..< offset + 46 + nameLength], as: UTF8.self)
            guard entries[name] == nil else {
                throw TableError("the workbook has two parts named \(name)", hint: Self.damagedHint)
            }
            entries[name] = entry
            offset = end
        }
    }

    static func damaged(_ what: String) -> TableError {
        TableError("the file is not a readable .xlsx workbook: \(what)", hint: damagedHint)
    }

    func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }

    /// The number of entries and where the central directory lies, from the end record (and its ZIP64
    /// form when a field is saturated), both inside the file.
    private func centralDirectory() throws(TableError) -> (Int, Range<Int>) {
        guard let end = endRecord() else {
            throw Self.damaged("its list of parts (the zip end record) is missing")
        }
        var count = UInt64(u16(end + 10)), size = UInt64(u32(end + 12)), start = UInt64(u32(end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || start == 0xFFFF_FFFF {
            // The ZIP64 end record, found through its locator just before the end record.
            guard end >= 20, u32(end - 20) == 0x0706_4B50 else { throw Self.damaged("its ZIP64 end record is missing") }
            let record = u64(end - 12)
            guard bytes.count >= 56, record <= UInt64(bytes.count - 56), u32(Int(record)) == 0x0606_4B50 else {
                throw Self.damaged("its ZIP64 end record is missing")
            }
            count = u64(Int(record) + 32)
            size = u64(Int(record) + 40)
            start = u64(Int(record) + 48)
        }
        guard start <= UInt64(end), size <= UInt64(end) - start, count <= size / 46 else {
            throw Self.damaged("its list of parts lies outside the file")
        }
        return (Int(count), Int(start) ..< Int(start + size))
    }

    /// The end of central directory record: its signature, searched from the end over the longest comment.
    private func endRecord() -> Int? {
        guard bytes.count >= 22 else { return nil }
        var at = bytes.count - 22
        let lowest = max(0, at - 0xFFFF)
        while at >= lowest {
            if bytes[at] == 0x50, u32(at) == 0x0605_4B50 { return at }
            at -= 1
        }
        return nil
    }

    /// Sizes and offset saturated at 0xFFFFFFFF are in the ZIP64 extra field (id 1), in that order.
    private func readZIP64(into entry: inout Entry, extra: Range<Int>) {
        var at = extra.lowerBound
        while at + 4 <= extra.upperBound {
            let id = u16(at), length = Int(u16(at + 2))
            guard at + 4 + length <= extra.upperBound else { return }
            if id == 1 {
                var field = at + 4
                func next(_ value: inout UInt64) {
                    guard value == 0xFFFF_FFFF, field + 8 <= at + 4 + length else { return }
                    value = u64(field)
                    field += 8
                }
                next(&entry.size)
                next(&entry.compressedSize)
                next(&entry.headerOffset)
                return
            }
            at += 4 + length
        }
    }

    /// The bytes of part `name`, nil when the archive has none. `budget` is what the workbook may still
    /// unpack to; the part's bytes are taken from it as they come out, whatever its header says.
    func contents(of name: String, budget: inout Int) throws(TableError) -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        guard entry.flags & 1 == 0 else {
            throw TableError("the workbook is encrypted (\(name) is)",
                             hint: "remove the password (in Excel: File > Info > Protect Workbook), or save it as CSV")
        }
        let header = entry.headerOffset
        guard bytes.count >= 30, header <= UInt64(bytes.count - 30), u32(Int(header)) == 0x0403_4B50 else {
            throw Self.damaged("part \(name) is not where its list of parts says")
        }
        let start = Int(header) + 30 + Int(u16(Int(header) + 26)) + Int(u16(Int(header) + 28))
        guard start <= bytes.count, entry.compressedSize <= UInt64(bytes.count - start) else {
            throw Self.damaged("part \(name) runs past the end of the file")
        }
        let data = bytes[start ..< start + Int(entry.compressedSize)]
        switch entry.method {
        case 0:
            guard data.count <= budget else { throw Self.tooLarge(budget: budget) }
            budget -= data.count
            return Array(data)
        case 8:
            return try inflate(data, name: name, declared: entry.size, budget: &budget)
        default:
            throw TableError("part \(name) of the workbook is compressed with zip method \(entry.method), which guidegen does not read",
                             hint: "open it in a spreadsheet and save it as Excel Workbook (.xlsx) (deflate), or as CSV")
        }
    }

    static func tooLarge(budget: Int) -> TableError {
        TableError("the workbook unpacks to more bytes than a data file may have",
                   hint: "keep only the sheets, rows and columns the site uses, or split the file")
    }

    /// A deflate stream through ZIPFoundation's zlib binding. All input is handed over in one chunk as
    /// long as the buffer (the binding gives zlib the buffer's length as the input's), and asking for more
    /// input means the stream is cut short.
    private func inflate(_ data: ArraySlice<UInt8>, name: String, declared: UInt64, budget: inout Int) throws(TableError) -> [UInt8] {
        guard !data.isEmpty else { throw Self.damaged("part \(name) is empty") }
        var output: [UInt8] = []
        // A deflate stream unpacks to at most about 1032 times its size.
        output.reserveCapacity(Int(min(declared, UInt64(budget), UInt64(data.count) * 1032)))
        let input = Data(data)
        var handedOver = false
        var over = false
        let limit = budget
        do {
            _ = try Data.decompress(size: Int64(input.count), bufferSize: input.count, skipCRC32: true, provider: { _, _ in
                guard !handedOver else { throw CutShort() }
                handedOver = true
                return input
            }, consumer: { chunk in
                guard chunk.count <= limit - output.count else {
                    over = true
                    throw CutShort()
                }
                output.append(contentsOf: chunk)
            })
        } catch {
            if over { throw Self.tooLarge(budget: limit) }
            throw Self.damaged("part \(name) does not unpack (its compressed data is damaged or cut short)")
        }
        budget -= output.count
        return output
    }

    private struct CutShort: Error {}
}
