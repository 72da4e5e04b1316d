import Mustache

/// A view model the templates read: named values in the order they were set.
///
/// swift-mustache finds a name by asking each object on its context stack whether it is a
/// `MustacheParent`, then asks the value it found whether it is a template, a custom renderable,
/// a lambda or an optional before it prints it; each question is a protocol conformance check
/// (about a tenth of a microsecond). A view page has about a hundred names to look up, so
/// these checks were most of the time a page took. `View` answers the first question in one
/// step (a short scan instead of hashing the name) and keeps its strings as `TemplateText`,
/// which the library recognizes at its second question: together about a quarter less time
/// through the templates, with the same output (`Tests/RenderTests` compares whole sites).
///
/// Written like a dictionary: `var view: View = ["title": title]`, `view["summary"] = summary`.
/// Nested views are `View`s and lists of them `[View]` (a plain dictionary still works in a
/// template, only slower; debug builds stop on one so none slips in).
struct View: MustacheParent, ExpressibleByDictionaryLiteral, @unchecked Sendable {
    private var entries: [(name: String, value: Any)]

    init(dictionaryLiteral elements: (String, Any)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (name, value) in elements { self[name] = value }
    }

    /// The value set for `name`, with text as a `String`; setting nil removes it.
    subscript(name: String) -> Any? {
        get {
            guard let value = entries.first(where: { $0.name == name })?.value else { return nil }
            return (value as? TemplateText)?.renderText ?? value
        }
        set {
            let index = entries.firstIndex { $0.name == name }
            guard let newValue else {
                if let index { entries.remove(at: index) }
                return
            }
            assert(!Self.isDictionary(newValue), "a dictionary in a view at \"\(name)\": make it a View")
            let value: Any = (newValue as? String).map(TemplateText.init) ?? newValue
            if let index { entries[index].value = value } else { entries.append((name, value)) }
        }
    }

    /// A dictionary, or a list of them (an empty list is any list's type, so it is not one).
    private static func isDictionary(_ value: Any) -> Bool {
        if value is [String: Any] { return true }
        if let list = value as? [Any], let first = list.first { return isDictionary(first) }
        return false
    }

    func child(named name: String) -> Any? {
        for entry in entries where entry.name == name { return entry.value }
        return nil
    }
}

/// Text a template prints (escaped by `{{name}}`, as it is by `{{{name}}}`), as swift-mustache's
/// own strings are, with their transforms (`{{uppercased(title)}}`).
struct TemplateText: MustacheCustomRenderable, MustacheTransformable, Sendable {
    let renderText: String
    var isNull: Bool { false }

    init(_ text: String) {
        renderText = text
    }

    func transform(_ name: String) -> Any? {
        renderText.transform(name)
    }

    /// Strings for a template's list (`{{#items}}{{.}}{{/items}}`).
    static func list(_ strings: [String]) -> [TemplateText] {
        strings.map(TemplateText.init)
    }
}
