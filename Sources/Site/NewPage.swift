import Content
import Foundation

/// `guidegen new KIND "Title"`: a page to start from, at its kind's place, with the kind's fields, `draft: true`
/// and `TODO:` where the writer's words go (`guidegen check` warns about a `TODO:` left in a page that is no
/// longer a draft). It never overwrites a file.
public enum NewPage {
    public enum Kind: String, CaseIterable, Sendable {
        case role, salary, faq, guide, page

        var folder: String {
            switch self {
            case .role: "content/roles"
            case .salary: "content/salaries"
            case .faq: "content/faqs"
            case .guide: "content/guides"
            case .page: "content"
            }
        }

        /// Salary guides and FAQs are about roles and must name them; a guide may.
        var needsRoles: Bool { self == .salary || self == .faq }
    }

    /// The words `new` leaves for the writer to replace.
    public static let placeholder = "TODO:"

    public struct Problem: Error, Sendable {
        public var message: String
        public var hint: String
    }

    /// The file's path inside the site and its text.
    public struct Made: Sendable, Equatable {
        public var path: String
        public var text: String
    }

    /// The page for `title`, checked against the site: the roles it names must be role files, the file must not exist.
    public static func make(_ kind: Kind, title: String, roles: [String], siteDirectory: String, today: String) throws(Problem) -> Made {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let slug = Slug.make(trimmed)
        guard !slug.isEmpty, trimmed.contains(where: { $0.isLetter || $0.isNumber }),
              !trimmed.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 32 } ?? false) }) else {
            throw Problem(message: "the title \(quoted(title)) makes no file name", hint: "give a title with letters or digits, on one line: guidegen new role \"Data Engineer\"")
        }
        if (kind == .role || kind == .page) && !roles.isEmpty {
            throw Problem(message: "a \(kind.rawValue) page names no roles with --role",
                          hint: kind == .role ? "a role links others in its `related:` field once it exists" : "--role is for salary guides, FAQs and guides")
        }
        if kind.needsRoles && roles.isEmpty {
            throw Problem(message: "a \(kind.rawValue) page is about one or more roles", hint: "name them: guidegen new \(kind.rawValue) \(quoted(trimmed)) --role ROLE-SLUG")
        }
        let known = roleSlugs(siteDirectory)
        for role in roles where !known.contains(role) {
            let nearest = Suggestion.nearest(to: role, among: known.sorted())
            throw Problem(message: "there is no role `\(role)` (content/roles/\(role).md)",
                          hint: nearest.map { "did you mean `\($0)`?" } ?? "roles: " + (known.isEmpty ? "none yet; make one with guidegen new role \"Title\"" : known.sorted().prefix(12).joined(separator: ", ")))
        }
        let path = kind.folder + "/" + slug + ".md"
        if FileManager.default.fileExists(atPath: siteDirectory + "/" + path) {
            throw Problem(message: "\(path) exists already; new never overwrites a file", hint: "edit it, or choose another title")
        }
        return Made(path: path, text: text(kind, title: trimmed, roles: roles, today: today))
    }

    /// Writes the page, refusing a file that exists (even one made since `make` looked).
    public static func write(_ made: Made, siteDirectory: String) throws(Problem) {
        let url = URL(fileURLWithPath: siteDirectory).appendingPathComponent(made.path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(made.text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            throw Problem(message: "could not write \(made.path): \(error.localizedDescription)", hint: "check that the site folder is writable and the file does not exist")
        }
    }

    static func roleSlugs(_ siteDirectory: String) -> Set<String> {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: siteDirectory + "/content/roles")) ?? []
        return Set(files.filter { $0.hasSuffix(".md") && $0 != "index.md" }.map { String($0.dropLast(3)) })
    }

    /// A YAML double-quoted string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func text(_ kind: Kind, title: String, roles: [String], today: String) -> String {
        var front = ["title: \(quoted(title))"]
        switch kind {
        case .role:
            front.append("summary: \"\(placeholder) one sentence: what the role does and what sets it apart\"")
        case .salary:
            front.append("summary: \"\(placeholder) what this guide says about the pay, in one sentence\"")
        case .faq:
            front.append("summary: \"\(placeholder) the questions this page answers, in one sentence\"")
        case .guide, .page:
            front.append("summary: \"\(placeholder) what a reader gets from this page, in one sentence\"")
        }
        front += ["updated: \(today)", "draft: true   # remove when the page is ready; until then only --drafts builds it"]
        if !roles.isEmpty { front.append("roles: [\(roles.joined(separator: ", "))]   # the roles this page is about") }
        if kind == .role {
            front += [
                "category: \"\(placeholder) the role's family, such as Web Development\"",
                "alternate_titles: []   # other names readers search for",
                "skills: []             # each gets a skill page listing the roles that use it",
                "related: []            # role slugs shown first among related roles",
                "# occupation_code: \"15-1252.00\"   # with data: in guidegen.yml, the BLS figures of this occupation",
                "# compare: [other-role]           # an \"X vs Y\" page with each role named",
                "# career_path: {levels: [{title: \"Junior ...\", years: \"0-2\", summary: \"...\"}], from: [], to: []}",
                "sources: []            # [{name: \"...\", url: \"https://...\"}] for every fact and figure",
            ]
        }
        let body: String
        switch kind {
        case .role: body = "\(placeholder) what the work looks like, day to day.\n\n## How it differs from neighbouring roles\n\n\(placeholder) where the line falls.\n"
        case .salary: body = "\(placeholder) how to read the pay figures for the role, and what moves pay.\n"
        case .faq: body = "## \(placeholder) a question readers ask?\n\n\(placeholder) the answer.\n"
        case .guide, .page: body = "\(placeholder) the page's text.\n"
        }
        return "---\n" + front.joined(separator: "\n") + "\n---\n\n" + body
    }
}
