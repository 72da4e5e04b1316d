/// JSON written directly, for diagnostics (`--format json`), JSON-LD, the search index and the preview's
/// problems: keys sorted (byte-identical output), `<`, `>` and `&` escaped so the text is safe inside a
/// `<script>` element.
public enum JSON: Sendable {
    case string(String)
    case number(Double)
    case int(Int)
    case array([JSON])
    case object([String: JSON])
    case null

    public var text: String {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    public func write(to output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case let .string(value):
            JSON.writeString(value, to: &output)
        case let .int(value):
            output.append(contentsOf: String(value).utf8)
        case let .number(value):
            let text = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
            output.append(contentsOf: text.utf8)
        case let .array(values):
            output.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                value.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case let .object(members):
            output.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSON.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[key]!.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string, copying runs of plain bytes at once.
    public static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            func flush() {
                if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            }
            func escape(_ code: UInt16, width: Int) {
                flush()
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"),
                                           hex[Int(code >> 12) & 15], hex[Int(code >> 8) & 15], hex[Int(code >> 4) & 15], hex[Int(code) & 15]])
                index += width
                runStart = index
            }
            func short(_ letter: Character) {
                flush()
                output.append(UInt8(ascii: "\\"))
                output.append(letter.asciiValue!)
                index += 1
                runStart = index
            }
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""): short("\"")
                case UInt8(ascii: "\\"): short("\\")
                case UInt8(ascii: "\n"): short("n")
                case UInt8(ascii: "\r"): short("r")
                case UInt8(ascii: "\t"): short("t")
                case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): escape(UInt16(byte), width: 1)
                case 0..<0x20: escape(UInt16(byte), width: 1)
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    // U+2028 and U+2029 end a line in JavaScript.
                    escape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, width: 3)
                default:
                    index += 1
                }
            }
            flush()
        }
        output.append(UInt8(ascii: "\""))
    }
}
