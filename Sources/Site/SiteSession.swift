import Concurrency
import Content
import Diagnostics
import Foundation
import Graph
import OfficialData
import Render
import Search

/// The finished site in memory: what `build` writes, `check` inspects, and `serve` serves and updates.
public struct BuiltSite: Sendable {
    public var graph: SiteGraph
    /// A one-time session's renderer has no cards yet (`Renderer.makeCards`): `check` renders nothing
    /// and a build makes them once its search index is written.
    public var renderer: Renderer
    /// Rendered files by output path: pages, hubs, 404, sitemap, robots, theme assets.
    public var files: [String: Data]
    /// The site's own `static/` files: output path -> file on disk (inside the site folder).
    public var staticFiles: [String: String]
    /// Files and folders under `static/` left out for names starting with a dot (`LoadedSite.leftOutStaticFiles`).
    public var leftOutStaticFiles: [String] = []
    /// The addresses of drafts left out of this build (`LoadedSite.leftOutDraftURLs`).
    public var leftOutDraftURLs: Set<String> = []
    /// The renderer's outputs and their paths, as of this site.
    var outputs: [OutputKey] = []
    var paths: Set<String> = []
    /// The path of each output, in order, when the update that made this site listed them (a build's).
    var outputPaths: [String] = []

    /// The files to write, in the renderer's order: each output's path (a site's static file replaces
    /// a theme asset of the same path) and the output to render for it.
    public var outputFiles: (paths: [String], keys: [OutputKey]) {
        var paths: [String] = []
        var keys: [OutputKey] = []
        for (index, key) in outputs.enumerated() {
            let path = outputPaths.count == outputs.count ? outputPaths[index] : renderer.path(of: key)
            guard staticFiles[path] == nil else { continue }
            paths.append(path)
            keys.append(key)
        }
        return (paths, keys)
    }

    /// The search index files, made from the graph (the preview makes them when first asked for).
    public func searchFiles() -> [OutputFile] {
        Self.searchFiles(of: graph)
    }

    /// The search index files of a graph (none when the site turns search off).
    public static func searchFiles(of graph: SiteGraph) -> [OutputFile] {
        guard graph.config.search else { return [] }
        return SearchIndex.build(SearchDocument.documents(from: graph)).files.map { OutputFile(path: $0.path, data: $0.data) }
    }
}

/// A site kept in memory and brought up to date after files change. The first update builds
/// everything; later ones read only changed files, redo only the graph phases whose inputs
/// changed, and render only the outputs that show something that changed.
public struct SiteSession: Sendable {
    public let options: BuildOptions
    /// Whether updates keep what the next one reuses (the preview); a one-time build keeps nothing.
    public let incremental: Bool
    var loadMemo = LoadMemo()
    var dataMemo = DataMemo()
    /// The last update's data and its problems, reused while a watcher says no data file and not guidegen.yml changed.
    var lastData: (data: DataSet, problems: [Diagnostic])?
    var fillMemo = FillMemo()
    var graphMemo = GraphMemo()
    /// Where each figure filled from a data file came from, by page source (`explain figures`).
    public private(set) var figureOrigins: [String: [FigureOrigin]] = [:]
    /// The last site built without errors: the one served while a later update has errors.
    public private(set) var site: BuiltSite?

    public init(options: BuildOptions, incremental: Bool = true) {
        self.options = options
        self.incremental = incremental
    }

    /// What one update did.
    public struct Update: Sendable {
        public var diagnostics = Diagnostics()
        /// Output paths written anew or removed (empty when the update failed: nothing changed).
        public var changed: Set<String> = []
        /// Outputs rendered (the rest kept their bytes).
        public var rendered = 0
        /// Page files read again.
        public var reread = 0
        public var work = GraphWork()
        public var stages: [SiteBuilder.Stage] = []
        public var succeeded: Bool { !diagnostics.hasErrors }
    }

    /// Reads the site folder again and brings `site` up to date; on an error `site` stays as it was.
    /// The steps: load (only changed files when incremental), the theme, the graph (only the phases
    /// whose inputs changed), then render as `RenderMode` says and check what the write would do.
    /// - Parameter changed: the files that changed since the last update (paths inside the site folder),
    ///   when a watcher knows them; nil compares every file with what the last update read.
    /// - Parameter beforeRender: a build's search index, made from the new graph before the renderer
    ///   is (and only when there is a graph to render), so the index's working memory is freed before
    ///   the renderer's is taken. Its time is the stage `search index`.
    public mutating func update(changed: Set<String>? = nil, progress: (String) -> Void = { _ in },
                                beforeRender: ((SiteGraph) -> Void)? = nil) -> Update {
        var update = Update()
        var clock = Date()
        func lap(_ name: String) {
            update.stages.append(SiteBuilder.Stage(name: name, seconds: Date().timeIntervalSince(clock), measuringHeap: options.measureHeap))
            clock = Date()
        }
        progress("loading")
        guard let parsed = load(changed: changed, into: &update) else { return update }
        lap("load and parse")
        let loaded = officialFigures(parsed, changed: changed, into: &update)
        lap("official figures")
        let (loadedTheme, themeDiagnostics) = Theme.load(name: loaded.config.theme, siteDirectory: options.source, reusing: site?.renderer.theme)
        update.diagnostics.append(contentsOf: themeDiagnostics)
        lap("theme")

        progress("linking \(loaded.boxes.count) pages")
        let built = GraphBuilder.build(loaded, themeStaticFiles: loadedTheme?.assetPaths ?? [], reusing: graphMemo)
        if incremental { graphMemo = built.memo }
        update.work = built.work
        update.diagnostics.append(contentsOf: built.diagnostics.all)
        lap("links and graph")
        if let graph = built.graph { update.diagnostics.append(contentsOf: Self.aliasProblems(graph, staticFiles: loaded.staticFiles + (loadedTheme?.assetPaths ?? []))) }
        guard let graph = built.graph, let theme = loadedTheme, !update.diagnostics.hasErrors else { return update }

        if let beforeRender {
            progress("indexing \(graph.pages.count) pages for search")
            beforeRender(graph)
            lap("search index")
        }

        progress("rendering")
        let mode = RenderMode(incremental: incremental, previous: site)
        // A one-time session's renderer makes no cards: `check` renders nothing, and a build makes them
        // once its search index is written (`SiteBuilder.build`).
        let renderer = incremental ? Renderer(graph: graph, theme: theme, reusing: site?.renderer)
            : Renderer(graph: graph, theme: theme, makingCards: false)
        lap("renderer")
        let rendered = render(renderer, mode: mode, lap: lap)
        update.rendered = rendered.count
        update.diagnostics.append(contentsOf: Self.staticFileProblems(loaded.staticFiles, outputs: rendered.paths, theme: theme, search: graph.config.search))
        guard !update.diagnostics.hasErrors else { return update }
        // A site's static file replaces a theme asset of the same path.
        let root = SiteFiles(siteDirectory: options.source)?.root ?? options.source
        var staticFiles: [String: String] = [:]
        for path in loaded.staticFiles { staticFiles[path] = root + "/static/" + path }
        var written = rendered.written
        if site?.staticFiles != staticFiles {
            written.formUnion(staticFiles.keys)
            written.formUnion(site?.staticFiles.keys.map { $0 } ?? [])
        }
        site = BuiltSite(graph: graph, renderer: renderer, files: rendered.files, staticFiles: staticFiles, leftOutStaticFiles: loaded.leftOutStaticFiles,
                         leftOutDraftURLs: loaded.leftOutDraftURLs, outputs: rendered.outputs, paths: rendered.paths, outputPaths: rendered.outputPaths)
        update.changed = written
        return update
    }

    /// The site's files read and parsed: only those changed since the last update when incremental
    /// (the memo keeps the rest), every file once for a one-time build. Nil when the site cannot be read.
    mutating func load(changed: Set<String>?, into update: inout Update) -> LoadedSite? {
        let loadOptions = LoadOptions(includeDrafts: options.includeDrafts, baseURL: options.baseURL)
        let loaded: LoadedSite?
        let diagnostics: Diagnostics
        if incremental {
            let memo: LoadMemo
            (loaded, diagnostics, memo) = SiteLoader.load(directory: options.source, options: loadOptions, reusing: loadMemo, changed: changed)
            loadMemo = memo
            update.reread = memo.parsed
        } else {
            // A one-time build keeps no file's bytes beyond the load.
            (loaded, diagnostics) = SiteLoader.load(directory: options.source, options: loadOptions)
            update.reread = loaded?.boxes.count ?? 0
        }
        update.diagnostics = diagnostics
        return loaded
    }

    /// The roles' figures filled from the site's data files (`data:` in guidegen.yml): the files read again only
    /// when their bytes changed, a role's page made anew only when it, its data or the roles sharing its occupation did.
    /// - Parameter changed: the files a watcher says changed; when none is a data file or guidegen.yml, the files are
    ///   not read again (a save of a page does not read a state file of megabytes).
    mutating func officialFigures(_ loaded: LoadedSite, changed: Set<String>?, into update: inout Update) -> LoadedSite {
        let data: DataSet, problems: [Diagnostic]
        if let last = lastData, let changed, !changed.contains(where: { $0.hasPrefix("data/") || $0 == "guidegen.yml" }) {
            (data, problems) = last
        } else {
            let memo: DataMemo
            (data, problems, memo) = DataSet.read(loaded.config.data, siteDirectory: options.source, memo: dataMemo)
            if memo.parsed > 0 { fillMemo.dataChanged() }
            if incremental {
                dataMemo = memo
                lastData = (data, problems)
            }
        }
        var filled = loaded
        let result = FigureFill.apply(data, to: loaded.boxes, memo: &fillMemo)
        filled.boxes = result.boxes
        figureOrigins = result.origins
        update.diagnostics.append(contentsOf: problems + result.diagnostics)
        return filled
    }

    /// What an update renders.
    enum RenderMode {
        /// Only the outputs that may differ from the last site's; the rest keep its bytes.
        case changes(since: BuiltSite)
        /// Every output, kept in memory (the preview's first update).
        case everything
        /// Nothing: a one-time build renders each output as it writes it (`SiteBuilder.build`), so the
        /// rendered site is never all in memory; `check` renders nothing (rendering cannot fail).
        case pathsOnly

        init(incremental: Bool, previous: BuiltSite?) {
            if let previous { self = .changes(since: previous) } else { self = incremental ? .everything : .pathsOnly }
        }
    }

    /// What a render made: the files in memory, every output and its path, the paths written anew or
    /// removed, and how many outputs were rendered.
    struct Rendered {
        var files: [String: Data] = [:]
        var outputs: [OutputKey]
        var paths: Set<String> = []
        var outputPaths: [String] = []
        var written = Set<String>()
        var count = 0
    }

    func render(_ renderer: Renderer, mode: RenderMode, lap: (String) -> Void) -> Rendered {
        var result = Rendered(outputs: renderer.outputs)
        switch mode {
        case let .changes(previous):
            let changed = renderer.changedOutputs(since: previous.renderer)
            lap("changes")
            // The same outputs at the same paths as before (most saves); a new `slug` keeps a page's
            // output but moves it.
            let sameOutputs = result.outputs == previous.outputs && renderer.keepsPaths(of: previous.renderer)
            let before = sameOutputs ? [] : Set(previous.outputs)
            let stale = result.outputs.filter { changed?.contains($0) ?? true || (!sameOutputs && !before.contains($0)) }
            result.files = previous.files
            for file in renderer.render(stale) where result.files[file.path] != file.data {
                result.files[file.path] = file.data
                result.written.insert(file.path)
            }
            result.count = stale.count
            result.paths = sameOutputs ? previous.paths : Set(result.outputs.map(renderer.path(of:)))
            if !sameOutputs {
                for path in result.files.keys where !result.paths.contains(path) {
                    result.files[path] = nil
                    result.written.insert(path)
                }
            }
            lap("render")
        case .pathsOnly:
            result.outputPaths = result.outputs.parallelMap(renderer.path(of:))
            result.paths = Set(result.outputPaths)
            result.written = result.paths
        case .everything:
            let rendered = renderer.render(result.outputs)
            result.files = Dictionary(rendered.map { ($0.path, $0.data) }) { first, _ in first }
            result.paths = Set(result.files.keys)
            result.written = result.paths
            result.count = rendered.count
            lap("render")
        }
        return result
    }

    /// Aliases must be free addresses: not a page's (written or generated), not a static file's, not another
    /// alias's. Each problem is an error at the alias.
    static func aliasProblems(_ graph: SiteGraph, staticFiles: [String]) -> [Diagnostic] {
        var taken: [String: String] = [:]
        for id in graph.ids { taken[graph[id].url] = graph[id].source }
        for hub in graph.hubs where taken[hub.url] == nil { taken[hub.url] = "the generated \(hub.title) page" }
        let files = Set(staticFiles)
        var problems: [Diagnostic] = []
        var seen: [String: String] = [:]
        for id in graph.ids {
            for alias in graph[id].aliases {
                let path = String(alias.value.dropFirst())
                if let owner = taken[alias.value] {
                    problems.append(.error(.aliasCollision, at: alias.location, "the alias \(alias.value) is the address of \(owner)",
                                           hint: "an alias is an old address no page has now; remove it, or move the other page"))
                } else if files.contains(String(path.dropLast())) || files.contains(path + "index.html") {
                    problems.append(.error(.aliasCollision, at: alias.location, "the alias \(alias.value) is where a static file is published",
                                           hint: "remove the alias, or move the file out of that address"))
                } else if let other = seen[alias.value] {
                    problems.append(.error(.aliasCollision, at: alias.location, "the alias \(alias.value) is also an alias of \(other)",
                                           hint: "an old address can send readers to one page only; keep it on one of them"))
                } else {
                    seen[alias.value] = graph[id].source
                }
            }
        }
        return problems
    }

    /// What the write would do with the site's `static/` files, checked by build, check and serve alike:
    /// a static file may replace a theme asset, but not a page or the search index.
    static func staticFileProblems(_ staticFiles: [String], outputs: Set<String>, theme: Theme, search: Bool) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for path in staticFiles where outputs.contains(path) && theme.assets[path] == nil {
            problems.append(.error(.staticOverwrite, at: SourceLocation(file: "static/" + path),
                                   "static/\(path) would overwrite a page the build writes",
                                   hint: "rename or move the file"))
        }
        if search, let path = staticFiles.first(where: { $0.hasPrefix(SearchIndex.folder + "/") }) {
            problems.append(.error(.staticOverwrite, at: SourceLocation(file: "static/" + path),
                                   "static/\(path) is in \(SearchIndex.folder)/, where the build writes the search index",
                                   hint: "move the file out of static/\(SearchIndex.folder)/, or turn search off with `search: false`"))
        }
        return problems
    }
}
