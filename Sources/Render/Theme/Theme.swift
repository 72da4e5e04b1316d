import Content
import Diagnostics
import Foundation
import Templates

/// A theme: its files, the built-in default under the site's own, made into templates (`TemplateSet`,
/// parsed once) and static assets.
///
/// The default theme is built into the binary; a site overrides any of its files
/// by putting a file at the same path under `themes/NAME/` in the site folder.
public struct Theme: Sendable {
    public let name: String
    /// `templates/NAME.mustache` of the files, by NAME.
    let templates: TemplateSet
    /// Asset files copied to the output root, by path (`style.css`), each also under its fingerprinted name
    /// (`style.3fa1c2d4e5b6a7f8.css`, from a hash of its bytes), which pages refer to: a host may cache those for
    /// a year, as a changed file gets a new name. The plain name stays for links written by hand.
    public let assets: [String: Data]
    /// An asset's fingerprinted path, by its plain path.
    public let fingerprinted: [String: String]
    /// Every file the theme was made from, by path: two themes with the same files render alike.
    public let files: [String: Data]

    /// Files every theme must provide (from the site, or from the built-in default).
    static let requiredTemplates = ["base", "header", "footer", "card", "role", "salary", "faq", "guide", "page", "list", "home", "404"]

    public var assetPaths: [String] { assets.keys.sorted() }

    /// Loads `themes/NAME/` from the site folder over the built-in default theme.
    /// Its files are listed like the site's own: nothing outside the site folder is read.
    /// - Parameter previous: the theme an earlier load made; returned as it is when the files are
    ///   the same (the preview loads the theme on every save: its templates are parsed once).
    public static func load(name: String, siteDirectory: String, reusing previous: Theme? = nil) -> (Theme?, [Diagnostic]) {
        var files: [String: (data: Data, source: String)] = [:]
        for (path, data) in EmbeddedTheme.files { files[path] = (data, "(built-in theme)/\(path)") }
        let folder = "themes/\(name)"
        let siteFiles = SiteFiles(siteDirectory: siteDirectory)
        var isDirectory: ObjCBool = false
        let hasOwn = siteFiles.map { FileManager.default.fileExists(atPath: $0.root + "/" + folder, isDirectory: &isDirectory) } == true && isDirectory.boolValue
        if !hasOwn, name != "default" {
            return (nil, [.error(.themeNotFound, at: SourceLocation(file: "guidegen.yml"), "theme `\(name)` not found",
                                 hint: "create themes/\(name)/ in the site folder, or use theme: default")])
        }
        guard let siteFiles else { return build(name: name, files: files, reusing: previous) }
        let listing = siteFiles.list(folder)
        var diagnostics = listing.diagnostics
        for path in listing.files {
            let data: Data
            switch FileReader.read(siteFiles.root + "/" + folder + "/" + path) {
            case let .success(bytes): data = bytes
            case let .failure(failure):
                diagnostics.append(.error(.unreadableFile, at: SourceLocation(file: folder + "/" + path), "cannot read this file: \(failure.reason)",
                                          hint: failure.hint))
                continue
            }
            files[path] = (data, folder + "/" + path)
        }
        let (theme, themeDiagnostics) = build(name: name, files: files, reusing: previous)
        diagnostics += themeDiagnostics
        return (diagnostics.contains { $0.severity == .error } ? nil : theme, diagnostics)
    }

    /// A theme from files in memory, keyed by path inside the theme (`templates/role.mustache`).
    static func build(name: String, files: [String: (data: Data, source: String)], reusing previous: Theme? = nil) -> (Theme?, [Diagnostic]) {
        // A theme with errors is never made, so the previous one had none.
        if let previous, previous.name == name, previous.files.count == files.count,
           files.allSatisfy({ previous.files[$0.key] == $0.value.data }) {
            return (previous, [])
        }
        var templateFiles: [(name: String, data: Data, source: String)] = []
        var assets: [String: Data] = [:]
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            if let templateName = templateName(of: path) {
                templateFiles.append((templateName, file.data, file.source))
            } else if path.hasPrefix("static/") {
                assets[String(path.dropFirst("static/".count))] = file.data
            }
        }
        let (templates, templateDiagnostics) = TemplateSet.build(templateFiles)
        var diagnostics = templateDiagnostics
        for required in requiredTemplates where !templates.contains(required) && !diagnostics.contains(where: { $0.location.file.hasSuffix("\(required).mustache") }) {
            diagnostics.append(.error(.missingTemplate, at: SourceLocation(file: "themes/\(name)/templates/\(required).mustache"),
                                      "the theme has no `\(required)` template", hint: "add templates/\(required).mustache to the theme"))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        var fingerprinted: [String: String] = [:]
        for (path, data) in assets {
            let named = fingerprint(path, data)
            fingerprinted[path] = named
            assets[named] = data
        }
        return (Theme(name: name, templates: templates, assets: assets, fingerprinted: fingerprinted, files: files.mapValues(\.data)), diagnostics)
    }

    /// `img/logo.svg` -> `img/logo.<16 hex digits>.svg`: the FNV-1a hash of the bytes before the extension.
    static func fingerprint(_ path: String, _ data: Data) -> String {
        var hash = FNV1a()
        hash.add(data)
        let digest = hash.hex
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot > slash else { return path + "." + digest }
        return String(path[..<dot]) + "." + digest + String(path[dot...])
    }

    /// The name a template refers to an asset by: its path with every character but letters and digits as `_`
    /// (`{{site.assets.style_css}}`, `{{site.assets.sort_table_js}}`).
    static func assetKey(_ path: String) -> String {
        String(path.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// `templates/role.mustache` -> `role`; nil for a file that is not a template.
    static func templateName(of path: String) -> String? {
        guard path.hasPrefix("templates/"), path.hasSuffix(".mustache") else { return nil }
        return String(path.dropFirst("templates/".count).dropLast(".mustache".count))
    }

    private init(name: String, templates: TemplateSet, assets: [String: Data], fingerprinted: [String: String], files: [String: Data]) {
        self.name = name
        self.templates = templates
        self.assets = assets
        self.fingerprinted = fingerprinted
        self.files = files
    }

    func render(_ view: View, template: String) -> String {
        templates.render(view, template: template)
    }

    /// The templates whose render went past its bounds, as errors at their files (each once), and
    /// forgotten: a build asks after writing its pages and before it swaps the new site in.
    public func takeOverflows() -> [Diagnostic] {
        templates.takeOverflows { "themes/\(name)/templates/\($0).mustache" }
    }

    /// This theme rendered by swift-mustache alone, or (`programsOnly`) by the programs alone, with
    /// nothing where a run stops: for tests that render a whole site both ways.
    func withoutPrograms() -> Theme {
        Theme(name: name, templates: templates.withoutPrograms(), assets: assets, fingerprinted: fingerprinted, files: files)
    }

    func programsOnly() -> Theme {
        Theme(name: name, templates: templates.programsOnly(), assets: assets, fingerprinted: fingerprinted, files: files)
    }
}
