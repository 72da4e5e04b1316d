import Diagnostics
import Foundation
import Site
import Testing
import TestSupport

/// The preview's updates against full builds: after every edit of a random sequence, the site a
/// session brought up to date must equal, byte for byte, a build of the same files from nothing.
@Suite struct IncrementalTests {
    static let skillPool = ["SQL", "Go", "REST APIs", "JavaScript", "People Management", "Kafka", "Linux"]

    /// One edit a writer might make; returns its name for the failure message.
    static func edit(_ site: TempSite, step: Int, random: inout SplitMix64) throws -> String {
        let roles = try pages(in: site, folder: "content/roles")
        let all = try pages(in: site, folder: "content")
        let root = site.directory + "/"
        func read(_ path: String) throws -> String { try String(contentsOfFile: root + path, encoding: .utf8) }
        func replaceLine(_ path: String, prefix: String, with line: String) throws {
            var lines = try read(path).components(separatedBy: "\n")
            if let index = lines.firstIndex(where: { $0.hasPrefix(prefix) }) {
                lines[index] = line
            } else {
                lines.insert(line, at: 1)
            }
            try site.write(path, lines.joined(separator: "\n"))
        }
        switch random.next() % 15 {
        case 0:
            let path = all.randomElement(using: &random)!
            try site.write(path, try read(path) + "\nEdit number \(step) of the body.\n")
            return "edit the body of \(path)"
        case 1:
            let path = roles.randomElement(using: &random)!
            let skills = skillPool.filter { _ in random.next() % 2 == 0 }.map { "\"\($0)\"" }.joined(separator: ", ")
            try replaceLine(path, prefix: "skills:", with: "skills: [\(skills)]")
            return "change the skills of \(path) to [\(skills)]"
        case 2:
            let path = roles.randomElement(using: &random)!
            let other = roles.randomElement(using: &random)!
            let slug = ((other as NSString).lastPathComponent as NSString).deletingPathExtension
            try replaceLine(path, prefix: "related:", with: "related: [\(slug)]")
            return "pin \(slug) in \(path)"
        case 3:
            let path = roles.randomElement(using: &random)!
            let renamed = "content/roles/renamed-\(step).md"
            try FileManager.default.moveItem(atPath: root + path, toPath: root + renamed)
            return "rename \(path) to \(renamed)"
        case 4:
            let target = all.randomElement(using: &random)!.dropFirst("content/".count)
            let skills = skillPool.filter { _ in random.next() % 3 == 0 }.map { "\"\($0)\"" }.joined(separator: ", ")
            try site.write("content/roles/new-\(step).md", """
            ---
            title: "New Role \(step)"
            summary: "A role added in step \(step)."
            category: "\(["Data", "Web Development", "Leadership"][Int(random.next() % 3)])"
            skills: [\(skills)]
            ---
            ## Work

            It links to [a page](/\(target)).
            """)
            return "add content/roles/new-\(step).md"
        case 5:
            let candidates = all.filter { !$0.hasSuffix("/index.md") }
            guard let path = candidates.randomElement(using: &random), candidates.count > 3 else { return "nothing to delete" }
            try FileManager.default.removeItem(atPath: root + path)
            return "delete \(path)"
        case 6:
            let path = all.randomElement(using: &random)!
            try site.write(path, try read(path) + "\n[broken](/roles/nope-\(step).md)\n")
            return "break a link in \(path)"
        case 7:
            for path in all where try read(path).contains("nope-") {
                try site.write(path, try read(path).components(separatedBy: "\n").filter { !$0.contains("nope-") }.joined(separator: "\n"))
            }
            return "fix the broken links"
        case 8:
            try site.write("themes/default/templates/footer.mustache", "<footer class=\"site-footer\"><p>{{site.title}}, footer \(step)</p></footer>\n")
            return "edit the theme's footer"
        case 9:
            try site.write("guidegen.yml", "title: \"Fixture Guides \(step)\"\nbase_url: \"https://example.org/guides/\"\nlanguage: en\n")
            return "edit guidegen.yml"
        case 10:
            let path = all.randomElement(using: &random)!
            try replaceLine(path, prefix: "title:", with: "title: \"Retitled \(step)\"")
            try replaceLine(path, prefix: "summary:", with: "summary: \"Summary \(step).\"")
            return "retitle \(path)"
        case 11:
            // Typed figures the comparison table, category pages and quick facts show.
            let path = roles.randomElement(using: &random)!
            let education = ["bachelor", "master", "associate", "none"][Int(random.next() % 4)]
            let growth = Int(random.next() % 30) - 5
            try replaceLine(path, prefix: "entry_education:", with: "entry_education: \(education)")
            try replaceLine(path, prefix: "outlook:", with: "outlook: {growth: \(growth), period: \"2024-2034\", source: \"Test\", as_of: 2025-08-28}")
            return "set entry_education \(education) and growth \(growth) in \(path)"
        case 12:
            let category = ["data", "web-development", "leadership"][Int(random.next() % 3)]
            try site.write("content/categories/\(category).md", "---\ntitle: \"\(category)\"\nsummary: \"Text \(step).\"\n---\nAbout the roles, step \(step).\n")
            return "write the text of category \(category)"
        case 13:
            // Any stored field of a page or a role (FieldEditTests has one edit for each).
            let edit = FieldEditTests.edits[Int(random.next() % UInt64(FieldEditTests.edits.count))]
            return try edit.apply(site, step, &random)
        default:
            let path = all.randomElement(using: &random)!
            try site.write(path, try read(path) + "\n## Heading \(step)\n\nText.\n")
            return "add a heading to \(path)"
        }
    }

    static func pages(in site: TempSite, folder: String) throws -> [String] {
        let base = site.directory + "/" + folder
        let found = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
        return found.filter { $0.hasSuffix(".md") }.sorted().map { folder + "/" + $0 }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func incrementalEqualsFull(seed: UInt64) throws {
        let site = try TempSite(copying: "basic")
        var random = SplitMix64(seed: seed)
        let options = BuildOptions(source: site.directory)
        var session = SiteSession(options: options)
        #expect(session.update().succeeded)
        // A second session told which files changed, as the preview's watcher tells it.
        var told = SiteSession(options: options)
        #expect(told.update().succeeded)
        var history: [String] = []
        for step in 0..<40 {
            let before = snapshot(site.directory)
            history.append(try Self.edit(site, step: step, random: &random))
            let after = snapshot(site.directory)
            let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
            let update = session.update()
            let toldUpdate = told.update(changed: changed)
            var fresh = SiteSession(options: options)
            let full = fresh.update()
            let trail = "seed \(seed): " + history.joined(separator: "; ")
            #expect(toldUpdate.diagnostics.sorted.map(\.description) == full.diagnostics.sorted.map(\.description), "told: \(trail)")
            if full.succeeded, let built = told.site, let expected = fresh.site {
                #expect(built.files == expected.files, "told: \(trail)")
            }
            #expect(update.succeeded == full.succeeded, "\(trail)")
            #expect(update.diagnostics.sorted.map(\.description) == full.diagnostics.sorted.map(\.description), "\(trail)")
            guard full.succeeded, update.succeeded, let built = session.site, let expected = fresh.site else { continue }
            let differing = Set(built.files.keys).union(expected.files.keys).filter { built.files[$0] != expected.files[$0] }
            #expect(differing.isEmpty, "\(trail): \(differing.sorted())")
            #expect(built.staticFiles == expected.staticFiles, "\(trail)")
            #expect(built.searchFiles() == expected.searchFiles(), "\(trail)")
            if !differing.isEmpty { return }
        }
    }

    @Test func aBodyEditReadsOneFileAndRendersItsPage() throws {
        let site = try TempSite(copying: "basic")
        var session = SiteSession(options: BuildOptions(source: site.directory))
        let first = session.update()
        #expect(first.succeeded)
        #expect(first.rendered == session.site?.renderer.outputs.count)
        let path = "content/roles/data-engineer.md"
        try site.write(path, try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8) + "\nOne more sentence.\n")
        let update = session.update()
        #expect(update.succeeded)
        #expect(update.reread == 1)
        // Same links and headings: no link is resolved again.
        #expect(update.work.linkedPages == 0)
        #expect(!update.work.scoredRelated)
        // The page itself; nothing that only shows the page's card, not the sitemap (same URLs and dates).
        #expect(update.rendered == 1)
        #expect(update.work.textOnly)
        #expect(update.changed == ["roles/data-engineer/index.html"])
    }

    @Test func aSkillsEditRescoresRelatedRoles() throws {
        let site = try TempSite(copying: "basic")
        var session = SiteSession(options: BuildOptions(source: site.directory))
        #expect(session.update().succeeded)
        let path = "content/roles/data-engineer.md"
        let text = try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8)
        try site.write(path, text.replacingOccurrences(of: "skills: [\"SQL\", \"Go\"]", with: "skills: [\"SQL\", \"JavaScript\"]"))
        let update = session.update()
        #expect(update.succeeded)
        #expect(update.work.scoredRelated)
        #expect(update.work.hubsAndRelatedOnly)
        #expect(update.work.linkedPages == 0)
        #expect(update.changed.contains("skills/javascript/index.html"))
        #expect(update.changed.contains("skills/go/index.html"))
        #expect(update.rendered < session.site!.renderer.outputs.count)
    }

    @Test func aFailedUpdateKeepsTheLastGoodSite() throws {
        let site = try TempSite(copying: "basic")
        var session = SiteSession(options: BuildOptions(source: site.directory))
        #expect(session.update().succeeded)
        let before = session.site?.files
        let path = "content/roles/data-engineer.md"
        let text = try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8)
        try site.write(path, text + "\n[x](/roles/nope.md)\n")
        let failed = session.update()
        #expect(!failed.succeeded)
        #expect(failed.changed.isEmpty)
        #expect(session.site?.files == before)
        try site.write(path, text)
        #expect(session.update().succeeded)
        #expect(session.site?.files == before)
    }
}
