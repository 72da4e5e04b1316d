// Fuzz target for theme templates: loading a theme (the nesting and expansion checks, swift-mustache's
// parser, the programs, the include checks), then rendering a template by its program and by the library.
//
// Input format (the same for the fuzzer and the replay tool):
//   the bytes, split at each NUL byte into up to three templates: `page`, `a` and `b` (a fourth
//   piece and later ones are left out), each decoded with String(decoding:as: UTF8.self). They
//   replace or join stand-ins for the built-in theme's templates (one short line each);
//   `page` may include the others ({{>a}}, {{<b}}, {{>header}}...).
//
// Built with -DFUZZING (Tests/fuzz/run.sh) it is a libFuzzer target; otherwise it is a
// replay tool: `fuzz-template FILE...` loads each file's templates and prints one line per file.
import Templates

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if !FUZZING
import Foundation
#endif

/// The names the pieces of an input get, in order.
let fuzzTemplateNames = ["page", "a", "b"]

/// The templates every theme has (Render's `Theme.requiredTemplates`), so that an input includes them as
/// it would in a theme. Each is one short line, not the built-in theme's text: LeakSanitizer would take
/// files kept until the process ends for leaks.
let standInNames = ["base", "header", "footer", "card", "role", "salary", "faq", "guide", "page", "list", "home", "404"]

/// The work shared by the fuzzer and the replay tool.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) -> (diagnostics: Int, programBytes: Int?, libraryBytes: Int) {
    let pieces = bytes.split(separator: 0, maxSplits: fuzzTemplateNames.count, omittingEmptySubsequences: false)
    var templates: [String: String] = [:]
    for name in standInNames { templates[name] = "<\(name)>{{title}}" }
    for (name, piece) in zip(fuzzTemplateNames, pieces) {
        templates[name] = String(decoding: UnsafeBufferPointer(rebasing: piece), as: UTF8.self)
    }
    return TemplateSet.fuzz(templates)
}

#if FUZZING

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = fuzzOne(UnsafeBufferPointer(start: data, count: size))
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
struct FuzzTemplateFuzzer {
    static func main() {
        // One input first, so what lives until the process ends (the escaper the library is given,
        // this thread's copy of the programs) is made before libFuzzer counts allocations:
        // LeakSanitizer does not see the references Swift keeps in them.
        _ = fuzzOne(UnsafeBufferPointer(start: nil, count: 0))
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTemplate(data, size) }
        exit(status)
    }
}

#else

@main
struct FuzzTemplateReplay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            print("usage: fuzz-template FILE...   (load each file's templates as the fuzz target does; NUL bytes separate page, a and b)")
            exit(2)
        }
        var failed = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot read")
                failed = true
                continue
            }
            let outcome = data.withUnsafeBytes { fuzzOne($0.bindMemory(to: UInt8.self)) }
            let rendered = outcome.diagnostics > 0 && outcome.libraryBytes == 0 && outcome.programBytes == nil
                ? "not loaded" : "program \(outcome.programBytes.map { "\($0) bytes" } ?? "stopped"), library \(outcome.libraryBytes) bytes"
            print("\(file): \(outcome.diagnostics) diagnostics, \(rendered)")
        }
        exit(failed ? 1 : 0)
    }
}

#endif
