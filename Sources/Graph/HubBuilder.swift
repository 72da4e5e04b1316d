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

    static let home = Crumb(title: "Home", url: "/")
    static let categoriesCrumb = Crumb(title: "Categories", url: "/categories/")
    static let skillsCrumb = Crumb(title: "Skills", url: "/skills/")

    /// The hubs in order: home, the sections, then categories and skills (each an index, then one hub each).
    func build() -> [Hub] {
        let groups = groupRoles()
        let places = placePages()
        let categoryLinks = Self.links(to: groups.categories, under: Self.categoriesCrumb.url)
        let skillLinks = Self.links(to: groups.skills, under: Self.skillsCrumb.url)
        var hubs = [homeHub(places.homePage, groups: categoryLinks)]
        hubs += sectionHubs(places, categoryLinks: categoryLinks)
        hubs += taxonomyHubs(groups.categories, links: categoryLinks, index: Self.categoriesCrumb, indexKind: .categories,
                             summary: "Every role family, with its roles.", hubText: places.hubText,
                             kind: Hub.Kind.category, memberSummary: { "\($1) role\($1 == 1 ? "" : "s") in \($0)." })
        // Each numbered skill's name as shown and as sorted, once, and a zeroed count per skill for `neighbours`.
        let skillNames = groups.skillSlugs.map { groups.skills[$0]?.name ?? $0 }
        let sortNames = skillNames.map { $0.lowercased() }
        var counts = [Int](repeating: 0, count: groups.skillSlugs.count)
        hubs += taxonomyHubs(groups.skills, links: skillLinks, index: Self.skillsCrumb, indexKind: .skills,
                             summary: "Every skill, with the roles that use it.", hubText: places.hubText,
                             kind: Hub.Kind.skill, memberSummary: { "Roles that use \($0): \($1)." }) { key, members in
            neighbours(of: groups.skillNumbers[key], members: members, roleSkills: groups.roleSkills, counts: &counts,
                       slugs: groups.skillSlugs, names: skillNames, sortNames: sortNames)
        }
        return hubs
    }

    /// Roles by category and by skill, each grouped by slug so spellings of one name meet on one page, with what
    /// "often listed with" needs: skills numbered by first appearance, and each role's first skills by number.
    struct RoleGroups {
        var categories: [String: (name: String, members: [Int])] = [:]
        var skills: [String: (name: String, members: [Int])] = [:]
        var skillNumbers: [String: Int] = [:]
        var skillSlugs: [String] = []
        var roleSkills: [Int: [Int]] = [:]
    }

    func groupRoles() -> RoleGroups {
        var groups = RoleGroups()
        var slugs = Slug.Cache()
        for role in roles {
            guard let data = pages[role].page.role else { continue }
            let key = slugs.make(data.category)
            groups.categories[key, default: (data.category, [])].members.append(role)
            // Each skill once per role, named as the role first spells it (one pass: a role may list many).
            var seen = Set<String>()
            var numbers: [Int] = []
            for name in data.skills {
                let skill = slugs.make(name)
                guard seen.insert(skill).inserted else { continue }
                groups.skills[skill, default: (name, [])].members.append(role)
                if numbers.count < Self.neighbourSkillsPerRole {
                    if let number = groups.skillNumbers[skill] { numbers.append(number) } else {
                        groups.skillNumbers[skill] = groups.skillSlugs.count
                        numbers.append(groups.skillSlugs.count)
                        groups.skillSlugs.append(skill)
                    }
                }
            }
            groups.roleSkills[role] = numbers
        }
        return groups
    }

    /// One link per group, by name (then slug), to its hub under `folder`.
    static func links(to groups: [String: (name: String, members: [Int])], under folder: String) -> [HubLink] {
        groups.sorted { ($0.value.name.lowercased(), $0.key) < ($1.value.name.lowercased(), $1.key) }.map {
            HubLink(title: $0.value.name, url: "\(folder)\($0.key)/", count: $0.value.members.count)
        }
    }

    /// Where the pages go: the home page, each first-level folder's index page and other pages, and the writer's
    /// text for category and skill hubs by the hub's URL.
    struct PagePlaces {
        var homePage: Int?
        var sections: [String: [Int]] = [:]
        var sectionIndex: [String: Int] = [:]
        var hubText: [String: Int] = [:]
    }

    func placePages() -> PagePlaces {
        var places = PagePlaces()
        for index in pages.indices {
            let isIndex = pages[index].page.isIndex
            if isIndex, pages[index].page.path == "index.md" { places.homePage = index; continue }
            let section = pages[index].page.section
            guard !section.isEmpty else { continue }
            if Self.isHubText(pages[index].page) {
                places.hubText[pages[index].page.url] = index
                continue
            }
            if isIndex, pages[index].page.path == section + "/index.md" {
                places.sectionIndex[section] = index
            } else {
                places.sections[section, default: []].append(index)
            }
        }
        return places
    }

    func homeHub(_ homePage: Int?, groups categoryLinks: [HubLink]) -> Hub {
        Hub(kind: .home, title: homePage.map { pages[$0].page.title } ?? "Home", url: "/", page: homePage.map { pages[$0].page.id },
            summary: homePage.flatMap { pages[$0].page.summary }, members: ids(roles), groups: categoryLinks, breadcrumbs: [Self.home])
    }

    /// One hub per first-level folder that has pages, by name; the roles' lists its categories.
    func sectionHubs(_ places: PagePlaces, categoryLinks: [HubLink]) -> [Hub] {
        Set(places.sections.keys).union(places.sectionIndex.keys).sorted().map { name in
            let index = places.sectionIndex[name]
            let members = (places.sections[name] ?? []).sorted(by: byTitle)
            let title = index.map { pages[$0].page.title } ?? Self.sectionTitles[name] ?? name.prefix(1).uppercased() + name.dropFirst()
            let url = "/\(name)/"
            return Hub(
                kind: .section(name), title: title, url: url, page: index.map { pages[$0].page.id },
                summary: index.flatMap { pages[$0].page.summary }, members: ids(members),
                groups: name == "roles" ? categoryLinks : [], breadcrumbs: [Self.home, Crumb(title: title, url: url)]
            )
        }
    }

    /// Categories or skills: an index of all, then one hub each, by slug (none when there are none).
    /// - Parameter neighbours: a skill's "often listed with", given its slug and its roles.
    func taxonomyHubs(_ groups: [String: (name: String, members: [Int])], links: [HubLink], index: Crumb, indexKind: Hub.Kind,
                      summary: String, hubText: [String: Int], kind: (String) -> Hub.Kind, memberSummary: (String, Int) -> String,
                      neighbours: ((String, [Int]) -> [HubLink])? = nil) -> [Hub] {
        guard !links.isEmpty else { return [] }
        var hubs = [Hub(kind: indexKind, title: index.title, url: index.url,
                        summary: summary, members: [], groups: links, breadcrumbs: [Self.home, index])]
        for (key, value) in groups.sorted(by: { $0.key < $1.key }) {
            let url = "\(index.url)\(key)/"
            let text = hubText[url].map { pages[$0].page }
            var hub = Hub(kind: kind(value.name), title: value.name, url: url, page: text?.id,
                          summary: text?.summary ?? memberSummary(value.name, value.members.count), members: ids(value.members), groups: [],
                          breadcrumbs: [Self.home, index, Crumb(title: value.name, url: url)])
            if let neighbours { hub.neighbours = neighbours(key, value.members) }
            hubs.append(hub)
        }
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
