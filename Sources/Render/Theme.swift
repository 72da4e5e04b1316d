import Diagnostics
import Foundation
import Markdown
import Mustache

/// A theme: Mustache templates (parsed once) and static assets.
///
/// The default theme is built into the binary; a site overrides any of its files
/// by putting a file at the same path under `themes/NAME/` in the site folder.
public struct Theme: Sendable {
    public let name: String
    let library: MustacheLibrary
    /// Asset files copied to the output root, by path (`style.css`).
    public let assets: [String: Data]

    /// Files every theme must provide (from the site, or from the built-in default).
    static let requiredTemplates = ["base", "header", "footer", "card", "role", "salary", "faq", "guide", "page", "list", "home", "404"]

    public var assetPaths: [String] { assets.keys.sorted() }

    /// Loads `themes/NAME/` from the site folder over the built-in default theme.
    public static func load(name: String, siteDirectory: String) -> (Theme?, [Diagnostic]) {
        var files: [String: (data: Data, source: String)] = [:]
        for (path, data) in EmbeddedTheme.files { files[path] = (data, "(built-in theme)/\(path)") }
        let themeDirectory = (siteDirectory as NSString).appendingPathComponent("themes/\(name)")
        var isDirectory: ObjCBool = false
        let hasOwn = FileManager.default.fileExists(atPath: themeDirectory, isDirectory: &isDirectory) && isDirectory.boolValue
        if !hasOwn, name != "default" {
            return (nil, [.error(at: SourceLocation(file: "guidegen.yml"), "theme `\(name)` not found",
                                 hint: "create themes/\(name)/ in the site folder, or use theme: default")])
        }
        if hasOwn, let enumerator = FileManager.default.enumerator(atPath: themeDirectory) {
            while let path = enumerator.nextObject() as? String {
                let full = (themeDirectory as NSString).appendingPathComponent(path)
                var isDir: ObjCBool = false
                guard !(path as NSString).lastPathComponent.hasPrefix("."),
                      FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue,
                      let data = FileManager.default.contents(atPath: full) else { continue }
                files[path] = (data, "themes/\(name)/\(path)")
            }
        }
        return build(name: name, files: files)
    }

    /// A theme from files in memory, keyed by path inside the theme (`templates/role.mustache`).
    static func build(name: String, files: [String: (data: Data, source: String)]) -> (Theme?, [Diagnostic]) {
        _ = escaping
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        var assets: [String: Data] = [:]
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            if path.hasPrefix("templates/"), path.hasSuffix(".mustache") {
                let templateName = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
                // Every template escapes with guidegen's HTML escaper (see `escaping`): same output as
                // swift-mustache's, without its per-character dictionary lookups. Kept on line 1, so error lines stay right.
                let text = escapingPragma + String(decoding: file.data, as: UTF8.self)
                do {
                    library.register(try MustacheTemplate(string: text), named: templateName)
                } catch let error as MustacheTemplate.ParserError {
                    diagnostics.append(.error(
                        at: SourceLocation(file: file.source, line: error.context.lineNumber,
                                           column: error.context.lineNumber == 1 ? max(1, error.context.columnNumber - escapingPragma.count) : error.context.columnNumber),
                        "template error: \(error.error)",
                        hint: "check that every {{#section}} and {{$block}} is closed with {{/name}}"
                    ))
                } catch {
                    diagnostics.append(.error(at: SourceLocation(file: file.source), "template error: \(error)"))
                }
            } else if path.hasPrefix("static/") {
                assets[String(path.dropFirst("static/".count))] = file.data
            }
        }
        for required in requiredTemplates where library.getTemplate(named: required) == nil && !diagnostics.contains(where: { $0.location.file.hasSuffix("\(required).mustache") }) {
            diagnostics.append(.error(at: SourceLocation(file: "themes/\(name)/templates/\(required).mustache"),
                                      "the theme has no `\(required)` template", hint: "add templates/\(required).mustache to the theme"))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        return (Theme(name: name, library: library, assets: assets), diagnostics)
    }

    static let escapingPragma = "{{% CONTENT_TYPE: GUIDEGEN_HTML}}"

    /// Registers the escaper once, before any template is parsed (the pragma is resolved while parsing).
    private static let escaping: Void = MustacheContentTypes.register(FastHTMLEscaping(), named: "GUIDEGEN_HTML")

    private init(name: String, library: MustacheLibrary, assets: [String: Data]) {
        self.name = name
        self.library = library
        self.assets = assets
    }

    func render(_ context: [String: Any], template: String) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}

/// HTML escaping of `& < > " '` that returns the text untouched when it has none of them.
struct FastHTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String {
        HTMLEscaping.text(text)
    }
}
