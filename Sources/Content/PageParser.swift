import Diagnostics
import Foundation
import Markdown
import Yams

/// Turns one content file into a `Page`: front matter (YAML, validated per kind) and Markdown body.
public enum PageParser {
    static let commonKeys = ["title", "summary", "updated", "draft", "slug", "kind", "sources", "aliases"]
    static let roleKeys = [
        "category", "alternate_titles", "skills", "related", "salary", "occupation_code", "career_path",
        "specializations", "industries", "education", "certifications", "market",
        "outlook", "entry_education", "entry_experience", "occupation_note", "compare",
    ]

    /// Returns no page only when there is no front matter to read; otherwise the page and every problem found.
    /// - Parameters:
    ///   - source: path for messages, from the site folder (`content/roles/x.md`).
    ///   - path: path inside `content/` (`roles/x.md`).
    public static func parse(text: String, source: String, path: String, options: MarkdownOptions) -> (Page?, [Diagnostic]) {
        let (page, problems) = parseAll(text: text, source: source, path: path, options: options)
        return (page, Diagnostic.limitedPerCode(problems))
    }

    /// `parse`, with every problem (not limited per kind): the front matter split off and composed, its kind,
    /// its fields (those of every page, then those of its kind), then the body.
    static func parseAll(text: String, source: String, path: String, options: MarkdownOptions) -> (Page?, [Diagnostic]) {
        let file = PageFile(source: source, path: path)
        let problems = controlCharacters(in: text, source: source)
        guard let split = splitFrontMatter(text) else {
            return withoutFrontMatter(file, body: text, bodyStartLine: 1, options: options, problems + [.error(.noFrontMatter,
                at: SourceLocation(file: source, line: 1, column: 1),
                "missing front matter",
                hint: "start the file with a line `---`, then YAML with at least `title: ...`, then a line `---`"
            )])
        }
        var reader = YAMLReader(file: source, firstLine: 2)
        guard let root = reader.compose(split.yaml) else {
            if reader.diagnostics.isEmpty {
                reader.error(nil, .emptyValue, "front matter is empty", hint: "add at least `title: ...`")
            }
            return withoutFrontMatter(file, body: split.body, bodyStartLine: split.bodyStartLine, options: options, problems + reader.diagnostics)
        }
        guard case .mapping = root.value else {
            reader.error(root, .notAMapping, "front matter must be `key: value` lines", hint: "start with a line like title: \"Backend Developer\"")
            return withoutFrontMatter(file, body: split.body, bodyStartLine: split.bodyStartLine, options: options, problems + reader.diagnostics)
        }
        // The kind decides which keys are allowed, so it is read first.
        let kind = readKind(root, file: file, &reader)
        let what = kind == .page ? "the front matter of a page" : "the front matter of a \(kind.rawValue) page"
        let fields = reader.fields(root, of: what, allowed: allowedKeys(of: kind))
        let common = readCommonFields(fields, root: root, file: file, &reader)
        let (role, roles) = readKindFields(fields, kind: kind, root: root, &reader)
        let body = Markdown.parse(split.body, options: options)
        // A page whose front matter has errors is still returned (the run fails on the errors anyway),
        // so its links are checked too and one run reports every problem.
        var page = Page(
            source: source, path: path, kind: kind, slug: common.slug, url: file.url(slug: common.slug),
            section: file.section, isIndex: file.isIndex,
            title: common.title ?? common.slug, summary: common.summary, updated: common.updated, draft: common.draft,
            sources: common.sources, role: role, roles: roles, body: body, bodyStartLine: split.bodyStartLine
        )
        page.aliases = readAliases(fields["aliases"], &reader)
        page.fieldLocations = fieldLocations(fields, reader)
        let nameProblems = fileNameProblems(file.name, source: source, hasSlug: fields["slug"] != nil && !file.isIndex)
        return (page, problems + nameProblems + reader.diagnostics + bodyProblems(body, of: page))
    }

    /// What a page's path inside content/ alone decides: its folders, its file name, and the slug and kind it has
    /// unless its front matter says otherwise.
    struct PageFile {
        /// Path for messages, from the site folder (`content/roles/x.md`).
        let source: String
        /// Path inside `content/` (`roles/x.md`).
        let path: String
        let folders: [String]
        /// The file name without `.md`.
        let name: String
        let isIndex: Bool

        init(source: String, path: String) {
            self.source = source
            self.path = path
            let components = path.split(separator: "/").map(String.init)
            folders = Array(components.dropLast())
            name = String((components.last ?? "index.md").dropLast(3))
            isIndex = name == "index"
        }

        /// The first folder: the page's section.
        var section: String { folders.first ?? "" }
        /// The last URL segment unless `slug:` says otherwise: the file name, or an index.md's folder.
        var defaultSlug: String { isIndex ? (folders.last ?? "") : name }
        var defaultKind: PageKind { isIndex ? .page : PageKind(folder: section) }

        func url(slug: String) -> String {
            PageParser.url(folders: folders, isIndex: isIndex, slug: slug)
        }
    }

    /// A file whose front matter cannot be read still exists for the rest of the site, with
    /// its body parsed: links to it and its anchors resolve, and its own links are checked,
    /// so one typo is reported once, not again as "does not exist" everywhere it is linked.
    static func withoutFrontMatter(_ file: PageFile, body: String, bodyStartLine: Int, options: MarkdownOptions,
                                   _ diagnostics: [Diagnostic]) -> (Page?, [Diagnostic]) {
        let kind = file.defaultKind
        let document = Markdown.parse(body, options: options)
        let page = Page(
            source: file.source, path: file.path, kind: kind, slug: file.defaultSlug,
            url: file.url(slug: file.defaultSlug), section: file.section, isIndex: file.isIndex,
            title: file.name, role: kind == .role ? RoleData(category: "") : nil, body: document, bodyStartLine: bodyStartLine
        )
        return (page, diagnostics + bodyProblems(document, of: page) + fileNameProblems(file.name, source: file.source, hasSlug: false))
    }

    /// The page's kind: `kind:` if it names one, else what its folder says.
    static func readKind(_ root: YAMLNode, file: PageFile, _ reader: inout YAMLReader) -> PageKind {
        guard let kindNode = root["kind"], let name = reader.string(kindNode, "kind") else { return file.defaultKind }
        if let explicit = PageKind(rawValue: name) { return explicit }
        reader.error(kindNode, .invalidValue, "unknown kind `\(name)`",
                     hint: "kinds are \(PageKind.allCases.map(\.rawValue).joined(separator: ", "))")
        return file.defaultKind
    }

    /// The front matter keys a page of `kind` may have.
    static func allowedKeys(of kind: PageKind) -> [String] {
        switch kind {
        case .role: commonKeys + roleKeys
        case .salary, .faq, .guide: commonKeys + ["roles"]
        case .page: commonKeys
        }
    }

    /// The front matter fields every kind of page has.
    struct CommonFields {
        var title: String?
        var summary: String?
        var updated: String?
        var draft: Bool
        /// `slug:`, or the one the page's path gives.
        var slug: String
        var sources: [SourceRef]
    }

    static func readCommonFields(_ fields: [String: YAMLNode], root: YAMLNode, file: PageFile, _ reader: inout YAMLReader) -> CommonFields {
        let title = reader.string(fields["title"], "title", required: true)
        if fields["title"] == nil {
            reader.error(root, .missingField, "missing `title`", hint: "add a line like title: \"Backend Developer\"")
        }
        let summary = reader.string(fields["summary"], "summary")
        let updated = reader.date(fields["updated"], "updated")
        let draft = reader.bool(fields["draft"], "draft") ?? false
        var slug = file.defaultSlug
        if let custom = reader.string(fields["slug"], "slug") {
            if let problem = Slug.firstProblem(in: custom) {
                reader.error(fields["slug"], .invalidValue, "`slug` may use only a-z, 0-9 and -, up to \(Slug.maximumLength) characters; `\(custom)` has \(problem)",
                             hint: "for example slug: \(Slug.suggestion(for: custom))")
            } else {
                slug = custom
            }
        }
        let sources = readSources(fields["sources"], &reader)
        return CommonFields(title: title, summary: summary, updated: updated, draft: draft, slug: slug, sources: sources)
    }

    /// `aliases:`: old addresses of the page, each a site-relative folder URL (`/roles/back-end-developer/`; the
    /// final `/` is added when missing). Anything else is an error at the item.
    static func readAliases(_ node: YAMLNode?, _ reader: inout YAMLReader) -> [Located<String>] {
        var aliases: [Located<String>] = []
        for item in reader.strings(node, "aliases") {
            var value = item.value
            let segments = value.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            let bad = !value.hasPrefix("/") || value.hasPrefix("//") || value.contains("?") || value.contains("#") || value.contains("\\")
                || value.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 32 || $0.value == 127 }
                || segments.dropLast().contains { $0.isEmpty || $0 == "." || $0 == ".." } || segments.last == "." || segments.last == ".."
                || (segments.last?.contains(".") ?? false) || value == "/"
            if bad {
                reader.diagnostics.append(.error(.invalidValue, at: item.location,
                                                 "the alias `\(value)` is not an old address of a page",
                                                 hint: "give the page's old address from the site's root, like aliases: [\"/roles/back-end-developer/\"]"))
                continue
            }
            if !value.hasSuffix("/") { value += "/" }
            aliases.append(Located(value, at: item.location))
        }
        return aliases
    }

    /// The fields of the page's kind: a role's data, or the roles a salary, FAQ or guide page is about.
    static func readKindFields(_ fields: [String: YAMLNode], kind: PageKind, root: YAMLNode,
                               _ reader: inout YAMLReader) -> (role: RoleData?, roles: [Located<String>]) {
        switch kind {
        case .role:
            return (readRole(fields, root: root, &reader), [])
        case .salary, .faq:
            let roles = reader.strings(fields["roles"], "roles")
            if fields["roles"] == nil {
                reader.error(root, .missingField, "a \(kind.rawValue) page needs `roles`", hint: "name the roles it is about: roles: [backend-developer]")
            }
            return (nil, roles)
        case .guide:
            return (nil, reader.strings(fields["roles"], "roles"))
        case .page:
            return (nil, [])
        }
    }

    /// Where each front matter value is, and the dates of its figures (`salary.as_of`), for messages about them.
    static func fieldLocations(_ fields: [String: YAMLNode], _ reader: YAMLReader) -> FieldLocations {
        func place(_ node: YAMLNode) -> (line: Int, column: Int) {
            let location = reader.location(node)
            return (location.line ?? 1, location.column ?? 1)
        }
        var locations = FieldLocations()
        for (key, node) in fields { locations[key] = place(node) }
        for figures in ["salary", "market", "outlook"] {
            for key in ["as_of", "checked"] {
                if let node = fields[figures]?[key] { locations[figures + "." + key] = place(node) }
            }
        }
        return locations
    }

    /// A page's URL: its path inside content/ without .md, as a folder (index.md is its folder's page),
    /// with `slug` as the last segment; `/` for the home page.
    static func url(folders: [String], isIndex: Bool, slug: String) -> String {
        var segments = folders
        if !isIndex {
            segments.append(slug)
        } else if !segments.isEmpty {
            segments[segments.count - 1] = slug
        }
        return segments.isEmpty ? "/" : "/" + segments.joined(separator: "/") + "/"
    }

    /// The file name (without .md) must follow the slug rule unless `slug:` replaces it in the URL.
    static func fileNameProblems(_ name: String, source: String, hasSlug: Bool) -> [Diagnostic] {
        guard !hasSlug, let problem = Slug.firstProblem(in: name) else { return [] }
        return [.error(.fileName, at: SourceLocation(file: source),
                       "the file name `\(name).md` has \(problem); page URLs are made of a-z, 0-9 and -",
                       hint: "rename the file to `\(Slug.suggestion(for: name)).md`, or set `slug:` in its front matter")]
    }

    /// What the Markdown stage could not render as written, at its place in the file.
    static func bodyProblems(_ body: MarkdownDocument, of page: Page) -> [Diagnostic] {
        body.problems.map { .error(.markdown, at: page.location(bodyLine: $0.line, column: $0.column), $0.message, hint: $0.hint) }
    }

    /// NUL and other control characters (all but tab, line feed, carriage return and form feed):
    /// never part of a page, often the sign of a binary or UTF-16 file. Reported once per file, at the first.
    static func controlCharacters(in text: String, source: String) -> [Diagnostic] {
        // Most files have none: one pass over the bytes says so before any line is counted.
        let clean = text.utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D && $0 != 0x0C) || $0 == 0x7F }
        }
        if clean == true { return [] }
        var line = 1
        var column = 1
        var count = 0
        var first: (line: Int, column: Int, byte: UInt8)?
        for byte in text.utf8 {
            if byte == 0x0A {
                line += 1
                column = 1
                continue
            }
            if (byte < 0x20 && byte != 0x09 && byte != 0x0D && byte != 0x0C) || byte == 0x7F {
                count += 1
                if first == nil { first = (line, column, byte) }
            }
            column += 1
        }
        guard let first else { return [] }
        let name = first.byte == 0 ? "a NUL byte" : "a control character (U+" + String(format: "%04X", first.byte) + ")"
        return [.error(.controlCharacter, at: SourceLocation(file: source, line: first.line, column: first.column),
                       "\(name) in the text\(count > 1 ? " (\(count) control characters in this file)" : "")",
                       hint: "remove it; if the file came from another program, save it again as UTF-8 text")]
    }

    struct FrontMatterSplit {
        var yaml: String
        var body: String
        var bodyStartLine: Int
    }

    /// Splits `---\nYAML\n---\nbody`. Returns nil when the file does not start with `---`
    /// or the front matter is not closed.
    static func splitFrontMatter(_ text: String) -> FrontMatterSplit? {
        var text = text
        return text.withUTF8 { bytes -> FrontMatterSplit? in
            var start = 0
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            // The end of the line starting at `index`, and whether it is a `---` (or `...`) fence.
            func line(at index: Int) -> (end: Int, isFence: Bool) {
                var end = index
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var last = end
                while last > index, bytes[last - 1] == 0x0D || bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
                let isFence = last - index == 3 && ((bytes[index] == 0x2D && bytes[index + 1] == 0x2D && bytes[index + 2] == 0x2D)
                    || (bytes[index] == 0x2E && bytes[index + 1] == 0x2E && bytes[index + 2] == 0x2E && index != start))
                return (end, isFence)
            }
            let first = line(at: start)
            guard first.isFence, bytes[start] == 0x2D else { return nil }
            var index = first.end + 1
            var lineNumber = 2
            while index <= bytes.count {
                let current = line(at: index)
                if current.isFence {
                    let yaml = String(decoding: UnsafeBufferPointer(rebasing: bytes[(first.end + 1)..<max(first.end + 1, index - 1)]), as: UTF8.self)
                    let bodyStart = min(current.end + 1, bytes.count)
                    let body = String(decoding: UnsafeBufferPointer(rebasing: bytes[bodyStart...]), as: UTF8.self)
                    return FrontMatterSplit(yaml: yaml, body: body, bodyStartLine: lineNumber + 1)
                }
                if current.end >= bytes.count { break }
                index = current.end + 1
                lineNumber += 1
            }
            return nil
        }
    }

    static func readSources(_ node: YAMLNode?, _ reader: inout YAMLReader) -> [SourceRef] {
        var result: [SourceRef] = []
        for item in reader.list(node, "sources") {
            let fields = reader.fields(item, of: "a source", allowed: ["name", "url", "license", "attribution"])
            let name = reader.string(fields["name"], "name", required: true)
            let url = reader.string(fields["url"], "url", required: true)
            if fields["name"] == nil || fields["url"] == nil {
                reader.error(item, .missingField, "a source needs `name` and `url`", hint: "- {name: \"O*NET OnLine\", url: \"https://www.onetonline.org/\", license: \"CC BY 4.0\"}")
            }
            if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                reader.error(fields["url"], .invalidValue, "a source's `url` must start with http:// or https://", hint: "give the full address, like https://www.bls.gov/oes/")
            }
            if let name, let url {
                result.append(SourceRef(name: name, url: url, license: reader.string(fields["license"], "license"),
                                        attribution: reader.string(fields["attribution"], "attribution"), urlLocation: reader.location(fields["url"])))
            }
        }
        return result
    }

    /// Each skill is a hub page; a role listing more than this is a mistake (or an attack on the build).
    static let maximumSkills = 1000

    static func readRole(_ fields: [String: YAMLNode], root: YAMLNode, _ reader: inout YAMLReader) -> RoleData? {
        let category = reader.string(fields["category"], "category", required: true)
        if fields["category"] == nil {
            reader.error(root, .missingField, "a role needs a `category`", hint: "add the role's family, like category: \"Web Development\"")
        }
        var role = RoleData(category: category ?? "")
        if let length = category.map({ Slug.make($0).utf8.count }), length > Slug.maximumLength {
            reader.error(fields["category"], .tooLong, "`category` is too long for a URL (\(length) characters, at most \(Slug.maximumLength))",
                         hint: "use a shorter name for the role's family")
        }
        role.alternateTitles = reader.strings(fields["alternate_titles"], "alternate_titles").map(\.value)
        var skills = reader.strings(fields["skills"], "skills")
        if skills.count > maximumSkills {
            reader.error(fields["skills"], .outOfRange, "this role lists \(skills.count) skills; at most \(maximumSkills) are allowed",
                         hint: "keep the skills a reader would look for; each skill becomes a page of its own")
            skills = Array(skills.prefix(maximumSkills))
        }
        for skill in skills {
            let length = Slug.make(skill.value).utf8.count
            guard length > Slug.maximumLength else { continue }
            reader.diagnostics.append(.error(.tooLong, at: skill.location, "this skill's name is too long for a URL (\(length) characters, at most \(Slug.maximumLength))",
                                             hint: "name the skill in a few words; say more in the page's text"))
        }
        role.skills = skills.map(\.value)
        role.related = reader.strings(fields["related"], "related")
        role.specializations = reader.strings(fields["specializations"], "specializations")
        role.compare = reader.strings(fields["compare"], "compare")
        role.industries = reader.strings(fields["industries"], "industries").map(\.value)
        role.certifications = reader.strings(fields["certifications"], "certifications").map(\.value)
        role.education = reader.string(fields["education"], "education")
        if let code = reader.string(fields["occupation_code"], "occupation_code") {
            if isOccupationCode(code) { role.occupationCode = code } else {
                reader.error(fields["occupation_code"], .invalidValue, "`occupation_code` must be a SOC or O*NET-SOC code like 15-1252 or 15-1252.00, not `\(code)`",
                             hint: "look the occupation up on onetonline.org and copy its code")
            }
        }
        role.occupationNote = reader.string(fields["occupation_note"], "occupation_note")
        if let node = fields["salary"] { role.salary = readSalary(node, &reader) }
        // With an occupation_code the salary may come from a data file: the data stage checks that one did.
        if let node = fields["career_path"] { role.careerPath = readCareerPath(node, hasSalary: role.salary != nil || role.occupationCode != nil, &reader) }
        if let node = fields["market"] { role.market = readMarket(node, &reader) }
        if let node = fields["outlook"] { role.outlook = readOutlook(node, &reader) }
        role.entryEducation = readChoice(fields["entry_education"], "entry_education", &reader)
        role.entryExperience = readChoice(fields["entry_experience"], "entry_experience", &reader)
        return role
    }

    /// `checked`: when a writer last looked for newer figures; not before the figures' own date.
    static func readChecked(_ node: YAMLNode?, asOf: String?, _ reader: inout YAMLReader) -> String? {
        guard let node, let checked = reader.date(node, "checked") else { return nil }
        if let asOf, !asOf.isEmpty, checked < asOf {
            reader.error(node, .figureOrder, "`checked` (\(checked)) is before the figures' `as_of` (\(asOf))",
                         hint: "`checked` is the day you last looked for a newer release; it cannot be before the figures were true")
            return nil
        }
        return checked
    }

    /// One of an enumeration's values, with the list of values in the error.
    static func readChoice<Choice: RawRepresentable & CaseIterable>(_ node: YAMLNode?, _ field: String, _ reader: inout YAMLReader) -> Choice?
    where Choice.RawValue == String {
        guard let node, let text = reader.string(node, field) else { return nil }
        if let value = Choice(rawValue: text) { return value }
        let names = Choice.allCases.map(\.rawValue)
        let near = Suggestion.nearest(to: text.lowercased(), among: names)
        reader.error(node, .invalidValue, "`\(field)` must be one of \(names.joined(separator: ", ")), not `\(text)`",
                     hint: near.map { "did you mean \(field): \($0)?" } ?? "for example \(field): \(names[names.count / 2])")
        return nil
    }

    static func readOutlook(_ node: YAMLNode, _ reader: inout YAMLReader) -> Outlook? {
        let fields = reader.fields(node, of: "outlook", allowed: ["employment", "projected_employment", "growth", "period", "openings", "source", "as_of", "checked"])
        var outlook = Outlook(source: reader.string(fields["source"], "source", required: true) ?? "", asOf: reader.date(fields["as_of"], "as_of") ?? "")
        for (key, example) in [("source", "source: \"U.S. BLS Employment Projections 2024-34\""), ("as_of", "as_of: 2025-08-28")] where fields[key] == nil {
            reader.error(node, .figureSource, "outlook needs `\(key)`", hint: "every outlook says where its figures come from and when they were published; add \(example)")
        }
        outlook.checked = readChecked(fields["checked"], asOf: outlook.asOf, &reader)
        outlook.employment = reader.number(fields["employment"], "employment", positive: false)
        outlook.projectedEmployment = reader.number(fields["projected_employment"], "projected_employment", positive: false)
        outlook.openings = reader.number(fields["openings"], "openings", positive: false)
        if let growthNode = fields["growth"], let growth = reader.number(growthNode, "growth", positive: false, minimum: -100, maximum: 1000) {
            outlook.growth = growth
            if let start = outlook.employment, let end = outlook.projectedEmployment, start > 0 {
                let implied = (end - start) / start * 100
                if abs(implied - growth) > 1 {
                    reader.error(growthNode, .figureMismatch,
                                 "`growth` is \(format(growth))%, but `employment` \(format(start)) to `projected_employment` \(format(end)) is \(format((implied * 10).rounded() / 10))%",
                                 hint: "copy the three figures from the same table, or leave out `projected_employment`")
                }
            }
        }
        if let periodNode = fields["period"], let text = reader.string(periodNode, "period") {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isASCII) }), let start = Int(parts[0]), let end = Int(parts[1]) {
                if start < end { outlook.period = start...end } else {
                    reader.error(periodNode, .figureOrder, "`period` must run forward: \(end) is not after \(start)", hint: "write the base year first, like period: \"2024-2034\"")
                }
            } else {
                reader.error(periodNode, .invalidValue, "`period` must be two years like \"2024-2034\", not `\(text)`", hint: "write period: \"2024-2034\"")
            }
        }
        if outlook.growth != nil || outlook.projectedEmployment != nil || outlook.openings != nil, fields["period"] == nil {
            reader.error(node, .missingField, "outlook figures need the `period` they cover", hint: "add period: \"2024-2034\"")
        }
        return outlook
    }

    static func isOccupationCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 } }
        if bytes.count == 7 { return digits(0..<2) && bytes[2] == 0x2D && digits(3..<7) }
        if bytes.count == 10 { return digits(0..<2) && bytes[2] == 0x2D && digits(3..<7) && bytes[7] == 0x2E && digits(8..<10) }
        return false
    }

    static func readSalary(_ node: YAMLNode, _ reader: inout YAMLReader) -> Salary? {
        let fields = reader.fields(node, of: "salary", allowed: ["currency", "country", "period", "median", "percentiles", "levels", "hourly", "source", "as_of", "checked"])
        let currency = reader.string(fields["currency"], "currency", required: true)
        if let currency, !(currency.count == 3 && currency.allSatisfy { $0.isASCII && $0.isUppercase }) {
            reader.error(fields["currency"], .invalidValue, "`currency` must be an ISO 4217 code like USD or EUR, not `\(currency)`", hint: "three capital letters, like currency: USD")
        }
        let source = reader.string(fields["source"], "source", required: true)
        let asOf = reader.date(fields["as_of"], "as_of")
        for (key, example) in [("currency", "currency: USD"), ("source", "source: \"U.S. BLS OEWS, May 2024\""), ("as_of", "as_of: 2024-05-31")]
        where fields[key] == nil {
            reader.error(node, .figureSource, "salary needs `\(key)`", hint: "every salary says where its figures come from and when they were true; add \(example)")
        }
        var salary = Salary(currency: currency ?? "", source: source ?? "", asOf: asOf ?? "")
        salary.checked = readChecked(fields["checked"], asOf: asOf, &reader)
        if let country = reader.string(fields["country"], "country") {
            if country.count == 2, country.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                salary.country = country
            } else {
                reader.error(fields["country"], .invalidValue, "`country` must be an ISO 3166-1 code like US or DE, not `\(country)`",
                             hint: "two capital letters, like country: US")
            }
        }
        if let period = reader.string(fields["period"], "period") {
            if let value = Salary.Period(rawValue: period) { salary.period = value } else {
                reader.error(fields["period"], .invalidValue, "`period` must be year or hour, not `\(period)`", hint: "write period: year or period: hour")
            }
        }
        salary.median = reader.number(fields["median"], "median")
        if let node = fields["percentiles"] {
            let p = reader.fields(node, of: "percentiles", allowed: ["p10", "p25", "p75", "p90"])
            let percentiles = Percentiles(
                p10: reader.number(p["p10"], "p10"), p25: reader.number(p["p25"], "p25"),
                p75: reader.number(p["p75"], "p75"), p90: reader.number(p["p90"], "p90")
            )
            let ordered: [(String, Double?, YAMLNode?)] = [
                ("p10", percentiles.p10, p["p10"]), ("p25", percentiles.p25, p["p25"]),
                ("median", salary.median, fields["median"]), ("p75", percentiles.p75, p["p75"]), ("p90", percentiles.p90, p["p90"]),
            ]
            let present = ordered.filter { $0.1 != nil }
            for (lower, higher) in zip(present, present.dropFirst()) where lower.1! >= higher.1! {
                reader.error(higher.2, .figureOrder, "`\(higher.0)` (\(format(higher.1!))) must be above `\(lower.0)` (\(format(lower.1!)))",
                             hint: "percentiles increase: p10 < p25 < median < p75 < p90")
            }
            salary.percentiles = percentiles
        }
        for item in reader.list(fields["levels"], "levels") {
            let level = reader.fields(item, of: "a salary level", allowed: ["level", "min", "max"])
            let name = reader.string(level["level"], "level", required: true)
            let min = reader.number(level["min"], "min")
            let max = reader.number(level["max"], "max")
            if level["level"] == nil || level["min"] == nil || level["max"] == nil {
                reader.error(item, .missingField, "a salary level needs `level`, `min` and `max`", hint: "- {level: Entry, min: 55000, max: 70000}")
            }
            if let min, let max, min > max {
                reader.error(level["max"], .figureOrder, "`max` (\(format(max))) is below `min` (\(format(min)))", hint: "swap them")
            } else if let name, let min, let max {
                salary.levels.append(SalaryLevel(level: name, min: min, max: max))
            }
        }
        if let node = fields["hourly"] { salary.hourly = readRange(node, "hourly", &reader) }
        return salary
    }

    /// A figure or a range of figures: `51.2` or `{min: 40.5, max: 62}`.
    static func readRange(_ node: YAMLNode, _ field: String, _ reader: inout YAMLReader) -> ClosedRange<Double>? {
        guard case .mapping = node.value else { return reader.number(node, field).map { $0...$0 } }
        let range = reader.fields(node, of: field, allowed: ["min", "max"])
        let min = reader.number(range["min"], "min")
        let max = reader.number(range["max"], "max")
        if let min, let max {
            if min > max {
                reader.error(range["max"], .figureOrder, "`max` (\(format(max))) is below `min` (\(format(min)))", hint: "swap them")
                return nil
            }
            return min...max
        }
        if range["min"] == nil || range["max"] == nil {
            reader.error(node, .invalidValue, "`\(field)` needs both `min` and `max`, or is one number", hint: "\(field): {min: 40.5, max: 62} or \(field): 51.2")
        }
        return nil
    }

    static func readCareerPath(_ node: YAMLNode, hasSalary: Bool, _ reader: inout YAMLReader) -> CareerPath {
        let fields = reader.fields(node, of: "career_path", allowed: ["levels", "tracks", "from", "to"])
        var path = CareerPath()
        path.levels = readLevels(fields["levels"], hasSalary: hasSalary, &reader)
        let tracks = reader.list(fields["tracks"], "tracks")
        for item in tracks {
            let track = reader.fields(item, of: "a career track", allowed: ["name", "levels"])
            guard let name = reader.string(track["name"], "name", required: true) else {
                if track["name"] == nil { reader.error(item, .missingField, "a career track needs a `name`", hint: "- {name: \"Management\", levels: [{title: \"Engineering Manager\"}]}") }
                continue
            }
            let levels = readLevels(track["levels"], hasSalary: hasSalary, &reader)
            if levels.isEmpty {
                reader.error(track["levels"] ?? item, .missingField, "the career track `\(name)` has no levels",
                             hint: "give it `levels: [{title: \"...\", years: \"8+\"}]`, or remove the track")
                continue
            }
            path.tracks.append(CareerPath.Track(name: name, levels: levels))
        }
        if tracks.count == 1, let node = fields["tracks"] {
            reader.error(node, .invalidValue, "`tracks` names one track; a path splits into two or more",
                         hint: "put a single track's levels after the shared ones in `levels`, or add the other track")
        } else if tracks.count > CareerPath.maxTracks, let node = fields["tracks"] {
            reader.error(node, .invalidValue, "`tracks` names \(tracks.count) tracks; at most \(CareerPath.maxTracks) fit side by side",
                         hint: "keep the main tracks here and describe the rest in the page's text")
            path.tracks = Array(path.tracks.prefix(CareerPath.maxTracks))
        }
        path.from = reader.strings(fields["from"], "from")
        path.to = reader.strings(fields["to"], "to")
        return path
    }

    static func readLevels(_ node: YAMLNode?, hasSalary: Bool, _ reader: inout YAMLReader) -> [CareerPath.Level] {
        var levels: [CareerPath.Level] = []
        for item in reader.list(node, "levels") {
            let level = reader.fields(item, of: "a career level", allowed: ["title", "years", "summary", "pay"])
            guard let title = reader.string(level["title"], "title", required: true) else {
                if level["title"] == nil { reader.error(item, .missingField, "a career level needs a `title`", hint: "- {title: \"Junior Backend Developer\", years: \"0-2\"}") }
                continue
            }
            var pay: ClosedRange<Double>?
            if let node = level["pay"] {
                if hasSalary { pay = readRange(node, "pay", &reader) } else {
                    reader.error(node, .figureSource, "a career level's `pay` needs the role's `salary`",
                                 hint: "pay per level is shown in the salary's currency and credited to its source; add a `salary` block with currency, source and as_of, or remove `pay`")
                }
            }
            levels.append(CareerPath.Level(title: title, years: reader.string(level["years"], "years"), summary: reader.string(level["summary"], "summary"), pay: pay))
        }
        return levels
    }

    static func readMarket(_ node: YAMLNode, _ reader: inout YAMLReader) -> Market? {
        let fields = reader.fields(node, of: "market", allowed: ["open_jobs", "employers", "job_seekers", "source", "as_of", "checked"])
        var market = Market(source: reader.string(fields["source"], "source", required: true) ?? "", asOf: reader.date(fields["as_of"], "as_of") ?? "")
        market.checked = readChecked(fields["checked"], asOf: market.asOf, &reader)
        market.openJobs = reader.number(fields["open_jobs"], "open_jobs", positive: false)
        market.employers = reader.number(fields["employers"], "employers", positive: false)
        market.jobSeekers = reader.number(fields["job_seekers"], "job_seekers", positive: false)
        for key in ["source", "as_of"] where fields[key] == nil {
            reader.error(node, .figureSource, "market figures need `\(key)`", hint: "say where the figures come from (source) and when they were true (as_of: YYYY-MM-DD)")
        }
        return market
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
