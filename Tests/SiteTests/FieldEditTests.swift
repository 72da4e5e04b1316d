import Content
import Foundation
import Site
import Testing
import TestSupport

/// One edit for every stored field of `Page` and `RoleData`: after each, a session brought up to date
/// must equal a build from nothing. A new field needs an edit here (`everyFieldHasAnEdit` says which),
/// so the incremental property test (IncrementalTests) exercises it too.
@Suite struct FieldEditTests {
    /// An edit of one field: returns what it did, for failure messages.
    struct Edit: Sendable {
        let field: String
        let apply: @Sendable (_ site: TempSite, _ step: Int, _ random: inout SplitMix64) throws -> String
    }

    static func pages(_ site: TempSite, _ folder: String) throws -> [String] {
        try IncrementalTests.pages(in: site, folder: "content/" + folder)
    }

    /// Sets a front matter key to a one-line value, replacing the key's lines (nested ones too) where
    /// it has them, else adding it after the title.
    static func set(_ site: TempSite, _ path: String, _ key: String, _ value: String) throws {
        var lines = try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8).components(separatedBy: "\n")
        guard let end = lines.indices.dropFirst().first(where: { lines[$0] == "---" }) else { return }
        if let start = lines[1..<end].firstIndex(where: { $0.hasPrefix(key + ":") }) {
            var stop = start + 1
            while stop < end, lines[stop].hasPrefix(" ") { stop += 1 }
            lines.replaceSubrange(start..<stop, with: ["\(key): \(value)"])
        } else {
            lines.insert("\(key): \(value)", at: 2)
        }
        try site.write(path, lines.joined(separator: "\n"))
    }

    static func slug(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// A random page of these folders ("" for any), or nil when there is none.
    static func pick(_ site: TempSite, _ folders: [String], _ random: inout SplitMix64, index: Bool = false) throws -> String? {
        let found = try folders.flatMap { try pages(site, $0) }.filter { index || !$0.hasSuffix("/index.md") }
        return found.isEmpty ? nil : found[Int(random.next() % UInt64(found.count))]
    }

    /// Sets `key` on a random page of `folders` to `value(step, random)`.
    static func setting(_ field: String, _ key: String, in folders: [String] = [""],
                        _ value: @escaping @Sendable (Int, inout SplitMix64) -> String) -> Edit {
        Edit(field: field) { site, step, random in
            guard let path = try pick(site, folders, &random, index: true) else { return "no page for \(key)" }
            let text = value(step, &random)
            try set(site, path, key, text)
            return "set \(key): \(text) in \(path)"
        }
    }

    /// Moves a random page of `folders` to `place(step, path)`.
    static func moving(_ field: String, from folders: [String], to place: @escaping @Sendable (Int, String) -> String) -> Edit {
        Edit(field: field) { site, step, random in
            guard let path = try pick(site, folders, &random) else { return "no page to move" }
            let target = place(step, path)
            guard !FileManager.default.fileExists(atPath: site.directory + "/" + target) else { return "no move: \(target) exists" }
            try FileManager.default.createDirectory(atPath: site.directory + "/" + (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: site.directory + "/" + path, toPath: site.directory + "/" + target)
            return "move \(path) to \(target)"
        }
    }

    /// A random list of role slugs of the site, flow style.
    static func roleList(_ site: TempSite, _ random: inout SplitMix64) throws -> String {
        let roles = try pages(site, "roles").map(slug).filter { _ in random.next() % 2 == 0 }
        return "[" + roles.joined(separator: ", ") + "]"
    }

    static let roles = ["roles"]
    static let resources = ["faqs", "salaries", "guides"]

    /// Keyed `Page.field` and `RoleData.field`, as reflection names them.
    static let edits: [Edit] = [
        moving("Page.source", from: ["guides"]) { step, _ in "content/guides/moved-\(step).md" },
        moving("Page.path", from: resources) { step, path in (path as NSString).deletingLastPathComponent + "/renamed-\(step).md" },
        moving("Page.kind", from: ["guides"]) { step, _ in "content/faqs/from-guides-\(step).md" },
        moving("Page.section", from: ["faqs"]) { step, _ in "content/questions/faq-\(step).md" },
        setting("Page.slug", "slug") { step, _ in "page-\(step)" },
        moving("Page.url", from: roles) { step, _ in "content/roles/role-\(step).md" },
        moving("Page.isIndex", from: ["guides"]) { _, _ in "content/guides/index.md" },
        setting("Page.title", "title") { step, _ in "\"Title \(step)\"" },
        setting("Page.summary", "summary") { step, _ in "\"Summary \(step).\"" },
        setting("Page.updated", "updated") { step, _ in String(format: "2026-%02d-%02d", step % 12 + 1, step % 28 + 1) },
        setting("Page.draft", "draft") { _, random in random.next() % 2 == 0 ? "true" : "false" },
        setting("Page.sources", "sources") { step, _ in "[{name: \"Source \(step)\", url: \"https://example.org/\(step)\"}]" },
        // An old address per step (never another page's): a redirect page appears, and the one it replaces goes.
        setting("Page.aliases", "aliases") { step, _ in "[\"/old-address-\(step)/\"]" },
        setting("Page.role", "category", in: roles) { step, _ in "\"Category \(step % 3)\"" },
        Edit(field: "Page.roles") { site, step, random in
            guard let path = try pick(site, resources, &random) else { return "no resource" }
            let list = try roleList(site, &random)
            try set(site, path, "roles", list)
            return "set roles: \(list) in \(path)"
        },
        Edit(field: "Page.body") { site, step, random in
            guard let path = try pick(site, [""], &random, index: true) else { return "no page" }
            try site.write(path, try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8) + "\nBody edit \(step).\n")
            return "edit the body of \(path)"
        },
        Edit(field: "Page.bodyStartLine") { site, step, random in
            guard let path = try pick(site, [""], &random, index: true) else { return "no page" }
            var lines = try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8).components(separatedBy: "\n")
            guard let end = lines.indices.dropFirst().first(where: { lines[$0] == "---" }) else { return "no front matter" }
            lines.insert("# comment \(step)", at: end)
            try site.write(path, lines.joined(separator: "\n"))
            return "move the body of \(path) one line down"
        },
        Edit(field: "Page.fieldLocations") { site, step, random in
            guard let path = try pick(site, [""], &random, index: true) else { return "no page" }
            var text = try String(contentsOfFile: site.directory + "/" + path, encoding: .utf8)
            text = "---\n# comment \(step)" + text.dropFirst(3)
            try site.write(path, text)
            return "move every front matter value of \(path) one line down"
        },
        setting("RoleData.category", "category", in: roles) { step, _ in "\"Category \(step % 4)\"" },
        setting("RoleData.alternateTitles", "alternate_titles", in: roles) { step, _ in "[\"Alternate \(step)\"]" },
        setting("RoleData.skills", "skills", in: roles) { _, random in
            "[" + IncrementalTests.skillPool.filter { _ in random.next() % 2 == 0 }.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        },
        Edit(field: "RoleData.related") { site, step, random in
            guard let path = try pick(site, roles, &random), let other = try pick(site, roles, &random) else { return "no role" }
            try set(site, path, "related", "[\(slug(other))]")
            return "pin \(slug(other)) in \(path)"
        },
        setting("RoleData.salary", "salary", in: roles) { step, _ in
            "{currency: USD, median: \(90000 + step * 1000), percentiles: {p10: 60000, p90: \(150000 + step)}, source: \"Test \(step)\", as_of: 2025-05-31}"
        },
        setting("RoleData.occupationCode", "occupation_code", in: roles) { step, _ in "\"15-12\(50 + step % 40).00\"" },
        Edit(field: "RoleData.careerPath") { site, step, random in
            guard let path = try pick(site, roles, &random), let other = try pick(site, roles, &random) else { return "no role" }
            let value = "{levels: [{title: \"Level \(step)\", years: \"0-\(step)\"}], to: [\(slug(other))]}"
            try set(site, path, "career_path", value)
            return "set career_path: \(value) in \(path)"
        },
        Edit(field: "RoleData.specializations") { site, step, random in
            guard let path = try pick(site, roles, &random), let other = try pick(site, roles, &random) else { return "no role" }
            try set(site, path, "specializations", "[\(slug(other))]")
            return "set specializations: [\(slug(other))] in \(path)"
        },
        Edit(field: "RoleData.compare") { site, step, random in
            guard let path = try pick(site, roles, &random), let other = try pick(site, roles, &random) else { return "no role" }
            // Now and then both sides name each other: still one page.
            if step % 3 == 0 { try set(site, "content/roles/" + slug(other) + ".md", "compare", "[\(slug(path))]") }
            try set(site, path, "compare", "[\(slug(other))]")
            return "compare \(path) with \(slug(other))\(step % 3 == 0 ? " and back" : "")"
        },
        setting("RoleData.industries", "industries", in: roles) { step, _ in "[\"Industry \(step)\"]" },
        setting("RoleData.education", "education", in: roles) { step, _ in "\"Education \(step).\"" },
        setting("RoleData.certifications", "certifications", in: roles) { step, _ in "[\"Certificate \(step)\"]" },
        setting("RoleData.market", "market", in: roles) { step, _ in "{open_jobs: \(1000 + step), source: \"Board \(step)\", as_of: 2025-01-31}" },
        setting("RoleData.outlook", "outlook", in: roles) { step, _ in
            "{growth: \(step % 20 - 5), period: \"2024-2034\", openings: \(step * 10), source: \"Projections\", as_of: 2025-08-28}"
        },
        setting("RoleData.entryEducation", "entry_education", in: roles) { step, _ in
            EntryEducation.allCases[step % EntryEducation.allCases.count].rawValue
        },
        setting("RoleData.entryExperience", "entry_experience", in: roles) { step, _ in
            EntryExperience.allCases[step % EntryExperience.allCases.count].rawValue
        },
        setting("RoleData.occupationNote", "occupation_note", in: roles) { step, _ in "\"Counted with software developers, note \(step).\"" },
        // Figures from data files: the files replaced as a writer replaces a release.
        Edit(field: "RoleData.occupation") { site, step, random in
            try DataFiles.declare(in: site)
            guard let path = try pick(site, roles, &random) else { return "no role" }
            if step % 2 == 0 {
                try set(site, path, "occupation_code", "\"15-1252\"")
                return "count \(path) as a software developer"
            }
            try DataFiles.write(in: site, title: "Software Developers \(step)")
            return "rename occupation 15-1252 in data/national.csv"
        },
        Edit(field: "RoleData.stateWages") { site, step, _ in
            try DataFiles.declare(in: site)
            try DataFiles.write(in: site, stateMedian: 150000 + step * 1000)
            return "replace data/state.csv with California at \(150000 + step * 1000)"
        },
        Edit(field: "RoleData.training") { site, step, _ in
            try DataFiles.declare(in: site)
            let training = ["None", "Moderate-term on-the-job training", "Internship/residency"][step % 3]
            try DataFiles.write(in: site, training: training)
            return "replace data/occupation.csv with training \(training)"
        },
    ]

    /// Stored field names by reflection (a property wrapper's storage `_salary` as `salary`).
    static func fields(of value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap { $0.label.map { $0.hasPrefix("_") ? String($0.dropFirst()) : $0 } }
    }

    @Test func everyFieldHasAnEdit() {
        let expected = Set(Self.fields(of: PhaseInputsTests.samplePage).map { "Page." + $0 }
            + Self.fields(of: PhaseInputsTests.samplePage.role!).map { "RoleData." + $0 })
        let edited = Set(Self.edits.map(\.field))
        #expect(expected.subtracting(edited).isEmpty, "fields with no edit: \(expected.subtracting(edited).sorted())")
        #expect(edited.subtracting(expected).isEmpty, "edits of no field: \(edited.subtracting(expected).sorted())")
    }

    /// Each edit on a fresh copy of the fixture, with two seeds, each then updated three ways.
    @Test(arguments: edits.map(\.field))
    func anEditUpdatesLikeAFullBuild(field: String) throws {
        let edit = Self.edits.first { $0.field == field }!
        for seed: UInt64 in [1, 2] {
            let site = try TempSite(copying: "basic")
            var random = SplitMix64(seed: seed)
            let options = BuildOptions(source: site.directory)
            var session = SiteSession(options: options)
            var told = SiteSession(options: options)
            #expect(session.update().succeeded && told.update().succeeded)
            var history: [String] = []
            for step in 0..<3 {
                let before = snapshot(site.directory)
                history.append(try edit.apply(site, step, &random))
                let after = snapshot(site.directory)
                let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
                #expect(!changed.isEmpty || history.last!.hasPrefix("no "), "\(field): the edit changed nothing: \(history)")
                var fresh = SiteSession(options: options)
                let full = fresh.update()
                let untold = session.update()
                let toldUpdate = told.update(changed: changed)
                for (name, update, kept) in [("untold", untold, session), ("told", toldUpdate, told)] {
                    let trail = "\(field) seed \(seed) \(name): \(history.joined(separator: "; "))"
                    #expect(update.diagnostics.sorted.map(\.description) == full.diagnostics.sorted.map(\.description), "\(trail)")
                    guard full.succeeded, let built = kept.site, let expected = fresh.site else { continue }
                    let differing = Set(built.files.keys).union(expected.files.keys).filter { built.files[$0] != expected.files[$0] }
                    #expect(differing.isEmpty, "\(trail): \(differing.sorted())")
                    #expect(built.searchFiles() == expected.searchFiles(), "\(trail)")
                }
            }
        }
    }
}

/// Data files for the fixture site: 15-1252 with the figures its backend developer page types, so declaring
/// them changes where the figures come from and not what they are.
enum DataFiles {
    static func declare(in site: TempSite) throws {
        let config = try String(contentsOfFile: site.directory + "/guidegen.yml", encoding: .utf8)
        guard !config.contains("data:") else { return }
        try write(in: site)
        try site.write("guidegen.yml", config + (config.hasSuffix("\n") ? "" : "\n") + BLSFixtures.declarations())
    }

    static func write(in site: TempSite, title: String = "Software Developers", stateMedian: Int = 160000, training: String = "None") throws {
        try site.write("data/national.csv", BLSFixtures.oews([
            ["OCC_CODE": "15-1252", "OCC_TITLE": title, "TOT_EMP": "1687890", "A_PCT10": "79850", "A_PCT25": "103050",
             "A_MEDIAN": "133080", "A_PCT75": "169000", "A_PCT90": "211450"],
            ["OCC_CODE": "15-0000", "OCC_TITLE": "Computer and Mathematical Occupations", "O_GROUP": "major", "TOT_EMP": "5000000", "A_MEDIAN": "105000"],
        ]))
        try site.write("data/state.csv", BLSFixtures.oews([
            BLSFixtures.stateRow("California", "CA", code: "15-1252", title: title, median: String(stateMedian)),
            BLSFixtures.stateRow("Texas", "TX", code: "15-1252", title: title, median: "120000"),
        ]))
        try site.write("data/occupation.csv", BLSFixtures.projections([
            ["title": "Total, all occupations", "code": "00-0000", "type": "Summary", "employment": "169956.1", "projected": "175167.9", "percent": "3.1"],
            ["title": "Software developers", "code": "15-1252", "employment": "1", "projected": "1.15", "percent": "15", "openings": "0.09",
             "education": "Bachelor's degree", "experience": "None", "training": training],
        ]))
    }
}
