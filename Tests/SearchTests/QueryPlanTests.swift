import Foundation
import Testing
@testable import Search

/// How a query is read (stop words, intents, the sides of "X vs Y") and how a typo finds its word. The cases are
/// fixtures that Tests/e2e/search_test.py also runs through search.js: the two must read queries alike.
@Suite struct QueryPlanTests {
    struct PlanCase: Decodable {
        var query: String
        var required: [String]
        var optional: [String]
        var sides: [[Int]]
    }

    struct TypoCase: Decodable {
        var word: String
        var vocabulary: [String]
        var nearest: String?
    }

    static func fixture<T: Decodable>(_ name: String, as: T.Type) throws -> T {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    @Test func queriesAreReadAsTheFixturesSay() throws {
        let cases = try Self.fixture("query-plans", as: [PlanCase].self)
        #expect(cases.count >= 20)
        for item in cases {
            let plan = QueryPlan.plan(Tokenizer.queryTerms(item.query))
            #expect(plan.required.map(\.raw) == item.required, "\(item.query)")
            #expect(plan.optional.map(\.raw) == item.optional, "\(item.query)")
            #expect(plan.sides.map { [$0.lowerBound, $0.upperBound] } == item.sides, "\(item.query)")
        }
    }

    @Test func typosFindTheNearestWord() throws {
        let cases = try Self.fixture("typo-cases", as: [TypoCase].self)
        for item in cases {
            #expect(Typos.nearest(item.word, in: item.vocabulary) == item.nearest, "\(item.word)")
        }
    }

    /// Distance counts a swap of neighbours as one edit, and stops early past its limit.
    @Test func distance() {
        func d(_ a: String, _ b: String, _ limit: Int = 3) -> Int { Typos.distance(Array(a.utf16), Array(b.utf16), limit: limit) }
        #expect(d("salary", "salery") == 1)
        #expect(d("python", "pytohn") == 1)
        #expect(d("kubernetes", "kubernets") == 1)
        #expect(d("abc", "") == 3)
        #expect(d("aaaaaaa", "bbbbbbb", 2) == 3)
    }

    @Test func exactTitleKeys() {
        #expect(ExactTitle.key(["product", "manag"]) == "product\u{1}manag\u{1}")
        #expect(ExactTitle.key([]) == nil)
        #expect(ExactTitle.key(Array(repeating: "a", count: 7)) == nil)
        #expect(ExactTitle.continues(word: "product", next: "product\u{1}manag\u{1}"))
        #expect(ExactTitle.continues(word: "salari", next: TitleWord.key("salari")))
        #expect(!ExactTitle.continues(word: "product", next: "production"))
    }
}

/// The reading of a query at work on a small index: each rule moves the page a reader means to the top.
@Suite struct IntentRankingTests {
    static let documents: [SearchDocument] = {
        func role(_ title: String, _ body: String, alternates: [String] = []) -> SearchDocument {
            SearchDocument(url: "roles/\(title.lowercased().replacingOccurrences(of: " ", with: "-"))/", title: title, kind: "Role",
                           alternateTitles: alternates, body: body, boost: 0.5)
        }
        return [
            role("API Developer", "Builds payment APIs, payment gateways and payment webhooks for partners. Payment work is common."),
            SearchDocument(url: "salaries/api-developer/", title: "API Developer Salary Guide", kind: "Salary guide",
                           body: "What an API developer is paid: pay by level, and what moves pay."),
            role("Data Engineer", "Builds pipelines. Data engineers earn well and move data for data scientists."),
            SearchDocument(url: "guides/how-to-become-a-data-engineer/", title: "How to Become a Data Engineer", kind: "Guide",
                           body: "Learn SQL, then build a data pipeline, then apply for a data engineer job."),
            SearchDocument(url: "salaries/data-engineer/", title: "Data Engineer Salary Guide", kind: "Salary guide",
                           body: "A data engineer's pay, from the survey."),
            role("Database Administrator", "Keeps databases safe. Database backups, database tuning and database upgrades.", alternates: ["DBA"]),
            role("Backend Developer", "Writes server code that frontend code calls. Backend and frontend meet at the API."),
            role("Frontend Developer", "Builds the browser side; calls the backend. Frontend work is visual."),
            SearchDocument(url: "compare/backend-developer-vs-frontend-developer/", title: "Backend Developer vs Frontend Developer",
                           kind: "Comparison", body: "Backend builds the server, frontend the browser.", boost: 0.5),
            role("Product Manager 12", "A product manager decides what to build. Product manager, product manager, product manager."),
            role("Product Manager", "Decides what the team builds and why."),
            SearchDocument(url: "skills/kubernetes/", title: "Kubernetes", kind: "Skill", body: "Runs containers.", boost: 0.5),
        ]
    }()

    func titles(_ text: String) -> [String] {
        MemoryIndex(Self.documents).titles(text, Self.documents)
    }

    @Test func payMeansPayNotPayments() {
        #expect(titles("pay").first?.hasSuffix("Salary Guide") == true, "\(titles("pay"))")
        #expect(titles("data engineer salary").first == "Data Engineer Salary Guide")
        #expect(titles("how much does a data engineer make").first == "Data Engineer Salary Guide")
    }

    @Test func wholeWordsOutrankPrefixes() {
        // "data" is a whole word of Data Engineer's title; Database Administrator only starts with it.
        #expect(titles("data").first == "Data Engineer", "\(titles("data"))")
    }

    @Test func howToBecomeFindsTheGuide() {
        #expect(titles("how to become a data engineer").first == "How to Become a Data Engineer")
        #expect(titles("entry level data engineer").first == "How to Become a Data Engineer")
    }

    @Test func versusFindsTheComparison() {
        #expect(titles("frontend vs backend").first == "Backend Developer vs Frontend Developer")
        // "vs" is not required: both roles are found too.
        #expect(Set(titles("frontend vs backend").prefix(3)).isSuperset(of: ["Backend Developer", "Frontend Developer"]))
    }

    /// Without a comparison page, "X vs Y" finds both roles, each having its own side whole (neither page need
    /// mention the other).
    @Test func versusWithoutAComparisonFindsBothRoles() {
        let found = titles("database administrator vs product manager")
        #expect(Set(found.prefix(2)) == ["Database Administrator", "Product Manager"], "\(found)")
        // Each has a side whole: an answer, not a page with only some of the words.
        #expect(!MemoryIndex(Self.documents).query.run("database administrator vs product manager").partial)
    }

    @Test func anExactTitleComesFirst() {
        #expect(titles("product manager").first == "Product Manager", "\(titles("product manager"))")
        #expect(titles("dba").first == "Database Administrator")
    }

    /// A query naming a role no page has as its title says so, and lists the pages with some of its words.
    @Test func aRoleTheSiteDoesNotCoverIsSaid() {
        let index = MemoryIndex(Self.documents)
        let result = index.query.run("data scientist")
        #expect(result.uncovered == "data scientist")
        #expect(result.hits.contains { Self.documents[$0.page].title == "Data Engineer" }, "the nearest role is offered")
        #expect(index.query.run("data engineer").uncovered == nil)
        #expect(index.query.run("data engineers").uncovered == nil, "a plural of a title is the title")
        #expect(index.query.run("kubernetes").uncovered == nil)
    }

    @Test func typosAreCorrectedAndSaid() {
        let index = MemoryIndex(Self.documents)
        // ("kubernets" needs no correction: it stems to Kubernetes' stem.)
        #expect(index.query.run("kubernets").corrections.isEmpty && !index.query.run("kubernets").hits.isEmpty)
        let result = index.query.run("kubrenetes")
        #expect(result.corrections.map(\.used) == ["kubernetes"])
        #expect(result.hits.first.map { Self.documents[$0.page].title } == "Kubernetes")
        // A word that matches something is not corrected.
        #expect(index.query.run("database").corrections.isEmpty)
        // No vocabulary word near: the query stands.
        #expect(index.query.run("zzzzzz").corrections.isEmpty)
    }
}
