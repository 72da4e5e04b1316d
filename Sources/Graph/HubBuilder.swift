import Content

/// Makes the generated pages: home, one list per content folder (roles A-Z),
/// categories and skills with one hub each.
struct HubBuilder {
    let pages: [Page]
    /// Role page indices, sorted by title.
    let roles: [Int]
    /// The order of page lists.
    let byTitle: (Int, Int) -> Bool

    static let sectionTitles = ["roles": "Roles A-Z", "salaries": "Salary Guides", "faqs": "FAQs", "guides": "Guides"]

    func build() -> [Hub] {
        let home = Crumb(title: "Home", url: "/")
        var hubs: [Hub] = []

        // Categories and skills, grouped by slug so spellings of one name meet on one page.
        var categories: [String: (name: String, members: [Int])] = [:]
        var skills: [String: (name: String, members: [Int])] = [:]
        for role in roles {
            guard let data = pages[role].role else { continue }
            let key = Slug.make(data.category)
            categories[key, default: (data.category, [])].members.append(role)
            for skill in Set(data.skills.map { Slug.make($0) }).sorted() {
                let name = data.skills.first { Slug.make($0) == skill }!
                skills[skill, default: (name, [])].members.append(role)
            }
        }
        let categoriesCrumb = Crumb(title: "Categories", url: "/categories/")
        let skillsCrumb = Crumb(title: "Skills", url: "/skills/")
        let categoryLinks = categories.sorted { ($0.value.name.lowercased(), $0.key) < ($1.value.name.lowercased(), $1.key) }.map {
            HubLink(title: $0.value.name, url: "/categories/\($0.key)/", count: $0.value.members.count)
        }
        let skillLinks = skills.sorted { ($0.value.name.lowercased(), $0.key) < ($1.value.name.lowercased(), $1.key) }.map {
            HubLink(title: $0.value.name, url: "/skills/\($0.key)/", count: $0.value.members.count)
        }

        // Sections: one per first-level folder that has pages.
        var sections: [String: [Int]] = [:]
        var sectionIndex: [String: Int] = [:]
        var homePage: Int?
        for (index, page) in pages.enumerated() {
            if page.isIndex, page.path == "index.md" { homePage = index; continue }
            guard !page.section.isEmpty else { continue }
            if page.isIndex, page.path == page.section + "/index.md" {
                sectionIndex[page.section] = index
            } else {
                sections[page.section, default: []].append(index)
            }
        }
        for name in Set(sections.keys).union(sectionIndex.keys).sorted() {
            let members = (sections[name] ?? []).sorted(by: byTitle)
            let title = sectionIndex[name].map { pages[$0].title } ?? Self.sectionTitles[name] ?? name.prefix(1).uppercased() + name.dropFirst()
            let url = "/\(name)/"
            hubs.append(Hub(
                kind: .section(name), title: title, url: url, page: sectionIndex[name],
                summary: sectionIndex[name].flatMap { pages[$0].summary }, members: members,
                groups: name == "roles" ? categoryLinks : [], breadcrumbs: [home, Crumb(title: title, url: url)]
            ))
        }

        hubs.insert(Hub(
            kind: .home, title: homePage.map { pages[$0].title } ?? "Home", url: "/", page: homePage,
            summary: homePage.flatMap { pages[$0].summary }, members: roles, groups: categoryLinks, breadcrumbs: [home]
        ), at: 0)
        if !categoryLinks.isEmpty {
            hubs.append(Hub(kind: .categories, title: "Categories", url: "/categories/", summary: "Every role family, with its roles.",
                            members: [], groups: categoryLinks, breadcrumbs: [home, categoriesCrumb]))
        }
        for (key, value) in categories.sorted(by: { $0.key < $1.key }) {
            let url = "/categories/\(key)/"
            hubs.append(Hub(kind: .category(value.name), title: value.name, url: url,
                            summary: "\(value.members.count) role\(value.members.count == 1 ? "" : "s") in \(value.name).",
                            members: value.members, groups: [],
                            breadcrumbs: [home, categoriesCrumb, Crumb(title: value.name, url: url)]))
        }
        if !skillLinks.isEmpty {
            hubs.append(Hub(kind: .skills, title: "Skills", url: "/skills/", summary: "Every skill, with the roles that use it.",
                            members: [], groups: skillLinks, breadcrumbs: [home, skillsCrumb]))
        }
        for (key, value) in skills.sorted(by: { $0.key < $1.key }) {
            let url = "/skills/\(key)/"
            hubs.append(Hub(kind: .skill(value.name), title: value.name, url: url,
                            summary: "Roles that use \(value.name): \(value.members.count).",
                            members: value.members, groups: [],
                            breadcrumbs: [home, skillsCrumb, Crumb(title: value.name, url: url)]))
        }
        return hubs
    }
}
