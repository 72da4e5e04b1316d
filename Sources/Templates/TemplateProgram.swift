import Mustache

/// A theme template as swift-mustache parsed it, made into steps that read `View`s directly.
///
/// Why: swift-mustache finds each `{{name}}` by splitting it on dots and asking every value on its
/// context stack, then the value found, a series of protocol conformance questions; with the copies
/// of its context for each section, that was a third of a build's CPU time (about a microsecond a
/// name, 150 names a page), after every other way to ask it fewer questions had been taken.
///
/// How: the parse stays the library's (its syntax, whitespace rules and errors). `compile` reads
/// the library's parsed tokens with `Mirror` and keeps them as `Step`s; `TemplateRun` walks them
/// as `MustacheTemplate.render` walks its tokens, the same rules in the same order, for the
/// values views hold (`ViewValue`). What it does not know it does not guess: a token of a form it
/// does not know (a dynamic partial `{{>*name}}`, anything a later library adds) leaves the template
/// uncompiled, and a value it does not know met while rendering (`ViewValue.other`, a view printed
/// as text) stops the run; in both cases the library renders the whole page instead.
/// `TemplateProgramTests` renders random templates over random views both ways and compares.
struct TemplateProgram: Sendable {
    let steps: [Step]

    /// Indirect: a step is one reference to retain when it is read, not every array in it
    /// (about a tenth of the time runs took, `perf`).
    indirect enum Step: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, TemplateProgram, inverted: Bool)
        /// `{{>name}}` and `{{<name}}...{{/name}}`, with the blocks the second overrides.
        case partial(String, indentation: String?, overrides: [String: TemplateProgram]?)
        /// `{{$name}}default{{/name}}`.
        case block(String, fallback: TemplateProgram, indentation: String?)
        /// `{{% CONTENT_TYPE: ...}}`: how the rest of the template escapes.
        case contentType(any MustacheContentType)
    }

    /// A name as a tag writes it, split once here instead of at every render.
    struct Name: Sendable {
        enum Root: Sendable {
            /// `.`: the value on top of the stack.
            case top
            /// An empty name with transforms (`{{#first()}}`): the position in the list being repeated.
            case position
            /// `.a.b`: looked up in the value on top of the stack only.
            case topOnly
            /// `a.b`: `a` looked up from the top of the stack down.
            case stack
        }

        let root: Root
        let components: [String]
        /// In the order they apply: `a(b(x))` applies `b` first.
        let transforms: [String]

        private init(root: Root, components: [String], transforms: [String]) {
            self.root = root
            self.components = components
            self.transforms = transforms
        }

        func copied() -> Name {
            Name(root: root, components: components.map { $0.copied() }, transforms: transforms.map { $0.copied() })
        }

        init(_ name: String, transforms: [String]) {
            self.transforms = transforms.reversed()
            if name == "." {
                root = .top
                components = []
            } else if name.isEmpty, !transforms.isEmpty {
                root = .position
                components = []
            } else {
                root = name.first == "." ? .topOnly : .stack
                components = name.split(separator: ".").map(String.init)
            }
        }
    }

    /// The templates this one includes (`{{>name}}`, `{{<name}}`), in its sections, blocks and overrides too.
    var partials: Set<String> {
        var names = Set<String>()
        for step in steps {
            switch step {
            case let .section(_, program, _): names.formUnion(program.partials)
            case let .partial(name, _, overrides):
                names.insert(name)
                for program in (overrides ?? [:]).values { names.formUnion(program.partials) }
            case let .block(_, fallback, _): names.formUnion(fallback.partials)
            case .text, .variable, .contentType: break
            }
        }
        return names
    }

    /// A copy that shares no object with this one, strings included: for a thread of its own (see
    /// `TemplateSet.threadPrograms`).
    func copied() -> TemplateProgram {
        TemplateProgram(steps: steps.map { step in
            switch step {
            case let .text(text): .text(text.copied())
            case let .variable(name, escaped): .variable(name.copied(), escaped: escaped)
            case let .section(name, program, inverted): .section(name.copied(), program.copied(), inverted: inverted)
            case let .partial(name, indentation, overrides):
                .partial(name.copied(), indentation: indentation?.copied(), overrides: overrides.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key.copied(), $0.value.copied()) }) })
            case let .block(name, fallback, indentation): .block(name.copied(), fallback: fallback.copied(), indentation: indentation?.copied())
            case let .contentType(contentType): .contentType(contentType)
            }
        })
    }

    /// The program of a parsed template, or nil when it holds a token this file does not know.
    static func compile(_ template: MustacheTemplate) -> TemplateProgram? {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value as? [Any] else { return nil }
        var steps: [Step] = []
        steps.reserveCapacity(tokens.count)
        for token in tokens {
            guard let step = step(token) else { return nil }
            steps.append(step)
        }
        return TemplateProgram(steps: steps)
    }

    /// One token: an enum case whose payload is one value or a tuple of them.
    private static func step(_ token: Any) -> Step? {
        let mirror = Mirror(reflecting: token)
        guard mirror.displayStyle == .enum, let (kind, payload) = mirror.children.first.flatMap({ child in child.label.map { ($0, child.value) } }) else { return nil }
        let fields = Mirror(reflecting: payload).children.map(\.value)
        func name() -> Name? {
            guard fields.count >= 2, let name = fields[0] as? String, let transforms = fields[1] as? [String] else { return nil }
            return Name(name, transforms: transforms)
        }
        switch kind {
        case "text":
            return (payload as? String).map(Step.text)
        case "variable", "unescapedVariable":
            guard fields.count == 2, let name = name() else { return nil }
            return .variable(name, escaped: kind == "variable")
        case "section", "invertedSection":
            guard fields.count == 3, let name = name(), let template = fields[2] as? MustacheTemplate, let program = compile(template) else { return nil }
            return .section(name, program, inverted: kind == "invertedSection")
        case "blockExpansion":
            guard fields.count == 3, let name = fields[0] as? String, let template = fields[1] as? MustacheTemplate,
                  let fallback = compile(template), let indentation = fields[2] as? String? else { return nil }
            return .block(name, fallback: fallback, indentation: indentation)
        case "partial":
            guard fields.count == 3, let name = fields[0] as? String, let indentation = fields[1] as? String?,
                  let inherits = fields[2] as? [String: MustacheTemplate]? else { return nil }
            var overrides: [String: TemplateProgram]?
            if let inherits {
                overrides = [:]
                for (block, template) in inherits {
                    guard let program = compile(template) else { return nil }
                    overrides?[block] = program
                }
            }
            return .partial(name, indentation: indentation, overrides: overrides)
        case "contentType":
            return (payload as? any MustacheContentType).map(Step.contentType)
        default:
            // `dynamicNamePartial`, `blockDefinition` (never rendered), or a form this file does not know.
            return nil
        }
    }
}

/// One render of a program over a view: `MustacheTemplate.render`'s walk, for `ViewValue`s.
/// Stops with `TemplateRun.Stop` at what only the library knows how to render.
struct TemplateRun {
    /// Why a run stopped: a token only the library renders, or (`pastBound`) an output past `maximumBytes` or
    /// templates nested past `maximumDepth` as it runs.
    struct Stop: Error {
        var pastBound = false
    }

    /// How deep sections, partials and blocks may nest as a run goes (a template's text nests at most 100 deep,
    /// but a block whose override includes the template that declares it repeats itself without end).
    static let maximumDepth = 256
    /// Templates entered and not yet left.
    private var depth = 0

    /// The most one render may produce. Sections over lists nested in each other multiply: a page's text could
    /// otherwise grow with the size of the site to the power of the nesting. A role page is some 15 KB; the
    /// largest list page grows with the site (2.8 MB for 10,000 roles: 64 MiB is some 230,000 roles).
    static let maximumBytes = 64 << 20

    /// The theme's programs by template name; nil for a template the library has and no program.
    let programs: [String: TemplateProgram?]
    /// The context stack, innermost last.
    private var stack: [ViewValue] = []

    /// What the library's `MustacheContext` carries besides the stack.
    struct Context {
        /// Where the section being rendered is in the list it repeats.
        var position: Position?
        var indentation: String?
        var overrides: [String: TemplateProgram]?
        /// Nil before a template's `{{% CONTENT_TYPE}}`: the library's own HTML escaping, which
        /// only it applies (every theme template starts with guidegen's escaping pragma).
        var contentType: (any MustacheContentType)?

        /// The context of a partial or block: outside any list, its tag's indentation added to this one's
        /// (the library's `withPartial` and `withBlockExpansion`).
        func entering(indented indentation: String?) -> Context {
            var inner = self
            inner.position = nil
            if let indentation { inner.indentation = (self.indentation ?? "") + indentation }
            return inner
        }
    }

    struct Position {
        var first: Bool
        var last: Bool
        var index: Int
    }

    init(programs: [String: TemplateProgram?]) {
        self.programs = programs
    }

    /// `program` over `view`, or `Stop`.
    mutating func render(_ program: TemplateProgram, view: View) throws(Stop) -> String {
        stack = [.view(view)]
        var output = ""
        try render(program, context: Context(), into: &output)
        return output
    }

    private mutating func render(_ program: TemplateProgram, context: Context, into output: inout String) throws(Stop) {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw Stop(pastBound: true) }
        var context = context
        if let indentation = context.indentation, !indentation.isEmpty {
            // A partial's lines after the first start with its tag's indentation: the library adds it
            // before any non-empty token that follows a line end in this template's own text.
            var own = ""
            for step in program.steps {
                var piece = ""
                try run(step, context: &context, into: &piece)
                if !piece.isEmpty, own.last == "\n" { own += indentation }
                own += piece
                if own.utf8.count > Self.maximumBytes { throw Stop(pastBound: true) }
            }
            output += own
        } else {
            for step in program.steps {
                try run(step, context: &context, into: &output)
                if output.utf8.count > Self.maximumBytes { throw Stop(pastBound: true) }
            }
        }
    }

    private mutating func run(_ step: TemplateProgram.Step, context: inout Context, into output: inout String) throws(Stop) {
        switch step {
        case let .text(text):
            output += text
        case let .variable(name, escaped):
            guard let value = try lookUp(name, context: context) else { return }
            let text: String
            switch value {
            case let .text(value): text = value.renderText
            case let .string(string): text = string
            case let .bool(bool): text = String(describing: bool)
            case let .int(int): text = String(describing: int)
            default: throw Stop()
            }
            if escaped {
                guard let contentType = context.contentType else { throw Stop() }
                output += contentType.escapeText(text)
            } else {
                output += text
            }
        case let .section(name, program, inverted):
            let value = try lookUp(name, context: context)
            if inverted {
                try invertedSection(value, program, context: context, into: &output)
            } else {
                try section(value, program, context: context, into: &output)
            }
        case let .partial(name, indentation, overrides):
            // A template the library does not have renders as nothing, as in the library.
            guard let found = programs[name] else { return }
            guard let program = found else { throw Stop() }
            var inner = context.entering(indented: indentation)
            if let overrides {
                inner.overrides = context.overrides.map { $0.merging(overrides) { outer, _ in outer } } ?? overrides
            }
            inner.contentType = nil
            try render(program, context: inner, into: &output)
        case let .block(name, fallback, indentation):
            try render(context.overrides?[name] ?? fallback, context: context.entering(indented: indentation), into: &output)
        case let .contentType(contentType):
            context.contentType = contentType
        }
    }

    /// `renderSection`: a list repeats the section, true shows it, any other value is its scope.
    private mutating func section(_ value: ViewValue?, _ program: TemplateProgram, context: Context, into output: inout String) throws(Stop) {
        switch value {
        case nil, .bool(false):
            return
        case .bool(true):
            try render(program, context: context, into: &output)
        case let .views(views):
            try repeatSection(views.map(ViewValue.view), program, context: context, into: &output)
        case let .texts(texts):
            try repeatSection(texts.map(ViewValue.text), program, context: context, into: &output)
        case let .some(value):
            guard value.isScope else { throw Stop() }
            try scoped(value, program, context: context, into: &output)
        }
    }

    private mutating func repeatSection(_ items: [ViewValue], _ program: TemplateProgram, context: Context, into output: inout String) throws(Stop) {
        var inner = context
        for (index, item) in items.enumerated() {
            inner.position = Position(first: index == 0, last: index == items.count - 1, index: index)
            stack.append(item)
            defer { stack.removeLast() }
            try render(program, context: inner, into: &output)
        }
    }

    /// `renderInvertedSection`: shown for nothing, false and an empty list (which is then its scope).
    private mutating func invertedSection(_ value: ViewValue?, _ program: TemplateProgram, context: Context, into output: inout String) throws(Stop) {
        switch value {
        case nil, .bool(false):
            try render(program, context: context, into: &output)
        case let .some(list) where list.isEmptyList:
            // An empty list is then the section's scope (names find nothing in it).
            try scoped(list, program, context: context, into: &output)
        case .other:
            throw Stop()
        default:
            return
        }
    }

    /// The section with `value` on top of the stack (the library's `withObject`).
    private mutating func scoped(_ value: ViewValue, _ program: TemplateProgram, context: Context, into output: inout String) throws(Stop) {
        var inner = context
        inner.position = nil
        stack.append(value)
        defer { stack.removeLast() }
        try render(program, context: inner, into: &output)
    }

    /// `getChild`: the first part of a name from the top of the stack down, the rest inside what it
    /// found, then the transforms.
    private func lookUp(_ name: TemplateProgram.Name, context: Context) throws(Stop) -> ViewValue? {
        var value: ViewValue?
        switch name.root {
        case .top:
            value = stack.last
        case .position:
            guard let position = context.position else { return nil }
            return try transform(position, name.transforms)
        case .topOnly:
            value = stack.last
            for component in name.components {
                guard let current = value else { return nil }
                value = try current.child(named: component)
            }
        case .stack:
            guard let first = name.components.first else {
                value = stack.last
                break
            }
            var index = stack.count - 1
            while index >= 0 {
                if let found = try stack[index].child(named: first) {
                    value = found
                    break
                }
                index -= 1
            }
            for component in name.components.dropFirst() {
                guard let current = value else { return nil }
                value = try current.child(named: component)
            }
        }
        guard var value else { return nil }
        for transform in name.transforms {
            if case .other = value { throw Stop() }
            guard let transformable = value.libraryValue as? MustacheTransformable, let result = transformable.transform(transform) else { return nil }
            // A result of a kind only the library knows would stop the run wherever it is used.
            guard let transformed = ViewValue(transformed: result) else { throw Stop() }
            value = transformed
        }
        return value
    }

    /// The library's transforms of a list position (`first`, `last`, `index`, `even`, `odd`), then any more.
    private func transform(_ position: Position, _ transforms: [String]) throws(Stop) -> ViewValue? {
        guard let name = transforms.first else { return nil }
        var value: ViewValue
        switch name {
        case "first": value = .bool(position.first)
        case "last": value = .bool(position.last)
        case "index": value = .int(position.index)
        case "even": value = .bool(position.index & 1 == 0)
        case "odd": value = .bool(position.index & 1 == 1)
        default: return nil
        }
        for transform in transforms.dropFirst() {
            guard let transformable = value.libraryValue as? MustacheTransformable, let result = transformable.transform(transform) else { return nil }
            guard let transformed = ViewValue(transformed: result) else { throw Stop() }
            value = transformed
        }
        return value
    }
}

extension ViewValue {
    /// What a name finds inside this value: a view's entry; nothing in text, numbers, Booleans and
    /// lists (the library finds nothing there either). Other values only the library knows.
    func child(named name: String) throws(TemplateRun.Stop) -> ViewValue? {
        switch self {
        case let .view(view): return view.value(named: name)
        case .text, .texts, .views, .bool, .int: return nil
        case .string, .other: throw TemplateRun.Stop()
        }
    }

    var isEmptyList: Bool {
        switch self {
        case let .views(views): views.isEmpty
        case let .texts(texts): texts.isEmpty
        default: false
        }
    }

    /// Whether a section may put this value on the stack.
    var isScope: Bool {
        switch self {
        case .view, .text, .int: true
        default: false
        }
    }
}

extension String {
    /// The same text in storage of its own (a short text is stored inline anyway).
    func copied() -> String {
        String(decoding: Array(utf8), as: UTF8.self)
    }
}
