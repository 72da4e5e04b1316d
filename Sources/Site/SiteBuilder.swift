import CGuidegenSystem
import Concurrency
import Content
import Diagnostics
import Foundation
import Graph
import OfficialData
import Output
import Render
import Search

public struct BuildOptions: Sendable {
    /// The site folder (holds guidegen.yml and content/).
    public var source: String
    /// Where the site is written; nil writes nothing (`guidegen check`).
    public var output: String?
    public var baseURL: String?
    public var includeDrafts: Bool
    /// The date content warnings are judged on (YYYY-MM-DD); nil is today (UTC).
    public var today: String?
    /// Record the heap in use after each stage (`--timings`); asking the allocator walks its
    /// free lists, tens of milliseconds on a large heap, so it is off unless shown.
    public var measureHeap = false
    /// The process exits right after this build (the command line): what the build made is kept
    /// rather than freed piece by piece, which on a large site takes one core a noticeable while
    /// (a tenth of a second at 10,000 pages) when the exit frees it all at once.
    public var keepsMemoryUntilExit = false
    /// An earlier build's output folder whose page addresses this site is compared with (`url-removed`), for
    /// `check --output`; a build compares with the folder it writes.
    public var publishedOutput: String?
    /// Ask every web address of the site (`check --external`); nil asks none.
    public var externalLinks: ExternalLinkCheck.Options?

    public init(source: String = ".", output: String? = nil, baseURL: String? = nil, includeDrafts: Bool = false, today: String? = nil) {
        self.source = source
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
        self.today = today
    }
}

/// What a run did, for the summary line, and every diagnostic it found.
public struct BuildReport: Sendable {
    public var diagnostics = Diagnostics()
    public var pages = 0
    public var roles = 0
    public var generatedPages = 0
    public var links = 0
    public var files = 0
    public var seconds = 0.0
    /// Web addresses `check --external` asked their hosts about (the rest were known from the cache).
    public var externalAddressesAsked = 0
    /// Seconds per stage, in order: load and parse, theme, links and graph, search index, renderer, render and write.
    public var stages: [SiteBuilder.Stage] = []
    public var succeeded: Bool { !diagnostics.hasErrors }
}

/// The pipeline: load files -> parse -> resolve links and build the graph -> render -> write.
public enum SiteBuilder {
    public struct Stage: Sendable {
        public var name: String
        public var seconds: Double
        /// Heap bytes in use when the stage ended (what it keeps for later stages), 0 if unknown.
        public var heapBytes: Int

        public init(name: String, seconds: Double, measuringHeap: Bool) {
            self.name = name
            self.seconds = seconds
            heapBytes = measuringHeap ? Int(guidegen_heap_in_use()) : 0
        }
    }

    /// The page graph, for `explain`: one update of a one-time session, as `build` and `check` run it, its graph
    /// taken as soon as it is linked without errors (nil when loading, the theme or linking had one; the update's
    /// diagnostics say why).
    public static func graph(_ options: BuildOptions) -> (graph: SiteGraph?, diagnostics: Diagnostics) {
        let linked = linked(options)
        return (linked.graph, linked.diagnostics)
    }

    /// The page graph and where each figure filled from a data file came from (`explain figures`), by page source.
    public static func linked(_ options: BuildOptions) -> (graph: SiteGraph?, figureOrigins: [String: [FigureOrigin]], diagnostics: Diagnostics) {
        var session = SiteSession(options: options, incremental: false)
        var linked: SiteGraph?
        let update = session.update(beforeRender: { linked = $0 })
        return (linked, session.figureOrigins, update.diagnostics)
    }

    /// A full run: the site built in memory (a session's first update), then written unless
    /// `options.output` is nil (check). Check and build do the same work but the write.
    public static func build(_ options: BuildOptions, progress: (String) -> Void = { _ in }) -> BuildReport {
        let start = Date()
        var report = BuildReport()
        // A build killed between carrying the writer's files and its swap left a folder of theirs in its spare:
        // back in the output before anything else.
        if let output = options.output { SiteWriter.recoverInterruptedWrite(output: output, siteDirectory: options.source) }
        var session = SiteSession(options: options, incremental: false)
        // `check` writes nothing, so it makes no search index (built from the graph, it cannot fail).
        var search: [OutputFile] = []
        let makeSearch: ((SiteGraph) -> Void)? = options.output == nil ? nil : { search = BuiltSite.searchFiles(of: $0) }
        let update = session.update(progress: progress, beforeRender: makeSearch)
        report.diagnostics = update.diagnostics
        report.stages = update.stages
        guard let site = session.site else {
            report.seconds = Date().timeIntervalSince(start)
            return report
        }
        let graph = site.graph
        var clock = Date()
        let outputFiles = site.outputFiles
        // Before the write: it replaces the marker that says what the last build published. A folder named only to
        // be compared with (`check --output`) that holds no earlier output is said; a build's new folder is not.
        if let published = options.output ?? options.publishedOutput {
            report.diagnostics.append(contentsOf: RemovedURLs.warnings(site, outputPaths: outputFiles.paths, output: published,
                                                                       sayWhenNoOutput: options.output == nil))
        }
        // Content warnings are `check`'s: a build stays quiet about what it can publish (thousands of
        // lines on a large site would bury its errors and fill the pipes of scripts that run it).
        if options.output == nil {
            report.diagnostics.append(contentsOf: ContentChecks.warnings(graph, today: options.today ?? ContentChecks.today(), siteDirectory: options.source))
            report.diagnostics.append(contentsOf: ContentChecks.hiddenStaticFiles(site.leftOutStaticFiles))
            if let external = options.externalLinks {
                let checked = ExternalLinkCheck.warnings(graph, siteDirectory: options.source, options: external, progress: progress)
                report.diagnostics.append(contentsOf: checked.diagnostics)
                report.externalAddressesAsked = checked.asked
            }
            report.stages.append(SiteBuilder.Stage(name: "content checks", seconds: Date().timeIntervalSince(clock), measuringHeap: options.measureHeap))
        }
        report.pages = graph.pages.count
        report.roles = graph.pages.values.filter { $0.page.kind == .role }.count
        report.generatedPages = graph.hubs.count
        report.links = graph.linkCount

        clock = Date()
        // Generated outputs first (hubs, the sitemap, the feed: each lists many pages and costs many pages'
        // time): handed out last, one of them kept a core busy while the others had nothing left to do.
        let (paths, keys) = Self.costliestFirst(outputFiles)
        let copies = site.staticFiles.sorted { $0.key < $1.key }.map { (path: $0.key, source: $0.value) }
        report.files = paths.count + search.count + copies.count

        if let output = options.output {
            progress("rendering and writing \(report.files) files")
            // Each output is rendered by the thread that writes it and dropped once written: memory
            // holds a page per core, not the site.
            // The search index first, each file let go once written; then the renderer makes its cards
            // (their memory takes the index's place) and the pages are rendered as they are written.
            let index = Handover(search.map(\.data))
            let searchPaths = search.map(\.path)
            let count = search.count
            search = []
            // The renderer gets its cards between the writer's two phases, before any page is asked for;
            // each page renders with a copy of it.
            let rendering = Locked(site.renderer)
            let contents: @Sendable (Int) -> Data = { position in
                position < count ? index.take(position) : rendering.value.data(of: keys[position - count])
            }
            report.diagnostics.append(contentsOf: SiteWriter.write(paths: searchPaths + paths, contents: contents, copies: copies,
                                                                   to: output, siteDirectory: options.source,
                                                                   first: count, prepare: { rendering.withLock { $0.makeCards() } },
                                                                   verify: { rendering.value.theme.takeOverflows() }))
            report.stages.append(SiteBuilder.Stage(name: "render and write", seconds: Date().timeIntervalSince(clock), measuringHeap: options.measureHeap))
        }
        report.seconds = Date().timeIntervalSince(start)
        if options.keepsMemoryUntilExit { KeptUntilExit.keep(session) }
        return report
    }
}

extension SiteBuilder {
    /// The outputs with every one that is not a content page moved to the front, each group in its order.
    static func costliestFirst(_ outputs: (paths: [String], keys: [OutputKey])) -> (paths: [String], keys: [OutputKey]) {
        let order = outputs.keys.indices.filter { !outputs.keys[$0].isPage } + outputs.keys.indices.filter { outputs.keys[$0].isPage }
        return (order.map { outputs.paths[$0] }, order.map { outputs.keys[$0] })
    }
}

extension OutputKey {
    var isPage: Bool {
        if case .page = self { return true }
        return false
    }
}

/// Values a one-shot command keeps until the process exits instead of freeing them.
enum KeptUntilExit {
    private static let values = Locked<[any Sendable]>([])

    static func keep(_ value: any Sendable) {
        values.withLock { $0.append(value) }
    }
}

/// Values handed over once each, from any thread: the slot is emptied as it is taken, so the
/// bytes are freed as soon as their taker is done with them.
final class Handover: Sendable {
    private let values: Locked<[Data?]>

    init(_ values: [Data]) {
        self.values = Locked(values)
    }

    func take(_ index: Int) -> Data {
        values.withLock { values in
            defer { values[index] = nil }
            return values[index] ?? Data()
        }
    }
}
