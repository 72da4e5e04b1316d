// Fuzz target for table files: .xlsx workbooks (the zip, the XML parts, the worksheet scanner) and CSV.
//
// Input format (the same for the fuzzer and the replay tool): the first byte picks what the rest is,
// by its value modulo 4 (ASCII '0' to '3'):
//   0  a whole .xlsx file, read by XLSXReader
//   1  a CSV file, read by CSVReader
//   2  the XML inside a worksheet's <sheetData>, put into a workbook with four shared strings
//   3  the XML of a shared string table, put into a workbook whose one sheet uses entries 0 to 4
// Each is read with small limits. In mode 2 the worksheet is also read by SheetScanner split between
// two threads at every size, which must give the same rows or the same error as one read.
//
// Built with -DFUZZING (Tests/fuzz/run.sh) it is a libFuzzer target; otherwise it is a
// replay tool: `fuzz-table FILE...` reads each file as the fuzz target does and prints one line per file.
@testable import Tables

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if !FUZZING
import Foundation
#endif

let fuzzLimits = TableLimits(rows: 2_000, columns: 300, cellBytes: 4_096, unpackedBytes: 4 << 20)

/// A zip of stored parts, as small as a workbook can be.
func storedZip(_ parts: [(String, [UInt8])]) -> [UInt8] {
    var file: [UInt8] = [], directory: [UInt8] = []
    func u16(_ value: Int, _ into: inout [UInt8]) { into += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    func u32(_ value: Int, _ into: inout [UInt8]) { u16(value & 0xFFFF, &into); u16(value >> 16, &into) }
    for (name, bytes) in parts {
        let offset = file.count
        var common: [UInt8] = []
        u16(20, &common); u16(0, &common); u16(0, &common); u32(0, &common); u32(0, &common)
        u32(bytes.count, &common); u32(bytes.count, &common); u16(name.utf8.count, &common); u16(0, &common)
        u32(0x0403_4B50, &file); file += common + Array(name.utf8) + bytes
        u32(0x0201_4B50, &directory); u16(20, &directory); directory += common
        u16(0, &directory); u16(0, &directory); u16(0, &directory); u32(0, &directory); u32(offset, &directory)
        directory += Array(name.utf8)
    }
    let start = file.count
    file += directory
    u32(0x0605_4B50, &file); u16(0, &file); u16(0, &file); u16(parts.count, &file); u16(parts.count, &file)
    u32(directory.count, &file); u32(start, &file); u16(0, &file)
    return file
}

func workbook(sheetData: [UInt8], sharedStrings: [UInt8]) -> [UInt8] {
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return storedZip([
        ("xl/workbook.xml", Array("<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
        ("xl/_rels/workbook.xml.rels", Array("<Relationships><Relationship Id=\"rId1\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".utf8)),
        ("xl/worksheets/sheet1.xml", Array("<worksheet xmlns=\"\(main)\"><sheetData>".utf8) + sheetData + Array("</sheetData></worksheet>".utf8)),
        ("xl/sharedStrings.xml", sharedStrings),
    ])
}

/// The work shared by the fuzzer and the replay tool: what was read, or the error's message.
func fuzzOne(_ input: [UInt8]) -> String {
    guard let mode = input.first else { return "empty" }
    let rest = Array(input.dropFirst())
    do throws(TableError) {
        switch (mode &- 48) % 4 {
        case 0:
            return "\(try XLSXReader.read(rest, limits: fuzzLimits).map(\.rows.count)) rows"
        case 1:
            return "\(try CSVReader.read(rest, limits: fuzzLimits).rows.count) rows"
        case 2:
            let strings = Array("<sst><si><t>a</t></si><si><r><t>b</t></r></si><si/><si><t>d &amp; e</t></si></sst>".utf8)
            let tables = try XLSXReader.read(workbook(sheetData: rest, sharedStrings: strings), limits: fuzzLimits)
            compareSplit(rest)
            return "\(tables.map(\.rows.count)) rows"
        default:
            let sheet = Array("<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c></row>".utf8)
            return "\(try XLSXReader.read(workbook(sheetData: sheet, sharedStrings: rest), limits: fuzzLimits).map(\.rows.count)) rows"
        }
    } catch {
        if mode % 4 == 2 { compareSplit(rest) }
        return "error: \(error.message)"
    }
}

/// The worksheet read in one go and split at every row start: the same rows, or the same error.
func compareSplit(_ sheetData: [UInt8]) {
    let xml = Array("<worksheet><sheetData>".utf8) + sheetData + Array("</sheetData></worksheet>".utf8)
    let strings = ["a", "b", "", "d & e"]
    func read(splitAbove: Int) -> Result<[Table.Row], TableError> {
        var builder = SheetBuilder(limits: fuzzLimits, sharedStrings: strings)
        do throws(TableError) {
            try xml.withUnsafeBufferPointer { (buffer) throws(TableError) in
                try SheetScanner.read(buffer, into: &builder, splitAbove: splitAbove)
            }
            return .success(builder.rows)
        } catch {
            return .failure(error)
        }
    }
    let whole = read(splitAbove: .max)
    let split = read(splitAbove: 0)
    if whole != split {
        fatalError("a split read differs: \(whole) against \(split)")
    }
}

#if FUZZING

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTable(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = fuzzOne(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's entry point (in the toolchain's libclang_rt.fuzzer), the one its own `main` calls;
/// see Sources/fuzz-page/FuzzPage.swift.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM points `main` at this one (see fuzz-page): it hands over to libFuzzer's driver.
@main
struct FuzzTableFuzzer {
    static func main() {
        // One input of each kind first, so what lives until the process ends (the threads the split read
        // starts, Foundation's XML parser) is made before libFuzzer counts allocations.
        for mode in ["0", "1", "2<row><c><v>1</v></c></row>", "3<sst/>"] { _ = fuzzOne(Array(mode.utf8)) }
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTable(data, size) }
        exit(status)
    }
}

#else

@main
struct FuzzTableReplay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            print("usage: fuzz-table FILE...   (read each file as the fuzz target does; its first byte picks xlsx, CSV, sheet XML or shared strings)")
            exit(2)
        }
        var failed = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot read")
                failed = true
                continue
            }
            print("\(file): \(fuzzOne([UInt8](data)))")
        }
        exit(failed ? 1 : 0)
    }
}

#endif
