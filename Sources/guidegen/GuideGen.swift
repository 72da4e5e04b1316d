import ArgumentParser
import Diagnostics
import CGuidegenSystem
import Foundation
import Graph
import JSONText
import OfficialData
import Search
import Site
import Starter
import Tables

@main
struct GuideGen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guidegen",
        abstract: "A static site generator for career guides.",
        discussion: """
        A site is a folder with guidegen.yml, content/ (Markdown with YAML front matter: \
        roles/, salaries/, faqs/, guides/), static/ and optionally themes/. \
        `guidegen build` writes the site to public/; `guidegen check` does the same work, \
        writes nothing, and exits non-zero on any error (run it in CI before publishing).
        """,
        subcommands: [Init.self, Build.self, Check.self, Serve.self, New.self, Explain.self],
        defaultSubcommand: nil
    )

    static func main() async {
        Allocator.returnLargeBlocksAtOnce()
        await main(nil)
    }
}

enum Allocator {
    /// glibc's malloc serves a block of 128 KiB or more from its own mapping, returned to the system
    /// when freed, until the first such block is freed: then it raises that size, so later large
    /// working buffers (a stage's arrays, a shard being encoded) come from the heap and their memory stays
    /// after them, between blocks that live on. Fixing the size at 256 KiB keeps that rule: it lowers the
    /// peak of large builds and costs them some system time (the README's performance section has the
    /// numbers, measured both ways; drop this if the memory goal no longer needs it).
    static func returnLargeBlocksAtOnce() {
        _ = guidegen_fix_mmap_threshold(256 * 1024)
    }
}

struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The site folder (holds guidegen.yml and content/).", valueName: "dir"))
    var source: String = "."

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Publish under this URL instead of base_url from guidegen.yml.", valueName: "url"))
    var baseURL: String?

    @Flag(name: .long, help: "Include pages marked `draft: true`.")
    var drafts = false

    @Flag(name: .long, help: "Print how long each stage took.")
    var timings = false

    @Flag(name: .long, help: "Fail on warnings too (stale figures, orphan pages...): each counts as an error.")
    var strict = false

    @Option(name: .long, help: ArgumentHelp("How to print problems: text, github (workflow annotations) or json (one array on stdout).", valueName: "format"))
    var format: DiagnosticFormat = .text

    @Option(name: .long, help: ArgumentHelp("Judge the age of figures as of this date instead of today (UTC).", valueName: "YYYY-MM-DD"))
    var today: String?

    func validate() throws {
        if let today, !ContentChecks.isDate(today) {
            throw ValidationError("--today must be a date written YYYY-MM-DD, like 2026-01-31")
        }
    }

    /// Runs the pipeline (writing to `output`, or nothing), prints its diagnostics in `format`, and
    /// fails with `failure` on an error (on a warning too with `--strict`).
    func run(output: String?, failure: String, adjust: (inout BuildOptions) -> Void = { _ in }) throws -> BuildReport {
        var options = BuildOptions(source: source, output: output, baseURL: baseURL, includeDrafts: drafts, today: today)
        adjust(&options)
        options.measureHeap = timings
        options.keepsMemoryUntilExit = true
        var report = Terminal.withProgress { SiteBuilder.build(options, progress: $0) }
        if strict { report.diagnostics = report.diagnostics.promotingWarnings() }
        Terminal.print(report.diagnostics, as: format)
        if timings { Terminal.print(stages: report.stages) }
        guard report.succeeded else {
            Terminal.error("\(failure) with \(Terminal.count(report.diagnostics.errors.count, "error"))" + (strict ? " (--strict: warnings count)" : ""))
            throw ExitCode.failure
        }
        return report
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the site into the output folder.",
        discussion: """
        The new site is written beside the output folder and swapped in only when the whole \
        build succeeded, so an existing output folder is never left half-written. Every error \
        is reported with file:line:column; the exit status is 1 when there was one.
        """
    )

    @OptionGroup var site: SiteOptions

    @Option(name: .long, help: ArgumentHelp("Where to write the site (default: public/ in the site folder).", valueName: "dir"))
    var output: String?

    func run() throws {
        let output = output ?? (site.source as NSString).appendingPathComponent("public")
        let report = try site.run(output: output, failure: "build failed (\(output) was left as it was)")
        print("built \(Terminal.count(report.pages + report.generatedPages, "page")) (\(Terminal.count(report.roles, "role")), \(report.generatedPages) generated), "
              + "\(Terminal.count(report.links, "link")) checked, \(report.files) files in \(String(format: "%.2f", report.seconds))s -> \(output)")
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Do all the work of a build and write no site; exit 1 on any error.",
        discussion: """
        Checks guidegen.yml, every front matter field, every cross-reference and anchor, and the theme's templates. \
        With --output, compares the page addresses with what the last build published there (url-removed); \
        with --external, asks every web address the site gives, 4 at a time (external-link), and keeps the \
        answers a day in .guidegen-cache/ in the site folder (the only file check writes).
        """
    )

    @OptionGroup var site: SiteOptions

    @Option(name: .long, help: ArgumentHelp("The folder the last build wrote: warn url-removed for each page address it has that the site no longer has (nothing is written there).", valueName: "dir"))
    var output: String?

    @Flag(name: .long, help: ArgumentHelp("Also ask every web address the site gives (sources, data files' url, Markdown links and images) and warn external-link for each that fails or moved permanently; answers are kept a day in .guidegen-cache/ in the site folder."))
    var external = false

    @Option(name: .customLong("external-timeout"), help: ArgumentHelp("Seconds each web request of --external may take.", valueName: "seconds"))
    var externalTimeout: Double = 10

    func validate() throws {
        guard externalTimeout.isFinite, externalTimeout >= 1, externalTimeout <= 300 else {
            throw ValidationError("--external-timeout must be a number of seconds from 1 to 300, like 10 (rounded up to whole seconds)")
        }
    }

    func run() throws {
        let report = try site.run(output: nil, failure: "check failed") { options in
            options.publishedOutput = output
            if external {
                var check = ExternalLinkCheck.Options()
                check.checker.timeout = externalTimeout
                options.externalLinks = check
            }
        }
        let asked = external ? Terminal.count(report.externalAddressesAsked, "web address", plural: "web addresses") + " asked, " : ""
        let summary = "ok: \(Terminal.count(report.pages + report.generatedPages, "page")), \(Terminal.count(report.links, "link")) checked, "
            + asked + "\(Terminal.count(report.diagnostics.warnings.count, "warning")) in \(String(format: "%.2f", report.seconds))s"
        // With --format json, stdout carries the array alone.
        if site.format == .json { FileHandle.standardError.write(Data((summary + "\n").utf8)) } else { print(summary) }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a site in a new or empty folder: one that builds and passes `check --strict` as it is.",
        discussion: """
        Writes guidegen.yml, one role with its salary guide, FAQ and how-to guide (their front matter says what \
        each field is for), static/, .gitignore and .github/workflows/publish.yml (checks and publishes the site \
        on GitHub Pages with a released guidegen binary). Then: guidegen serve --source DIR. It refuses a folder \
        with anything in it.
        """
    )

    @Argument(help: "The folder for the new site (made if missing; it must be empty).")
    var directory: String = "."

    func run() throws {
        do {
            let written = try Starter.create(at: directory)
            print("wrote \(written.count) files into \(directory):".terminalSafe)
            for path in written { print("  \(path)".terminalSafe) }
            print("""
                next:
                  cd \(directory)
                  guidegen serve                 a preview at http://127.0.0.1:4000/ that reloads as you save
                  guidegen new role "Title"      a new role page (a draft); then new salary, faq or guide with --role SLUG
                  guidegen check --strict        what the publish workflow runs before it publishes
                to publish on GitHub Pages: set GUIDEGEN_REPO in .github/workflows/publish.yml (the repository guidegen is
                released from), push to GitHub, and choose "GitHub Actions" in the repository's Settings > Pages
                """.terminalSafe)
        } catch {
            Terminal.error(error.message.terminalSafe + "\n  hint: " + error.hint.terminalSafe)
            throw ExitCode.failure
        }
    }
}

extension NewPage.Kind: ExpressibleByArgument {}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a page: write it at its kind's place with the kind's fields, as a draft, and print its path.",
        discussion: """
        KIND is role, salary, faq, guide or page. The file name is the title's slug (\"Data Engineer\" -> \
        content/roles/data-engineer.md). The page has `draft: true` and `TODO:` where your words go; `guidegen check` \
        warns about a `TODO:` left in a page that is no longer a draft. Salary guides and FAQs name their roles with \
        --role (each must be a file in content/roles/). An existing file is never overwritten.
        """
    )

    @Option(name: .long, help: ArgumentHelp("The site folder (holds guidegen.yml and content/).", valueName: "dir"))
    var source: String = "."

    @Argument(help: "role, salary, faq, guide or page.")
    var kind: NewPage.Kind

    @Argument(help: "The page's title, in quotes.")
    var title: String

    @Option(name: .customLong("role"), help: ArgumentHelp("A role the page is about (its slug); repeat for more.", valueName: "slug"))
    var roles: [String] = []

    func run() throws {
        guard FileManager.default.fileExists(atPath: source + "/guidegen.yml") else {
            Terminal.error("\(source) is not a site folder: it has no guidegen.yml".terminalSafe)
            throw ExitCode.failure
        }
        do {
            let made = try NewPage.make(kind, title: title, roles: roles, siteDirectory: source, today: ContentChecks.today())
            try NewPage.write(made, siteDirectory: source)
            print(made.path.terminalSafe)
        } catch {
            Terminal.error(error.message.terminalSafe + "\n  hint: " + error.hint.terminalSafe)
            throw ExitCode.failure
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show why the page graph looks as it does, which pages link where, and where a role's figures come from.",
        subcommands: [Related.self, Figures.self, Links.self, SearchResults.self]
    )

    struct Related: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a role's related roles and why each was chosen.",
            discussion: """
            Pinned roles (the role's `related:`) come first. The others are scored: each shared skill \
            adds 1 + ln(roles / roles with that skill), so rarer skills weigh more, and the same \
            category adds \(RelatedIndex.categoryWeight). Ties go by title. `related_limit` in \
            guidegen.yml sets how many are shown.
            """
        )

        @OptionGroup var site: SiteOptions

        @Argument(help: "The role's slug (its file name under content/roles/ without .md).")
        var slug: String

        func run() throws {
            let (graph, role, _) = try Explain.linkedRole(slug, site)
            let page = graph[role]
            print("\(page.title) (\(page.source)), category \(page.role?.category ?? "-")".terminalSafe)
            let related = graph.relations(of: role).related
            if related.isEmpty { print("  no related roles: add skills, a category shared with other roles, or `related:`") }
            for (rank, item) in related.enumerated() {
                let other = graph[item.page]
                if item.pinned {
                    print("\(rank + 1). \(other.title) [\(other.slug)]: pinned in `related`".terminalSafe)
                    continue
                }
                print("\(rank + 1). \(other.title) [\(other.slug)]: score \(String(format: "%.2f", item.score))".terminalSafe)
                for reason in item.reasons {
                    switch reason {
                    case let .skill(name, weight, sharedBy):
                        print("     + \(String(format: "%.2f", weight))  skill \(name) (\(sharedBy) of \(graph.roleBySlug.count) roles have it)".terminalSafe)
                    case let .category(name, weight):
                        print("     + \(String(format: "%.2f", weight))  same category \(name)".terminalSafe)
                    }
                }
            }
        }
    }
}

extension Explain {
    /// What the site's pages no longer show readers, for the writer: every page that links to a page.
    struct Links: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the pages that link to a page (its backlinks) and the pages it links to.",
            discussion: "Name the page by its file (content/faqs/backend-developer.md) or its address (/faqs/backend-developer/)."
        )

        @OptionGroup var site: SiteOptions

        @Argument(help: "The page's file under the site folder, or its address.")
        var page: String

        func run() throws {
            let graph = try Explain.linkedGraph(site)
            let wanted = page.hasPrefix("/") && !page.hasSuffix("/") && !page.hasSuffix(".md") ? page + "/" : page
            guard let id = graph.ids.first(where: { graph[$0].source == wanted || graph[$0].url == wanted }) else {
                Terminal.error("no page with the file or address `\(page)`; name a file such as content/roles/<slug>.md or an address such as /roles/<slug>/".terminalSafe)
                throw ExitCode.failure
            }
            let relations = graph.relations(of: id)
            print("\(graph[id].title) (\(graph[id].source)) \(graph[id].url)".terminalSafe)
            print("  linked from \(Terminal.count(relations.backlinks.count, "page")):")
            for other in relations.backlinks { print("    \(graph[other].title) (\(graph[other].source))".terminalSafe) }
            let outgoing = relations.linkURLs.filter { !$0.isEmpty }
            print("  links to \(Terminal.count(outgoing.count, "address", plural: "addresses")):")
            for url in outgoing { print("    \(url)".terminalSafe) }
        }
    }

    /// The search box's answers, from the same index and the same rules (`SearchQuery`, which `search.js` mirrors).
    struct SearchResults: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Run queries against the site's search index as the search box does, and list the results best first.",
            discussion: """
            A query without a trailing space is one being typed: its last word also matches the words it starts, \
            as in the search box. With --json each query prints one line: {"query", "results": [{"url", "title", "kind", "score"}]}.
            """
        )

        @OptionGroup var site: SiteOptions

        @Flag(help: "One JSON object per query, for scripts (Tests/search/relevance.py).")
        var json = false

        @Option(help: "Results listed per query.")
        var limit = 10

        @Argument(help: "The queries, each one argument.")
        var queries: [String]

        func run() throws {
            let graph = try Explain.linkedGraph(site)
            let documents = SearchDocument.documents(from: graph)
            let index = SearchIndex.build(documents)
            let files = Dictionary(index.files.map { ($0.path, [UInt8]($0.data)) }) { first, _ in first }
            guard let manifest = files["\(SearchIndex.folder)/manifest.json"], let version = SearchIndex.version(ofManifest: Data(manifest)),
                  let search = SearchQuery(manifest: manifest, shard: { files[SearchIndex.shardPath($0, version: version)] },
                                           vocabulary: { files[SearchIndex.vocabularyPath(version: version)] }) else { throw ExitCode.failure }
            for query in queries {
                let result = search.run(query)
                let hits = result.hits.prefix(max(0, limit))
                if json {
                    let results = hits.map { hit -> JSON in
                        let document = documents[hit.page]
                        return .object(["url": .string("/" + document.url), "title": .string(document.title), "kind": .string(document.kind), "page": .int(hit.page),
                                        "score": .number((hit.score * 1000).rounded() / 1000)])
                    }
                    print(JSON.object(["query": .string(query), "results": .array(results), "partial": .int(result.partial ? 1 : 0), "uncovered": result.uncovered.map(JSON.string) ?? .null,
                                       "corrections": .array(result.corrections.map { .object(["typed": .string($0.typed), "used": .string($0.used)]) })]).text)
                } else {
                    print("\(query)".terminalSafe)
                    for correction in result.corrections { print("  showing results for \(correction.used) (typed \(correction.typed))".terminalSafe) }
                    if let uncovered = result.uncovered { print("  no guide for \(uncovered)".terminalSafe) }
                    if result.partial { print("  no page has every word: \(result.words.joined(separator: " "))".terminalSafe) }
                    if hits.isEmpty { print("  no results") }
                    for (rank, hit) in hits.enumerated() {
                        let document = documents[hit.page]
                        print("  \(rank + 1). \(document.title) (\(document.kind)) /\(document.url)  \(String(format: "%.2f", hit.score))".terminalSafe)
                    }
                }
            }
        }
    }

    /// The site's linked graph, or the build's errors printed and exit 1.
    static func linkedGraph(_ site: SiteOptions) throws -> SiteGraph {
        try linked(site).graph
    }

    /// The linked graph and where each role's figures came from, or the build's errors printed and exit 1.
    static func linked(_ site: SiteOptions) throws -> (graph: SiteGraph, figureOrigins: [String: [FigureOrigin]]) {
        let options = BuildOptions(source: site.source, baseURL: site.baseURL, includeDrafts: site.drafts)
        let linked = SiteBuilder.linked(options)
        guard let graph = linked.graph else {
            Terminal.print(linked.diagnostics)
            throw ExitCode.failure
        }
        return (graph, linked.figureOrigins)
    }

    /// The site's graph and the role of `slug` in it; the build's errors, or the roles there are, when there is none.
    static func linkedRole(_ slug: String, _ site: SiteOptions) throws -> (SiteGraph, PageID, [String: [FigureOrigin]]) {
        let (graph, figureOrigins) = try linked(site)
        guard let role = graph.roleBySlug[slug] else {
            let known = graph.roleBySlug.keys.sorted()
            Terminal.error("no role with the slug `\(slug)`" + (known.isEmpty ? "" : "; roles: " + known.prefix(20).joined(separator: ", ")))
            throw ExitCode.failure
        }
        return (graph, role, figureOrigins)
    }

    struct Figures: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a role's figures and where each came from: the data file, its row and column, or the front matter.",
            discussion: """
            A role that names an `occupation_code` gets its figures from the files `data:` in guidegen.yml \
            declares; figures no file holds are the ones typed in its front matter, with their `source`.
            """
        )

        @OptionGroup var site: SiteOptions

        @Argument(help: "The role's slug (its file name under content/roles/ without .md).")
        var slug: String

        func run() throws {
            let (graph, id, figureOrigins) = try Explain.linkedRole(slug, site)
            guard let role = graph[id].role else { throw ExitCode.failure }
            let page = graph[id]
            print("\(page.title) (\(page.source))".terminalSafe)
            if let occupation = role.occupation {
                let shared = occupation.sharedWith.map(\.title).joined(separator: ", ")
                print("  figures of \(occupation.title) (\(occupation.code))\(occupation.isBroaderGroup ? ", the group that holds \(role.occupationCode ?? "")" : "")"
                      .terminalSafe + (shared.isEmpty ? "" : ", shared with \(shared)".terminalSafe))
            } else if let code = role.occupationCode {
                print("  occupation_code \(code); no data file is declared, so every figure is typed".terminalSafe)
            }
            let origins = figureOrigins[page.source] ?? []
            for origin in origins {
                let column = Table.columnName(origin.column) + (origin.header.isEmpty ? "" : " \(origin.header)")
                print("  \(origin.field.padding(toLength: 30, withPad: " ", startingAt: 0)) \(origin.value.padding(toLength: 20, withPad: " ", startingAt: 0)) \(origin.file) row \(origin.row), column \(column)".terminalSafe)
            }
            let filled = Set(origins.map { String($0.field.split(separator: ".").first ?? "") })
            for (name, source) in [("salary", role.salary?.source), ("outlook", role.outlook?.source), ("market", role.market?.source)] {
                guard let source, !filled.contains(name) else { continue }
                print("  \(name.padding(toLength: 30, withPad: " ", startingAt: 0)) typed in the front matter; source: \(source)".terminalSafe)
            }
            if origins.isEmpty && role.salary == nil && role.outlook == nil { print("  no figures") }
        }
    }
}

enum Terminal {
    static let isTTY = isatty(STDERR_FILENO) == 1

    /// Text goes to stderr, beside the progress line; `github` and `json` go to stdout, where CI reads them.
    static func print(_ diagnostics: Diagnostics, as format: DiagnosticFormat = .text) {
        let text = format.render(diagnostics)
        guard !text.isEmpty else { return }
        (format == .text ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
    }

    static func print(stages: [SiteBuilder.Stage]) {
        let lines = stages.map { stage in
            "  \(stage.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(String(format: "%7.3f", stage.seconds))s"
                + (stage.heapBytes > 0 ? String(format: "  heap %6.1f MiB", Double(stage.heapBytes) / 1_048_576) : "")
        }
        FileHandle.standardError.write(Data(("stages:\n" + lines.joined(separator: "\n") + "\n").utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message.terminalSafe)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message.terminalSafe)\n".utf8))
    }

    /// A line on stdout, written at once (a test or script may be waiting for it).
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func count(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        "\(value) " + (value == 1 ? noun : plural ?? noun + "s")
    }

    /// Shows the current stage on one terminal line while `work` runs; nothing when stderr is not a terminal.
    static func withProgress<T>(_ work: ((String) -> Void) -> T) -> T {
        guard isTTY else { return work { _ in } }
        let result = work { stage in
            FileHandle.standardError.write(Data("\r\u{1B}[K\(stage)…".utf8))
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        return result
    }
}
