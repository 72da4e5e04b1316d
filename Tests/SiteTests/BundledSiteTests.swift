import Content
import Foundation
import Graph
import Testing
@testable import Site

/// The site `make build` builds: it must pass check and hold together as one graph.
@Suite struct BundledSiteTests {
    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
    }

    @Test func checksCleanAndEveryRoleIsComplete() throws {
        // `guidegen check` on the day the figures were last reviewed: no errors, and no warning but the one that says
        // the Employment Projections file is a release behind (2025-35 could not be confirmed; data/README.md).
        let checked = SiteBuilder.build(BuildOptions(source: Self.repository, output: nil, today: "2026-12-07"))
        #expect(!checked.diagnostics.hasErrors, "\(checked.diagnostics)")
        #expect(checked.diagnostics.warnings.map(\.code) == [.newerReleaseDue], "\(checked.diagnostics)")
        #expect(checked.diagnostics.warnings.first?.message.contains("Employment Projections 2025-35") == true)
        let linked = SiteBuilder.graph(BuildOptions(source: Self.repository))
        let (built, diagnostics) = (linked.graph, linked.diagnostics)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        let graph = try #require(built)
        let roles = graph.ids.filter { graph[$0].kind == .role }
        #expect(roles.count >= 16)
        for role in roles {
            let page = graph[role]
            let resources = graph.relations(of: role).resources
            #expect(!resources.salaries.isEmpty, "\(page.source) has no salary guide")
            #expect(!resources.faqs.isEmpty, "\(page.source) has no FAQ")
            #expect(resources.guides.contains { graph[$0].path == "guides/how-to-become-\(page.slug).md" }, "\(page.source) has no how-to guide")
            let linkedRoles = Set(graph.relations(of: role).linkURLs.filter { $0.contains("/roles/") && !$0.contains("/roles/\(page.slug)/") })
            #expect(linkedRoles.count >= 3, "\(page.source) links to \(linkedRoles.count) other roles")
            // Every role's figures come from the declared files: pay, outlook and how to get in.
            #expect(page.role?.occupation != nil, "\(page.source) names no occupation the data files hold")
            #expect(page.role?.salary?.median != nil, "\(page.source) has no median pay")
            #expect(page.role?.outlook?.growth != nil, "\(page.source) has no outlook")
            #expect(page.role?.entryEducation != nil, "\(page.source) has no entry education")
            #expect((page.role?.related.count ?? 0) >= 3, "\(page.source) pins fewer than 3 related roles")
        }
        for faq in graph.pages.values.map(\.page) where faq.kind == .faq {
            #expect(faq.body.headings.filter { $0.level == 2 }.count >= 6, "\(faq.source) has few questions")
        }
    }

    @Test func backendGuideHasEverySection() throws {
        let text = try String(contentsOfFile: Self.repository + "/content/roles/backend-developer.md", encoding: .utf8)
        let body = text.components(separatedBy: "\n---\n").dropFirst().joined()
        // Each topic once: the page's generated sections carry career path, education, related roles...
        #expect(body.split(whereSeparator: { $0.isWhitespace }).count >= 900)
        let faq = try String(contentsOfFile: Self.repository + "/content/faqs/backend-developer.md", encoding: .utf8)
        #expect(faq.components(separatedBy: "\n## ").count - 1 >= 8)
    }

    /// The backend page's "Related roles" table: every cell link keeps its text and href.
    @Test func linksInTableCellsAreRendered() throws {
        let site = try TempSite()
        let report = SiteBuilder.build(BuildOptions(source: Self.repository, output: site.directory + "/out"))
        #expect(report.succeeded, "\(report.diagnostics)")
        let html = try String(contentsOfFile: site.directory + "/out/roles/backend-developer/index.html", encoding: .utf8)
        for (slug, title) in [("frontend-developer", "Frontend Developer"), ("data-engineer", "Data Engineer"), ("mobile-developer", "Mobile Developer")] {
            #expect(html.contains("<td><a href=\"/roles/\(slug)/\">\(title)</a></td>"), "\(slug)")
        }
        #expect(!html.contains("<td></td>"))
    }
}
