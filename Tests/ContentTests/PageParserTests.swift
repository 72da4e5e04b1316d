import Diagnostics
import Markdown
import Testing
@testable import Content

private func parse(_ text: String, path: String = "roles/backend-developer.md") -> (Page?, [Diagnostic]) {
    PageParser.parse(text: text, source: "content/" + path, path: path, options: MarkdownOptions())
}

@Suite struct FrontMatterTests {
    @Test func roleWithAllFields() throws {
        let (page, diagnostics) = parse("""
        ---
        title: "Backend Developer"
        summary: Builds servers.
        updated: 2026-11-23
        category: Web Development
        alternate_titles: ["Back-End Developer"]
        skills: [SQL, Go]
        related: [frontend-developer]
        occupation_code: "15-1252.00"
        salary:
          currency: USD
          median: 133080
          percentiles: {p10: 79850, p25: 103050, p75: 169000, p90: 211450}
          levels:
            - {level: Entry, min: 55000, max: 70000}
          hourly: {min: 47.12, max: 64.90}
          source: "BLS OEWS May 2024"
          as_of: 2024-05-31
        career_path:
          levels:
            - {title: Junior, years: 0-2}
          from: [web-developer]
          to: [engineering-manager]
        market: {open_jobs: 2924, employers: 1001, job_seekers: 86504, source: Indeed, as_of: 2023-10-31}
        sources:
          - {name: "O*NET", url: "https://www.onetonline.org/", license: "CC BY 4.0"}
        ---
        ## What they do

        Text.
        """)
        #expect(diagnostics.isEmpty)
        let role = try #require(page?.role)
        #expect(page?.kind == .role)
        #expect(page?.url == "/roles/backend-developer/")
        #expect(page?.bodyStartLine == 28)
        #expect(role.skills == ["SQL", "Go"])
        #expect(role.related.map(\.value) == ["frontend-developer"])
        #expect(role.related.first?.location.description == "content/roles/backend-developer.md:8:11")
        #expect(role.salary?.median == 133080)
        #expect(role.salary?.percentiles?.p90 == 211450)
        #expect(role.salary?.hourly == 47.12...64.90)
        #expect(role.careerPath?.levels.first?.years == "0-2")
        #expect(role.market?.jobSeekers == 86504)
        #expect(page?.sources.first?.license == "CC BY 4.0")
    }

    /// `compare:` is a list of role slugs, each kept with its place for messages; only roles have it.
    @Test func compareListsRoleSlugsWithTheirPlaces() throws {
        let (page, diagnostics) = parse("""
        ---
        title: "Backend Developer"
        category: Web
        compare: [frontend-developer, full-stack-developer]
        ---
        Text.
        """)
        #expect(diagnostics.isEmpty)
        let compare = try #require(page?.role?.compare)
        #expect(compare.map(\.value) == ["frontend-developer", "full-stack-developer"])
        #expect(compare.map(\.location.description) == ["content/roles/backend-developer.md:4:11", "content/roles/backend-developer.md:4:31"])
        let (_, notAList) = parse("---\ntitle: B\ncategory: Web\ncompare: {a: b}\n---\n")
        #expect(notAList.count == 1 && notAList.first?.location.description == "content/roles/backend-developer.md:4:10")
        let (_, onAGuide) = parse("---\ntitle: G\ncompare: [backend-developer]\n---\n", path: "guides/g.md")
        #expect(onAGuide.first?.message.contains("`compare`") == true)
    }

    /// Field places are kept by key: the same file parsed again gives an equal page (they were kept in the
    /// order of a dictionary, which differs from one dictionary to the next, so equal pages compared unequal).
    @Test func sameTextParsedAgainGivesAnEqualPage() throws {
        let text = """
        ---
        title: A
        summary: B
        updated: 2026-11-23
        category: C
        skills: [SQL, Go]
        occupation_code: "15-1252.00"
        salary: {currency: USD, median: 1000, source: S, as_of: 2024-05-31}
        market: {open_jobs: 1, employers: 1, job_seekers: 1, source: I, as_of: 2023-10-31}
        sources: [{name: N, url: "https://example.org/"}]
        ---
        Text.
        """
        // All kept alive, so no parse reuses another's memory (a dictionary's order follows its address).
        var results: [(Page?, [Diagnostic])] = []
        for _ in 0..<20 { results.append(parse(text)) }
        let first = try #require(results[0].0)
        for result in results.dropFirst() { #expect(try #require(result.0) == first) }
    }

    @Test func kindURLAndSlugFromPath() throws {
        let (faq, _) = parse("---\ntitle: FAQ\nroles: [x]\n---\n## Q?\n\nA.\n", path: "faqs/x.md")
        #expect(faq?.kind == .faq)
        let (index, _) = parse("---\ntitle: Home\n---\n", path: "index.md")
        #expect(index?.url == "/")
        #expect(index?.isIndex == true)
        let (custom, _) = parse("---\ntitle: A\nslug: other-name\n---\n", path: "guides/a.md")
        #expect(custom?.url == "/guides/other-name/")
        let (explicit, _) = parse("---\ntitle: A\nkind: guide\n---\n", path: "misc/a.md")
        #expect(explicit?.kind == .guide)
    }

    @Test func frontMatterWithCRLFAndBOM() {
        let (page, diagnostics) = parse("\u{FEFF}---\r\ntitle: A\r\ncategory: B\r\n---\r\nBody\r\n")
        #expect(diagnostics.isEmpty)
        #expect(page?.title == "A")
        #expect(page?.bodyStartLine == 5)
    }

    /// Each error names the file, line and column of what is wrong.
    @Test(arguments: [
        ("title: A\n", "missing front matter", "content/roles/backend-developer.md:1:1"),
        ("---\ntitle: A\ncategory: B\n", "missing front matter", "content/roles/backend-developer.md:1:1"),
        ("---\ntitle: [unclosed\ncategory: B\n---\n", "invalid YAML", "content/roles/backend-developer.md:"),
        ("---\ncategory: B\n---\n", "missing `title`", "content/roles/backend-developer.md:2:1"),
        ("---\ntitle: A\n---\n", "a role needs a `category`", "content/roles/backend-developer.md:2:1"),
        ("---\ntitle: A\ncategory: B\nsumary: x\n---\n", "unknown key `sumary`", "content/roles/backend-developer.md:4:1"),
        ("---\ntitle: A\ncategory: B\nupdated: 2025-13-01\n---\n", "`updated` must be a date", "content/roles/backend-developer.md:4:10"),
        ("---\ntitle: A\ncategory: B\ndraft: maybe\n---\n", "`draft` must be true or false", "content/roles/backend-developer.md:4:8"),
        ("---\ntitle: A\ncategory: B\nslug: Bad_Slug\n---\n", "`slug` may use only", "content/roles/backend-developer.md:4:7"),
        ("---\ntitle: A\ncategory: B\nsalary:\n  currency: USD\n  median: 100\n---\n", "salary needs `source`", "content/roles/backend-developer.md:5:3"),
        ("---\ntitle: A\ncategory: B\nsalary: {currency: usd, source: s, as_of: 2024-01-01}\n---\n", "`currency` must be an ISO 4217 code", "content/roles/backend-developer.md:4:20"),
        ("---\ntitle: A\ncategory: B\nsalary: {currency: USD, source: s, as_of: 2024-01-01, median: -5}\n---\n", "`median` must be greater than 0", "content/roles/backend-developer.md:4:63"),
        ("---\ntitle: A\ncategory: B\nsalary:\n  currency: USD\n  source: s\n  as_of: 2024-01-01\n  median: 100\n  percentiles: {p25: 120}\n---\n", "`median` (100) must be above `p25` (120)", "content/roles/backend-developer.md:8:11"),
        ("---\ntitle: A\ncategory: B\nsalary:\n  currency: USD\n  source: s\n  as_of: 2024-01-01\n  levels:\n    - {level: Entry, min: 9, max: 5}\n---\n", "`max` (5) is below `min` (9)", "content/roles/backend-developer.md:9:35"),
        ("---\ntitle: A\ncategory: B\nmarket: {open_jobs: 10}\n---\n", "market figures need `source`", "content/roles/backend-developer.md:4:9"),
        ("---\ntitle: A\ncategory: B\noccupation_code: 151252\n---\n", "`occupation_code` must be a SOC", "content/roles/backend-developer.md:4:18"),
        ("---\ntitle: A\ncategory: B\nsources: [{name: X, url: ftp://x}]\n---\n", "a source's `url` must start with http", "content/roles/backend-developer.md:4:26"),
        ("---\ntitle: A\ncategory: B\nroles: [x]\n---\n", "unknown key `roles` in the front matter of a role page", "content/roles/backend-developer.md:4:1"),
    ] as [(String, String, String)])
    func errorNamesPlace(text: String, message: String, location: String) {
        let (_, diagnostics) = parse(text)
        let match = diagnostics.first { $0.message.contains(message) }
        #expect(match != nil, "expected \(message) in \(diagnostics)")
        #expect(match?.location.description.hasPrefix(location) == true, "at \(String(describing: match?.location))")
        #expect(match?.hint != nil || message.contains("unknown") || match?.severity == .error)
    }

    @Test func anUnknownKeyNamesThePagesKindOnce() {
        let (_, diagnostics) = parse("---\ntitle: A\ncategory: B\n---\n", path: "pages/about.md")
        #expect(diagnostics.map(\.message) == ["unknown key `category` in the front matter of a page"])
    }

    /// The typed career data a role page opens with: one case per error the parser gives.
    static let o = "---\ntitle: A\ncategory: B\n"
    @Test(arguments: [
        (o + "outlook: {growth: 5, period: \"2024-2034\", as_of: 2025-08-28}\n---\n", "outlook needs `source`", "content/roles/backend-developer.md:4:10"),
        (o + "outlook: {growth: 5, period: \"2024-2034\", source: s}\n---\n", "outlook needs `as_of`", "content/roles/backend-developer.md:4:10"),
        (o + "outlook: {growth: 5, period: \"2024 to 2034\", source: s, as_of: 2025-08-28}\n---\n", "`period` must be two years like", "content/roles/backend-developer.md:4:30"),
        (o + "outlook: {growth: 5, period: \"2034-2024\", source: s, as_of: 2025-08-28}\n---\n", "`period` must run forward", "content/roles/backend-developer.md:4:30"),
        (o + "outlook: {growth: 5, source: s, as_of: 2025-08-28}\n---\n", "outlook figures need the `period`", "content/roles/backend-developer.md:4:10"),
        (o + "outlook: {growth: -150, period: \"2024-2034\", source: s, as_of: 2025-08-28}\n---\n", "`growth` must be -100 or more", "content/roles/backend-developer.md:4:19"),
        (o + "outlook: {growth: 5000, period: \"2024-2034\", source: s, as_of: 2025-08-28}\n---\n", "`growth` is too large", "content/roles/backend-developer.md:4:19"),
        (o + "outlook: {growth: lots, period: \"2024-2034\", source: s, as_of: 2025-08-28}\n---\n", "`growth` must be a number", "content/roles/backend-developer.md:4:19"),
        (o + "outlook: {employment: 100, projected_employment: 150, growth: 5, period: \"2024-2034\", source: s, as_of: 2025-08-28}\n---\n",
         "`growth` is 5%, but `employment` 100 to `projected_employment` 150 is 50%", "content/roles/backend-developer.md:4:63"),
        (o + "outlook: {openings: -3, period: \"2024-2034\", source: s, as_of: 2025-08-28}\n---\n", "`openings` must be 0 or more", "content/roles/backend-developer.md:4:21"),
        (o + "outlook: {grwth: 5, source: s, as_of: 2025-08-28}\n---\n", "unknown key `grwth`", "content/roles/backend-developer.md:4:11"),
        (o + "outlook: {growth: 5, period: \"2024-2034\", source: s, as_of: 2025-08-28, checked: 2025-01-01}\n---\n",
         "`checked` (2025-01-01) is before the figures' `as_of` (2025-08-28)", "content/roles/backend-developer.md:4:82"),
        (o + "entry_education: bachelors\n---\n", "`entry_education` must be one of none, high-school", "content/roles/backend-developer.md:4:18"),
        (o + "entry_experience: lots\n---\n", "`entry_experience` must be one of none, under-5-years, 5-years-or-more", "content/roles/backend-developer.md:4:19"),
        (o + "career_path:\n  levels:\n    - {title: Junior, pay: 50000}\n---\n", "a career level's `pay` needs the role's `salary`", "content/roles/backend-developer.md:6:28"),
        (o + "salary: {currency: USD, source: s, as_of: 2024-05-31}\ncareer_path:\n  levels:\n    - {title: Junior, pay: {min: 9, max: 5}}\n---\n",
         "`max` (5) is below `min` (9)", "content/roles/backend-developer.md:7:42"),
        (o + "career_path:\n  levels: [{title: Junior}]\n  tracks:\n    - {name: Management, levels: [{title: Manager}]}\n---\n",
         "`tracks` names one track; a path splits into two or more", "content/roles/backend-developer.md:7:5"),
        (o + "career_path:\n  tracks:\n    - {name: A, levels: [{title: a}]}\n    - {levels: [{title: b}]}\n---\n",
         "a career track needs a `name`", "content/roles/backend-developer.md:7:7"),
        (o + "career_path:\n  tracks:\n    - {name: A, levels: [{title: a}]}\n    - {name: B}\n---\n",
         "the career track `B` has no levels", "content/roles/backend-developer.md:7:7"),
        (o + "career_path:\n  tracks:\n" + String(repeating: "    - {name: T, levels: [{title: t}]}\n", count: 4) + "---\n",
         "`tracks` names 4 tracks; at most 3 fit side by side", "content/roles/backend-developer.md:6:5"),
    ])
    func careerDataErrorNamesPlace(text: String, message: String, location: String) {
        errorNamesPlace(text: text, message: message, location: location)
    }

    /// A path that splits after its shared levels: the shared levels, then each track with its own.
    @Test func careerTracksAreRead() throws {
        let text = Self.o + """
        career_path:
          levels: [{title: Junior, years: "0-2"}, {title: Senior}]
          tracks:
            - name: Individual contributor
              levels: [{title: Staff, years: "8+", summary: Sets direction.}, {title: Principal}]
            - name: Management
              levels: [{title: Engineering Manager}]
        ---
        Body.

        """
        let (page, diagnostics) = parse(text)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let path = try #require(page?.role?.careerPath)
        #expect(path.levels.map(\.title) == ["Junior", "Senior"])
        #expect(path.tracks.map(\.name) == ["Individual contributor", "Management"])
        #expect(path.tracks[0].levels.map(\.title) == ["Staff", "Principal"] && path.tracks[0].levels[0].summary == "Sets direction.")
        #expect(path.allLevels.count == 5)
    }

    @Test func entryEducationSuggestsTheNearestValue() {
        let (_, diagnostics) = parse(Self.o + "entry_education: bachelors\n---\n")
        #expect(diagnostics.first?.hint == "did you mean entry_education: bachelor?")
    }

    @Test func careerDataIsRead() throws {
        let text = Self.o + """
        salary: {currency: USD, median: 100, source: s, as_of: 2024-05-31, checked: 2026-12-01}
        outlook: {employment: 1000, projected_employment: 1150, growth: 15, period: "2024-2034", openings: 90, source: p, as_of: 2025-08-28}
        entry_education: some-college
        entry_experience: under-5-years
        career_path:
          levels:
            - {title: Junior, years: "0-2", pay: {min: 50, max: 80}}
            - {title: Senior, pay: 120}
        ---

        """
        let (page, diagnostics) = parse(text)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let role = try #require(page?.role)
        #expect(role.outlook?.growth == 15 && role.outlook?.period == 2024...2034 && role.outlook?.openings == 90)
        #expect(role.outlook?.employment == 1000 && role.outlook?.projectedEmployment == 1150 && role.outlook?.asOf == "2025-08-28")
        #expect(role.salary?.checked == "2026-12-01")
        #expect(role.entryEducation == .someCollege && role.entryExperience == .underFiveYears)
        #expect(role.careerPath?.levels.map(\.pay) == [50...80, 120...120])
    }

    @Test func unknownKeySuggestsTheNearestOne() {
        let (_, diagnostics) = parse("---\ntitle: A\ncategory: B\nskils: [SQL]\n---\n")
        #expect(diagnostics.first?.hint?.hasPrefix("did you mean `skills`?") == true)
    }

    @Test func salaryAndFAQPagesNeedRoles() {
        let (_, diagnostics) = parse("---\ntitle: Pay\n---\n", path: "salaries/x.md")
        #expect(diagnostics.first?.message == "a salary page needs `roles`")
    }

    @Test func reportsEveryErrorOfAFile() {
        let (_, diagnostics) = parse("---\ntitle: A\ncategory: B\nupdated: tomorrow\ndraft: maybe\n---\n")
        #expect(diagnostics.count == 2)
    }
}

@Suite struct SiteConfigTests {
    @Test func valid() throws {
        let (config, diagnostics) = SiteConfig.load(text: "title: T\nbase_url: https://example.org/guides\n", file: "guidegen.yml", baseURLOverride: nil)
        #expect(diagnostics.isEmpty)
        #expect(config?.baseURL == "https://example.org/guides/")
        #expect(config?.basePath == "/guides/")
        #expect(config?.link("/roles/x/") == "/guides/roles/x/")
        #expect(config?.permalink("/roles/x/") == "https://example.org/guides/roles/x/")
    }

    @Test func unknownKeyIsAnError() {
        let (config, diagnostics) = SiteConfig.load(text: "title: T\nbase_url: https://x.org/\ntheem: dark\n", file: "guidegen.yml", baseURLOverride: nil)
        #expect(config == nil)
        #expect(diagnostics.first?.description.hasPrefix("guidegen.yml:3:1: error: unknown key `theem` in guidegen.yml") == true)
        #expect(diagnostics.first?.hint?.contains("did you mean `theme`?") == true)
    }

    @Test func missingTitleAndBadBaseURL() {
        let (_, diagnostics) = SiteConfig.load(text: "base_url: example.org\n", file: "guidegen.yml", baseURLOverride: nil)
        #expect(diagnostics.contains { $0.message.contains("no `title`") })
        #expect(diagnostics.contains { $0.message.contains("`base_url` must be an absolute http(s) URL") && $0.location.line == 1 })
    }

    @Test func baseURLOverride() {
        let (config, _) = SiteConfig.load(text: "title: T\nbase_url: https://x.org/\n", file: "guidegen.yml", baseURLOverride: "https://y.org/sub/")
        #expect(config?.basePath == "/sub/")
    }
}
