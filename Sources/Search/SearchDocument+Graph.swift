import Concurrency
import Content
import Diagnostics
import Graph

extension SearchDocument {
    /// Every published page of the graph, then the category, skill and comparison hubs, in graph order
    /// (a document's number in the index is its position here).
    /// A category or skill's text file (`content/skills/docker.md`) is its hub's text, not a page of its own:
    /// the hub's document carries its headings and body, and the file has none.
    public static func documents(from graph: SiteGraph) -> [SearchDocument] {
        let hubTexts = Set(graph.hubs.compactMap { hub -> PageID? in
            switch hub.kind {
            case .category, .skill: hub.page
            default: nil
            }
        })
        var documents = graph.ids.filter { !hubTexts.contains($0) }.parallelMap { document(page: $0, in: graph) }
        for hub in graph.hubs {
            let kind: String
            var alternates: [String] = []
            switch hub.kind {
            case .category: kind = "Category"
            case .skill: kind = "Skill"
            case .comparison: kind = "Comparison"
            case let .section(folder):
                kind = "List"
                alternates = sectionNames[folder] ?? []
            case .categories:
                kind = "List"
                alternates = ["All categories", "Career areas"]
            case .skills:
                kind = "List"
                alternates = ["All skills"]
            case .home: continue
            }
            var document = SearchDocument(url: String(hub.url.dropFirst()), title: hub.title, kind: kind, alternateTitles: alternates, summary: hub.summary)
            if let text = hub.page.map({ graph[$0] }) {
                document.headings = text.body.headings.map(\.text)
                document.body = text.body.plainText
            }
            if hub.kind == .comparison {
                // What readers call either role finds the pair: "devops vs sre".
                document.keywords = hub.members.flatMap { [graph[$0].title] + (graph[$0].role?.alternateTitles ?? []) }
            }
            // Like a role page, a hub is the answer to its own name.
            document.boost = 0.5
            documents.append(document)
        }
        return documents
    }

    /// Other names readers give the section lists.
    static let sectionNames: [String: [String]] = [
        "roles": ["All roles", "Compare roles", "Every role compared"],
        "salaries": ["Salaries", "Pay by role"],
        "faqs": ["Questions and answers", "FAQ"],
        "guides": ["Resources", "All guides"],
    ]

    static func document(page id: PageID, in graph: SiteGraph) -> SearchDocument {
        // Read through the box: binding the page itself would copy every field of it.
        let box = graph.pages[id]!
        var document = SearchDocument(
            url: String(box.page.url.dropFirst()),
            title: box.page.title,
            kind: label(box.page.kind),
            summary: box.page.summary,
            body: box.page.body.plainText
        )
        document.headings = box.page.body.headings.map(\.text)
        if let role = box.page.role {
            document.category = role.category
            document.alternateTitles = role.alternateTitles
            document.keywords = role.skills
            // Career data the page shows outside its Markdown body is searchable too.
            let extra = role.certifications + role.industries + (role.careerPath?.allLevels.map(\.title) ?? []) + [role.education].compactMap { $0 }
            if !extra.isEmpty { document.body += "\n" + extra.joined(separator: "\n") }
            // A role page is the answer to its own name: it must outrank its FAQ, whose questions
            // repeat the name in every heading (0.25 was not enough once role pages stopped
            // repeating their generated sections' headings).
            document.boost = 0.5
            document.figure = role.salary.flatMap(medianLine).map { $0 + whose(role.occupation, title: box.page.title) }
        } else if let role = graph.relations(of: id).roles.first, let data = graph[role].role {
            // A salary guide, FAQ or guide shows the category of the role it is about; a salary guide its median.
            document.category = data.category
            if box.page.kind == .salary {
                document.figure = data.salary.flatMap(medianLine).map { $0 + whose(data.occupation, title: graph[role].title) }
            }
        }
        return document
    }

    /// " (Software Developers)" when the figures are an occupation's whose title is not the role's own.
    static func whose(_ occupation: Occupation?, title: String) -> String {
        guard let occupation else { return "" }
        let own = title.lowercased()
        let named = occupation.title.lowercased()
        return named == own || named == own + "s" ? "" : " (\(occupation.title))"
    }

    /// "Median $135,980 a year" (or "Median 61,000 EUR a year"), with whose figures they are when they are an
    /// occupation's several roles share.
    static func medianLine(_ salary: Salary) -> String? {
        guard let median = salary.median else { return nil }
        let digits = String(Int(median.rounded()))
        var grouped = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let amount = String(grouped.reversed())
        let money = salary.currency == "USD" ? "$" + amount : amount + " " + salary.currency
        return "Median \(money) \(salary.period == .year ? "a year" : "an hour")"
    }

    static func label(_ kind: PageKind) -> String {
        switch kind {
        case .role: "Role"
        case .salary: "Salary guide"
        case .faq: "FAQ"
        case .guide: "Guide"
        case .page: "Page"
        }
    }
}
