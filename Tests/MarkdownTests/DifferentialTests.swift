import Foundation
import Testing
import TestSupport
@testable import Markdown
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Differential test: guidegen's Markdown stage against Debian's `cmark-gfm` command.
//
// guidegen links the same library (libcmark-gfm) and turns on the same extensions and
// options, so for any document its HTML must equal what `cmark-gfm` prints, except for
// these intended differences, and NOTHING else:
//
//  1. Heading ids. guidegen adds ` id="..."` (a GitHub-style id) to every `<h1>`..`<h6>`
//     opening tag. Normalised by removing ` id="..."` from heading tags in guidegen's output.
//  2. Local link targets. guidegen writes a hole for the href/src of every local link or
//     image (no URL scheme, not `//`) and fills it later with the target page's URL.
//     Normalised by filling each hole with the destination as written, then, in BOTH
//     outputs, replacing every `href="..."`/`src="..."` value by its HTML-unescaped
//     (&amp; &quot; &lt; &gt; &#39; &#x27;) and percent-decoded form, so cmark's
//     percent-encoding and guidegen's attribute escaping of the same URL compare equal.
//
// Any other difference fails the test, printing the document (Swift-escaped, so control
// characters are visible) and the first differing position with context from both sides.
//
// Corpora: (a) every page under content/, (b) the benchmark corpus from
// the benchmark's gen_corpus.py (Tests/corpus), (c) random GFM documents from a seeded generator; a failure
// names the seed, and `RandomMarkdown(seed: S).document()` gives the document again.
// The peer must be installed: `apt-get install cmark-gfm` (`make test` does it). A failure
// marked NOT REPEATABLE went away when guidegen parsed the document again: see
// `parsesOnSeveralThreadsAgree`.

@Suite struct DifferentialTests {
    /// How many random documents are compared: `randomBatches` tests of `randomBatchSize` each.
    static let randomBatches = 8
    static let randomBatchSize = 375
    /// Random document `i` is generated from seed `randomBaseSeed + i`.
    static let randomBaseSeed: UInt64 = 0x6775_6964_6567_656E

    @Test func contentFolder() throws {
        let peer = try CmarkGFMCommand.required()
        let root = repositoryRoot.appendingPathComponent("content")
        let samples = try contentSamples(in: root, labelPrefix: "content/")
        let result = try compareAll(samples, peer: peer, corpus: "content/")
        #expect(result.compared >= 60, "expected the repository's content pages, found \(result.compared)")
        #expect(result.withLocalLinks * 2 >= result.compared, "only \(result.withLocalLinks) of \(result.compared) pages have local links")
    }

    @Test func generatedBenchmarkCorpus() throws {
        let peer = try CmarkGFMCommand.required()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("guidegen-diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try runCorpusGenerator(into: directory, roles: 30)
        let samples = try contentSamples(in: directory.appendingPathComponent("content"), labelPrefix: "gen_corpus content/")
        let result = try compareAll(samples, peer: peer, corpus: "gen_corpus.py --roles 30")
        #expect(result.compared == 120, "gen_corpus.py --roles 30 should write 4 pages per role")
        #expect(result.withLocalLinks == result.compared, "every generated page links to others")
    }

    @Test(arguments: 0..<randomBatches)
    func randomDocuments(batch: Int) throws {
        let peer = try CmarkGFMCommand.required()
        let first = batch * Self.randomBatchSize
        let samples = (first..<(first + Self.randomBatchSize)).map { index in
            let seed = Self.randomBaseSeed &+ UInt64(index)
            var generator = RandomMarkdown(seed: seed)
            return Sample(label: "random document \(index), RandomMarkdown(seed: \(hex(seed)))", markdown: generator.document())
        }
        let result = try compareAll(samples, peer: peer, corpus: "random batch \(batch)")
        #expect(result.compared == Self.randomBatchSize)
        #expect(result.withLocalLinks * 10 >= result.compared * 6, "only \(result.withLocalLinks) of \(result.compared) random documents have local links")
    }

    // Links in table cells, and in emphasis in headings, used to lose their text and href.

    @Test func linkInTableCellKeepsTextAndHref() {
        let doc = Markdown.parse("| Role | Pay |\n|------|-----|\n| [Backend](backend.md) | high |\n", options: MarkdownOptions())
        #expect(doc.links.map(\.destination) == ["backend.md"])
        let html = doc.html { _ in "/roles/backend/" }
        #expect(html.contains(#"<td><a href="/roles/backend/">Backend</a></td>"#), "\(html)")
    }

    @Test func linkInEmphasisInHeadingKeepsTextAndHref() {
        let doc = Markdown.parse("## See *[Backend](backend.md)* first\n", options: MarkdownOptions())
        #expect(doc.links.map(\.destination) == ["backend.md"])
        let html = doc.html { _ in "/roles/backend/" }
        #expect(html.contains(#"<h2 id="see-backend-first">See <em><a href="/roles/backend/">Backend</a></em> first</h2>"#), "\(html)")
    }

    /// cmark-gfm 0.29 keeps its extensions' inline trigger characters (`~` for strikethrough,
    /// `:` `w` `@` for autolinks) in one process-wide table that every parse sets on entry and
    /// clears on exit, so a parse on one thread can run without them while another finishes.
    /// guidegen parses pages on all cores (and tests run in parallel), so every parse must
    /// give the HTML a lone parse gives.
    @Test func parsesOnSeveralThreadsAgree() {
        // Many paragraphs, so each parse spends long in cmark's inline parsing, where the table matters.
        let text = String(repeating: "~~old~~ and ~new~ at www.example.com, https://example.org/x and jobs@example.com\n\n", count: 40)
        let alone = Markdown.parse(text, options: MarkdownOptions()).html { _ in "" }
        #expect(alone.contains("<del>old</del>") && alone.contains(#"<a href="http://www.example.com">"#))
        let differing = SharedCount()
        // Dispatch threads, not Swift tasks: they run at the same time even while other tests keep the task pool busy.
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<200 where Markdown.parse(text, options: MarkdownOptions()).html(linkURL: { _ in "" }) != alone {
                differing.add(1)
            }
        }
        #expect(differing.total == 0, "\(differing.total) of 800 parses on 4 threads gave other HTML than a lone parse")
    }
}

/// A count that several threads add to.
private final class SharedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func add(_ amount: Int) {
        lock.withLock { value += amount }
    }

    var total: Int {
        lock.withLock { value }
    }
}

// MARK: - Comparing

/// One Markdown document to compare, with a label that says where it came from.
private struct Sample {
    var label: String
    var markdown: String
}

/// What `compareAll` saw: how many documents it compared, and how many had local links.
private struct ComparisonResult {
    var compared = 0
    var withLocalLinks = 0
}

/// A document whose normalised outputs differ.
private struct Mismatch {
    var sample: Sample
    var guidegen: String
    var peer: String
    /// One of three more parses of the same document gave cmark-gfm's HTML: the difference comes and goes.
    var matchedOnReparse: Bool
}

/// How many mismatches per corpus are printed in full; the rest are only counted.
private let reportedMismatches = 5

/// guidegen's HTML for `markdown` with the intended differences normalised away
/// (holes filled with the destinations as written), and whether it has local links.
/// A document that breaks `MarkdownDocument`'s invariants gives a description instead of
/// HTML (`html(linkURL:)` would trap), so it is reported like any other difference.
private func normalizedGuidegenHTML(_ markdown: String) -> (html: String, hasLocalLinks: Bool) {
    let doc = Markdown.parse(markdown, options: MarkdownOptions())
    guard doc.parts.count == doc.holes.count + 1, doc.holes.allSatisfy({ doc.links.indices.contains($0) }) else {
        let broken = "BROKEN MarkdownDocument: \(doc.parts.count) parts, holes \(doc.holes), \(doc.links.count) links"
        return (broken, !doc.links.isEmpty)
    }
    let html = doc.html { doc.links[$0].destination }
    return (normalizedURLs(removingHeadingIDs(html)), !doc.links.isEmpty)
}

/// Renders every sample with guidegen and with `peer`, normalises both, and records an
/// issue for each of the shortest `reportedMismatches` documents that differ, plus one
/// issue with the count if there are more.
private func compareAll(_ samples: [Sample], peer: CmarkGFMCommand, corpus: String) throws -> ComparisonResult {
    var result = ComparisonResult()
    var mismatches: [Mismatch] = []
    let peerHTML = try peer.renderAll(samples.map(\.markdown))
    for (sample, html) in zip(samples, peerHTML) {
        let ours = normalizedGuidegenHTML(sample.markdown)
        let theirs = normalizedURLs(html)
        result.compared += 1
        if ours.hasLocalLinks { result.withLocalLinks += 1 }
        if ours.html != theirs {
            let matchedLater = (1...3).contains { _ in normalizedGuidegenHTML(sample.markdown).html == theirs }
            mismatches.append(Mismatch(sample: sample, guidegen: ours.html, peer: theirs, matchedOnReparse: matchedLater))
        }
    }
    // The shortest documents make the clearest examples.
    let shortestFirst = mismatches.sorted { $0.sample.markdown.utf8.count < $1.sample.markdown.utf8.count }
    for mismatch in shortestFirst.prefix(reportedMismatches) {
        Issue.record("\(describe(mismatch))")
    }
    if mismatches.count > reportedMismatches {
        let notRepeatable = mismatches.filter(\.matchedOnReparse).count
        Issue.record("""
            \(corpus): \(mismatches.count) of \(samples.count) documents differ from cmark-gfm, \(notRepeatable) of them \
            NOT REPEATABLE (the \(reportedMismatches) shortest are shown above)
            """)
    }
    return result
}

/// The failure message for one mismatch: the document, then where the outputs first differ.
private func describe(_ mismatch: Mismatch) -> String {
    let flaky = mismatch.matchedOnReparse
        ? "\nNOT REPEATABLE: parsing this document again gave cmark-gfm's HTML (see parsesOnSeveralThreadsAgree)"
        : ""
    return """
    guidegen's HTML differs from cmark-gfm's for \(mismatch.sample.label)\(flaky)
    document: \(String(reflecting: mismatch.sample.markdown))
    \(firstDifference(mismatch.guidegen, mismatch.peer))
    """
}

/// Where two strings first differ (in Unicode scalars), with up to `context` scalars
/// before and after that position from each side, Swift-escaped.
private func firstDifference(_ ours: String, _ theirs: String, context: Int = 60) -> String {
    let a = Array(ours.unicodeScalars)
    let b = Array(theirs.unicodeScalars)
    var position = 0
    while position < a.count, position < b.count, a[position] == b[position] {
        position += 1
    }
    func excerpt(_ scalars: [Unicode.Scalar]) -> String {
        let start = max(0, position - context)
        let end = min(scalars.count, position + context)
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<end])
        let before = start > 0 ? "…" : ""
        let after = end < scalars.count ? "…" : ""
        return before + String(reflecting: String(text)) + after
    }
    return """
    first difference at scalar \(position) (guidegen \(a.count) scalars, cmark-gfm \(b.count)):
      guidegen:  \(excerpt(a))
      cmark-gfm: \(excerpt(b))
    """
}

// MARK: - Normalising the intended differences

/// Intended difference 1: removes the ` id="..."` guidegen adds to heading tags (`<h2 id="pay">` -> `<h2>`).
private func removingHeadingIDs(_ html: String) -> String {
    html.replacing(#/<h([1-6]) id="[^"]*">/#) { match in "<h\(match.1)>" }
}

/// Intended difference 2: replaces every `href="..."` and `src="..."` value by `decodedURL(value)`.
private func normalizedURLs(_ html: String) -> String {
    html.replacing(#/ (href|src)="([^"]*)"/#) { match in " \(match.1)=\"\(decodedURL(String(match.2)))\"" }
}

/// An attribute value with HTML escapes undone, then percent-decoded.
private func decodedURL(_ value: String) -> String {
    let unescaped = value
        .replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&lt;", with: "<")
        .replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&#x27;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&") // last, so `&amp;lt;` stays `&lt;`
    return percentDecoded(unescaped)
}

/// Decodes each `%XX` (two hex digits) to its byte and keeps any other `%` as it is;
/// bytes that are not UTF-8 become U+FFFD. Unlike `removingPercentEncoding`, one stray
/// `%` (as in `%zz.md`) does not leave the whole value undecoded.
private func percentDecoded(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var result: [UInt8] = []
    var index = 0
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
           let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
            result.append(high * 16 + low)
            index += 3
        } else {
            result.append(bytes[index])
            index += 1
        }
    }
    return String(decoding: result, as: UTF8.self)
}

/// The value of one hex digit, or nil.
private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

// MARK: - The peer: Debian's cmark-gfm command

/// Debian's `cmark-gfm` command, run with the extensions and options guidegen uses.
///
/// Started with `posix_spawn` on Linux: Foundation's `Process` took about 50 ms per run
/// there, `posix_spawn` about 2 ms, and the suite starts one process per document.
private struct CmarkGFMCommand {
    /// guidegen's configuration. This Debian version has no `--footnotes` flag: the
    /// `footnotes` extension name turns on CMARK_OPT_FOOTNOTES. No `--unsafe`: raw HTML is off.
    static let arguments = [
        "--extension", "table", "--extension", "strikethrough", "--extension", "autolink",
        "--extension", "tagfilter", "--extension", "tasklist", "--extension", "footnotes",
    ]

    let path: String

    /// The installed command, or a test failure that says how to install it.
    static func required() throws -> CmarkGFMCommand {
        try #require(locate(), "the cmark-gfm command is not installed: run `apt-get install cmark-gfm` (make test installs it)")
    }

    /// `cmark-gfm` in /usr/bin or on PATH, or nil.
    static func locate() -> CmarkGFMCommand? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = ["/usr/bin"] + path.split(separator: ":").map(String.init)
        for directory in directories {
            let candidate = directory + "/cmark-gfm"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return CmarkGFMCommand(path: candidate)
            }
        }
        return nil
    }

    /// The HTML `cmark-gfm` prints for each document, in order.
    ///
    /// On Linux up to `inFlight` commands run at once, so their start-up times overlap.
    /// Each gets all its input before its output is read: cmark-gfm reads its whole input
    /// before it writes, so neither side can block the other.
    func renderAll(_ documents: [String], inFlight: Int = 4) throws -> [String] {
        #if canImport(Glibc)
        var running: [RunningCommand] = []
        var results: [String] = []
        for document in documents {
            if running.count == inFlight {
                results.append(try finish(running.removeFirst()))
            }
            running.append(try start(input: document))
        }
        for command in running {
            results.append(try finish(command))
        }
        return results
        #else
        return try documents.map { try runWithFoundation(input: $0) }
        #endif
    }

    #if canImport(Glibc)
    /// A started `cmark-gfm` that has all its input.
    struct RunningCommand {
        var pid: pid_t
        var output: Int32
        var input: String
        var wroteInput: Bool
    }

    /// Starts the command with `posix_spawn` and writes `markdown` to its stdin.
    private func start(input markdown: String) throws -> RunningCommand {
        _ = ignoreSIGPIPE
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var pid: pid_t = 0
        let spawned = spawnLock.withLock {
            // Under the lock with the other spawns here, so no other child inherits these
            // pipes before they are close-on-exec (Glibc does not export pipe2).
            // dup2 onto this child's 0 and 1 clears the flag for this child only.
            guard makeClosingOnExecPipe(&input), makeClosingOnExecPipe(&output) else { return errno != 0 ? errno : -1 }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
            let argv: [UnsafeMutablePointer<CChar>?] = ([path] + Self.arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            let environment: [UnsafeMutablePointer<CChar>?] = [nil] // cmark-gfm needs none
            return posix_spawn(&pid, path, &actions, nil, argv, environment)
        }
        for descriptor in [input[0], output[1]] where descriptor >= 0 { close(descriptor) }
        guard spawned == 0 else {
            for descriptor in [input[1], output[0]] where descriptor >= 0 { close(descriptor) }
            throw PeerError("could not start \(path): error \(spawned)")
        }
        let wrote = writeAll(Array(markdown.utf8), to: input[1])
        close(input[1])
        return RunningCommand(pid: pid, output: output[0], input: markdown, wroteInput: wrote)
    }

    /// Reads the command's output to its end and waits for it to exit successfully.
    private func finish(_ command: RunningCommand) throws -> String {
        let html = readAll(from: command.output)
        close(command.output)
        var status: Int32 = 0
        while waitpid(command.pid, &status, 0) == -1 && errno == EINTR {}
        guard command.wroteInput, status == 0 else {
            throw PeerError("\(path) failed (wait status \(status)) on \(String(reflecting: command.input))")
        }
        return String(decoding: html, as: UTF8.self)
    }
    #else
    /// Runs the command with Foundation's `Process`, `markdown` on its stdin, and returns its output.
    private func runWithFoundation(input markdown: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Self.arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let html = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeerError("\(path) failed (exit status \(process.terminationStatus)) on \(String(reflecting: markdown))")
        }
        return String(decoding: html, as: UTF8.self)
    }
    #endif
}

private struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

#if canImport(Glibc)
/// A test process must not die when a child closes its input early: write then reports EPIPE.
private let ignoreSIGPIPE: Void = {
    signal(SIGPIPE, SIG_IGN)
}()

/// Serialises making pipes and starting children in `CmarkGFMCommand.start`.
private let spawnLock = NSLock()

/// Makes a pipe whose two ends are closed on exec; false (and nothing open) if that fails.
private func makeClosingOnExecPipe(_ descriptors: inout [Int32]) -> Bool {
    guard pipe(&descriptors) == 0 else {
        descriptors = [-1, -1]
        return false
    }
    for descriptor in descriptors {
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }
    return true
}

/// Writes every byte to `descriptor`; false if a write fails.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += written
    }
    return true
}

/// Reads `descriptor` to its end.
private func readAll(from descriptor: Int32) -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        if count <= 0 { break }
        result.append(contentsOf: buffer[0..<count])
    }
    return result
}
#endif

// MARK: - The corpora on disk

/// The repository's root folder (this file is Tests/MarkdownTests/DifferentialTests.swift).
private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Every `.md` file under `folder`, sorted by path, as samples of their bodies (front matter removed).
private func contentSamples(in folder: URL, labelPrefix: String) throws -> [Sample] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
        throw PeerError("cannot list \(folder.path)")
    }
    let paths = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }.sorted()
    return try paths.map { relative in
        let text = try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
        return Sample(label: labelPrefix + relative, markdown: bodyAfterFrontMatter(text))
    }
}

/// The Markdown after the YAML front matter: when the first line is `---`, everything after
/// the next line that is `---`; otherwise the whole text.
private func bodyAfterFrontMatter(_ text: String) -> String {
    let lines = text.components(separatedBy: "\n")
    guard lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") else { return text }
    return lines[(end + 1)...].joined(separator: "\n")
}

/// Runs the benchmark's corpus generator (`CorpusGenerator`) into `directory`.
private func runCorpusGenerator(into directory: URL, roles: Int) throws {
    try #require(try CorpusGenerator.run(into: directory.path, roles: roles) == 0, "\(CorpusGenerator.script) failed")
}

// MARK: - Random documents

/// `0x...` for a seed, as it is written in the failure labels.
private func hex(_ value: UInt64) -> String {
    "0x" + String(value, radix: 16)
}

/// Random GitHub Flavored Markdown documents: the same seed always gives the same document.
///
/// Mixes every construct guidegen must render like cmark-gfm, with local links in every
/// inline context (table cells, emphasis, headings, footnotes, quotes, nested lists, ...).
private struct RandomMarkdown {
    private var rng: SplitMix64
    /// Reference labels used by `[text][label]` links, defined at the end of the document.
    private var referenceLabels: [String] = []
    /// Footnote labels used by `[^label]`, defined at the end of the document.
    private var footnoteLabels: [String] = []

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    /// Where an inline sequence goes, which limits what it may contain.
    struct InlineContext {
        /// One line only (headings, table cells).
        var singleLine = false
        /// A table cell: a `|` must be escaped.
        var tableCell = false
        /// Link text (or mostly, an image description): no links inside (images are fine).
        var insideLink = false
    }

    // Pools of material.

    static let localDestinations = [
        "x.md", "../roles/a-b.md#sec", "/img/p.svg", "#anchor", "a.md?x=1&y=2", "a%20b.md",
        "caf%C3%A9.md", "café.md", "日本語/ページ.md", "<with space.md>", "./guide.md#Pay-Ü",
        "../faqs/q.md#a&amp;b", "x\\_y.md", "it's.md", "a\"b.md", "?page=2", "dir/", "x.md#",
        "a.md#x&#1;y", "%zz.md", "a(b).md", "<a<b.md>",
    ]
    static let localImages = ["/img/p.svg", "../img/a b.png", "<../img/a b.png>", "p.png", "café.png", "#anchor"]
    static let externalDestinations = [
        "https://example.com/", "http://example.org/a?b=1&c=2", "mailto:jobs@example.com",
        "//cdn.example.com/x.js", "javascript:alert(1)", "ftp://files.example.net/x", "https://ex.com/caf%C3%A9 ",
        "data:image/png;base64,AAAA", "HTTPS://EXAMPLE.COM/ü",
    ]
    static let titles = [
        "\"Title\"", "\"He said \\\"hi\\\"\"", "'it\\'s'", "(paren)", "\"a & b <c>\"", "\"O'Reilly\"",
        "'say \"yes\"'", "\"&amp; &#1; &copy;\"",
    ]
    static let words = [
        "Backend", "pay", "skills", "the", "and", "café", "naïve", "日本語", "2024", "C#", ".NET", "e.g.",
        "50%", "snake_case", "AT&T", "1 < 2", "a > b", "\"quoted\"", "it's", "Pay!", "(see)", "x*y",
        "foo_bar_", "~tilde", "--", "...", "+1", "§", "😀", "Ünïcödé", "a|b",
    ]
    static let headingTitles = ["Pay", "Skills", "Pay", "What it pays", "C# and .NET", "Pay"]
    static let entities = [
        "&amp;", "&lt;", "&gt;", "&quot;", "&copy;", "&nbsp;", "&ouml;", "&ngE;", "&#169;", "&#x2603;",
        "&#X41;", "&#1;", "&#2;", "&#0;", "&#x1;", "&#x02;", "&bogus;", "&#99999999;", "&#;", "&amp",
    ]
    static let escapes = ["\\*", "\\_", "\\[", "\\]", "\\\\", "\\<", "\\&", "\\#", "\\`", "\\~", "\\!", "\\a"]
    static let rawInlineHTML = [
        "<b>bold</b>", "<span class=\"x\">span</span>", "<a href=\"x.md\">raw</a>", "<!-- comment -->",
        "<script>alert(1)</script>", "<img src=\"p.png\" onerror=\"x()\">", "<br/>", "<?php echo 1 ?>",
        "<![CDATA[data]]>", "</div>", "<iframe src=\"//e.com\">", "<title>t</title>", "<x-custom a=1>",
    ]
    static let htmlBlocks = [
        "<div class=\"note\">\n*not* [md](x.md)\n</div>",
        "<!-- a comment\n[x](a.md) -->",
        "<script>\nalert(\"hi\")\n</script>",
        "<table><tr><td>[x](a.md)</td></tr></table>",
        "<details>\n<summary>More</summary>\n\nInside *md* [x](a.md)\n\n</details>",
        "<textarea>\n*x*\n</textarea>",
        "<style>p { color: red }</style>",
    ]
    static let codeLines = [
        "let x = [a](b.md)", "<b>&amp;</b> &#1;", "| a | b |", "    indented more", "*not emphasis*",
        "# not a heading", "a\tb", "", "```", "~~~", "[^1]", "www.example.com",
    ]
    static let autolinks = [
        "<https://example.com/a?b=1&c=2>", "<mailto:x@example.org>", "<jobs@example.com>",
        "www.example.com", "www.example.com/path_(x)", "https://example.org/x.", "user@example.org",
        "http://localhost:8080/a*b*", "<ftp://x.org>", "https://ex.com/ü?q=\"a\"", "www.commonmark.org/he<lp",
    ]
    static let footnoteLabelPool = ["1", "note", "a-b", "Ü", "long note"]
    static let referenceLabelPool = ["ref", "Role Page", "img", "ünï", "x*y"]

    /// A whole document: some blocks, then definitions for the references and footnotes used.
    mutating func document() -> String {
        var blocks: [String] = []
        for _ in 0..<(1 + rng.below(6)) {
            blocks.append(block(depth: 0))
        }
        blocks.append(contentsOf: referenceDefinitions())
        blocks.append(contentsOf: footnoteDefinitions())
        return blocks.joined(separator: "\n\n") + (rng.chance(90) ? "\n" : "")
    }

    // MARK: Blocks

    private mutating func block(depth: Int) -> String {
        // Containers only while not too deep.
        let kinds = depth < 3 ? 14 : 10
        switch rng.below(kinds) {
        case 0, 1: return paragraph(depth: depth)
        case 2: return atxHeading(depth: depth)
        case 3: return setextHeading(depth: depth)
        case 4: return fencedCode()
        case 5: return indentedCode()
        case 6: return rng.pick(["***", "---", "___", "- - -"])
        case 7: return rng.pick(Self.htmlBlocks)
        case 8: return paragraph(depth: depth)
        case 9: return table(depth: depth)
        case 10, 11: return list(depth: depth)
        case 12: return blockQuote(depth: depth)
        default: return table(depth: depth)
        }
    }

    private mutating func paragraph(depth: Int) -> String {
        inlines(depth: depth, context: InlineContext())
    }

    private mutating func headingText(depth: Int) -> String {
        if rng.chance(25) { return rng.pick(Self.headingTitles) } // duplicate titles get numbered ids
        return inlines(depth: depth, context: InlineContext(singleLine: true))
    }

    private mutating func atxHeading(depth: Int) -> String {
        let marks = String(repeating: "#", count: 1 + rng.below(6))
        let closing = rng.chance(20) ? " " + marks : ""
        return marks + " " + headingText(depth: depth) + closing
    }

    private mutating func setextHeading(depth: Int) -> String {
        headingText(depth: depth) + "\n" + rng.pick(["===", "---", "=", "------"])
    }

    private mutating func fencedCode() -> String {
        let fence = rng.pick(["```", "~~~", "````"])
        let info = rng.pick(["", "swift", "js title=\"a\"", "&amp; x", "mermaid"])
        var lines = [fence + info]
        for _ in 0..<(1 + rng.below(3)) {
            lines.append(rng.pick(Self.codeLines.filter { !$0.hasPrefix(fence) }))
        }
        if rng.chance(90) { lines.append(fence) }
        return lines.joined(separator: "\n")
    }

    private mutating func indentedCode() -> String {
        var lines: [String] = []
        for _ in 0..<(1 + rng.below(3)) {
            lines.append("    " + rng.pick(Self.codeLines.filter { !$0.isEmpty }))
        }
        return lines.joined(separator: "\n")
    }

    /// A GFM table: alignments, links, emphasis, code and escaped pipes in cells,
    /// rows with fewer or more cells than the header.
    private mutating func table(depth: Int) -> String {
        let columns = 1 + rng.below(4)
        let outerPipes = rng.chance(80)
        func row(_ cells: [String]) -> String {
            let inner = cells.joined(separator: " | ")
            return outerPipes || cells.count < 2 ? "| " + inner + " |" : inner
        }
        var alignments: [String] = []
        for _ in 0..<columns {
            alignments.append(rng.pick(["---", ":--", "--:", ":-:", "-"]))
        }
        var lines = [row(tableCells(columns, depth: depth)), row(alignments)]
        for _ in 0..<rng.below(4) {
            let count = max(1, columns + rng.pick([0, 0, 0, -1, 1]))
            lines.append(row(tableCells(count, depth: depth)))
        }
        return lines.joined(separator: "\n")
    }

    private mutating func tableCells(_ count: Int, depth: Int) -> [String] {
        var cells: [String] = []
        for _ in 0..<count {
            cells.append(tableCell(depth: depth))
        }
        return cells
    }

    private mutating func tableCell(depth: Int) -> String {
        switch rng.below(10) {
        case 0: return ""
        case 1: return "a \\| b"
        case 2: return "`code \\| pipe`"
        case 3: return "[cell link](" + rng.pick(Self.localDestinations) + " \"t \\| u\")"
        default: return inlines(depth: depth, context: InlineContext(singleLine: true, tableCell: true))
        }
    }

    /// An ordered or bullet list, tight or loose, with task items and nested blocks.
    private mutating func list(depth: Int) -> String {
        let ordered = rng.chance(40)
        let bullet = rng.pick(["-", "*", "+"])
        let delimiter = rng.pick([".", ")"])
        let start = rng.pick([1, 1, 0, 3, 10])
        let loose = rng.chance(30)
        var items: [String] = []
        for index in 0..<(1 + rng.below(4)) {
            let marker = ordered ? "\(start + index)\(delimiter)" : bullet
            var content = rng.chance(20) ? rng.pick(["[ ] ", "[x] ", "[X] "]) : ""
            content += inlines(depth: depth + 1, context: InlineContext())
            if rng.chance(35) {
                content += (loose ? "\n\n" : "\n") + block(depth: depth + 1)
            }
            items.append(marker + " " + indentingContinuation(content, by: marker.count + 1))
        }
        return items.joined(separator: loose ? "\n\n" : "\n")
    }

    private mutating func blockQuote(depth: Int) -> String {
        var blocks: [String] = []
        for _ in 0..<(1 + rng.below(2)) {
            blocks.append(block(depth: depth + 1))
        }
        return quoting(blocks.joined(separator: "\n\n"))
    }

    /// `[label]: destination "title"` for each reference used, sometimes missing one or adding an unused one.
    private mutating func referenceDefinitions() -> [String] {
        var labels = referenceLabels
        if rng.chance(20) { labels.append(rng.pick(Self.referenceLabelPool)) }
        var definitions: [String] = []
        for label in Set(labels).sorted() where rng.chance(85) {
            let destination = rng.chance(75) ? rng.pick(Self.localDestinations) : rng.pick(Self.externalDestinations)
            let title = rng.chance(40) ? " " + rng.pick(Self.titles) : ""
            // Labels match case-insensitively.
            let written = rng.chance(30) ? label.uppercased() : label
            definitions.append("[\(written)]: \(destination)\(title)")
        }
        return definitions
    }

    /// `[^label]: text` for each footnote used, with links inside and sometimes a second paragraph.
    private mutating func footnoteDefinitions() -> [String] {
        var definitions: [String] = []
        for label in Set(footnoteLabels).sorted() where rng.chance(85) {
            var text = "[^\(label)]: " + inlines(depth: 1, context: InlineContext(singleLine: true))
            if rng.chance(50) { text += " see [the role](" + rng.pick(Self.localDestinations) + ")" }
            if rng.chance(25) { text += "\n\n    " + inlines(depth: 1, context: InlineContext(singleLine: true)) }
            definitions.append(text)
        }
        return definitions
    }

    // MARK: Inlines

    /// A few inline pieces separated by spaces, or by line breaks where lines may break.
    private mutating func inlines(depth: Int, context: InlineContext) -> String {
        var text = inline(depth: depth, context: context)
        for _ in 0..<rng.below(5) {
            if !context.singleLine && rng.chance(15) {
                text += rng.pick(["\n", "  \n", "\\\n"])
            } else {
                text += rng.pick([" ", " ", " ", ", ", ""])
            }
            text += inline(depth: depth, context: context)
        }
        return text
    }

    private mutating func inline(depth: Int, context: InlineContext) -> String {
        switch rng.below(20) {
        case 0, 1, 2, 3:
            return context.tableCell ? rng.pick(Self.words).replacingOccurrences(of: "|", with: "\\|") : rng.pick(Self.words)
        case 4, 5, 6, 7:
            return context.insideLink ? rng.pick(Self.words) : link(depth: depth, context: context)
        case 8 where depth < 4:
            return rng.pick(["*", "_"]) + inlines(depth: depth + 1, context: context) + rng.pick(["*", "_"])
        case 9 where depth < 4:
            return rng.pick(["**", "__"]) + inlines(depth: depth + 1, context: context) + rng.pick(["**", "__"])
        case 10 where depth < 4:
            return rng.pick(["~~", "~"]) + inlines(depth: depth + 1, context: context) + rng.pick(["~~", "~"])
        case 11:
            let code = rng.pick(["code", "[x](y.md)", "<b>", "&amp;", "a ` b", " spaced ", "*x*", "\\"])
            return code.contains("`") ? "`` " + code + " ``" : "`" + code + "`"
        case 12:
            return image(depth: depth, context: context)
        case 13:
            return context.insideLink ? rng.pick(Self.words) : referenceLink()
        case 14:
            if context.insideLink { return rng.pick(Self.entities) }
            let label = rng.pick(Self.footnoteLabelPool)
            footnoteLabels.append(label)
            return "[^\(label)]"
        case 15:
            return context.insideLink ? rng.pick(Self.words) : rng.pick(Self.autolinks)
        case 16:
            return rng.pick(Self.entities)
        case 17:
            return context.tableCell ? rng.pick(Self.escapes + ["\\|"]) : rng.pick(Self.escapes)
        case 18:
            let html = rng.pick(Self.rawInlineHTML)
            return context.tableCell ? html.replacingOccurrences(of: "|", with: "\\|") : html
        default:
            return context.insideLink ? rng.pick(Self.words) : link(depth: depth, context: context)
        }
    }

    /// `[text](destination "title")`, mostly local.
    private mutating func link(depth: Int, context: InlineContext) -> String {
        var textContext = context
        textContext.insideLink = true
        let text = depth < 4 && rng.chance(60) ? inlines(depth: depth + 1, context: textContext) : rng.pick(Self.words)
        let destination = rng.chance(75) ? rng.pick(Self.localDestinations) : rng.pick(Self.externalDestinations)
        let title = rng.chance(30) ? " " + rng.pick(Self.titles) : ""
        return "[\(text)](\(destination)\(title))"
    }

    /// `![alt](destination "title")`, local or external; the description is inline Markdown,
    /// now and then with a link in it (cmark writes only its text into `alt`).
    private mutating func image(depth: Int, context: InlineContext) -> String {
        var altContext = context
        altContext.insideLink = rng.chance(80)
        let alt = depth < 4 && rng.chance(50) ? inlines(depth: depth + 1, context: altContext) : rng.pick(Self.words)
        let destination = rng.chance(70) ? rng.pick(Self.localImages) : rng.pick(Self.externalDestinations)
        let title = rng.chance(30) ? " " + rng.pick(Self.titles) : ""
        return "![\(alt)](\(destination)\(title))"
    }

    /// `[text][label]`, `[label][]` or `[label]`, defined (or not) at the end of the document.
    private mutating func referenceLink() -> String {
        let label = rng.pick(Self.referenceLabelPool)
        referenceLabels.append(label)
        switch rng.below(3) {
        case 0: return "[\(rng.pick(Self.words))][\(label)]"
        case 1: return "[\(label)][]"
        default: return "[\(label)]"
        }
    }
}

/// Indents every line after the first by `width` spaces (blank lines stay blank), for list item content.
private func indentingContinuation(_ text: String, by width: Int) -> String {
    let indent = String(repeating: " ", count: width)
    let lines = text.components(separatedBy: "\n")
    let rest = lines.dropFirst().map { $0.isEmpty ? "" : indent + $0 }
    return ([lines[0]] + rest).joined(separator: "\n")
}

/// Puts `> ` before every line (`>` alone on blank lines), for a block quote.
private func quoting(_ text: String) -> String {
    text.components(separatedBy: "\n").map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
}
