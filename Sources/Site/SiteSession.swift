import Content
import Diagnostics
import Foundation
import Graph
import Render
import Search

/// The finished site in memory: what `build` writes, `check` inspects, and `serve` serves and updates.
public struct BuiltSite: Sendable {
    public var graph: SiteGraph
    public var renderer: Renderer
    /// Rendered files by output path: pages, hubs, 404, sitemap, robots, theme assets.
    public var files: [String: Data]
    /// The site's own `static/` files: output path -> file on disk (inside the site folder).
    public var staticFiles: [String: String]

    /// The search index files, made from the graph (the preview makes them when first asked for).
    public func searchFiles() -> [String: Data] {
        guard graph.config.search else { return [:] }
        var files: [String: Data] = [:]
        for file in SearchIndex.build(SearchDocument.documents(from: graph)).files { files[file.path] = Data(file.bytes) }
        return files
    }
}

/// A site kept in memory and brought up to date after files change. The first update builds
/// everything; later ones read only changed files, redo only the graph phases whose inputs
/// changed, and render only the outputs that show something that changed.
public struct SiteSession: Sendable {
    public let options: BuildOptions
    var loadMemo = LoadMemo()
    var graphMemo = GraphMemo()
    /// The last site built without errors: the one served while a later update has errors.
    public private(set) var site: BuiltSite?

    public init(options: BuildOptions) {
        self.options = options
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
    public mutating func update(progress: (String) -> Void = { _ in }) -> Update {
        var update = Update()
        var clock = Date()
        func lap(_ name: String) {
            update.stages.append(SiteBuilder.Stage(name: name, seconds: Date().timeIntervalSince(clock)))
            clock = Date()
        }
        progress("loading")
        let (loaded, loadDiagnostics, loadMemo) = SiteLoader.load(
            directory: options.source, options: LoadOptions(includeDrafts: options.includeDrafts, baseURL: options.baseURL), reusing: loadMemo)
        self.loadMemo = loadMemo
        update.reread = loadMemo.parsed
        update.diagnostics = loadDiagnostics
        guard let loaded else { return update }
        let (loadedTheme, themeDiagnostics) = Theme.load(name: loaded.config.theme, siteDirectory: options.source)
        update.diagnostics.append(contentsOf: themeDiagnostics)
        lap("load and parse")

        progress("linking \(loaded.pages.count) pages")
        let built = GraphBuilder.build(loaded, themeStaticFiles: loadedTheme?.assetPaths ?? [], reusing: graphMemo)
        graphMemo = built.memo
        update.work = built.work
        update.diagnostics.append(contentsOf: built.diagnostics.all)
        lap("links and graph")
        guard let graph = built.graph, let theme = loadedTheme, !update.diagnostics.hasErrors else { return update }

        progress("rendering")
        let previous = site
        let renderer = Renderer(graph: graph, theme: theme, reusing: previous?.renderer)
        let outputs = renderer.outputs
        let stale: [OutputKey]
        if let previous, let changed = renderer.changedOutputs(since: previous.renderer) {
            stale = outputs.filter { changed.contains($0) || previous.files[renderer.path(of: $0)] == nil }
        } else {
            stale = outputs
        }
        var files = previous?.files ?? [:]
        var written = Set<String>()
        for file in renderer.render(stale) where files[file.path] != file.data {
            files[file.path] = file.data
            written.insert(file.path)
        }
        update.rendered = stale.count
        let current = Set(outputs.map(renderer.path(of:)))
        for path in files.keys where !current.contains(path) {
            files[path] = nil
            written.insert(path)
        }
        lap("render")

        // What the write would do, checked by build, check and serve alike.
        let pagePaths = current.subtracting(theme.assets.keys)
        for path in loaded.staticFiles where pagePaths.contains(path) {
            update.diagnostics.append(.error(at: SourceLocation(file: "static/" + path),
                                             "static/\(path) would overwrite a page the build writes",
                                             hint: "rename or move the file"))
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
        site = BuiltSite(graph: graph, renderer: renderer, files: files, staticFiles: staticFiles)
        update.changed = written
        return update
    }
}
