import Diagnostics
import Foundation
import Markdown
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A site read from disk: configuration, pages and the static files beside them.
public struct LoadedSite: Sendable {
    public var directory: String
    public var config: SiteConfig
    /// Published pages, sorted by path (drafts only with `includeDrafts`).
    public var pages: [Page]
    /// Content paths of drafts left out of this build, so links to them get a clear message.
    public var leftOutDrafts: Set<String>
    /// Files under `static/`, relative to it, sorted.
    public var staticFiles: [String]

    public init(directory: String, config: SiteConfig, pages: [Page], leftOutDrafts: Set<String> = [], staticFiles: [String] = []) {
        self.directory = directory
        self.config = config
        self.pages = pages
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

/// Stage 1 and 2: reads `guidegen.yml`, every `content/**/*.md` (in parallel), and lists `static/`.
public enum SiteLoader {
    public static func load(directory: String, options: LoadOptions = LoadOptions()) -> (LoadedSite?, Diagnostics) {
        var diagnostics = Diagnostics()
        let fileManager = FileManager.default
        let configPath = (directory as NSString).appendingPathComponent("guidegen.yml")
        guard let configText = try? String(contentsOfFile: configPath, encoding: .utf8) else {
            diagnostics.append(.error(
                at: SourceLocation(file: "guidegen.yml"),
                fileManager.fileExists(atPath: configPath) ? "cannot read guidegen.yml as UTF-8 text" : "no guidegen.yml in \(directory)",
                hint: "run guidegen in a site folder, or pass --source DIR; a site has guidegen.yml and content/"
            ))
            return (nil, diagnostics)
        }
        let (config, configDiagnostics) = SiteConfig.load(text: configText, file: "guidegen.yml", baseURLOverride: options.baseURL)
        diagnostics.append(contentsOf: configDiagnostics)

        let contentDirectory = (directory as NSString).appendingPathComponent("content")
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: contentDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.append(.error(at: SourceLocation(file: "content/"), "no content/ folder in \(directory)",
                                      hint: "put the Markdown pages under content/ (roles/, salaries/, faqs/, guides/)"))
            return (nil, diagnostics)
        }
        let files = listFiles(in: contentDirectory)
        for file in files where !file.hasSuffix(".md") {
            diagnostics.append(.warning(at: SourceLocation(file: "content/" + file), "not a Markdown page, left out",
                                        hint: "put images and other files in static/ and link them from the root, like /img/chart.svg"))
        }
        let markdownOptions = MarkdownOptions(unsafeHTML: config?.unsafeHTML ?? false)
        let results = files.filter { $0.hasSuffix(".md") }.parallelMap { path -> (Page?, [Diagnostic]) in
            let source = "content/" + path
            let fullPath = (contentDirectory as NSString).appendingPathComponent(path)
            guard let data = FileManager.default.contents(atPath: fullPath) else {
                return (nil, [.error(at: SourceLocation(file: source), "cannot read this file")])
            }
            guard let text = String(validatingUTF8Data: data) else {
                return (nil, [.error(at: SourceLocation(file: source), "not valid UTF-8 text", hint: "save the file as UTF-8")])
            }
            return PageParser.parse(text: text, source: source, path: path, options: markdownOptions)
        }
        var pages: [Page] = []
        var drafts = Set<String>()
        for (page, pageDiagnostics) in results {
            diagnostics.append(contentsOf: pageDiagnostics)
            guard let page else { continue }
            if page.draft, !options.includeDrafts {
                drafts.insert(page.path)
            } else {
                pages.append(page)
            }
        }
        let staticDirectory = (directory as NSString).appendingPathComponent("static")
        let staticFiles = listFiles(in: staticDirectory)
        guard let config else { return (nil, diagnostics) }
        return (LoadedSite(directory: directory, config: config, pages: pages, leftOutDrafts: drafts, staticFiles: staticFiles), diagnostics)
    }

    /// Regular files under a folder, relative to it, sorted; hidden files and folders are skipped.
    public static func listFiles(in directory: String) -> [String] {
        var files: [String] = []
        walk(directory, prefix: "", into: &files)
        return files.sorted()
    }

    private static func walk(_ directory: String, prefix: String, into files: inout [String]) {
        guard let handle = opendir(directory) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasPrefix(".") { continue }
            let path = directory + "/" + name
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) || entry.pointee.d_type == UInt8(DT_LNK) {
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
                if !isDirectory, (info.st_mode & S_IFMT) != S_IFREG { continue }
            } else if !isDirectory, entry.pointee.d_type != UInt8(DT_REG) {
                continue
            }
            if isDirectory {
                walk(path, prefix: prefix + name + "/", into: &files)
            } else {
                files.append(prefix + name)
            }
        }
    }
}

extension String {
    init?(validatingUTF8Data data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
