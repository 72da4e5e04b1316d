import Mustache

/// A view model the templates read: named values in the order they were set.
///
/// Written like a dictionary: `var view: View = ["title": title]`, `view["summary"] = summary`.
/// Nested views are `View`s and lists of them `[View]` (a plain dictionary still works in a
/// template, only slower; debug builds stop on one so none slips in). Every value is `Sendable`, so
/// a view is too: the site view is shared by every thread that renders pages.
///
/// Each value is kept as a `ViewValue`, sorted by kind once when it is set, so `TemplateProgram`
/// reads it without asking the runtime what it is. swift-mustache (which renders what a program
/// cannot) reads the same values through `MustacheParent`, as its own strings, lists and numbers.
public struct View: MustacheParent, ExpressibleByDictionaryLiteral, Sendable {
    private struct Entry: Sendable {
        let name: String
        var value: ViewValue
    }

    private var entries: [Entry]

    public init(dictionaryLiteral elements: (String, any Sendable)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        for (name, value) in elements {
            assert(!entries.contains { $0.name == name }, "\"\(name)\" twice in a view")
            assert(!Self.isDictionary(value), "a dictionary in a view at \"\(name)\": make it a View")
            entries.append(Entry(name: name, value: ViewValue(value)))
        }
    }

    /// The value set for `name`, with text as a `String`; setting nil removes it.
    public subscript(name: String) -> (any Sendable)? {
        get {
            guard let index = index(of: name) else { return nil }
            if case let .text(text) = entries[index].value { return text.renderText }
            return entries[index].value.libraryValue
        }
        set {
            let index = index(of: name)
            guard let newValue else {
                if let index { entries.remove(at: index) }
                return
            }
            assert(!Self.isDictionary(newValue), "a dictionary in a view at \"\(name)\": make it a View")
            let value = ViewValue(newValue)
            if let index { entries[index].value = value } else { entries.append(Entry(name: name, value: value)) }
        }
    }

    /// The value named `name`, as a program reads it.
    func value(named name: String) -> ViewValue? {
        index(of: name).map { entries[$0].value }
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

    /// The value as swift-mustache reads it.
    public func child(named name: String) -> Any? {
        index(of: name).map { entries[$0].value.libraryValue }
    }
}

/// A value in a view, by the kinds templates treat differently: text prints, a view is a scope,
/// a list repeats a section, a Boolean shows or hides one. Anything else is `other`, which
/// only the library renders.
enum ViewValue: Sendable {
    case text(TemplateText)
    case view(View)
    case views([View])
    case texts([TemplateText])
    case bool(Bool)
    case int(Int)
    /// Text a transform made (`uppercased(title)`): printed like `text`.
    case string(String)
    case other(any Sendable)

    init(_ value: any Sendable) {
        self = Self.known(value) ?? .other(value)
    }

    /// A value a library transform returned, sorted the same way (its text is a plain `String`); nil for
    /// one of another kind, which only the library renders (a transform's result is not `Sendable`, so
    /// it cannot be `other`).
    init?(transformed value: Any) {
        if let string = value as? String {
            self = .string(string)
        } else if let known = Self.known(value) {
            self = known
        } else {
            return nil
        }
    }

    /// The value as one of the kinds a program reads, or nil.
    private static func known(_ value: Any) -> ViewValue? {
        // The kinds views hold most first: each question is a runtime cast.
        switch value {
        case let text as String: .text(TemplateText(text))
        case let bool as Bool: .bool(bool)
        case let view as View: .view(view)
        case let views as [View]: .views(views)
        case let text as TemplateText: .text(text)
        case let texts as [TemplateText]: .texts(texts)
        case let int as Int: .int(int)
        default: nil
        }
    }

    /// What swift-mustache is given: the value as it was set, with text as `TemplateText`.
    var libraryValue: any Sendable {
        switch self {
        case let .text(text): text
        case let .view(view): view
        case let .views(views): views
        case let .texts(texts): texts
        case let .bool(bool): bool
        case let .int(int): int
        case let .string(string): string
        case let .other(value): value
        }
    }
}

/// Text a template prints (escaped by `{{name}}`, as it is by `{{{name}}}`), as swift-mustache's
/// own strings are, with their transforms (`{{uppercased(title)}}`). A section over a text
/// (`{{#source}}{{>source-line}}{{/source}}`) puts it on the context stack: as a parent with no
/// names it sends every lookup on to the view below at once, as a string does, where the library
/// would otherwise reflect on it with `Mirror` for each name.
public struct TemplateText: MustacheCustomRenderable, MustacheTransformable, MustacheParent, Sendable {
    public let renderText: String
    public var isNull: Bool { false }

    public init(_ text: String) {
        renderText = text
    }

    public func transform(_ name: String) -> Any? {
        renderText.transform(name)
    }

    public func child(named name: String) -> Any? {
        nil
    }

    /// Strings for a template's list (`{{#items}}{{.}}{{/items}}`).
    public static func list(_ strings: [String]) -> [TemplateText] {
        strings.map(TemplateText.init)
    }
}
