import Foundation
import Testing
import TestSupport

/// The `guidegen` executable as a user runs it: exit codes and what it prints.
@Suite struct CommandLineTests {
    func run(_ arguments: [String], in directory: String? = nil, home: String? = nil) throws -> (status: Int32, out: String, err: String) {
        try GuidegenCommand.run(arguments, in: directory, environment: home.map { ["HOME": $0] } ?? [:])
    }

    /// `--output` pointing at what the writer owns is refused before anything is written, and nothing moves.
    @Test(arguments: [
        ("content", "the output folder is inside the site's content/ folder"),
        (".", "the output folder is the site folder itself"),
        ("", "the output folder is an empty path"),
        ("..", "holds the site folder"),
        ("~", "refusing to write the site into the home folder"),
        ("static", "the output folder is inside the site's static/ folder"),
        ("guidegen.yml", "the output path is a file, not a folder"),
    ])
    func outputFoldersTheWriterOwns(_ output: String, _ message: String) throws {
        let site = try TempSite(copying: "basic")
        // A home folder of the test's own, so nothing real is at stake.
        let home = try TempSite(files: [".profile": "export A=1\n"])
        let before = snapshot(site.directory), homeBefore = snapshot(home.directory)
        let result = try run(["build", "--output", output == "~" ? home.directory : output], in: site.directory, home: home.directory)
        #expect(result.status == 1)
        #expect(result.err.contains(message), "\(result.err)")
        #expect(result.err.contains("hint:"))
        #expect(!result.err.contains("Fatal error") && !result.err.contains("Stack dump"))
        #expect(snapshot(site.directory) == before)
        #expect(snapshot(home.directory) == homeBefore)
        // No staging folder or lock beside any of them either.
        let parent = (site.directory as NSString).deletingLastPathComponent
        let names = [site.directory, home.directory].map { "." + ($0 as NSString).lastPathComponent + ".guidegen-" }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).filter { name in names.contains { name.hasPrefix($0) } }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/." + (parent as NSString).lastPathComponent + ".guidegen-spare"))
    }

    /// Escape sequences in front matter (a key, a value, or quoted in a YAML syntax error) never reach the
    /// terminal: they could clear the screen, retitle the window or hide "check failed" behind a fake "ok:".
    @Test(arguments: [
        "---\ntitle: About\n\u{1B}[2J\u{1B}[Hok: 0 errors: 1\n---\nText.\n",
        "---\ntitle: About\nlayout: [\u{1B}]0;owned\u{07}\n---\nText.\n",
    ])
    func controlSequencesNeverReachTheTerminal(_ page: String) throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/about.md", page)
        for format in ["text", "github"] {
            let result = try run(["check", "--source", site.directory, "--format", format])
            #expect(result.status == 1)
            let printed = result.out + result.err
            #expect(!printed.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(printed)")
            #expect(printed.contains("\\x1b"), "\(printed)")
        }
    }

    @Test func buildPrintsOneSummaryLine() throws {
        let site = try TempSite(copying: "basic")
        let result = try run(["build", "--source", site.directory])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.hasPrefix("built "))
        #expect(result.out.split(separator: "\n").count == 1)
        #expect(FileManager.default.fileExists(atPath: site.directory + "/public/index.html"))
    }

    /// Two processes (each with its own hash seed and thread timing) write byte-identical sites.
    @Test func twoRunsWriteTheSameBytes() throws {
        let site = try TempSite(copying: "basic")
        #expect(try run(["build", "--source", site.directory, "--output", site.directory + "/one"]).status == 0)
        #expect(try run(["build", "--source", site.directory, "--output", site.directory + "/two"]).status == 0)
        let one = snapshot(site.directory + "/one")
        #expect(one.count > 20)
        #expect(one == snapshot(site.directory + "/two"))
    }

    @Test func checkFailsOnABrokenLinkNamingFileLineColumn() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/a.md", "---\ntitle: A\ncategory: X\n---\n\nSee [gone](gone.md).\n")
        let result = try run(["check", "--source", site.directory])
        #expect(result.status == 1)
        #expect(result.err.contains("content/roles/a.md:6:5: error: link to `gone.md`, but content/roles/gone.md does not exist"))
        #expect(result.err.contains("hint:"))
        #expect(!result.err.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: site.directory + "/public"))
    }

    @Test func explainRelated() throws {
        let site = try TempSite(copying: "basic")
        let result = try run(["explain", "related", "backend-developer", "--source", site.directory])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("1. Frontend Developer [frontend-developer]: pinned in `related`"))
        #expect(result.out.contains("Data Engineer [data-engineer]: score"))
        #expect(result.out.contains("skill SQL"))
    }

    /// `init` writes a site that builds and passes `check --strict` as it is, into a new folder; it refuses a
    /// folder with anything in it and leaves that folder as it was.
    @Test func initStartsASiteThatChecksClean() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("guidegen-init-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let site = root + "/my-guides"
        let result = try run(["init", site])
        #expect(result.status == 0, "\(result.err)")
        for file in ["guidegen.yml", ".gitignore", ".github/workflows/publish.yml", "content/roles/backend-developer.md",
                     "content/salaries/backend-developer.md", "content/faqs/backend-developer.md",
                     "content/guides/how-to-become-a-backend-developer.md", "static/README.txt"] {
            #expect(FileManager.default.fileExists(atPath: site + "/" + file), "\(file)")
            #expect(result.out.contains("  " + file + "\n"), "\(file) listed")
        }
        // What to do next, publishing included.
        #expect(result.out.contains("cd \(site)\n") && result.out.contains("guidegen serve") && result.out.contains("set GUIDEGEN_REPO"), "\(result.out)")
        // The publish workflow downloads a released binary (a guides repository has no Package.swift to build).
        let workflow = try String(contentsOfFile: site + "/.github/workflows/publish.yml", encoding: .utf8)
        #expect(workflow.contains("GUIDEGEN_VERSION: latest") && workflow.contains("guidegen check --strict --format github")
                && workflow.contains("guidegen check --external --format github") && workflow.contains("schedule:")
                && !workflow.contains("swift build"), "\(workflow)")
        let strict = try run(["check", "--strict", "--source", site])
        #expect(strict.status == 0 && strict.err.isEmpty, "\(strict.err)")
        let build = try run(["build", "--source", site])
        #expect(build.status == 0 && FileManager.default.fileExists(atPath: site + "/public/roles/backend-developer/index.html"), "\(build.err)")
        // Not again into a site, nor into any folder with something in it.
        let again = try run(["init", site])
        #expect(again.status == 1 && again.err.contains("is not empty") && again.err.contains("hint:"), "\(again.err)")
        let other = root + "/notes"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try "mine".write(toFile: other + "/.hidden", atomically: true, encoding: .utf8)
        let refused = try run(["init", other])
        #expect(refused.status == 1 && (try? FileManager.default.contentsOfDirectory(atPath: other)) == [".hidden"])
    }

    /// `new` for every kind writes a draft at the kind's place and prints its path; the site still checks clean
    /// (drafts are left out), builds with --drafts, and warns about a `TODO:` once a page is no longer a draft.
    @Test func newWritesADraftOfEveryKind() throws {
        let site = try TempSite(copying: "basic")
        let expected = ["role": "content/roles/data-scientist.md", "salary": "content/salaries/data-scientist.md",
                        "faq": "content/faqs/data-scientist.md", "guide": "content/guides/data-scientist.md", "page": "content/data-scientist.md"]
        for kind in ["role", "salary", "faq", "guide", "page"] {
            let roles = kind == "role" || kind == "page" ? [] : ["--role", "data-scientist"]
            let result = try run(["new", kind, "Data Scientist", "--source", site.directory] + roles)
            #expect(result.status == 0 && result.out == expected[kind]! + "\n", "\(kind): \(result.err)")
            let text = try String(contentsOfFile: site.directory + "/" + expected[kind]!, encoding: .utf8)
            #expect(text.hasPrefix("---\ntitle: \"Data Scientist\"\n") && text.contains("\ndraft: true"), "\(kind)")
        }
        let check = try run(["check", "--source", site.directory])
        #expect(check.status == 0, "\(check.err)")
        let drafts = try run(["check", "--source", site.directory, "--drafts"])
        #expect(drafts.status == 0 && !drafts.err.contains("error:"), "\(drafts.err)")
        // Published (the role and its FAQ) with their TODOs: a warning at each summary's line.
        for file in ["roles", "faqs"] {
            let path = site.directory + "/content/\(file)/data-scientist.md"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: "\ndraft: true", with: "\n# draft: true").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let published = try run(["check", "--source", site.directory])
        #expect(published.err.contains("content/faqs/data-scientist.md:3:10: warning: the page is no longer a draft but its summary still says `TODO:` [placeholder]"),
                "\(published.err)")
    }

    /// What `new` refuses, each with a hint: an existing file, an unknown role, a FAQ without roles, a title without letters.
    @Test func newRefuses() throws {
        let site = try TempSite(copying: "basic")
        let before = try String(contentsOfFile: site.directory + "/content/roles/backend-developer.md", encoding: .utf8)
        let exists = try run(["new", "role", "Backend Developer", "--source", site.directory])
        #expect(exists.status == 1 && exists.err.contains("content/roles/backend-developer.md exists already; new never overwrites a file"))
        #expect(try String(contentsOfFile: site.directory + "/content/roles/backend-developer.md", encoding: .utf8) == before)
        let unknown = try run(["new", "salary", "Pay", "--role", "backnd-developer", "--source", site.directory])
        #expect(unknown.status == 1 && unknown.err.contains("there is no role `backnd-developer`") && unknown.err.contains("did you mean `backend-developer`?"))
        let noRole = try run(["new", "faq", "Questions", "--source", site.directory])
        #expect(noRole.status == 1 && noRole.err.contains("--role ROLE-SLUG"))
        let empty = try run(["new", "page", "  ", "--source", site.directory])
        #expect(empty.status == 1 && empty.err.contains("makes no file name"))
        let notASite = try run(["new", "page", "About", "--source", site.directory + "/content"])
        #expect(notASite.status == 1 && notASite.err.contains("has no guidegen.yml"))
        let wrongKind = try run(["new", "poem", "Ode", "--source", site.directory])
        #expect(wrongKind.status != 0)
    }

    /// `explain links`: what reader pages no longer list, for the writer: the pages that link to a page, and where it links.
    @Test func explainLinks() throws {
        let site = try TempSite(copying: "basic")
        let result = try run(["explain", "links", "/roles/backend-developer/", "--source", site.directory])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("Backend Developer (content/roles/backend-developer.md)"), "\(result.out)")
        #expect(result.out.contains("  linked from 3 pages:\n    Backend Developer Salary Guide (content/salaries/backend-developer.md)\n"), "\(result.out)")
        #expect(result.out.contains("    Frontend Developer (content/roles/frontend-developer.md)\n"), "\(result.out)")
        #expect(result.out.contains("    /guides/faqs/backend-developer/#do-you-need-a-degree\n"), "\(result.out)")
        let byFile = try run(["explain", "links", "content/roles/backend-developer.md", "--source", site.directory])
        #expect(byFile.status == 0 && byFile.out == result.out)
        let missing = try run(["explain", "links", "/nowhere/", "--source", site.directory])
        #expect(missing.status == 1 && missing.err.contains("no page with the file or address `/nowhere/`"))
    }

    /// `explain figures`: each figure a data file filled, with its file, row and column; typed figures with their source.
    @Test func explainFigures() throws {
        let site = try TempSite(copying: "basic")
        try DataFiles.declare(in: site)
        let result = try run(["explain", "figures", "backend-developer", "--source", site.directory])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("figures of Software Developers (15-1252)"))
        #expect(result.out.contains("salary.median                  $133,080             data/national.csv row 2, column AB A_MEDIAN"))
        #expect(result.out.contains("outlook.growth"))
        let typed = try run(["explain", "figures", "data-engineer", "--source", site.directory])
        #expect(typed.status == 0 && !typed.out.contains("data/"))
        let missing = try run(["explain", "figures", "nobody", "--source", site.directory])
        #expect(missing.status == 1 && missing.err.contains("no role with the slug `nobody`"))
    }

    /// `explain` reads the site as `check` does: the same errors, and nothing explained.
    @Test func explainOnASiteWithErrorsPrintsThem() throws {
        let site = try TempSite(copying: "basic")
        try site.write("content/roles/data-engineer.md", "---\ntitle: \"Data Engineer\"\ncategory: \"Data\"\n---\nSee [x](gone.md).\n")
        let explained = try run(["explain", "related", "backend-developer", "--source", site.directory])
        let checked = try run(["check", "--source", site.directory])
        #expect(explained.status == 1)
        #expect(explained.out.isEmpty)
        #expect(explained.err.contains("content/roles/data-engineer.md:5:5: error: link to `gone.md`"))
        #expect(checked.err.hasPrefix(explained.err), "check prints the same errors, then its summary")
    }

    @Test func helpDescribesTheCommands() throws {
        let result = try run(["--help"])
        for word in ["build", "check", "explain"] { #expect(result.out.contains(word)) }
        let build = try run(["build", "--help"])
        for option in ["--source", "--output", "--base-url", "--drafts"] { #expect(build.out.contains(option)) }
    }

    @Test func badOptionIsAUsageError() throws {
        let result = try run(["build", "--no-such-option"])
        #expect(result.status != 0)
        #expect(!result.err.contains("Fatal error"))
    }

    /// What CI runs: warnings pass unless --strict; json on stdout is one array; github prints annotations.
    @Test func checkForCI() throws {
        let site = try TempSite(files: [
            "guidegen.yml": "title: \"CI\"\nbase_url: \"https://example.org/\"\n",
            "content/roles/a.md": "---\ntitle: \"A\"\ncategory: \"Web\"\nskills: [\"Go\"]\n---\nText.\n",
        ])
        let plain = try run(["check", "--source", site.directory, "--today", "2026-01-01"])
        #expect(plain.status == 0)
        #expect(plain.err.contains("warning: the page has no `summary` [no-summary]"))
        let strict = try run(["check", "--source", site.directory, "--strict", "--today", "2026-01-01"])
        #expect(strict.status == 1)
        #expect(strict.err.contains("error: the page has no `summary` [no-summary]"))
        let json = try run(["check", "--source", site.directory, "--format", "json", "--today", "2026-01-01"])
        #expect(json.status == 0)
        let array = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
        // (A site's only role is not warned for having no related roles: there is nothing to relate it to.)
        #expect(array?.map { $0["code"] as? String } == ["orphan-page", "no-summary"])
        #expect(json.err.hasPrefix("ok: "))
        let github = try run(["check", "--source", site.directory, "--format", "github", "--strict", "--today", "2026-01-01"])
        #expect(github.status == 1)
        #expect(github.out.contains("::error file=content/roles/a.md,line=1,col=1,title=no-summary::the page has no `summary`"))
        let badDate = try run(["check", "--source", site.directory, "--today", "2026-02-30"])
        #expect(badDate.status == 64)
        #expect(badDate.err.contains("--today must be a date written YYYY-MM-DD"))
    }
}
