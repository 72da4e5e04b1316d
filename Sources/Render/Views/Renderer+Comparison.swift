import Content
import Foundation
import Graph
import Markdown
import Templates

/// The "X vs Y" pages: both roles' figures side by side, the skills they share and do not, their
/// routes in, and what the writer says of the difference. A comparison reads both roles' pages
/// whole (figures, skills, body, resources): `changedOutputs` renders it again when either changes.
extension Renderer {
    func renderComparison(_ hub: Hub) -> String {
        var context = baseContext(title: hub.title, url: hub.url, description: hub.summary ?? hub.title, crumbs: hub.breadcrumbs)
        context["page"] = comparisonView(hub)
        context["jsonld"] = TemplateText.list([breadcrumbList(hub.breadcrumbs).text])
        return theme.render(context, template: "compare")
    }

    func comparisonView(_ hub: Hub) -> View {
        let (first, second) = (hub.members[0], hub.members[1])
        let roles = [first, second]
        var view: View = ["title": hub.title, "summary": hub.summary ?? false]
        view["roles"] = roles.enumerated().map { index, id in comparedRole(id, number: index + 1) }
        view["sameFigures"] = Self.sameFigures(graph[first], graph[second]) ?? false
        view["skills"] = comparedSkills(first, second)
        view["notes"] = [differenceNote(first, from: second), differenceNote(second, from: first)]
        return view
    }

    /// One role's column: its summary, pay, outlook and entry requirements, and its routes in.
    func comparedRole(_ id: PageID, number: Int) -> View {
        let page = graph[id]
        let role = page.role ?? RoleData(category: "")
        let relations = graph.relations(of: id)
        var view: View = [
            "id": "gg-role-\(number)", "title": page.title, "url": link(page.url), "summary": page.summary ?? false,
            "median": false, "per": false, "range": false, "outlook": false, "education": role.entryEducation?.label ?? false,
            "experience": role.entryExperience?.label ?? false, "figuresOf": false,
        ]
        var sources: [String] = []
        if let salary = role.salary {
            if let median = salary.median {
                view["median"] = Format.pay(median, .median, of: salary)
                view["per"] = salary.period == .year ? "a year" : "an hour"
            }
            if let low = salary.percentiles?.p10, let high = salary.percentiles?.p90 {
                view["range"] = Format.pay(low, .p10, of: salary) + "–" + Format.pay(high, .p90, of: salary)
            }
            sources.append("\(Format.clause(salary.source)), as of \(Format.date(salary.asOf))")
        }
        if let outlook = role.outlook, let growth = outlook.growth {
            var text = Format.percentChange(growth) + (outlook.period.map { " (\(Format.period($0)))" } ?? "")
            if let band = outlook.band { text += ", " + band.lowercased() }
            view["outlook"] = text
            sources.append("\(Format.clause(outlook.source)), as of \(Format.date(outlook.asOf))")
        }
        view["sources"] = TemplateText.list(sources)
        view["figuresOf"] = Self.figuresLabel(role.occupation, roleTitle: page.title) ?? false
        // Routes in: the role's how-to guide, and the roles people often come from.
        let guide = howToGuide(relations.resources.guides)
        view["guide"] = guide.map { ["title": cardData($0).title, "url": link(cardData($0).url)] as View } ?? false
        view["from"] = roleLinks(relations.careerLinks.from)
        return view
    }

    /// When both roles show the same pay and outlook figures (one occupation's, which BLS counts both in):
    /// a sentence saying so, so that a reader does not take equal figures for a finding, nor look for a
    /// difference they cannot show. Compared as shown (median, middle 80%, growth and their period), not
    /// as typed: a role may add hourly figures or pay by level to its occupation's.
    static func sameFigures(_ a: Page, _ b: Page) -> String? {
        guard let x = a.role, let y = b.role, x.salary?.median != nil || x.outlook?.growth != nil else { return nil }
        func shown(_ role: RoleData) -> [String] {
            let salary = role.salary, outlook = role.outlook
            return [salary?.currency, salary?.period.rawValue, salary?.median.map { "\($0)" }, salary?.percentiles?.p10.map { "\($0)" },
                    salary?.percentiles?.p90.map { "\($0)" }, outlook?.growth.map { "\($0)" }, outlook?.period.map { "\($0)" }].map { $0 ?? "-" }
        }
        guard shown(x) == shown(y) else { return nil }
        if let occupation = x.occupation, occupation.code == y.occupation?.code {
            return "Both roles show BLS figures for \(occupation.title) (\(occupation.code)), one occupation that counts both: "
                + "the pay and outlook figures below are that occupation's, the same for both, and cannot tell these roles apart."
        }
        return "Both roles show the same pay and outlook figures: they do not describe either role alone and cannot tell these roles apart."
    }

    /// The skills both roles list (as the first spells them), and those only one lists, as chips.
    func comparedSkills(_ first: PageID, _ second: PageID) -> View {
        let a = graph[first].role?.skills ?? [], b = graph[second].role?.skills ?? []
        let (keysA, keysB) = (Set(a.map(Slug.make)), Set(b.map(Slug.make)))
        func chips(_ names: [String]) -> [View] {
            var seen = Set<String>()
            let unique = names.filter { seen.insert(Slug.make($0)).inserted }
            return unique.map { ["name": $0, "url": link("/skills/\(Slug.make($0))/")] as View }
        }
        return [
            "both": chips(a.filter { keysB.contains(Slug.make($0)) }),
            "only": [
                ["title": graph[first].title, "chips": chips(a.filter { !keysB.contains(Slug.make($0)) })] as View,
                ["title": graph[second].title, "chips": chips(b.filter { !keysA.contains(Slug.make($0)) })] as View,
            ],
        ]
    }

    /// What `role`'s page says of how it differs from `other`: the row of a table (or the item of a list)
    /// that links to `other`, under a heading starting "How it differs", quoted with a link to that heading;
    /// else the role's summary.
    func differenceNote(_ role: PageID, from other: PageID) -> View {
        let page = graph[role]
        var view: View = ["title": page.title, "url": link(page.url), "quote": false, "heading": false, "summary": page.summary ?? false]
        guard let heading = page.body.headings.first(where: { $0.text.lowercased().hasPrefix("how it differs") }) else { return view }
        let urls = graph.relations(of: role).linkURLs
        let html = page.body.html { urls[$0] }
        if let quote = Self.differenceRow(in: html, heading: heading, linkingTo: link(cardData(other).url)) {
            view["quote"] = Self.quoted(quote, from: link(page.url))
            view["heading"] = ["text": heading.text, "url": link(page.url) + "#" + heading.id] as View
        }
        return view
    }

    /// HTML of another page made fit to quote: its ids left out (they would repeat, or clash with this
    /// page's), and links to its own anchors (a footnote) pointed at that page.
    static func quoted(_ html: String, from pageURL: String) -> String {
        var result = html.replacingOccurrences(of: "href=\"#", with: "href=\"\(HTMLEscaping.attribute(pageURL))#")
        while let start = result.range(of: " id=\""), let end = result[start.upperBound...].firstIndex(of: "\"") {
            result.removeSubrange(start.lowerBound...end)
        }
        return result
    }

    /// In a body's HTML, the section under `heading`: the first table row or list item there with a link
    /// to `href`, as HTML: the row's other cells (the whole row if every cell holds the link), or the item.
    static func differenceRow(in html: String, heading: Heading, linkingTo href: String) -> String? {
        guard let start = html.range(of: "id=\"\(HTMLEscaping.attribute(heading.id))\"") else { return nil }
        var end = html.endIndex
        for level in 1...max(1, min(6, heading.level)) {
            if let next = html.range(of: "<h\(level)", range: start.upperBound..<html.endIndex), next.lowerBound < end { end = next.lowerBound }
        }
        let section = html[start.upperBound..<end]
        let target = "href=\"\(HTMLEscaping.attribute(href))"
        func links(_ text: Substring) -> Bool {
            text.contains(target + "\"") || text.contains(target + "#")
        }
        for (open, close) in [("<tr>", "</tr>"), ("<li>", "</li>")] {
            for chunk in section.components(separatedBy: open).dropFirst() {
                guard let stop = chunk.range(of: close) else { continue }
                let item = chunk[..<stop.lowerBound]
                guard links(item) else { continue }
                guard open == "<tr>" else { return item.trimmingCharacters(in: .whitespacesAndNewlines) }
                let cells = item.components(separatedBy: "<td").dropFirst().compactMap { cell -> Substring? in
                    guard let body = cell.firstIndex(of: ">"), let stop = cell.range(of: "</td>") else { return nil }
                    return cell[cell.index(after: body)..<stop.lowerBound]
                }
                let others = cells.filter { !links($0) }
                return (others.isEmpty ? cells : others).joined(separator: " ")
            }
        }
        return nil
    }
}
