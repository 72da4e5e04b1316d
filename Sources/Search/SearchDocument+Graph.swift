import Concurrency
import Content
import Diagnostics
import Graph

extension SearchDocument {
    /// Every published page of the graph, then the category, skill and comparison hubs, in graph order
    /// (a document's number in the index is its position here).
    public static func documents(from graph: SiteGraph) -> [SearchDocument] {
        var documents = graph.ids.parallelMap { document(page: $0, in: graph) }
        for hub in graph.hubs {
            let kind: String
            switch hub.kind {
            case .category: kind = "Category"
            case .skill: kind = "Skill"
            case .comparison: kind = "Comparison"
            default: continue
            }
            documents.append(SearchDocument(url: String(hub.url.dropFirst()), title: hub.title, kind: kind, summary: hub.summary))
        }
        return documents
    }

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
        } else if let role = graph.relations(of: id).roles.first, let data = graph[role].role {
            // A salary guide, FAQ or guide shows the category of the role it is about.
            document.category = data.category
        }
        return document
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
