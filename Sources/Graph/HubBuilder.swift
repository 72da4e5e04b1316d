import Content

/// Makes the generated pages: home, one list per content folder (roles A-Z),
/// categories and skills with one hub each.
struct HubBuilder {
    let pages: [PageBox]
    /// Role page indices, sorted by title.
    let roles: [Int]
    /// The order of page lists.
    let byTitle: (Int, Int) -> Bool

    static let sectionTitles = ["roles": "Roles A-Z", "salaries": "Salary Guides", "faqs": "FAQs", "guides": "Guides"]
    /// Folders whose pages are the writer's text for a category or skill hub (`categories/web-development.md`),
    /// not a section of their own.
    static let hubTextFolders = ["categories", "skills"]

    /// Whether a page is such text: a file directly in one of those folders.
    static func isHubText(_ page: Page) -> Bool {
        hubTextFolders.contains(page.section) && !page.isIndex && page.path.split(separator: "/").count == 2
    }
    /// How many skills a skill hub names as often seen with it.
    static let neighbourLimit = 8

    func ids(_ indices: [Int]) -> [PageID] { indices.map { pages[$0].page.id } }

    func build() -> [Hub] {
        let home = Crumb(title: "Home", url: "/")
        var hubs: [Hub] = []

        // Categories and skills, grouped by slug so spellings of one name meet on one page.
        var categories: [String: (name: String, members: [Int])] = [:]
        var skills: [String: (name: String, members: [Int])] = [:]
        var slugs = Slug.Cache()
        // Skills numbered by first appearance, and each role's first skills by number, for "often listed with".
        var skillNumbers: [String: Int] = [:]
        var skillSlugs: [String] = []
        var roleSkills: [Int: [Int]] = [:]
        for role in roles {
            guard let data = pages[role].page.role else { continue }
            let key = slugs.make(data.category)
            categories[key, default: (data.category, [])].members.append(role)
            // Each skill once per role, named as the role first spells it (one pass: a role may list many).
            var seen = Set<String>()
            var numbers: [Int] = []
            for name in data.skills {
                let skill = slugs.make(name)
                guard seen.insert(skill).inserted else { continue }
                skills[skill, default: (name, [])].members.append(role)
                if numbers.count < Self.neighbourSkillsPerRole {
                    if let number = skillNumbers[skill] { numbers.append(number) } else {
                        skillNumbers[skill] = skillSlugs.count
                        numbers.append(skillSlugs.count)
                        skillSlugs.append(skill)
                    }
                }
            }
            roleSkills[role] = numbers
        }
        var counts = [Int](repeating: 0, count: skillSlugs.count)
        // Each numbered skill's name as shown and as sorted, once.
        let skillNames = skillSlugs.map { skills[$0]?.name ?? $0 }
        let sortNames = skillNames.map { $0.lowercased() }
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
        // Writer text for category and skill hubs, by the hub's URL.
        var hubText: [String: Int] = [:]
        for index in pages.indices {
            let isIndex = pages[index].page.isIndex
            if isIndex, pages[index].page.path == "index.md" { homePage = index; continue }
            let section = pages[index].page.section
            guard !section.isEmpty else { continue }
            if Self.isHubText(pages[index].page) {
                hubText[pages[index].page.url] = index
                continue
            }
            if isIndex, pages[index].page.path == section + "/index.md" {
                sectionIndex[section] = index
            } else {
                sections[section, default: []].append(index)
            }
        }
        for name in Set(sections.keys).union(sectionIndex.keys).sorted() {
            let members = (sections[name] ?? []).sorted(by: byTitle)
            let title = sectionIndex[name].map { pages[$0].page.title } ?? Self.sectionTitles[name] ?? name.prefix(1).uppercased() + name.dropFirst()
            let url = "/\(name)/"
            hubs.append(Hub(
                kind: .section(name), title: title, url: url, page: sectionIndex[name].map { pages[$0].page.id },
                summary: sectionIndex[name].flatMap { pages[$0].page.summary }, members: ids(members),
                groups: name == "roles" ? categoryLinks : [], breadcrumbs: [home, Crumb(title: title, url: url)]
            ))
        }

        hubs.insert(Hub(
            kind: .home, title: homePage.map { pages[$0].page.title } ?? "Home", url: "/", page: homePage.map { pages[$0].page.id },
            summary: homePage.flatMap { pages[$0].page.summary }, members: ids(roles), groups: categoryLinks, breadcrumbs: [home]
        ), at: 0)
        // Categories and skills: an index of all, then one hub each.
        func taxonomy(_ groups: [String: (name: String, members: [Int])], links: [HubLink], index: Crumb, indexKind: Hub.Kind,
                      summary: String, kind: (String) -> Hub.Kind, memberSummary: (String, Int) -> String) {
            guard !links.isEmpty else { return }
            hubs.append(Hub(kind: indexKind, title: index.title, url: index.url,
                            summary: summary, members: [], groups: links, breadcrumbs: [home, index]))
            for (key, value) in groups.sorted(by: { $0.key < $1.key }) {
                let url = "\(index.url)\(key)/"
                let text = hubText[url].map { pages[$0].page }
                var hub = Hub(kind: kind(value.name), title: value.name, url: url, page: text?.id,
                              summary: text?.summary ?? memberSummary(value.name, value.members.count), members: ids(value.members), groups: [],
                              breadcrumbs: [home, index, Crumb(title: value.name, url: url)])
                if index.url == skillsCrumb.url {
                    hub.neighbours = neighbours(of: skillNumbers[key], members: value.members, roleSkills: roleSkills, counts: &counts,
                                                slugs: skillSlugs, names: skillNames, sortNames: sortNames)
                }
                hubs.append(hub)
            }
        }
        taxonomy(categories, links: categoryLinks, index: categoriesCrumb, indexKind: .categories, summary: "Every role family, with its roles.",
                 kind: Hub.Kind.category, memberSummary: { "\($1) role\($1 == 1 ? "" : "s") in \($0)." })
        taxonomy(skills, links: skillLinks, index: skillsCrumb, indexKind: .skills, summary: "Every skill, with the roles that use it.",
                 kind: Hub.Kind.skill, memberSummary: { "Roles that use \($0): \($1)." })
        return hubs
    }

    /// How many of a role's skills count towards "often listed with": the work is this many per role
    /// and skill, so a role listing a thousand skills cannot make it quadratic.
    static let neighbourSkillsPerRole = 64

    /// The skills the roles of one skill list most often besides it: most shared roles first, then by name.
    /// `counts` is a zeroed buffer with one slot per skill number, left zeroed.
    func neighbours(of skill: Int?, members: [Int], roleSkills: [Int: [Int]], counts: inout [Int],
                    slugs: [String], names: [String], sortNames: [String]) -> [HubLink] {
        var touched: [Int] = []
        for role in members {
            for other in roleSkills[role] ?? [] where other != skill {
                if counts[other] == 0 { touched.append(other) }
                counts[other] += 1
            }
        }
        func before(_ a: Int, _ b: Int) -> Bool {
            (counts[b], sortNames[a], slugs[a]) < (counts[a], sortNames[b], slugs[b])
        }
        // The best few without sorting them all: keep a short sorted list.
        var best: [Int] = []
        for other in touched {
            guard best.count < Self.neighbourLimit || before(other, best[best.count - 1]) else { continue }
            let place = best.firstIndex { before(other, $0) } ?? best.count
            best.insert(other, at: place)
            if best.count > Self.neighbourLimit { best.removeLast() }
        }
        let links = best.map { HubLink(title: names[$0], url: "/skills/\(slugs[$0])/", count: counts[$0]) }
        for other in touched { counts[other] = 0 }
        return links
    }
}
