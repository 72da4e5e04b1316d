import Foundation

extension Theme {
    /// For the `fuzz-template` target: a theme of `templates` (by name, `page` -> templates/page.mustache)
    /// over a line for each required one, built as `Theme.load` builds a site's theme; then, if it
    /// loads, `page` rendered over a small fixed view both by its program (as `programRender` runs it) and by swift-mustache.
    /// The view's lists have one item each, so what a render makes is bounded by the template's
    /// expansion. Returns the diagnostics' count and the bytes each render made.
    public static func fuzzTemplates(_ templates: [String: String]) -> (diagnostics: Int, programBytes: Int?, libraryBytes: Int) {
        // Each required template as one short line, not the built-in theme: LeakSanitizer takes the
        // built-in files, kept until the process ends, for leaks.
        var files: [String: (data: Data, source: String)] = [:]
        for name in requiredTemplates { files["templates/\(name).mustache"] = (Data("<\(name)>{{title}}".utf8), "themes/fuzz/templates/\(name).mustache") }
        for (name, text) in templates { files["templates/\(name).mustache"] = (Data(text.utf8), "themes/fuzz/templates/\(name).mustache") }
        let (theme, diagnostics) = build(name: "fuzz", files: files)
        guard let theme else { return (diagnostics.count, nil, 0) }
        let item: View = ["name": "<b>&", "count": 3, "flag": true, "tags": ["x"]]
        let view: View = ["title": "T", "flag": true, "none": false, "count": 7, "items": [item], "item": item, "empty": [View]()]
        // The run `programRender` makes, over the theme's own programs: this thread's copy of them
        // (`threadPrograms`) would outlive the input, which LeakSanitizer takes for a leak.
        var run = TemplateRun(programs: theme.programs)
        var programBytes: Int?
        if let found = theme.programs["page"], let program = found {
            do {
                programBytes = try run.render(program, view: view).utf8.count
            } catch {
                // Past a bound the build stops and the library is not asked (it has no bounds: it would not end).
                if error.pastBound { return (diagnostics.count, nil, 0) }
            }
        }
        return (diagnostics.count, programBytes, theme.libraryRender(view, template: "page").utf8.count)
    }
}
