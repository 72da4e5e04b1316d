import Mustache

/// A view model the templates read: named values in the order they were set.
///
/// swift-mustache finds a name by asking each object on its context stack whether it is a
/// `MustacheParent`, then asks the value it found whether it is a template, a custom renderable,
/// a lambda or an optional before it prints it; each question is a protocol conformance check
/// (about a tenth of a microsecond). A page has about a hundred names to look up, so
/// these checks were most of the time a page took. `View` answers the first question in one
/// step (a short scan instead of hashing the name) and keeps its strings as `TemplateText`,
/// which the library recognizes at its second question: together about a quarter less time
/// through the templates, with the same output (`ViewTests` renders one template from both kinds
/// of values; the golden site test in `Tests/SiteTests` compares whole sites).
///
/// Written like a dictionary: `var view: View = ["title": title]`, `view["summary"] = summary`.
/// Nested views are `View`s and lists of them `[View]` (a plain dictionary still works in a
/// template, only slower; debug builds stop on one so none slips in). Sendable because a view is
/// not changed once made: the site view is shared by every thread that renders pages.
struct View: MustacheParent, ExpressibleByDictionaryLiteral, @unchecked Sendable {
    private struct Entry {
        let name: String
        var value: Any
    }

    private var entries: [Entry]

    init(dictionaryLiteral elements: (String, Any)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (name, value) in elements {
            assert(!entries.contains { $0.name == name }, "\"\(name)\" twice in a view")
            assert(!Self.isDictionary(value), "a dictionary in a view at \"\(name)\": make it a View")
            entries.append(Entry(name: name, value: Self.stored(value)))
        }
    }

    /// The value set for `name`, with text as a `String`; setting nil removes it.
    subscript(name: String) -> Any? {
        get {
            guard let index = index(of: name) else { return nil }
            return (entries[index].value as? TemplateText)?.renderText ?? entries[index].value
        }
        set {
            let index = index(of: name)
            guard let newValue else {
                if let index { entries.remove(at: index) }
                return
            }
            assert(!Self.isDictionary(newValue), "a dictionary in a view at \"\(name)\": make it a View")
            let value = Self.stored(newValue)
            if let index { entries[index].value = value } else { entries.append(Entry(name: name, value: value)) }
        }
    }

    /// Text as `TemplateText`, anything else as it is.
    private static func stored(_ value: Any) -> Any {
        (value as? String).map(TemplateText.init) ?? value
    }

    /// Where `name` is. Reads the names in place (a loop over the entries would copy every value);
    /// most names differ in length from the one sought, which is free to compare for short strings.
    private func index(of name: String) -> Int? {
        let length = name.utf8.count
        return entries.withUnsafeBufferPointer { entries in
            var index = 0
            while index < entries.count {
                if entries[index].name.utf8.count == length, entries[index].name == name { return index }
                index += 1
            }
            return nil
        }
    }

    /// A dictionary, or a list of them (an empty list is any list's type, so it is not one).
    private static func isDictionary(_ value: Any) -> Bool {
        if value is [String: Any] { return true }
        if let list = value as? [Any], let first = list.first { return isDictionary(first) }
        return false
    }

    func child(named name: String) -> Any? {
        index(of: name).map { entries[$0].value }
    }
}

/// Text a template prints (escaped by `{{name}}`, as it is by `{{{name}}}`), as swift-mustache's
/// own strings are, with their transforms (`{{uppercased(title)}}`). A section over a text
/// (`{{#source}}{{>source-line}}{{/source}}`) puts it on the context stack: as a parent with no
/// names it sends every lookup on to the view below at once, as a string does, where the library
/// would otherwise reflect on it with `Mirror` for each name.
struct TemplateText: MustacheCustomRenderable, MustacheTransformable, MustacheParent, Sendable {
    let renderText: String
    var isNull: Bool { false }

    init(_ text: String) {
        renderText = text
    }

    func transform(_ name: String) -> Any? {
        renderText.transform(name)
    }

    func child(named name: String) -> Any? {
        nil
    }

    /// Strings for a template's list (`{{#items}}{{.}}{{/items}}`).
    static func list(_ strings: [String]) -> [TemplateText] {
        strings.map(TemplateText.init)
    }
}
