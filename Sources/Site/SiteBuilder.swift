import Content
import Diagnostics
import Foundation
import Graph
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

    public init(source: String = ".", output: String? = nil, baseURL: String? = nil, includeDrafts: Bool = false) {
        self.source = source
        self.output = output
        self.baseURL = baseURL
        self.includeDrafts = includeDrafts
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
    /// Seconds per stage, in order: load and parse, link and graph, render, search index, write.
    public var stages: [SiteBuilder.Stage] = []
    public var succeeded: Bool { !diagnostics.hasErrors }
}

/// The pipeline: load files -> parse -> resolve links and build the graph -> render -> write.
public enum SiteBuilder {
    /// What stages 1-3 made: the graph and theme when there was no error, every diagnostic, and stage times.
    public struct Linked: Sendable {
        public var graph: SiteGraph?
        public var theme: Theme?
        /// Files under the site's `static/`, relative to it.
        public var staticFiles: [String] = []
        public var diagnostics: Diagnostics
        public var stages: [Stage]
    }

    public struct Stage: Sendable {
        public var name: String
        public var seconds: Double
    }

    /// Stages 1-3, shared by build, check and explain.
    public static func graph(_ options: BuildOptions, progress: (String) -> Void = { _ in }) -> Linked {
        var stages: [Stage] = []
        var clock = Date()
        func lap(_ name: String) {
            stages.append(Stage(name: name, seconds: Date().timeIntervalSince(clock)))
            clock = Date()
        }
        progress("loading")
        let (site, loadDiagnostics) = SiteLoader.load(directory: options.source,
                                                      options: LoadOptions(includeDrafts: options.includeDrafts, baseURL: options.baseURL))
        var diagnostics = loadDiagnostics
        guard let site else { return Linked(diagnostics: diagnostics, stages: stages) }
        let (theme, themeDiagnostics) = Theme.load(name: site.config.theme, siteDirectory: options.source)
        diagnostics.append(contentsOf: themeDiagnostics)
        lap("load and parse")
        progress("linking \(site.pages.count) pages")
        let (graph, graphDiagnostics) = GraphBuilder.build(site, themeStaticFiles: theme?.assetPaths ?? [])
        diagnostics.append(contentsOf: graphDiagnostics.all)
        lap("links and graph")
        if diagnostics.hasErrors { return Linked(theme: theme, staticFiles: site.staticFiles, diagnostics: diagnostics, stages: stages) }
        return Linked(graph: graph, theme: theme, staticFiles: site.staticFiles, diagnostics: diagnostics, stages: stages)
    }

    /// A full run. With `options.output` nil nothing is written (check).
    public static func build(_ options: BuildOptions, progress: (String) -> Void = { _ in }) -> BuildReport {
        let start = Date()
        var report = BuildReport()
        let linked = graph(options, progress: progress)
        report.diagnostics = linked.diagnostics
        report.stages = linked.stages
        guard let graph = linked.graph, let theme = linked.theme else {
            report.seconds = Date().timeIntervalSince(start)
            return report
        }
        report.pages = graph.pages.count
        report.roles = graph.pages.filter { $0.kind == .role }.count
        report.generatedPages = graph.hubs.count
        report.links = graph.linkCount

        progress("rendering \(graph.pages.count + graph.hubs.count) pages")
        var clock = Date()
        var files = Renderer(graph: graph, theme: theme).render()
        report.stages.append(SiteBuilder.Stage(name: "render", seconds: Date().timeIntervalSince(clock)))
        clock = Date()
        if graph.config.search {
            progress("indexing \(graph.pages.count) pages for search")
            let index = SearchIndex.build(SearchDocument.documents(from: graph))
            files += index.files.map { OutputFile(path: $0.path, data: Data($0.bytes)) }
            report.stages.append(SiteBuilder.Stage(name: "search index", seconds: Date().timeIntervalSince(clock)))
            clock = Date()
        }
        // What the write would do, checked by build and check alike.
        let staticFiles = linked.staticFiles
        let pagePaths = Set(files.map(\.path)).subtracting(theme.assets.keys)
        for path in staticFiles where pagePaths.contains(path) {
            report.diagnostics.append(.error(at: SourceLocation(file: "static/" + path),
                                             "static/\(path) would overwrite a page the build writes",
                                             hint: "rename or move the file"))
        }
        // A site's static file replaces a theme asset of the same path.
        let copied = Set(staticFiles)
        let written = files.filter { !copied.contains($0.path) }.map { (path: $0.path, data: $0.data) }
        let staticDirectory = (options.source as NSString).appendingPathComponent("static")
        let copies = staticFiles.map { (path: $0, source: (staticDirectory as NSString).appendingPathComponent($0)) }
        report.files = written.count + copies.count

        if let output = options.output, !report.diagnostics.hasErrors {
            progress("writing \(report.files) files")
            report.diagnostics.append(contentsOf: SiteWriter.write(files: written, copies: copies, to: output, siteDirectory: options.source))
            report.stages.append(SiteBuilder.Stage(name: "write", seconds: Date().timeIntervalSince(clock)))
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}
