import Content
import Diagnostics
import Markdown
import Testing
import TestSupport
@testable import Graph

/// Builds pages in memory, as the loader would.
func page(_ path: String, _ title: String, kind: PageKind? = nil, role: RoleData? = nil, roles: [String] = [], body: String = "") -> Page {
    let components = path.split(separator: "/").map(String.init)
    let slug = String(components.last!.dropLast(3))
    let section = components.count > 1 ? components[0] : ""
    let isIndex = slug == "index"
    let url = isIndex ? (section.isEmpty ? "/" : "/\(section)/") : "/" + (components.dropLast() + [slug]).joined(separator: "/") + "/"
    return Page(
        source: "content/" + path, path: path, kind: kind ?? (isIndex ? .page : PageKind(folder: section)), slug: isIndex ? section : slug,
        url: url, section: section, isIndex: isIndex, title: title, role: role,
        roles: roles.map { Located($0, at: SourceLocation(file: "content/" + path, line: 3, column: 9)) },
        body: Markdown.parse(body), bodyStartLine: 5
    )
}

func role(_ slug: String, _ title: String, category: String, skills: [String], related: [String] = [], body: String = "") -> Page {
    var data = RoleData(category: category)
    data.skills = skills
    data.related = related.map { Located($0, at: SourceLocation(file: "content/roles/\(slug).md", line: 4, column: 11)) }
    return page("roles/\(slug).md", title, role: data, body: body)
}

func site(_ pages: [Page], staticFiles: [String] = [], relatedLimit: Int = 6) -> LoadedSite {
    LoadedSite(directory: "/site", config: SiteConfig(title: "T", baseURL: "https://example.org/sub/", relatedLimit: relatedLimit),
               pages: pages, leftOutDrafts: ["guides/draft.md"], staticFiles: staticFiles)
}

@Suite struct RelatedTests {
    static let roles = [
        role("backend", "Backend", category: "Web", skills: ["SQL", "Go", "Kafka"]),
        role("data", "Data", category: "Data", skills: ["SQL", "Kafka"]),
        role("frontend", "Frontend", category: "Web", skills: ["JavaScript"]),
        role("dba", "DBA", category: "Data", skills: ["SQL"]),
        role("platform", "Platform", category: "Ops", skills: ["Go"]),
        role("analyst", "Analyst", category: "Data", skills: ["SQL"]),
    ]

    @Test func rarerSkillsWeighMore() {
        let index = RelatedIndex(documents: Self.roles.map { .init(title: $0.title, category: $0.role!.category, skills: $0.role!.skills.map(Slug.make)) })
        #expect(index.weight(ofSkill: "kafka") > index.weight(ofSkill: "sql"))
        let result = index.search(0, limit: 4, excluding: [])
        // Data shares SQL and the rare Kafka; Platform shares only Go; DBA and Analyst only SQL.
        #expect(result.map(\.document) == [1, 4, 5, 3])
        #expect(result[0].reasons.count == 2)
        #expect(abs(result[0].score - (index.weight(ofSkill: "kafka") + index.weight(ofSkill: "sql"))) < 1e-9)
    }

    @Test func categoryCountsAndFillsUp() {
        let index = RelatedIndex(documents: Self.roles.map { .init(title: $0.title, category: $0.role!.category, skills: $0.role!.skills.map(Slug.make)) })
        // Frontend shares no skill: its same-category role fills in.
        let result = index.search(2, limit: 3, excluding: [])
        #expect(result.map(\.document) == [0])
        #expect(result[0].reasons == [.category("Web", weight: RelatedIndex.categoryWeight)])
    }

    @Test func pinnedFirstThenScoredAndStable() throws {
        var pages = Self.roles
        pages[0] = role("backend", "Backend", category: "Web", skills: ["SQL", "Go", "Kafka"], related: ["frontend"])
        let built = GraphBuilder.build(site(pages, relatedLimit: 3))
        let (graph, diagnostics) = (built.graph, built.diagnostics)
        #expect(!diagnostics.hasErrors)
        let related = try #require(graph?.relations(of: PageID("roles/backend.md")).related)
        #expect(related.map { graph![$0.page].slug } == ["frontend", "data", "platform"])
        #expect(related.map(\.pinned) == [true, false, false])
        let again = GraphBuilder.build(site(pages, relatedLimit: 3)).graph
        #expect(again?.relations == graph?.relations)
    }

    @Test func unknownPinnedRoleIsAnErrorAtItsPlace() {
        let pages = [role("backend", "Backend", category: "Web", skills: [], related: ["frontent"]), role("frontend", "Frontend", category: "Web", skills: [])]
        let built = GraphBuilder.build(site(pages))
        let (graph, diagnostics) = (built.graph, built.diagnostics)
        #expect(graph == nil)
        let error = diagnostics.errors.first
        #expect(error?.location.description == "content/roles/backend.md:4:11")
        #expect(error?.hint?.hasPrefix("did you mean `frontend`?") == true)
    }
}

@Suite struct LinkTests {
    @Test func resolvesRelativeRootAnchorAndStaticLinks() throws {
        let pages = [
            role("backend", "Backend", category: "Web", skills: [], body: """
            ## Pay

            [a](frontend.md) [b](/faqs/backend.md#is-it-paid) [c](#pay) [d](/img/x.svg) [e](/categories/) [f](https://x.org)
            """),
            role("frontend", "Frontend", category: "Web", skills: []),
            page("faqs/backend.md", "FAQ", roles: ["backend"], body: "## Is it paid?\n\nYes. [back](../roles/backend.md)"),
        ]
        let (built, diagnostics) = { let b = GraphBuilder.build(site(pages, staticFiles: ["img/x.svg"])); return (b.graph, b.diagnostics) }()
        #expect(diagnostics.all.isEmpty, "\(diagnostics)")
        let graph = try #require(built)
        let (backend, frontend, faq) = (PageID("roles/backend.md"), PageID("roles/frontend.md"), PageID("faqs/backend.md"))
        #expect(graph.relations(of: backend).linkURLs == ["/sub/roles/frontend/", "/sub/faqs/backend/#is-it-paid", "#pay", "/sub/img/x.svg", "/sub/categories/"])
        #expect(graph.relations(of: backend).backlinks == [faq])
        #expect(graph.relations(of: frontend).backlinks == [backend])
        #expect(graph.relations(of: backend).resources.faqs == [faq])
        #expect(graph.linkCount == 6)
    }

    @Test func brokenLinksAreReportedWithTheirPlace() {
        let pages = [role("backend", "Backend", category: "Web", skills: [], body: "Intro.\n\n[a](nope.md) [b](../guides/draft.md) [c](/faqs/x.md)\n")]
        let diagnostics = GraphBuilder.build(site(pages)).diagnostics
        #expect(diagnostics.errors.map(\.location.description) == ["content/roles/backend.md:7:1", "content/roles/backend.md:7:14", "content/roles/backend.md:7:38"])
        #expect(diagnostics.errors[1].message.contains("a draft left out of this build"))
    }
}

@Suite struct HubTests {
    @Test func categoriesSkillsSectionsAndHome() throws {
        let pages = RelatedTests.roles + [page("faqs/backend.md", "Backend FAQ", roles: ["backend"]), page("index.md", "Welcome")]
        let graph = GraphBuilder.build(site(pages)).graph
        let hubs = try #require(graph?.hubs)
        let urls = hubs.map(\.url)
        #expect(urls.first == "/")
        for url in ["/roles/", "/faqs/", "/categories/", "/categories/web/", "/categories/data/", "/skills/", "/skills/sql/", "/skills/javascript/"] {
            #expect(urls.contains(url), "\(url)")
        }
        let sql = try #require(hubs.first { $0.url == "/skills/sql/" })
        #expect(sql.members.map { graph![$0].title } == ["Analyst", "Backend", "Data", "DBA"])
        let azRoles = try #require(hubs.first { $0.url == "/roles/" })
        #expect(azRoles.members.map { graph![$0].title } == ["Analyst", "Backend", "Data", "DBA", "Frontend", "Platform"])
        #expect(hubs[0].page == PageID("index.md"))
        #expect(graph?.relations(of: PageID("roles/backend.md")).breadcrumbs.map(\.title) == ["Home", "Roles A-Z", "Backend"])
    }
}

@Test func slugs() {
    #expect(Slug.make("Node.js") == "node-js")
    #expect(Slug.make("C#") == "c-sharp")
    #expect(Slug.make("C++") == "c-plus-plus")
    #expect(Slug.make("HTML and CSS") == "html-and-css")
    #expect(Slug.make("CI/CD") == "ci-cd")
    #expect(Slug.make("  Web Development ") == "web-development")
    #expect(Slug.make(" #hashtags") == "sharp-hashtags")
}

/// Related roles scored again only for the roles a change can move must equal scoring every role.
@Suite struct IncrementalRelatedTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func partialRescoringEqualsFull(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let skills = ["SQL", "Go", "Kafka", "Rust", "CSS", "Linux", "Terraform", "Python"]
        let categories = ["Web", "Data", "Ops"]
        func someSkills() -> [String] { skills.filter { _ in random.next() % 3 == 0 } }
        var roles = (0..<40).map { index in
            RelatedInputs.Role(id: PageID("roles/r\(index).md"), title: "Role \(index % 30)", category: categories.randomElement(using: &random)!,
                               skills: someSkills(), pinned: [])
        }
        func byTitle(_ roles: [RelatedInputs.Role]) -> [RelatedInputs.Role] {
            roles.sorted { ($0.title.lowercased(), $0.title, $0.id) < ($1.title.lowercased(), $1.title, $1.id) }
        }
        var memo = GraphMemo()
        memo.relatedInputs = RelatedInputs(roles: byTitle(roles), limit: 4)
        memo.related = GraphBuilder.relatedRoles(memo.relatedInputs!)
        for step in 0..<60 {
            let index = Int(random.next() % UInt64(roles.count))
            switch random.next() % 4 {
            case 0: roles[index].skills = someSkills()
            case 1: roles[index].category = categories.randomElement(using: &random)!
            case 2: roles[index].pinned = random.next() % 2 == 0 ? [] : [roles[(index + 1) % roles.count].id]
            default: roles[index].title = "Retitled \(step)"
            }
            let inputs = RelatedInputs(roles: byTitle(roles), limit: 4)
            let partial = GraphBuilder.relatedRoles(inputs, reusing: memo)
            let full = GraphBuilder.relatedRoles(inputs)
            let differing = Set(full.keys).union(partial.keys).filter { partial[$0] != full[$0] }.sorted()
            #expect(differing.isEmpty, "seed \(seed), step \(step): \(differing.map { "\($0): \(partial[$0]?.map(\.page) ?? []) instead of \(full[$0]?.map(\.page) ?? [])" })")
            if !differing.isEmpty { return }
            memo.relatedInputs = inputs
            memo.related = partial
        }
    }
}
