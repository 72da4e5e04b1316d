import Concurrency
import Content
import Diagnostics
import Foundation
import JSONText

/// The static search index: written once by the build, read piece by piece by the browser.
///
/// Files (under `search/` in the output):
/// - `manifest.json`: the number of pages, a version, and the first term of every shard.
///   The only file a first query always needs (a few KiB), and the only one whose bytes change under one name.
/// - `VERSION/...`: every other file, in a folder named by the version (a hash of all their bytes), so each name
///   holds the same bytes forever and hosts may cache it for a year (a query string would not do: CDNs often
///   leave it out of their cache key).
/// - `VERSION/s/N.bin`: shards. Terms in order (by UTF-16 code units, as JavaScript compares),
///   cut into files of about `shardBytes`, so a query fetches only the shards of its
///   terms (or of its last word's prefix). Format in `ShardEncoder`.
/// - `VERSION/f/N.json`: one small fragment per page (title, kind, category, URL, summary and the
///   start of the text for snippets), fetched only for results shown.
public struct SearchIndex: Sendable {
    public struct Options: Sendable {
        /// Shards are closed once they reach this size; one term never spans two shards.
        public var shardBytes = 6 * 1024
        /// Text kept per page for snippets, in UTF-8 bytes.
        public var excerptBytes = 700

        public init() {}
    }

    public struct File: Sendable {
        /// Path inside the output folder.
        public var path: String
        /// The file's bytes, made once: the writer writes this value, no copy of it.
        public var data: Data
    }

    public var files: [File]
    public var termCount: Int
    public var shardCount: Int

    public static let folder = "search"

    public static func build(_ documents: [SearchDocument], options: Options = Options()) -> SearchIndex {
        let (terms, postings) = score(documents)
        let order = terms.indices.sorted { terms[$0].utf16.lexicographicallyPrecedes(terms[$1].utf16) }

        // Paths inside the version's folder, named once the hash of all their bytes is known.
        var files: [File] = []
        var firstTerms: [String] = []
        var encoder = ShardEncoder()
        var hash = FNV1a()
        func closeShard() {
            let data = Data(encoder.finish())
            hash.add(data)
            files.append(File(path: "s/\(firstTerms.count - 1).bin", data: data))
        }
        let encoded = order.parallelMap { ShardEncoder.encodePostings(postings[$0]) }
        for (position, id) in order.enumerated() {
            if encoder.isEmpty { firstTerms.append(terms[id]) }
            encoder.add(term: terms[id], postings: encoded[position])
            // A word's exact-title terms ("product\u{1}manager\u{1}") follow it in the same shard, which a query
            // reads for the word anyway.
            let next = position + 1 < order.count ? terms[order[position + 1]] : nil
            let keepsTitle = next.map { ExactTitle.continues(word: terms[id], next: $0) } ?? false
            if encoder.byteCount >= options.shardBytes, !keepsTitle { closeShard() }
        }
        if !encoder.isEmpty { closeShard() }

        // Each fragment becomes `Data` on the thread that made it, so its array is freed at once.
        // (Made beside the scoring, they took 9 MiB more at the build's peak and no time off it.)
        let fragments = documents.parallelMap { Data(fragment(of: $0, excerptBytes: options.excerptBytes)) }
        for (index, data) in fragments.enumerated() {
            hash.add(data)
            files.append(File(path: "f/\(index).json", data: data))
        }

        let words = Data(vocabulary(of: documents).joined(separator: "\n").utf8)
        hash.add(words)
        files.append(File(path: vocabularyFile, data: words))
        for index in files.indices { files[index].path = "\(folder)/\(hash.hex)/" + files[index].path }

        let manifest = JSON.object([
            "format": .int(1),
            "version": .string(hash.hex),
            "pages": .int(documents.count),
            "shards": .array(firstTerms.map { .string($0) }),
            "levelsPerPoint": .number(Scoring.levelsPerPoint),
        ])
        files.append(File(path: "\(folder)/manifest.json", data: Data(manifest.text.utf8)))
        return SearchIndex(files: files, termCount: terms.count, shardCount: firstTerms.count)
    }

    /// The file of words a typo is matched against, read only when a word matches nothing.
    public static let vocabularyFile = "v.txt"

    /// Where the files of the index whose manifest says `version` are, in the output.
    public static func shardPath(_ shard: Int, version: String) -> String { "\(folder)/\(version)/s/\(shard).bin" }
    public static func fragmentPath(_ page: Int, version: String) -> String { "\(folder)/\(version)/f/\(page).json" }
    public static func vocabularyPath(version: String) -> String { "\(folder)/\(version)/\(vocabularyFile)" }

    /// The version a manifest names (its files' folder), if it is one.
    public static func version(ofManifest bytes: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any], let version = object["version"] as? String,
              !version.isEmpty, version.allSatisfy({ $0.isHexDigit }) else { return nil }
        return version
    }
    /// Most words the vocabulary keeps.
    static let vocabularyLimit = 20_000

    /// The words of titles, alternate titles, categories, skills and headings as written (folded, not stemmed),
    /// of at least 4 characters, most frequent first (then in code-unit order): what a reader is likely to mean
    /// when a word they typed matches nothing.
    static func vocabulary(of documents: [SearchDocument]) -> [String] {
        var counts: [String: Int] = [:]
        for document in documents {
            for text in [document.title] + document.alternateTitles + [document.category].compactMap({ $0 }) + document.keywords + document.headings {
                Tokenizer.indexWords(text) { word in
                    if word.utf16.count >= 4, word.utf16.count <= 40 { counts[word, default: 0] += 1 }
                }
            }
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            .prefix(vocabularyLimit).map(\.key)
    }

    /// Scores every page on all cores (each chunk of pages numbers its own terms), then
    /// merges: every term once, with postings `document << 8 | level`, documents ascending.
    static func score(_ documents: [SearchDocument]) -> (terms: [String], postings: [ArraySlice<UInt32>]) {
        let scoring = Scoring(documents: documents)
        let chunkCount = min(documents.count, ProcessInfo.processInfo.activeProcessorCount * 8)
        return merge(chunks(of: documents, count: chunkCount).parallelMap { range -> (terms: [String], levels: Scoring.Levels) in
            var table = TermTable()
            var scratch = Scoring.Scratch()
            var levels = Scoring.Levels()
            levels.ends.reserveCapacity(range.count)
            for document in range { scoring.levels(of: documents[document], table: &table, scratch: &scratch, into: &levels) }
            return (table.terms, levels)
        })
    }

    /// `count` runs of consecutive documents with about as much text each (a role page has several
    /// times a FAQ's): runs of equal length left one core scoring alone for a tenth of the stage.
    static func chunks(of documents: [SearchDocument], count: Int) -> [Range<Int>] {
        let weights = documents.map { 256 + $0.title.utf8.count + $0.body.utf8.count + ($0.summary?.utf8.count ?? 0) }
        let total = weights.reduce(0, +)
        var chunks: [Range<Int>] = []
        var start = 0
        var sum = 0
        for (index, weight) in weights.enumerated() {
            sum += weight
            // Close the run that reaches its share of the total, leaving a document for each run still to come.
            if chunks.count < count - 1, sum * count >= total * (chunks.count + 1), documents.count - index - 1 >= count - chunks.count - 1 {
                chunks.append(start..<(index + 1))
                start = index + 1
            }
        }
        chunks.append(start..<documents.count)
        return chunks
    }

    /// Chunk-local term ids -> global ids; every term once, with postings in document order.
    static func merge(_ chunks: [(terms: [String], levels: Scoring.Levels)]) -> (terms: [String], postings: [ArraySlice<UInt32>]) {
        // Chunk-local ids -> global ids, and how many pages each term is on.
        var table = TermTable()
        var counts: [Int] = []
        let globals = chunks.map { chunk in
            let global = chunk.terms.map { table.id(term: $0) }
            if counts.count < table.terms.count { counts += repeatElement(0, count: table.terms.count - counts.count) }
            for id in chunk.levels.ids { counts[Int(global[Int(id)])] += 1 }
            return global
        }
        let terms = table.terms
        // One flat array, each term's postings a slice of it, filled in page order.
        var starts = [Int](repeating: 0, count: terms.count + 1)
        for id in terms.indices { starts[id + 1] = starts[id] + counts[id] }
        var flat = [UInt32](repeating: 0, count: starts[terms.count])
        var next = Array(starts.dropLast())
        var document: UInt32 = 0
        for (chunk, global) in zip(chunks, globals) {
            let levels = chunk.levels
            for n in levels.ends.indices {
                for entry in levels.range(ofDocument: n) {
                    let id = Int(global[Int(levels.ids[entry])])
                    flat[next[id]] = document << 8 | UInt32(levels.levels[entry])
                    next[id] += 1
                }
                document += 1
            }
        }
        let postings = terms.indices.map { flat[starts[$0]..<starts[$0 + 1]] }
        return (terms, postings)
    }

    static func fragment(of document: SearchDocument, excerptBytes: Int) -> [UInt8] {
        var members: [String: JSON] = [
            "t": .string(document.title),
            "u": .string(document.url),
            "k": .string(document.kind),
            "x": .string(excerpt(document.body, maxBytes: excerptBytes)),
        ]
        if let category = document.category { members["c"] = .string(category) }
        if let figure = document.figure { members["m"] = .string(figure) }
        if let summary = document.summary { members["s"] = .string(summary) }
        if !document.alternateTitles.isEmpty { members["a"] = .array(document.alternateTitles.map { .string($0) }) }
        var bytes: [UInt8] = []
        JSON.object(members).write(to: &bytes)
        return bytes
    }

    /// The start of `text` with whitespace runs collapsed, cut at a word boundary.
    static func excerpt(_ text: String, maxBytes: Int) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(min(maxBytes + 8, text.utf8.count))
        var pendingSpace = false
        var lastSpace = 0
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                if output.count + 1 > maxBytes { break }
                lastSpace = output.count
                output.append(0x20)
                pendingSpace = false
            }
            if output.count >= maxBytes, byte & 0xC0 != 0x80 {
                // Over the limit at the start of a character: cut at the last space.
                output.removeSubrange((lastSpace > 0 ? lastSpace : output.count)...)
                output.append(contentsOf: "…".utf8)
                break
            }
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
