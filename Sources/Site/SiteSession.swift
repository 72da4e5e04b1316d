import Concurrency
import Content
import Diagnostics
import Foundation
import Graph
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
    var graphMemo = GraphMemo()
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
        let loadOptions = LoadOptions(includeDrafts: options.includeDrafts, baseURL: options.baseURL)
        let loaded: LoadedSite?
        let loadDiagnostics: Diagnostics
        if incremental {
            let memo: LoadMemo
            (loaded, loadDiagnostics, memo) = SiteLoader.load(directory: options.source, options: loadOptions, reusing: loadMemo, changed: changed)
            loadMemo = memo
            update.reread = memo.parsed
        } else {
            // A one-time build keeps no file's bytes beyond the load.
            (loaded, loadDiagnostics) = SiteLoader.load(directory: options.source, options: loadOptions)
            update.reread = loaded?.boxes.count ?? 0
        }
        update.diagnostics = loadDiagnostics
        guard let loaded else { return update }
        lap("load and parse")
        let (loadedTheme, themeDiagnostics) = Theme.load(name: loaded.config.theme, siteDirectory: options.source, reusing: site?.renderer.theme)
        update.diagnostics.append(contentsOf: themeDiagnostics)
        lap("theme")

        progress("linking \(loaded.boxes.count) pages")
        let built = GraphBuilder.build(loaded, themeStaticFiles: loadedTheme?.assetPaths ?? [], reusing: graphMemo)
        if incremental { graphMemo = built.memo }
        update.work = built.work
        update.diagnostics.append(contentsOf: built.diagnostics.all)
        lap("links and graph")
        guard let graph = built.graph, let theme = loadedTheme, !update.diagnostics.hasErrors else { return update }

        if let beforeRender {
            progress("indexing \(graph.pages.count) pages for search")
            beforeRender(graph)
            lap("search index")
        }

        progress("rendering")
        let previous = site
        // A one-time session's renderer makes no cards: `check` renders nothing, and a build makes them
        // once its search index is written (`SiteBuilder.build`).
        let renderer = incremental ? Renderer(graph: graph, theme: theme, reusing: previous?.renderer)
            : Renderer(graph: graph, theme: theme, makingCards: false)
        lap("renderer")
        let outputs = renderer.outputs
        var files: [String: Data]
        var outputPaths: [String] = []
        var written = Set<String>()
        let current: Set<String>
        if let previous {
            let changed = renderer.changedOutputs(since: previous.renderer)
            lap("changes")
            let sameOutputs = outputs == previous.outputs
            let before = sameOutputs ? [] : Set(previous.outputs)
            let stale = outputs.filter { changed?.contains($0) ?? true || (!sameOutputs && !before.contains($0)) }
            files = previous.files
            for file in renderer.render(stale) where files[file.path] != file.data {
                files[file.path] = file.data
                written.insert(file.path)
            }
            update.rendered = stale.count
            // The same outputs as before (most saves): the same paths, none gone.
            if sameOutputs {
                current = previous.paths
            } else {
                current = Set(outputs.map(renderer.path(of:)))
                for path in files.keys where !current.contains(path) {
                    files[path] = nil
                    written.insert(path)
                }
            }
            lap("render")
        } else if !incremental {
            // A one-time build renders each output as it writes it (`SiteBuilder.build`), so the
            // rendered site is never all in memory; `check` renders nothing (rendering cannot fail).
            files = [:]
            outputPaths = outputs.parallelMap(renderer.path(of:))
            current = Set(outputPaths)
            written = current
        } else {
            let rendered = renderer.render(outputs)
            files = Dictionary(rendered.map { ($0.path, $0.data) }) { first, _ in first }
            current = Set(files.keys)
            written = current
            update.rendered = rendered.count
            lap("render")
        }

        // What the write would do, checked by build, check and serve alike.
        for path in loaded.staticFiles where current.contains(path) && theme.assets[path] == nil {
            update.diagnostics.append(.error(.staticOverwrite, at: SourceLocation(file: "static/" + path),
                                             "static/\(path) would overwrite a page the build writes",
                                             hint: "rename or move the file"))
        }
        if graph.config.search, let path = loaded.staticFiles.first(where: { $0.hasPrefix(SearchIndex.folder + "/") }) {
            update.diagnostics.append(.error(.staticOverwrite, at: SourceLocation(file: "static/" + path),
                                             "static/\(path) is in \(SearchIndex.folder)/, where the build writes the search index",
                                             hint: "move the file out of static/\(SearchIndex.folder)/, or turn search off with `search: false`"))
        }
        guard !update.diagnostics.hasErrors else { return update }
        // A site's static file replaces a theme asset of the same path.
        let root = SiteFiles(siteDirectory: options.source)?.root ?? options.source
        var staticFiles: [String: String] = [:]
        for path in loaded.staticFiles { staticFiles[path] = root + "/static/" + path }
        if previous?.staticFiles != staticFiles {
            written.formUnion(staticFiles.keys)
            written.formUnion(previous?.staticFiles.keys.map { $0 } ?? [])
        }
        site = BuiltSite(graph: graph, renderer: renderer, files: files, staticFiles: staticFiles, leftOutStaticFiles: loaded.leftOutStaticFiles,
                         outputs: outputs, paths: current, outputPaths: outputPaths)
        update.changed = written
        return update
    }
}
