import Content
import Foundation
import Graph
import Markdown
import Templates

/// View models: plain dictionaries the Mustache templates read. Every URL in them
/// already carries the base path; every string is escaped by the template.
extension Renderer {
    var link: (String) -> String { graph.config.link }

    /// What every page shows of the site (title, links, navigation), made once per build.
    static func siteView(_ graph: SiteGraph, theme: Theme) -> View {
        let config = graph.config
        // The theme's assets by their fingerprinted names (`{{site.assets.style_css}}`).
        var assets: View = [:]
        for (path, named) in theme.fingerprinted { assets[Theme.assetKey(path)] = config.link("/" + named) }
        let order = ["roles", "categories", "skills", "salaries", "faqs", "guides"]
        let navHubs = graph.hubs.filter { hub in
            switch hub.kind {
            case .section, .categories, .skills: return true
            default: return false
            }
        }.sorted { a, b in
            let (ka, kb) = (a.url.split(separator: "/").first.map(String.init) ?? "", b.url.split(separator: "/").first.map(String.init) ?? "")
            return (order.firstIndex(of: ka) ?? order.count, a.url) < (order.firstIndex(of: kb) ?? order.count, b.url)
        }
        return [
            "title": config.title,
            "language": config.language,
            "base": config.basePath,
            "search": config.search,
            "home": config.link("/"),
            "feed": config.link("/feed.xml"),
            "favicon": assets["favicon_svg"] ?? config.link("/favicon.svg"),
            "assets": assets,
            "roles": config.link("/roles/"),
            "categories": config.link("/categories/"),
            "skills": config.link("/skills/"),
            "nav": navHubs.map { hub -> View in
                ["title": hub.kind == .section("roles") ? "Roles" : hub.title, "url": config.link(hub.url), "path": hub.url]
            },
        ]
    }

    /// What every page's head and chrome need. `kind` is the Open Graph type: `website` for the
    /// home page and lists, `article` for pages written by a writer.
    func baseContext(title: String, url: String, description: String, crumbs: [Crumb], kind: String = "article") -> View {
        let config = graph.config
        let site = siteView
        var context: View = [
            "site": site,
            "title": url == "/" ? config.title : "\(title) · \(config.title)",
            "description": description,
            "canonical": config.permalink(url),
            "noindex": false,
            "share": ["type": kind, "title": url == "/" ? config.title : title, "image": config.permalink("/" + (theme.fingerprinted["share.png"] ?? "share.png"))] as View,
            "breadcrumbs": false,
            "sortable": false,
            "filterable": false,
            "chrome": ["header": headers[url] ?? header, "footer": footer] as View,
        ]
        if crumbs.count > 1 {
            context["breadcrumbs"] = crumbs.enumerated().map { index, crumb -> View in
                ["title": crumb.title, "url": link(crumb.url), "current": index == crumbs.count - 1]
            }
        }
        return context
    }

    func bodyHTML(_ id: PageID) -> String {
        let urls = graph.relations(of: id).linkURLs
        return Self.scrollable(graph[id].body.html { urls[$0] })
    }

    func pageView(_ id: PageID) -> View {
        let page = graph[id]
        var view: View = [
            "title": page.title,
            "content": bodyHTML(id),
            "kind": kindLabel(page.kind),
        ]
        if let summary = page.summary { view["summary"] = summary }
        if let updated = page.updated { view["updated"] = ["iso": updated, "text": Format.date(updated)] as View }
        var toc: [View] = page.body.headings.filter { $0.level == 2 }.map { ["id": $0.id, "text": $0.text] }
        toc += generatedSections(id).map { ["id": $0.id, "text": $0.title] }
        if toc.count >= 3 { view["toc"] = toc }
        if !page.sources.isEmpty { view["sources"] = page.sources.map(sourceView) }
        // "Edit this page": the site's edit address and the page's file, its path segments encoded.
        if let edit = graph.config.editURL {
            view["editURL"] = edit + page.source.split(separator: "/").map { URLEncoding.encode(String($0)) }.joined(separator: "/")
        }
        return view
    }

    /// The sections the default theme makes after a role page's body, in order, for its table of contents.
    func generatedSections(_ id: PageID) -> [(id: String, title: String)] {
        let page = graph[id]
        let relations = graph.relations(of: id)
        // Other pages end with short generated lists (roles on the page, links here, sources): the
        // table of contents is the writer's headings there.
        guard let role = page.role else { return [] }
        var sections: [(id: String, title: String)] = []
        let career = relations.careerLinks
        if role.careerPath.map({ !$0.allLevels.isEmpty }) == true || !career.from.isEmpty || !career.to.isEmpty {
            sections.append(("gg-career-path", "Career path"))
        }
        if let salary = role.salary, Self.hasPayDetail(salary) { sections.append(("gg-pay-detail", "Pay by level")) }
        if role.stateWages != nil { sections.append(("gg-pay-by-state", "Pay by state")) }
        if role.market != nil { sections.append(("gg-market-figures", "Job market figures")) }
        if !role.skills.isEmpty || !role.industries.isEmpty { sections.append(("gg-skills-industries", "Skills and industries")) }
        if !relations.related.isEmpty || !career.specializations.isEmpty || !relations.comparisons.isEmpty {
            sections.append(("gg-related-roles", "Neighbouring roles"))
        }
        if !(relations.resources.salaries + relations.resources.faqs + relations.resources.guides).isEmpty {
            sections.append(("gg-related-resources", "Guides and answers"))
        }
        if !page.sources.isEmpty { sections.append(("gg-sources", "Sources")) }
        return sections
    }

    /// Whether the pay has more than the quick facts and their chart show: level bands, or percentiles the
    /// chart cannot draw.
    static func hasPayDetail(_ salary: Salary) -> Bool {
        !salary.levels.isEmpty || (salary.percentiles != nil && SalaryChart.svg(salary) == nil)
    }

    func roleView(_ id: PageID) -> View {
        guard let role = graph[id].role else { return [:] }
        let relations = graph.relations(of: id)
        var view: View = [
            "category": ["name": role.category, "url": link("/categories/\(Slug.make(role.category))/")] as View,
        ]
        if !role.skills.isEmpty {
            view["skills"] = role.skills.map { ["name": $0, "url": link("/skills/\(Slug.make($0))/")] as View }
        }
        // What else the role is called, and its code: one line under the figures.
        var identity: [String] = []
        if !role.alternateTitles.isEmpty { identity.append("Also called " + Format.list(role.alternateTitles)) }
        // The code, unless the whose-figures line above names it already (15-1252 for 15-1252.00).
        if let code = role.occupationCode, role.occupation.map({ !code.hasPrefix($0.code) }) ?? true { identity.append("occupation code " + code) }
        if let first = identity.first?.first {
            view["identity"] = String(first).uppercased() + (identity.joined(separator: "; ") + ".").dropFirst()
        }
        view["skillsOrIndustries"] = !role.skills.isEmpty || !role.industries.isEmpty
        if !role.industries.isEmpty { view["industries"] = Format.list(role.industries) }
        let getIn = getIn(id)
        view["facts"] = quickFacts(id, getIn: getIn)
        view["getIn"] = getIn
        view["whose"] = role.occupation.flatMap { Self.whoseFigures($0, roleTitle: graph[id].title) } ?? false
        view["missing"] = Self.missingFigures(role) ?? false
        view["states"] = role.stateWages.map { stateView($0, roleTitle: graph[id].title) } ?? false
        if let salary = role.salary, Self.hasPayDetail(salary) {
            var detail = salaryView(salary)
            // The quick facts show the hourly figure already.
            if salary.period == .year { detail["hourly"] = false }
            view["salary"] = detail
        }
        if let market = role.market { view["market"] = marketView(market) }
        let career = relations.careerLinks
        view["career"] = careerView(graph[id], career: career)
        view["related"] = neighbours(relations, occupation: role.occupation)
        // Short: the other role's title, with this one's before it for screen readers ("Backend Developer vs").
        view["hasNeighbours"] = !relations.related.isEmpty || !relations.careerLinks.specializations.isEmpty || !relations.comparisons.isEmpty
        view["comparisons"] = relations.comparisons.map {
            ["other": cardData($0.other).title, "lead": "\(graph[id].title) vs ", "url": link($0.url)] as View
        }
        let resources = relations.resources
        let guides = resources.salaries + resources.faqs + resources.guides
        if !guides.isEmpty {
            view["resources"] = guides.map { id -> View in
                let page = cardData(id)
                return ["title": page.title, "url": link(page.url), "kind": kindLabel(page.kind)]
            }
        }
        return view
    }

    /// The roles next to this one, in one list: its related roles (with why each is there), then the
    /// specializations the related list does not already hold. False when there are none.
    /// A role whose figures are the same occupation's as this one's says so instead of repeating the same median.
    func neighbours(_ relations: Relations, occupation: Occupation?) -> any Sendable {
        let career = relations.careerLinks
        func entry(_ id: PageID, why: String) -> View {
            var entry = card(id)
            entry["why"] = why
            if let occupation, cardData(id).inputs.role?.occupation?.code == occupation.code {
                entry["median"] = false
                entry["sameFigures"] = true
            }
            return entry
        }
        var entries = relations.related.map { entry($0.page, why: Self.why($0, career: career)) }
        let listed = Set(relations.related.map(\.page))
        for id in career.specializations where !listed.contains(id) {
            entries.append(entry(id, why: "A specialization of this role"))
        }
        return entries.isEmpty ? false : entries
    }

    /// What a related-role card says about why it is there, in a reader's words: where it sits on
    /// this role's career path, else the skills the two share, else their common category.
    static func why(_ item: RelatedRole, career: CareerLinks) -> String {
        if career.to.contains(item.page) { return "Often the next step" }
        if career.from.contains(item.page) { return "A common way into this role" }
        if career.specializations.contains(item.page) { return "A specialization of this role" }
        let skills = item.reasons.compactMap { reason -> String? in
            if case let .skill(name, _, _) = reason { return name }
            return nil
        }
        if !skills.isEmpty { return "Shares " + Format.list(Array(skills.prefix(3))) }
        for reason in item.reasons {
            if case let .category(name, _) = reason { return "Also in \(name)" }
        }
        return "Works closely with this role"
    }

    /// Whether two places of a page in the graph show alike: related roles by their card and reason,
    /// not by score (a new role changes every score a little, and most lists not at all).
    func sameShown(_ a: Relations?, _ b: Relations?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        if a == b { return true }
        return a.linkURLs == b.linkURLs && a.backlinks == b.backlinks && a.resources == b.resources && a.roles == b.roles
            && a.careerLinks == b.careerLinks && a.breadcrumbs == b.breadcrumbs && a.comparisons == b.comparisons
            && a.related.map(\.page) == b.related.map(\.page)
            && a.related.map { Self.why($0, career: a.careerLinks) } == b.related.map { Self.why($0, career: b.careerLinks) }
    }

    func salaryView(_ salary: Salary) -> View {
        let money = { Format.money($0, currency: salary.currency) }
        let per = salary.period == .year ? "a year" : "an hour"
        // `role` (the role's title) is set by salary guides; false here so the partial does not find another `role`.
        var view: View = ["source": Format.clause(salary.source), "asOf": Format.asOf(salary.asOf, checked: salary.checked), "per": per,
                                   "role": false, "chart": false, "hourly": false]
        if let median = salary.median { view["median"] = Format.pay(median, .median, of: salary) }
        var rows: [View] = []
        let p = salary.percentiles
        for (label, figure, value) in [("10th percentile", Salary.Figure.p10, p?.p10), ("25th percentile", .p25, p?.p25), ("Median", .median, salary.median),
                                       ("75th percentile", .p75, p?.p75), ("90th percentile", .p90, p?.p90)] {
            if let value { rows.append(["label": label, "value": Format.pay(value, figure, of: salary)]) }
        }
        // The chart draws the percentiles and says them in its label: the table is for figures it cannot draw.
        if rows.count > 1 {
            if let chart = SalaryChart.svg(salary) { view["chart"] = chart } else { view["percentiles"] = rows }
        }
        if !salary.levels.isEmpty {
            view["levels"] = salary.levels.map { ["level": $0.level, "min": money($0.min), "max": money($0.max)] as View }
        }
        if let hourly = salary.hourly { view["hourly"] = Format.moneyRange(hourly, currency: salary.currency, cents: true) }
        return view
    }

    func marketView(_ market: Market) -> View {
        var view: View = ["source": Format.clause(market.source), "asOf": Format.asOf(market.asOf, checked: market.checked)]
        if let jobs = market.openJobs { view["openJobs"] = Format.number(jobs) }
        if let employers = market.employers { view["employers"] = Format.number(employers) }
        if let seekers = market.jobSeekers { view["jobSeekers"] = Format.number(seekers) }
        if let jobs = market.openJobs, let seekers = market.jobSeekers, jobs > 0 {
            view["seekersPerJob"] = Format.number((seekers / jobs).rounded())
        }
        return view
    }

    func sourceView(_ source: SourceRef) -> View {
        ["name": source.name, "url": source.url, "license": source.license ?? false, "attribution": source.attribution ?? false]
    }

    /// What another page's output may show of this one. Views read other pages only through it,
    /// so an output changes with another page only when that page's card data does.
    func cardData(_ id: PageID) -> PageCard {
        pageCards[id] ?? PageCard(graph[id])
    }

    /// A page as a link with its title, kind and summary.
    func card(_ id: PageID) -> View {
        let page = cardData(id)
        // Every key is set (false when there is no value): a missing key would make Mustache
        // look it up in the enclosing lists and show another page's value.
        var view: View = [
            "title": page.title, "url": link(page.url), "kind": kindLabel(page.kind), "label": kindLabel(page.kind),
            "summary": page.summary ?? false, "category": false, "median": false,
        ]
        if let category = page.category {
            view["category"] = category
            view["label"] = category
            if let median = page.median {
                // Another occupation's median is labelled as such, not shown as the role's own.
                view["median"] = median + (page.compare.figuresOf.map { " (\($0))" } ?? "")
            }
        }
        return view
    }

    /// A role on the home page: its name, category, median pay (whose, where shared), outlook and entry education.
    func roleTile(_ id: PageID) -> View {
        let page = cardData(id)
        var view = card(id)
        view["growth"] = page.compare.growth ?? false
        view["education"] = page.compare.education ?? false
        view["hasFigures"] = page.median != nil || page.compare.growth != nil || page.compare.education != nil
        return view
    }

    /// How many guides the home page lists as newest.
    static let newestShown = 6

    /// The salary guides, FAQs and guides most recently updated, newest first (then by title), for the home page.
    func newestGuides() -> any Sendable {
        let dated = graph.ids.compactMap { id -> (PageID, String)? in
            let page = graph[id]
            guard [.salary, .faq, .guide].contains(page.kind), !page.isIndex, let updated = page.updated else { return nil }
            return (id, updated)
        }
        let newest = dated.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : graph[a.0].title < graph[b.0].title }.prefix(Self.newestShown)
        guard !newest.isEmpty else { return false }
        return newest.map { id, updated -> View in
            ["title": graph[id].title, "url": link(graph[id].url), "kind": kindLabel(graph[id].kind),
             "updated": ["iso": updated, "text": Format.date(updated)] as View]
        }
    }

    func roleLinks(_ ids: [PageID]) -> [View] {
        ids.map { ["title": cardData($0).title, "url": link(cardData($0).url)] }
    }

    func kindLabel(_ kind: PageKind) -> String {
        switch kind {
        case .role: "Role"
        case .salary: "Salary guide"
        case .faq: "FAQ"
        case .guide: "Guide"
        case .page: "Page"
        }
    }

    /// About the first 160 characters of the text, cut at a word, for a description.
    func excerpt(_ text: String) -> String {
        let head = text.prefix(400)
        let flat = head.split(whereSeparator: { $0 == "\n" || $0 == " " }).joined(separator: " ")
        if flat.count <= 160, head.count == text.count { return flat }
        let cut = flat.prefix(157)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }
}

/// Numbers and dates as the pages show them; the same everywhere, whatever the machine's locale.
enum Format {
    static let symbols = ["USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "CA$", "AUD": "A$"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    static func number(_ value: Double, decimals: Int = 0) -> String {
        let scale = pow(10, Double(decimals))
        let rounded = (abs(value) * scale).rounded()
        let whole = Int(rounded / scale)
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        if decimals > 0 {
            let fraction = Int(rounded) - whole * Int(scale)
            grouped += "." + String(repeating: "0", count: decimals - String(fraction).count) + String(fraction)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    static func money(_ value: Double, currency: String, cents: Bool = false) -> String {
        let showCents = cents || value != value.rounded()
        let amount = number(value, decimals: showCents ? 2 : 0)
        if let symbol = symbols[currency] { return symbol + amount }
        return "\(currency) \(amount)"
    }

    /// `15` -> `+15%`, `-4.2` -> `-4.2%`.
    static func percentChange(_ value: Double) -> String {
        let text = value == value.rounded() ? String(Int(abs(value))) : oneDecimal(abs(value))
        return (value > 0 ? "+" : value < 0 ? "−" : "") + text + "%"
    }

    /// `value` with one decimal, rounded half away from zero (`12.25` -> `12.3`, `-0.04` -> `0.0`):
    /// what the SVGs and tables write many times a page, without Foundation's slow `String(format:)`.
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let magnitude = tenths.magnitude
        return (tenths < 0 ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    /// A figure of a salary as shown: `$239,200 or more` where the survey top-codes it (OEWS `#`).
    static func pay(_ value: Double, _ figure: Salary.Figure, of salary: Salary) -> String {
        money(value, currency: salary.currency) + (salary.atLeast.contains(figure) ? " or more" : "")
    }

    /// `$50,000`, or `$50,000–$80,000` for a range.
    static func moneyRange(_ range: ClosedRange<Double>, currency: String, cents: Bool = false) -> String {
        range.lowerBound == range.upperBound ? money(range.lowerBound, currency: currency, cents: cents)
            : money(range.lowerBound, currency: currency, cents: cents) + "–" + money(range.upperBound, currency: currency, cents: cents)
    }

    /// A projection period as pages show it: `2024–34`.
    static func period(_ years: ClosedRange<Int>) -> String {
        "\(years.lowerBound)–\(String(years.upperBound).suffix(2))"
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// Text that a template continues (`Source: ..., as of ...`), without its closing full stop.
    static func clause(_ text: String) -> String {
        var text = text
        while text.hasSuffix(".") || text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// A figure's date for a source line, with when a writer last looked for newer figures.
    static func asOf(_ iso: String, checked: String?) -> View {
        ["iso": iso, "text": date(iso), "checked": checked.map { ["iso": $0, "text": date($0)] as View } ?? false]
    }

    /// `2024-05-31` -> `31 May 2024`.
    static func date(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return iso }
        return "\(day) \(months[month - 1]) \(parts[0])"
    }
}

/// What other pages' outputs show of a page: a card, a link, an entry in a list, made from its
/// `CardInputs` alone. A class: views read it many times a page, and a renderer keeps one per page,
/// shared with the next renderer.
public final class PageCard: Sendable, Hashable {
    /// What it is made from: equal inputs make equal cards.
    public let inputs: CardInputs
    /// Roles: the median pay as shown.
    public let median: String?
    /// What the role comparison table shows.
    public let compare: CompareData

    public var title: String { inputs.title }
    public var url: String { inputs.url }
    public var kind: PageKind { inputs.kind }
    public var summary: String? { inputs.summary }
    public var isIndex: Bool { inputs.isIndex }
    /// Roles: the category.
    public var category: String? { inputs.role?.category }
    /// The pay figures salary guides show for the roles they cover.
    public var salary: Salary? { inputs.role?.salary }

    public convenience init(_ page: Page) {
        self.init(CardInputs(page))
    }

    public init(_ inputs: CardInputs) {
        self.inputs = inputs
        compare = CompareData(inputs.role, title: inputs.title)
        if let salary = inputs.role?.salary, let median = salary.median {
            self.median = Format.pay(median, .median, of: salary)
        } else {
            median = nil
        }
    }

    public static func == (a: PageCard, b: PageCard) -> Bool {
        a === b || a.inputs == b.inputs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(inputs.url)
        hasher.combine(inputs.title)
    }
}
