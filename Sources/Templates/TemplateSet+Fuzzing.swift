import Foundation

extension TemplateSet {
    /// For the `fuzz-template` target: `templates` (by name) built as a theme's are; then, if they load,
    /// `page` rendered over a small fixed view both by its program (as `programRender` runs it) and by
    /// swift-mustache. The view's lists have one item each, so what a render makes is bounded by the
    /// template's expansion. Returns the diagnostics' count and the bytes each render made.
    public static func fuzz(_ templates: [String: String]) -> (diagnostics: Int, programBytes: Int?, libraryBytes: Int) {
        let files = templates.sorted { $0.key < $1.key }.map { name, text in
            (name: name, data: Data(text.utf8), source: "themes/fuzz/templates/\(name).mustache")
        }
        let (set, diagnostics) = build(files)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (diagnostics.count, nil, 0) }
        let item: View = ["name": "<b>&", "count": 3, "flag": true, "tags": ["x"]]
        let view: View = ["title": "T", "flag": true, "none": false, "count": 7, "items": [item], "item": item, "empty": [View]()]
        // The run `programRender` makes, over the set's own programs: this thread's copy of them
        // (`threadPrograms`) would outlive the input, which LeakSanitizer takes for a leak.
        var run = TemplateRun(programs: set.programs)
        var programBytes: Int?
        if let found = set.programs["page"], let program = found {
            do {
                programBytes = try run.render(program, view: view).utf8.count
            } catch {
                // Past a bound the build stops and the library is not asked (it has no bounds: it would not end).
                if error.pastBound { return (diagnostics.count, nil, 0) }
            }
        }
        return (diagnostics.count, programBytes, set.libraryRender(view, template: "page").utf8.count)
    }
}
