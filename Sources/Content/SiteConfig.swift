import Diagnostics
import Foundation

/// `guidegen.yml`, validated.
public struct SiteConfig: Sendable, Hashable {
    public var title: String
    /// Absolute, ending in `/`: `https://example.org/guides/`.
    public var baseURL: String {
        didSet { cachedBasePath = SiteConfig.path(of: baseURL) }
    }
    private var cachedBasePath: String
    public var language: String
    public var theme: String
    public var unsafeHTML: Bool
    /// How many related roles a role page shows (pinned ones count).
    public var relatedLimit: Int
    /// Write the static search index (`search: false` turns it off; the search box then
    /// only links to the A-Z list of roles).
    public var search: Bool
    /// Official release files the roles' figures are read from (`data:`), in the order declared.
    public var data: [DataDeclaration] = []
    /// Where a page's source file is edited (`edit_url:`): a page links to this followed by its file's path
    /// ("Edit this page"), as `https://github.com/OWNER/REPO/edit/main/` + `content/roles/x.md`.
    public var editURL: String?
    /// Web addresses `check --external` does not ask (`link_checker: {skip_prefixes: [...]}`): each address that
    /// starts with one of these, as hosts that refuse robots.
    public var linkCheckerSkip: [String] = []

    public static let keys = ["title", "base_url", "language", "theme", "unsafe_html", "related_limit", "search", "data", "edit_url", "link_checker"]

    public init(
        title: String, baseURL: String, language: String = "en", theme: String = "default",
        unsafeHTML: Bool = false, relatedLimit: Int = 6, search: Bool = true
    ) {
        self.title = title
        let normalized = SiteConfig.normalized(baseURL)
        self.baseURL = normalized
        cachedBasePath = SiteConfig.path(of: normalized)
        self.language = language
        self.theme = theme
        self.unsafeHTML = unsafeHTML
        self.relatedLimit = relatedLimit
        self.search = search
    }

    /// The path part of `base_url`, with slashes on both ends: `/guides/`, or `/`.
    public var basePath: String { SiteConfig.path(of: baseURL) }

    static func path(of baseURL: String) -> String {
        guard let url = URL(string: baseURL) else { return "/" }
        let path = url.path
        if path.isEmpty || path == "/" { return "/" }
        return (path.hasPrefix("/") ? "" : "/") + path + (path.hasSuffix("/") ? "" : "/")
    }

    /// A site-relative URL (`/roles/x/`) under the base path (`/guides/roles/x/`), percent-encoded
    /// where a URL may not hold the character as it is (`/skills/développement/` -> `/skills/d%C3%A9veloppement/`).
    public func link(_ siteURL: String) -> String {
        cachedBasePath + URLEncoding.encode(String(siteURL.dropFirst(siteURL.hasPrefix("/") ? 1 : 0)))
    }

    /// A site-relative URL made absolute under `base_url`, percent-encoded like `link`.
    public func permalink(_ siteURL: String) -> String {
        baseURL + URLEncoding.encode(String(siteURL.dropFirst(siteURL.hasPrefix("/") ? 1 : 0)))
    }

    static func normalized(_ url: String) -> String {
        url.hasSuffix("/") ? url : url + "/"
    }

    static func isValidBaseURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else { return false }
        return true
    }

    /// Reads and validates `guidegen.yml`. `baseURLOverride` is `--base-url`.
    public static func load(text: String, file: String, baseURLOverride: String?) -> (SiteConfig?, [Diagnostic]) {
        var reader = YAMLReader(file: file, firstLine: 1)
        guard let root = reader.compose(text) else {
            if reader.diagnostics.isEmpty {
                reader.diagnostics.append(.error(.emptyValue, at: SourceLocation(file: file, line: 1, column: 1),
                                                 "guidegen.yml is empty", hint: "set at least `title:` and `base_url:`"))
            }
            return (nil, reader.diagnostics)
        }
        let fields = reader.fields(root, of: "guidegen.yml", allowed: keys)
        let title = reader.string(fields["title"], "title", required: true)
        if fields["title"] == nil {
            reader.diagnostics.append(.error(.missingField, at: SourceLocation(file: file, line: 1, column: 1),
                                             "guidegen.yml has no `title`", hint: "add a line like title: \"Career Guides\""))
        }
        var baseURL = reader.string(fields["base_url"], "base_url", required: true)
        if let override = baseURLOverride {
            baseURL = override
            if !isValidBaseURL(override) {
                reader.diagnostics.append(.error(.invalidValue, at: SourceLocation(file: "--base-url"),
                                                 "`\(override)` is not an absolute http(s) URL",
                                                 hint: "for example --base-url https://example.org/guides/"))
                baseURL = nil
            }
        } else if fields["base_url"] == nil {
            reader.diagnostics.append(.error(.missingField, at: SourceLocation(file: file, line: 1, column: 1),
                                             "guidegen.yml has no `base_url`",
                                             hint: "add the address the site is published at, like base_url: \"https://example.org/\""))
        } else if let value = baseURL, !isValidBaseURL(value) {
            reader.error(fields["base_url"], .invalidValue, "`base_url` must be an absolute http(s) URL, not `\(value)`",
                         hint: "for example base_url: \"https://example.org/guides/\"")
            baseURL = nil
        }
        var config = SiteConfig(title: title ?? "", baseURL: baseURL ?? "https://example.invalid/")
        if let language = reader.string(fields["language"], "language") {
            let valid = language.split(separator: "-").allSatisfy { part in
                (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
            }
            if valid { config.language = language } else {
                reader.error(fields["language"], .invalidValue, "`language` must be a BCP 47 tag like en or en-GB, not `\(language)`", hint: "for example language: en")
            }
        }
        if let theme = reader.string(fields["theme"], "theme") {
            if theme.contains("/") || theme.hasPrefix(".") {
                reader.error(fields["theme"], .invalidValue, "`theme` is a folder name under themes/, not a path", hint: "for example theme: default")
            } else {
                config.theme = theme
            }
        }
        if let unsafe = reader.bool(fields["unsafe_html"], "unsafe_html") { config.unsafeHTML = unsafe }
        if let search = reader.bool(fields["search"], "search") { config.search = search }
        if let limit = reader.integer(fields["related_limit"], "related_limit", in: 0...100) {
            config.relatedLimit = limit
        }
        config.data = readData(fields["data"], &reader)
        if let edit = reader.string(fields["edit_url"], "edit_url") {
            if isValidBaseURL(edit) {
                config.editURL = edit.hasSuffix("/") ? edit : edit + "/"
            } else {
                reader.error(fields["edit_url"], .invalidValue, "`edit_url` must be an absolute http(s) URL, not `\(edit)`",
                             hint: "the address a file is edited at, without the file: edit_url: \"https://github.com/OWNER/REPO/edit/main/\"")
            }
        }
        config.linkCheckerSkip = readLinkChecker(fields["link_checker"], &reader)
        let ok = !reader.diagnostics.contains { $0.severity == .error }
        return (ok ? config : nil, Diagnostic.limitedPerCode(reader.diagnostics))
    }

    /// The most data files a site may declare: one of each kind is the usual case.
    static let maximumDataFiles = 32

    /// `data:`: a list of official release files, each with its kind, its file inside the site folder, and
    /// what pages say of its release (name, reference date, publication date, address).
    /// `link_checker: {skip_prefixes: ["https://www.example.gov/"]}`: what `check --external` does not ask.
    static func readLinkChecker(_ node: YAMLNode?, _ reader: inout YAMLReader) -> [String] {
        guard let node else { return [] }
        let fields = reader.fields(node, of: "link_checker", allowed: ["skip_prefixes"])
        return reader.strings(fields["skip_prefixes"], "skip_prefixes").compactMap { prefix in
            if isValidBaseURL(prefix.value) { return prefix.value }
            reader.diagnostics.append(.error(.invalidValue, at: prefix.location,
                                             "each of `skip_prefixes` is the start of http(s) addresses, not `\(prefix.value)`",
                                             hint: "for example skip_prefixes: [\"https://www.bls.gov/\"]"))
            return nil
        }
    }

    static func readData(_ node: YAMLNode?, _ reader: inout YAMLReader) -> [DataDeclaration] {
        let items = reader.list(node, "data")
        if items.count > maximumDataFiles {
            reader.error(node, .outOfRange, "`data` lists \(items.count) files; at most \(maximumDataFiles) are allowed",
                         hint: "declare the release files the roles' figures come from, one of each kind")
            return []
        }
        let kinds = DataDeclaration.Kind.allCases.map(\.rawValue)
        var declared: [DataDeclaration] = []
        for item in items {
            let fields = reader.fields(item, of: "a data file", allowed: ["kind", "file", "release", "as_of", "published", "url"])
            let missing = ["kind", "file", "release", "as_of", "published", "url"].filter { fields[$0] == nil }
            if !missing.isEmpty {
                reader.error(item, .missingField, "a data file needs \(missing.map { "`\($0)`" }.joined(separator: ", "))",
                             hint: "- {kind: oews-national, file: data/national_M2025_dl.xlsx, release: OEWS May 2025, as_of: 2025-05-31, published: 2026-05-15, url: \"https://www.bls.gov/oes/tables.htm\"}")
            }
            var kind: DataDeclaration.Kind?
            if let text = reader.string(fields["kind"], "kind") {
                kind = DataDeclaration.Kind(rawValue: text)
                if kind == nil {
                    let near = Suggestion.nearest(to: text, among: kinds)
                    reader.error(fields["kind"], .invalidValue, "`kind` must be one of \(kinds.joined(separator: ", ")), not `\(text)`",
                                 hint: near.map { "did you mean kind: \($0)?" } ?? "say which BLS layout the file has, like kind: oews-national")
                }
            }
            let file = reader.string(fields["file"], "file").flatMap { checkedDataPath($0, node: fields["file"], &reader) }
            let release = reader.string(fields["release"], "release")
            let asOf = reader.date(fields["as_of"], "as_of")
            let published = reader.date(fields["published"], "published")
            let url = reader.string(fields["url"], "url")
            if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                reader.error(fields["url"], .invalidValue, "a data file's `url` must start with http:// or https://",
                             hint: "give the address the release is published at, like https://www.bls.gov/oes/tables.htm")
            }
            if let asOf, let published, published < asOf {
                reader.error(fields["published"], .figureOrder, "`published` (\(published)) is before `as_of` (\(asOf))",
                             hint: "`as_of` is the day the figures describe; a release is published after it")
            }
            if let file, declared.contains(where: { $0.file == file }) {
                reader.error(fields["file"], .duplicateKey, "\(file) is declared twice", hint: "keep one declaration per file")
            }
            guard let kind, let file, let release, let asOf, let published, let url, url.hasPrefix("http") else { continue }
            var declaration = DataDeclaration(kind: kind, file: file, release: release, asOf: asOf, published: published, url: url,
                                              location: reader.location(item))
            declaration.urlLocation = reader.location(fields["url"])
            declared.append(declaration)
        }
        return declared
    }

    /// A data file's path: in the site's data/ folder, written with `/`, a .xlsx or .csv file.
    static func checkedDataPath(_ path: String, node: YAMLNode?, _ reader: inout YAMLReader) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.hasPrefix("/") || path.contains("\\") || segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) || segments.first != "data" || segments.count < 2 {
            reader.error(node, .invalidValue, "`file` must be a path in the site's data/ folder, like data/national_M2025_dl.xlsx, not `\(path)`",
                         hint: "put the file in the site's data/ folder (the preview watches it) and give its path from the site folder")
            return nil
        }
        let lowered = path.lowercased()
        guard lowered.hasSuffix(".xlsx") || lowered.hasSuffix(".csv") else {
            reader.error(node, .invalidValue, "`file` must be an .xlsx workbook or a .csv file, not `\(path)`",
                         hint: "keep the file as BLS publishes it (.xlsx), or save its sheet as CSV UTF-8")
            return nil
        }
        return path
    }
}
