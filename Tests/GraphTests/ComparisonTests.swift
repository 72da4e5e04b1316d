import Content
import Diagnostics
import Testing
@testable import Graph

/// "X vs Y" pages from `compare:`: one page per pair whichever side names it, at a URL of the two
/// slugs in code-point order; unknown roles, a role naming itself and a page in the way are errors.
@Suite struct ComparisonTests {
    static func comparing(_ slug: String, _ title: String, skills: [String] = [], _ compare: [String], line: Int = 6) -> Page {
        var page = role(slug, title, category: "Web", skills: skills)
        page.role?.compare = compare.enumerated().map { index, other in
            Located(other, at: SourceLocation(file: "content/roles/\(slug).md", line: line, column: 11 + index * 12))
        }
        return page
    }

    static func comparisons(_ graph: SiteGraph?) -> [Hub] {
        graph?.hubs.filter { $0.kind == .comparison } ?? []
    }

    @Test func onePagePerPairWhicheverSideNamesIt() throws {
        let pages = [
            Self.comparing("frontend", "Frontend Developer", ["backend"]),
            Self.comparing("backend", "Backend Developer", ["frontend", "data"]),
            Self.comparing("data", "Data Engineer", []),
        ]
        let built = GraphBuilder.build(site(pages))
        #expect(built.diagnostics.all.isEmpty, "\(built.diagnostics)")
        let graph = try #require(built.graph)
        let hubs = Self.comparisons(graph)
        // backend names frontend and frontend names backend: one page; slugs in code-point order.
        #expect(hubs.map(\.url) == ["/compare/backend-vs-data/", "/compare/backend-vs-frontend/"])
        #expect(hubs.map(\.title) == ["Backend Developer vs Data Engineer", "Backend Developer vs Frontend Developer"])
        #expect(hubs[1].members == [PageID("roles/backend.md"), PageID("roles/frontend.md")])
        #expect(hubs[1].breadcrumbs.map(\.url) == ["/", "/roles/", "/compare/backend-vs-frontend/"])
        // Each role links to its pages.
        #expect(graph.relations(of: PageID("roles/backend.md")).comparisons.map(\.url) == ["/compare/backend-vs-data/", "/compare/backend-vs-frontend/"])
        #expect(graph.relations(of: PageID("roles/data.md")).comparisons.map(\.title) == ["Backend Developer vs Data Engineer"])
        #expect(graph.relations(of: PageID("roles/data.md")).comparisons.map(\.other) == [PageID("roles/backend.md")])
        // Named from the other side only: the same page at the same URL.
        let other = GraphBuilder.build(site([
            Self.comparing("frontend", "Frontend Developer", []), Self.comparing("backend", "Backend Developer", []),
            Self.comparing("data", "Data Engineer", ["backend"]),
        ])).graph
        #expect(Self.comparisons(other).map(\.url) == ["/compare/backend-vs-data/"])
    }

    @Test func noCompareNoPages() {
        let graph = GraphBuilder.build(site(RelatedTests.roles)).graph
        #expect(graph != nil && Self.comparisons(graph).isEmpty)
        #expect(graph?.relations.values.allSatisfy(\.comparisons.isEmpty) == true)
    }

    @Test func anUnknownRoleIsAnErrorWithASuggestion() {
        let pages = [Self.comparing("backend", "Backend", ["frontent"], line: 7), Self.comparing("frontend", "Frontend", [])]
        let built = GraphBuilder.build(site(pages))
        #expect(built.graph == nil)
        let error = built.diagnostics.errors.first
        #expect(error?.code == .unknownRole)
        #expect(error?.location.description == "content/roles/backend.md:7:11")
        #expect(error?.message == "`compare` names the role `frontent`, which does not exist")
        #expect(error?.hint?.hasPrefix("did you mean `frontend`?") == true)
    }

    @Test func aRoleComparedWithItselfIsAnError() {
        let pages = [Self.comparing("backend", "Backend", ["frontend", "backend"]), Self.comparing("frontend", "Frontend", [])]
        let built = GraphBuilder.build(site(pages))
        #expect(built.graph == nil)
        let error = built.diagnostics.errors.first
        #expect(error?.code == .selfReference)
        #expect(error?.location.description == "content/roles/backend.md:6:23")
        #expect(error?.message == "`compare` names this role itself")
    }

    @Test func aWritersPageAtTheURLIsAnError() {
        let pages = [
            Self.comparing("backend", "Backend", ["frontend"]), Self.comparing("frontend", "Frontend", []),
            page("compare/backend-vs-frontend.md", "My own comparison"),
        ]
        let built = GraphBuilder.build(site(pages))
        #expect(built.graph == nil)
        let error = built.diagnostics.errors.first { $0.code == .hubCollision }
        #expect(error?.location.description == "content/compare/backend-vs-frontend.md")
        #expect(error?.message == "content/compare/backend-vs-frontend.md would be written to /compare/backend-vs-frontend/, where the build writes the Backend vs Frontend page")
        #expect(error?.hint?.contains("`compare:`") == true)
        // Other pages under compare/ are fine.
        let fine = GraphBuilder.build(site([pages[0], pages[1], page("compare/notes.md", "Notes")]))
        #expect(fine.graph != nil, "\(fine.diagnostics)")
    }

    /// `a-vs-b` with `c` and `a` with `b-vs-c` would make one URL.
    @Test func twoPairsWithOneURLAreAnError() {
        let pages = [
            Self.comparing("a", "A", ["b-vs-c"]), Self.comparing("a-vs-b", "A vs B", ["c"]),
            Self.comparing("b-vs-c", "B vs C", []), Self.comparing("c", "C", []),
        ]
        let built = GraphBuilder.build(site(pages))
        #expect(built.graph == nil)
        let error = built.diagnostics.errors.first
        #expect(error?.code == .hubCollision)
        #expect(error?.message.contains("would be written to /compare/a-vs-b-vs-c/") == true)
    }

    @Test func theURLDoesNotDependOnWhoNamesWhom() {
        #expect(ComparisonBuilder.url("frontend-developer", "backend-developer") == "/compare/backend-developer-vs-frontend-developer/")
        #expect(ComparisonBuilder.url("backend-developer", "frontend-developer") == "/compare/backend-developer-vs-frontend-developer/")
    }

    /// Only what `LinkInputs` carries makes the pages: a change to `compare:` runs every phase again.
    @Test func compareIsALinkInput() {
        let before = Self.comparing("backend", "Backend", [])
        let after = Self.comparing("backend", "Backend", ["frontend"])
        #expect(LinkInputs(before) != LinkInputs(after))
    }
}
