import Concurrency
import Diagnostics
import Foundation
import Markdown

/// A parsed page, shared by every stage that reads it. It never changes, so sharing is safe; a load
/// that finds a file unchanged hands on the same box, so later stages tell unchanged pages by identity.
public final class PageBox: Sendable {
    public let page: Page

    public init(_ page: Page) {
        self.page = page
    }
}

/// A site read from disk: configuration, pages and the static files beside them.
public struct LoadedSite: Sendable {
    public var directory: String
    public var config: SiteConfig
    /// Published pages, sorted by path (drafts only with `includeDrafts`).
    public var boxes: [PageBox]
    public var pages: [Page] { boxes.map(\.page) }
    /// Content paths of drafts left out of this build, so links to them get a clear message.
    public var leftOutDrafts: Set<String>
    /// The addresses those drafts would have (`url-removed` does not count them as gone: a `--drafts` build published them).
    public var leftOutDraftURLs: Set<String> = []
    /// Files under `static/`, relative to it, sorted.
    public var staticFiles: [String]
    /// Files and folders (with a trailing `/`) under `static/` whose names start with a dot and that are
    /// not published (`SiteFiles.publishedHiddenNames`), relative to it, sorted.
    public var leftOutStaticFiles: [String] = []

    public init(directory: String, config: SiteConfig, pages: [Page], leftOutDrafts: Set<String> = [], staticFiles: [String] = []) {
        self.init(directory: directory, config: config, boxes: pages.map(PageBox.init), leftOutDrafts: leftOutDrafts, staticFiles: staticFiles)
    }

    public init(directory: String, config: SiteConfig, boxes: [PageBox], leftOutDrafts: Set<String> = [], staticFiles: [String] = []) {
        self.directory = directory
        self.config = config
        self.boxes = boxes
        self.leftOutDrafts = leftOutDrafts
        self.staticFiles = staticFiles
    }
}

public struct LoadOptions: Sendable {
    public var includeDrafts: Bool
    public var baseURL: String?

    public init(includeDrafts: Bool = false, baseURL: String? = nil) {
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
    }
}

/// What a load keeps so that the next reads and parses only files that changed: each page file's
/// stamp, bytes and parse result. An empty memo reads everything.
public struct LoadMemo: Sendable {
    struct Entry: Sendable {
        var stamp: SiteFiles.FileStamp?
        var data: Data
        var result: (page: PageBox?, diagnostics: [Diagnostic])
    }

    var options: MarkdownOptions?
    var entries: [String: Entry] = [:]
    /// When the load began (seconds since 1970). A file changed within a second or two of that may be
    /// changed again without a new stamp (file times tick coarsely), so its bytes are compared instead.
    var began: Int64 = 0
    /// Page files the last load parsed (the rest came from the memo).
    public internal(set) var parsed = 0

    public init() {}
}

/// Stage 1 and 2: reads `guidegen.yml`, every `content/**/*.md` (in parallel), and lists `static/`.
public enum SiteLoader {
    /// A one-time load: nothing is remembered for a next load, so each file's bytes are let go as soon as
    /// it is parsed (on the thread that read it, whose next file reuses their memory) and no memo is made.
    public static func load(directory: String, options: LoadOptions = LoadOptions()) -> (LoadedSite?, Diagnostics) {
        var next = LoadMemo()
        return load(directory: directory, options: options, memo: LoadMemo(), changed: nil, next: &next, remembering: false)
    }

    /// A load that reads and parses only page files that changed since the memo's load.
    /// - Parameter changed: the files (paths inside the site folder, like `content/roles/a.md`) that
    ///   may have changed, as a file watcher reports them; nil when that is not known, and then every
    ///   file's stamp (size, times, inode) is compared, and its bytes if the stamp is recent.
    public static func load(directory: String, options: LoadOptions, reusing memo: LoadMemo,
                            changed: Set<String>? = nil) -> (LoadedSite?, Diagnostics, LoadMemo) {
        var next = LoadMemo()
        next.began = Int64(Date().timeIntervalSince1970)
        let (site, diagnostics) = load(directory: directory, options: options, memo: memo, changed: changed, next: &next)
        return (site, diagnostics, next)
    }

    /// The load's steps: guidegen.yml, the listing of content/, each page file read and parsed (or taken from
    /// the memo), the memo for the next load, the pages sorted from the drafts, and the listing of static/.
    static func load(directory: String, options: LoadOptions, memo: LoadMemo, changed: Set<String>?,
                     next: inout LoadMemo, remembering: Bool = true) -> (LoadedSite?, Diagnostics) {
        var diagnostics = Diagnostics()
        guard let siteFiles = SiteFiles(siteDirectory: directory) else {
            diagnostics.append(.error(.siteFolder, at: SourceLocation(file: directory), "the site folder \(directory) does not exist",
                                      hint: "run guidegen in a site folder, or pass --source DIR; a site has guidegen.yml and content/"))
            return (nil, diagnostics)
        }
        let config: SiteConfig?
        switch readConfig(siteFiles, directory: directory, baseURL: options.baseURL) {
        case let .failure(problem):
            diagnostics.append(problem)
            return (nil, diagnostics)
        case let .success((settings, problems)):
            config = settings
            diagnostics.append(contentsOf: problems)
        }
        // Told what changed, the listing needs no stamps: a file not named keeps its memo.
        let told = changed != nil && !memo.entries.isEmpty
        guard let listing = listPages(siteFiles, directory: directory, stamps: !told, into: &diagnostics) else { return (nil, diagnostics) }
        let pageFiles = listing.files.filter { $0.hasSuffix(".md") }
        diagnostics.append(contentsOf: folderNameProblems(pageFiles))
        let markdownOptions = MarkdownOptions(unsafeHTML: config?.unsafeHTML ?? false)
        let reading = PageReading(contentDirectory: siteFiles.root + "/content", stamps: listing.stamps,
                                  known: memo.options == markdownOptions ? memo.entries : [:], changed: told ? changed : nil,
                                  trustedBefore: memo.began - 2, options: markdownOptions, remembering: remembering)
        let entries = pageFiles.parallelMap { reading.entry(for: $0) }
        next.options = markdownOptions
        let results = remember(entries, of: pageFiles, known: reading.known, in: &next, remembering: remembering)
        let (pages, drafts, draftURLs) = publishedPages(results, includeDrafts: options.includeDrafts, into: &diagnostics)
        // Static files are copied or served as they are then; the listing needs only their names.
        let staticListing = siteFiles.list("static", stamps: false, hidden: .publishedIfHostsReadThem)
        diagnostics.append(contentsOf: staticListing.diagnostics)
        guard let config else { return (nil, diagnostics) }
        var site = LoadedSite(directory: directory, config: config, boxes: pages, leftOutDrafts: drafts, staticFiles: staticListing.files)
        site.leftOutStaticFiles = staticListing.leftOut
        site.leftOutDraftURLs = draftURLs
        return (site, diagnostics)
    }

    /// guidegen.yml read and checked: its settings (nil when they have errors) and their problems; or the error that
    /// stops the load (outside the site, missing, unreadable, too large, not UTF-8).
    static func readConfig(_ siteFiles: SiteFiles, directory: String, baseURL: String?) -> Result<(SiteConfig?, [Diagnostic]), Diagnostic> {
        if let outside = siteFiles.checkInside("guidegen.yml") { return .failure(outside) }
        switch FileReader.read(siteFiles.root + "/guidegen.yml", maximumBytes: maximumConfigBytes) {
        case let .failure(failure) where failure.isMissing:
            return .failure(.error(.configMissing, at: SourceLocation(file: "guidegen.yml"), "no guidegen.yml in \(directory)",
                                   hint: "run guidegen in a site folder, or pass --source DIR; a site has guidegen.yml and content/"))
        case let .failure(failure):
            return .failure(failure.size.map { tooLarge("guidegen.yml", size: $0, limit: maximumConfigBytes, what: "guidegen.yml") }
                ?? .error(.unreadableFile, at: SourceLocation(file: "guidegen.yml"), "cannot read guidegen.yml: \(failure.reason)", hint: failure.hint))
        case let .success(data):
            guard let text = String(validatingUTF8Data: data) else {
                return .failure(.error(.notUTF8, at: SourceLocation(file: "guidegen.yml"), "cannot read guidegen.yml as UTF-8 text",
                                       hint: "save the file as UTF-8"))
            }
            return .success(SiteConfig.load(text: text, file: "guidegen.yml", baseURLOverride: baseURL))
        }
    }

    /// The files under content/ (with their stamps if asked), a warning for each that is not a Markdown page; nil,
    /// with an error, when there is no content/ folder.
    static func listPages(_ siteFiles: SiteFiles, directory: String, stamps: Bool, into diagnostics: inout Diagnostics) -> SiteFiles.Listing? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: siteFiles.root + "/content", isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.append(.error(.contentMissing, at: SourceLocation(file: "content/"), "no content/ folder in \(directory)",
                                      hint: "put the Markdown pages under content/ (roles/, salaries/, faqs/, guides/)"))
            return nil
        }
        let listing = siteFiles.list("content", stamps: stamps)
        diagnostics.append(contentsOf: listing.diagnostics)
        for file in listing.files where !file.hasSuffix(".md") {
            diagnostics.append(.warning(.notMarkdown, at: SourceLocation(file: "content/" + file), "not a Markdown page, left out",
                                        hint: "put images and other files in static/ and link them from the root, like /img/chart.svg"))
        }
        return listing
    }

    /// How one load gets a page file's entry: from the memo when the file cannot have changed, else read and parsed.
    struct PageReading: Sendable {
        let contentDirectory: String
        let stamps: [String: SiteFiles.FileStamp]
        /// The last load's entries (none when the Markdown options changed since).
        let known: [String: LoadMemo.Entry]
        /// The files the watcher named (paths inside the site folder), when it named them and there is a memo.
        let changed: Set<String>?
        /// A file whose stamp is the same and older than this was not changed since its entry was made.
        let trustedBefore: Int64
        let options: MarkdownOptions
        /// Whether entries keep the file's bytes (for the next load to compare).
        let remembering: Bool

        /// The entry of the page file at `path` (inside content/), and whether it was parsed now.
        func entry(for path: String) -> (LoadMemo.Entry, Bool) {
            let stamp = stamps[path]
            if let changed, let old = known[path], !changed.contains("content/" + path) { return (old, false) }
            if let old = known[path], let stamp, old.stamp == stamp, stamp.modified < trustedBefore { return (old, false) }
            let source = "content/" + path
            let data: Data
            switch FileReader.read(contentDirectory + "/" + path, maximumBytes: SiteLoader.maximumPageBytes) {
            case let .success(bytes): data = bytes
            case let .failure(failure):
                let problem = failure.size.map { SiteLoader.tooLarge(source, size: $0, limit: SiteLoader.maximumPageBytes, what: "a page") }
                    ?? .error(.unreadableFile, at: SourceLocation(file: source), "cannot read this file: \(failure.reason)", hint: failure.hint)
                return (LoadMemo.Entry(stamp: failure.size == nil ? nil : stamp, data: Data(), result: (nil, [problem])), true)
            }
            if var old = known[path], old.data == data {
                old.stamp = stamp
                return (old, false)
            }
            guard let text = String(validatingUTF8Data: data) else {
                return (LoadMemo.Entry(stamp: stamp, data: data, result: (nil, [.error(.notUTF8, at: SourceLocation(file: source), "not valid UTF-8 text", hint: "save the file as UTF-8")])), true)
            }
            let (page, problems) = PageParser.parse(text: text, source: source, path: path, options: options)
            return (LoadMemo.Entry(stamp: stamp, data: remembering ? data : Data(), result: (page.map(PageBox.init), problems)), true)
        }
    }

    /// The next load's memo: the last one's entries updated in place (most are unchanged between two loads of a
    /// preview), those of files gone removed. The parse results, in the order of `pageFiles`.
    static func remember(_ entries: [(LoadMemo.Entry, Bool)], of pageFiles: [String], known: [String: LoadMemo.Entry],
                         in next: inout LoadMemo, remembering: Bool) -> [(PageBox?, [Diagnostic])] {
        next.entries = known
        var results: [(PageBox?, [Diagnostic])] = []
        results.reserveCapacity(entries.count)
        var kept = 0
        for (path, (entry, parsed)) in zip(pageFiles, entries) {
            let old = known[path]
            if old != nil { kept += 1 }
            if remembering, parsed || old?.stamp != entry.stamp { next.entries[path] = entry }
            if parsed { next.parsed += 1 }
            results.append(entry.result)
        }
        if kept != known.count {
            let listed = Set(pageFiles)
            for path in known.keys where !listed.contains(path) { next.entries[path] = nil }
        }
        return results
    }

    /// The pages a build publishes (drafts only when included), the content paths and addresses of drafts left out,
    /// and every page's problems.
    static func publishedPages(_ results: [(PageBox?, [Diagnostic])], includeDrafts: Bool,
                               into diagnostics: inout Diagnostics) -> (pages: [PageBox], drafts: Set<String>, draftURLs: Set<String>) {
        var pages: [PageBox] = []
        pages.reserveCapacity(results.count)
        var drafts = Set<String>()
        var draftURLs = Set<String>()
        for (box, pageDiagnostics) in results {
            diagnostics.append(contentsOf: pageDiagnostics)
            guard let box else { continue }
            if box.page.draft, !includeDrafts {
                drafts.insert(box.page.path)
                draftURLs.insert(box.page.url)
            } else {
                pages.append(box)
            }
        }
        return (pages, drafts, draftURLs)
    }

    /// The largest page file read, in bytes (2 MiB: a long career guide is 20-60 KB, a book chapter 100 KB).
    /// While it is parsed a page takes 20 times its size in memory as prose and up to 220 times in the costliest
    /// shape (a page of nothing but emphasis: cmark-gfm's nodes), on each core at once; cmark-gfm aborts the
    /// process on a document of 1 GiB. A larger file is an error, found from its size before it is read.
    public static let maximumPageBytes: Int64 = 2 << 20
    /// The largest `guidegen.yml` read, in bytes (1 MiB): a site's settings are a few lines.
    public static let maximumConfigBytes: Int64 = 1 << 20

    static func tooLarge(_ file: String, size: Int64, limit: Int64, what: String) -> Diagnostic {
        .error(.fileTooLarge, at: SourceLocation(file: file, line: 1, column: 1),
               "this file is \(megabytes(size)) (\(size) bytes); \(what) may be at most \(megabytes(limit)) (\(limit) bytes)",
               hint: what == "a page" ? "split it into several pages that link to each other; put data files in static/ and link them"
                                      : "guidegen.yml holds a few settings; remove what is not one of them")
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    /// Folder names under content/ become URL segments, so they follow the slug rule; one error per folder.
    static func folderNameProblems(_ paths: [String]) -> [Diagnostic] {
        var folders = Set<String>()
        var last: Substring = ""
        for path in paths {
            let slash = UInt8(ascii: "/")
            guard let end = path.utf8.lastIndex(of: slash) else { continue }
            var folder = path[..<end]
            // Sorted paths: most share the previous one's folder.
            if folder == last { continue }
            last = folder
            // Up the path until a folder already seen (its parents were seen with it).
            while folders.insert(String(folder)).inserted, let up = folder.utf8.lastIndex(of: slash) {
                folder = folder[..<up]
            }
        }
        return folders.sorted().compactMap { folder in
            let name = String(folder.split(separator: "/").last!)
            guard let problem = Slug.firstProblem(in: name) else { return nil }
            return .error(.folderName, at: SourceLocation(file: "content/" + folder + "/"),
                          "the folder name `\(name)` has \(problem); page URLs are made of a-z, 0-9 and -",
                          hint: "rename the folder to `\(Slug.suggestion(for: name))`")
        }
    }
}

extension String {
    init?(validatingUTF8Data data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
