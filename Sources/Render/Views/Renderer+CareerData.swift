import Content
import Foundation
import Graph
import Templates

/// View models for the typed career data: quick facts, the career path diagram, the role comparison
/// table and the pay figures salary guides show for the roles they cover.
extension Renderer {
    /// What a role page opens with, so its first screen answers "what does it pay, will there be jobs, how
    /// do I get in": four headline tiles (median pay, outlook, entry education, the route in), then the
    /// detail groups, pay (its chart) and jobs, each with its source and date. False when there is nothing.
    /// `getIn` is the role's "How to get in" box (`getIn(_:)`), which the route tile leads to.
    func quickFacts(_ id: PageID, getIn: any Sendable) -> any Sendable {
        guard let role = graph[id].role else { return false }
        var glance: [View] = []
        if let salary = role.salary, let median = salary.median {
            glance.append(["label": "Median pay", "value": Format.pay(median, .median, of: salary), "note": salary.period == .year ? "a year" : "an hour", "url": false])
        }
        if let outlook = role.outlook, let growth = outlook.growth {
            var note = outlook.period.map { "change \(Format.period($0))" } ?? "change"
            if let band = outlook.band { note = band.lowercased() + ", " + note }
            if let all = outlook.allOccupationsGrowth { note += "; all jobs \(Format.percentChange(all))" }
            glance.append(["label": "Outlook", "value": Format.percentChange(growth), "note": note, "url": false])
        }
        if let education = role.entryEducation { glance.append(["label": "Typical entry education", "value": education.label, "note": false, "url": false]) }
        if let box = getIn as? View, let route = box["route"] as? View {
            glance.append(["label": "How to get in", "value": false, "note": false, "url": route["url"] ?? false, "linkText": "The route, step by step"])
        } else if getIn is View {
            glance.append(["label": "How to get in", "value": false, "note": false, "url": "#gg-get-in", "linkText": "What employers ask for"])
        }
        var groups: [View] = []
        if let salary = role.salary, salary.median != nil || salary.percentiles != nil || salary.hourly != nil {
            var facts: [View] = []
            if let hourly = salary.hourly, salary.period == .year {
                facts.append(["label": hourly.lowerBound == hourly.upperBound ? "Median hourly" : "Hourly",
                              "value": Format.moneyRange(hourly, currency: salary.currency, cents: true), "note": "an hour"])
            }
            let chart = SalaryChart.svg(salary)
            // The chart draws the 10th to 90th percentiles; without it they are a figure of their own.
            if chart == nil, let low = salary.percentiles?.p10, let high = salary.percentiles?.p90 {
                facts.append(["label": "Middle 80%", "value": Format.pay(low, .p10, of: salary) + "–" + Format.pay(high, .p90, of: salary),
                              "note": "10th to 90th percentile"])
            }
            if let wages = role.stateWages, let top = Self.topStates(wages) {
                facts.append(["label": "Highest-paying states", "value": top, "note": "median"])
            }
            groups.append(["title": "Pay" + (salary.period == .year ? ", a year" : ", an hour"), "facts": facts.isEmpty ? false : facts,
                           "source": Format.clause(salary.source), "asOf": Format.asOf(salary.asOf, checked: salary.checked),
                           "chart": chart ?? false, "seeSources": false])
        }
        if let outlook = role.outlook {
            var facts: [View] = []
            if let employment = outlook.employment {
                facts.append(["label": "Jobs", "value": Format.number(employment), "note": outlook.period.map { "in \($0.lowerBound)" } ?? false])
            }
            if let openings = outlook.openings {
                facts.append(["label": "Openings", "value": Format.number(openings), "note": "a year on average"])
            }
            if !facts.isEmpty || outlook.growth != nil {
                groups.append(["title": "Jobs and outlook", "facts": facts.isEmpty ? false : facts, "source": Format.clause(outlook.source),
                               "asOf": Format.asOf(outlook.asOf, checked: outlook.checked), "chart": false, "seeSources": false])
            }
        }
        guard !glance.isEmpty || !groups.isEmpty else { return false }
        return ["glance": glance.isEmpty ? false : glance, "groups": groups] as View
    }

    /// "How to get in": the entry education, experience and training the outlook survey lists (with its
    /// source), the writer's education text and certifications, and the route the role's how-to guide
    /// sets out (its summary and link). False when the role has none of them.
    func getIn(_ id: PageID) -> any Sendable {
        guard let role = graph[id].role else { return false }
        var facts: [View] = []
        if let experience = role.entryExperience { facts.append(["label": "Experience in a related role", "value": experience.label]) }
        if let training = role.training { facts.append(["label": "On-the-job training", "value": training]) }
        let guide = howToGuide(graph.relations(of: id).resources.guides).map { id -> View in
            let card = cardData(id)
            return ["title": card.title, "url": link(card.url), "summary": card.summary ?? false]
        }
        guard !facts.isEmpty || role.education != nil || !role.certifications.isEmpty || guide != nil || role.entryEducation != nil else { return false }
        var view: View = ["facts": facts.isEmpty ? false : facts, "education": role.education ?? false, "route": guide ?? false,
                          "certifications": role.certifications.isEmpty ? false : role.certifications.joined(separator: "; ")]
        // The entry facts come from the outlook survey (BLS publishes them together); without one they are the writer's.
        let entryFacts = !facts.isEmpty || role.entryEducation != nil
        // With an outlook group above, its source line covers these too.
        view["source"] = false
        view["sameSource"] = entryFacts && role.outlook?.growth != nil || entryFacts && role.outlook?.employment != nil
        if entryFacts, let outlook = role.outlook, view["sameSource"] as? Bool != true {
            view["source"] = Format.clause(outlook.source)
            view["asOf"] = Format.asOf(outlook.asOf, checked: outlook.checked)
        }
        view["seeSources"] = entryFacts && role.outlook == nil && !graph[id].sources.isEmpty
        return view
    }

    /// The role's how-to guide among the guides about it: the first whose file name or title says "how to become".
    func howToGuide(_ guides: [PageID]) -> PageID? {
        guides.first { id in
            let card = cardData(id)
            return card.url.split(separator: "/").last?.hasPrefix("how-to-become") == true || card.title.lowercased().hasPrefix("how to become")
        }
    }

    /// Why a role's quick facts have no pay or no outlook: the reader is told, not left with an empty space.
    static func missingFigures(_ role: RoleData) -> String? {
        let pay = role.salary?.median != nil || role.salary?.percentiles != nil
        let outlook = role.outlook?.growth != nil
        if pay && outlook { return nil }
        let missing = !pay && !outlook ? "pay or outlook figures" : !pay ? "pay figures" : "outlook figures"
        if let occupation = role.occupation {
            return "The data files this site reads hold no \(missing) for \(occupation.title) (\(occupation.code))."
        }
        if let code = role.occupationCode {
            return "This guide has no \(missing) for this role yet: no data file is declared for occupation \(code), and none are typed."
        }
        return "This guide has no \(missing) for this role: it names no official occupation whose figures would describe it."
    }

    /// The career path diagram (SVG) and its text alternative (the shared levels, then each track), false
    /// without a career path.
    func careerView(_ page: Page, career: CareerLinks) -> any Sendable {
        guard let role = page.role else { return false }
        let path = role.careerPath ?? CareerPath()
        guard !path.allLevels.isEmpty || !career.from.isEmpty || !career.to.isEmpty else { return false }
        let currency = role.salary?.currency ?? ""
        func pay(_ range: ClosedRange<Double>?) -> String? { range.map { Format.moneyRange($0, currency: currency) } }
        func drawn(_ level: CareerPath.Level) -> CareerDiagram.Level {
            let parts = [level.years.map { "\($0) years" }, pay(level.pay)].compactMap { $0 }
            return CareerDiagram.Level(title: level.title, detail: parts.isEmpty ? nil : parts.joined(separator: " · "))
        }
        func listed(_ levels: [CareerPath.Level]) -> any Sendable {
            levels.isEmpty ? false : levels.map { level -> View in
                ["title": level.title, "years": level.years ?? false, "summary": level.summary ?? false, "pay": pay(level.pay) ?? false]
            }
        }
        let diagram = CareerDiagram.svg(
            levels: path.levels.map(drawn),
            tracks: path.tracks.map { CareerDiagram.Track(name: $0.name, levels: $0.levels.map(drawn)) },
            from: career.from.map { CareerDiagram.Link(title: cardData($0).title, url: link(cardData($0).url)) },
            to: career.to.map { CareerDiagram.Link(title: cardData($0).title, url: link(cardData($0).url)) },
            label: "Career path diagram for \(page.title): levels\(path.tracks.isEmpty ? "" : " and the tracks they split into"), the roles people come from and the roles it leads to"
        )
        var view: View = ["diagram": diagram ?? false, "levels": listed(path.levels)]
        view["tracks"] = path.tracks.isEmpty ? false : [
            "count": ["one", "two", "three"].indices.contains(path.tracks.count - 1) ? ["one", "two", "three"][path.tracks.count - 1] : String(path.tracks.count),
            "list": path.tracks.map { ["name": $0.name, "levels": listed($0.levels)] as View },
        ] as View
        view["payNote"] = path.allLevels.contains { $0.pay != nil } ? role.salary.map { Format.clause($0.source) } ?? false : false
        return view
    }

    /// One row of the role comparison table, from what other pages may show of a role (its card).
    func compareRow(_ id: PageID) -> View {
        let card = cardData(id)
        let compare = card.compare
        func cell(_ text: String?, sort: String) -> View { ["text": text ?? "–", "sort": sort] }
        return [
            "title": card.title, "url": link(card.url), "figuresOf": compare.figuresOf ?? false,
            "category": cell(card.category, sort: card.category ?? ""),
            "median": cell(card.median, sort: compare.medianValue.map { String(Int($0.rounded())) } ?? ""),
            "range": cell(compare.range, sort: compare.lowValue.map { String(Int($0.rounded())) } ?? ""),
            "outlook": cell(compare.growth, sort: compare.growthValue.map(Format.oneDecimal) ?? ""),
            "education": cell(compare.education, sort: compare.educationRank.map(String.init) ?? ""),
            "filter": Self.filterAttributes(compare),
        ]
    }

    /// The comparison table of these roles, with a caption and the sources of its figures.
    func compareTable(_ ids: [PageID], caption: String) -> View {
        var sources: [String] = []
        for id in ids {
            for source in cardData(id).compare.sources where !sources.contains(source) { sources.append(source) }
        }
        return ["caption": caption, "rows": rows(ids), "sources": TemplateText.list(sources.sorted()), "filters": compareFilters(ids)]
    }

    /// "Median pay from $X (Role) to $Y (Role)" over roles paid in one currency.
    func payRange(_ ids: [PageID]) -> any Sendable {
        let paid = ids.compactMap { id -> (PageID, Double, String)? in
            let card = cardData(id)
            guard let value = card.compare.medianValue, let currency = card.compare.currency else { return nil }
            return (id, value, currency)
        }
        guard paid.count >= 2, Set(paid.map(\.2)).count == 1,
              let low = paid.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }), let high = paid.max(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return false }
        return [
            "same": low.1 == high.1 ? ["value": Format.money(low.1, currency: low.2)] as View : false,
            "low": ["value": Format.money(low.1, currency: low.2), "title": cardData(low.0).title, "url": link(cardData(low.0).url)] as View,
            "high": ["value": Format.money(high.1, currency: high.2), "title": cardData(high.0).title, "url": link(cardData(high.0).url)] as View,
            "count": paid.count,
        ] as View
    }

    /// A salary guide's figures: for each role it covers, the role's typed pay (chart, percentiles,
    /// hourly, levels, source) as the role page shows it, so a figure is written once.
    func coveredPay(_ roles: [PageID]) -> any Sendable {
        let views = roles.compactMap { id -> View? in
            let card = cardData(id)
            guard let salary = card.salary else { return nil }
            var view = salaryView(salary)
            view["role"] = card.title
            view["whose"] = card.inputs.role?.occupation.flatMap { Self.whoseFigures($0, roleTitle: card.title) } ?? false
            view["url"] = link(card.url)
            view["id"] = "gg-pay-" + (card.url.split(separator: "/").last.map(String.init) ?? "role")
            return view
        }
        return views.isEmpty ? false : views
    }
}

/// What the comparison table shows of a role: part of its card, so tables change when it does.
public struct CompareData: Sendable, Hashable {
    public var medianValue: Double?
    public var lowValue: Double?
    public var currency: String?
    /// p10 to p90, formatted.
    public var range: String?
    public var growth: String?
    public var growthValue: Double?
    public var education: String?
    public var educationRank: Int?
    /// What the table's filters match: the category's slug, the entry education's key, the growth band.
    public var categorySlug: String?
    public var educationKey: String?
    public var growthBand: GrowthBand?
    public var payPeriod: Salary.Period?
    /// Where the row's figures come from, with their dates.
    public var sources: [String] = []
    /// The occupation whose figures the row shows, when they are not the role's alone.
    public var figuresOf: String?

    init(_ role: CardInputs.Role?, title: String) {
        guard let role else { return }
        figuresOf = Renderer.figuresLabel(role.occupation, roleTitle: title)
        let slug = Slug.make(role.category)
        categorySlug = slug.isEmpty ? nil : slug
        if let salary = role.salary {
            currency = salary.currency
            payPeriod = salary.period
            medianValue = salary.median
            lowValue = salary.percentiles?.p10
            if let low = salary.percentiles?.p10, let high = salary.percentiles?.p90 {
                range = Format.pay(low, .p10, of: salary) + "–" + Format.pay(high, .p90, of: salary)
            }
            if salary.median != nil || range != nil { sources.append("\(Format.clause(salary.source)), as of \(Format.date(salary.asOf))") }
        }
        if let outlook = role.outlook, let growth = outlook.growth {
            growthValue = growth
            growthBand = GrowthBand(growth: growth)
            self.growth = Format.percentChange(growth) + (outlook.period.map { " (\(Format.period($0)))" } ?? "")
            sources.append("\(Format.clause(outlook.source)), as of \(Format.date(outlook.asOf))")
        }
        education = role.entryEducation?.label
        educationRank = role.entryEducation?.rank
        educationKey = role.entryEducation?.rawValue
    }
}
