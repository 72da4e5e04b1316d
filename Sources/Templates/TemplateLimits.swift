import Diagnostics

/// The bounds a theme's templates are held to, so that what a theme costs to load and render grows
/// with its size and never runs out of stack (see `TemplateOutline`, `TemplateSet.expansionErrors`).
enum TemplateLimits {
    /// How deep sections, inverted sections, blocks, `{{<parent}}` tags and partials may nest,
    /// partials counted through. The built-in theme nests 6 deep; 100 leaves room for any theme a
    /// person writes, and is far from the 3,000 that ran the recursive parser out of stack.
    static let nesting = 100

    /// How much text a template may become with its partials inlined where they are included. The
    /// built-in `role` template, the largest, becomes about 14 KiB; a theme past 8 MiB is one whose
    /// partials include others many times over, which would make every page that large.
    static let expansion = 8 << 20
}

extension TemplateSet {
    /// The error for a template whose own text nests past `TemplateLimits.nesting`, at the tag that goes past it.
    static func nestingError(_ excess: TemplateOutline.Excess, source: String) -> Diagnostic {
        let limit = TemplateLimits.nesting
        if excess.transforms {
            return .error(.templateNesting, at: SourceLocation(file: source, line: excess.line, column: excess.column),
                          "template error: this tag applies more than \(limit) transforms, one inside the other",
                          hint: "apply at most \(limit) transforms in one tag")
        }
        return .error(.templateNesting, at: SourceLocation(file: source, line: excess.line, column: excess.column),
                      "template error: sections, blocks and partials nest more than \(limit) deep at this tag",
                      hint: "close sections with {{/name}} before opening more; a template may nest at most \(limit) deep")
    }

    /// What a template becomes with its partials inlined, worst case: its bytes, the `{{$block}}`
    /// places in it, and how deep it nests.
    private struct Reach {
        var bytes: Double
        var blocks: Double
        var depth: Int
    }

    /// The templates that, with their partials inlined, nest deeper than `TemplateLimits.nesting` or
    /// are larger than `TemplateLimits.expansion`: an error at the first include of the chain of partials
    /// that makes it, naming the chain. Each partial counts where it is included, as many times as it
    /// is, and the text and partials inside a `{{<parent}}` tag as many times as the parent has blocks.
    /// Only the templates no other such template includes are reported. Dynamic partials (`{{>*name}}`)
    /// are not counted.
    static func expansionErrors(outlines: [String: TemplateOutline], sources: [String: String]) -> [Diagnostic] {
        let reach = reaches(outlines)
        func multiplier(_ parents: [String]) -> Double {
            parents.reduce(1) { $0 * max(1, reach[$1]?.blocks ?? 1) }
        }
        func size(_ include: TemplateOutline.Include) -> Double {
            (reach[include.name]?.bytes ?? .infinity) * multiplier(include.parents)
        }
        func depth(_ include: TemplateOutline.Include) -> Int {
            include.depth + 1 + (reach[include.name]?.depth ?? Int.max / 2)
        }
        var diagnostics: [Diagnostic] = []
        /// One error for each template of `over` that no other one of them includes.
        func report(_ over: Set<String>, code: Diagnostic.Code, by measure: (TemplateOutline.Include) -> Double, _ message: (String) -> String, hint: String) {
            let included = Set(over.flatMap { name in outlines[name]!.includes.map(\.name) })
            for top in over.sorted() where !included.contains(top) {
                guard let first = outlines[top]?.includes.max(by: { measure($0) < measure($1) }) else { continue }
                var chain = [top]
                var next: TemplateOutline.Include? = first
                while let step = next, !chain.contains(step.name) {
                    chain.append(step.name)
                    next = outlines[step.name]?.includes.max { measure($0) < measure($1) }
                }
                let shown = chain.count > 6 ? Array(chain.prefix(3)) + ["…"] + chain.suffix(2) : chain
                let described = shown.joined(separator: " -> ") + (chain.count > 6 ? ", \(chain.count) templates" : "")
                diagnostics.append(.error(code, at: SourceLocation(file: sources[top] ?? top, line: first.line, column: first.column),
                                          "template error: `\(top)` \(message(described))", hint: hint))
            }
        }
        report(Set(reach.filter { $0.value.bytes > Double(TemplateLimits.expansion) }.keys), code: .templateSize, by: size,
               { "would expand to more than \(TemplateLimits.expansion >> 20) MiB of text with its partials inlined (\($0))" },
               hint: "a partial is inlined each time it is included, so including one several times multiplies its size: include fewer partials, or each one once")
        report(Set(reach.filter { $0.value.depth > TemplateLimits.nesting }.keys), code: .templateNesting, by: { Double(depth($0)) },
               { "nests sections, blocks and partials more than \(TemplateLimits.nesting) deep through its partials (\($0))" },
               hint: "open fewer sections around its {{>partial}} tags, or include fewer partials inside one another")
        return diagnostics
    }

    /// Each template's `Reach`, partials first (depth first, without recursion). A template met
    /// again on its own way down (an include loop, reported elsewhere) counts as endless.
    private static func reaches(_ outlines: [String: TemplateOutline]) -> [String: Reach] {
        var reach: [String: Reach] = [:]
        var entered = Set<String>()
        for root in outlines.keys.sorted() {
            var stack = [(name: root, ready: false)]
            while let (name, ready) = stack.popLast() {
                guard reach[name] == nil, let outline = outlines[name] else { continue }
                if !ready {
                    guard entered.insert(name).inserted else { continue }
                    stack.append((name, true))
                    for include in outline.includes where reach[include.name] == nil && !entered.contains(include.name) {
                        stack.append((include.name, false))
                    }
                    continue
                }
                func multiplier(_ parents: [String]) -> Double {
                    parents.reduce(1) { $0 * max(1, reach[$1]?.blocks ?? 1) }
                }
                var result = Reach(bytes: Double(outline.bytes), blocks: Double(outline.blocks), depth: outline.depth)
                for body in outline.bodies { result.bytes += Double(body.bytes) * multiplier(body.parents) }
                for include in outline.includes where outlines[include.name] != nil {
                    let inner = reach[include.name] ?? Reach(bytes: .infinity, blocks: .infinity, depth: Int.max / 2)
                    result.bytes += inner.bytes * multiplier(include.parents)
                    result.blocks += inner.blocks * multiplier(include.parents)
                    result.depth = max(result.depth, include.depth + 1 + inner.depth)
                }
                reach[name] = result
            }
        }
        return reach
    }
}
