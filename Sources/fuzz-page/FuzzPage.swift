// Fuzz target for page parsing: YAML front matter + Markdown body, then hole filling.
//
// Input format (the same for the fuzzer and the replay tool):
//   byte 0      picks the case: (byte + 2) % 10, so the ASCII digits '0'...'9' pick cases 0...9
//               case % 5 -> path (roles/x.md, salaries/x.md, faqs/x.md, guides/x.md, x.md),
//               case >= 5 -> MarkdownOptions(unsafeHTML: true)
//   bytes 1...  the file's text, decoded with String(decoding:as: UTF8.self)
//
// Built with -DFUZZING (Tests/fuzz/run.sh) it is a libFuzzer target; otherwise it is a
// replay tool: `fuzz-page FILE...` parses each file and prints one line per file.
import Content
import Markdown

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if !FUZZING
import Foundation
#endif

/// What parsing one input did, for the replay tool's line.
struct FuzzOutcome {
    var path: String
    var unsafeHTML: Bool
    var page: Page?
    var diagnostics: Int
    var htmlBytes: Int
}

/// The paths the first byte chooses from, one per kind of page (the last one is a top-level page).
let fuzzPaths = ["roles/x.md", "salaries/x.md", "faqs/x.md", "guides/x.md", "x.md"]

/// The work shared by the fuzzer and the replay tool. Returns nil for an empty input.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) -> FuzzOutcome? {
    guard let selector = bytes.first else { return nil }
    let choice = (Int(selector) + 2) % 10
    let path = fuzzPaths[choice % fuzzPaths.count]
    let unsafeHTML = choice >= fuzzPaths.count
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[1...]), as: UTF8.self)

    let (page, diagnostics) = PageParser.parse(
        text: text, source: "content/" + path, path: path, options: MarkdownOptions(unsafeHTML: unsafeHTML)
    )
    var htmlBytes = 0
    if let page {
        let body = page.body
        // The document's own invariants, which the renderer relies on.
        precondition(body.parts.count == body.holes.count + 1, "parts.count != holes.count + 1")
        // Fill the holes the way the renderer does (Renderer+Views.swift: `body.html { urls[$0] }`),
        // so a hole that names no link traps here as it would in a real build.
        let urls = body.links.map { _ in "/x/" }
        htmlBytes = body.html { urls[$0] }.utf8.count
    }
    return FuzzOutcome(path: path, unsafeHTML: unsafeHTML, page: page, diagnostics: diagnostics.count, htmlBytes: htmlBytes)
}

#if FUZZING

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = fuzzOne(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's entry point (in the toolchain's libclang_rt.fuzzer), the one its own `main` calls:
/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size))`.
/// Pointers in, int out: the Swift and C calling conventions agree on these.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM renames an executable's entry point (to `fuzz_page_main`) and points `main` at it when linking,
/// so libFuzzer's own `main` is never used: this one hands over to libFuzzer's driver instead.
@main
struct FuzzPageFuzzer {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzPage(data, size) }
        exit(status)
    }
}

#else

@main
struct FuzzPageReplay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            print("usage: fuzz-page FILE...   (parse each file as the fuzz target does; first byte picks path and options)")
            exit(2)
        }
        var failed = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot read")
                failed = true
                continue
            }
            let line = data.withUnsafeBytes { raw -> String in
                guard let outcome = fuzzOne(raw.bindMemory(to: UInt8.self)) else { return "empty input" }
                let page = outcome.page.map {
                    "\($0.kind.rawValue) page \($0.title.debugDescription), \($0.body.links.count) local links, "
                        + "\($0.body.headings.count) headings, \(outcome.htmlBytes) bytes of HTML"
                } ?? "no page"
                return "\(outcome.path) unsafeHTML=\(outcome.unsafeHTML): \(page), \(outcome.diagnostics) diagnostics"
            }
            print("\(file): \(line)")
        }
        exit(failed ? 1 : 0)
    }
}

#endif
