import Content
import Diagnostics

/// Makes the "X vs Y" pages: one per pair of roles that a role's `compare:` names, whichever side
/// names the other (a pair both sides name is one page). Unknown roles and a role naming itself are
/// reported with the other role references (`GraphBuilder.References`); here they are skipped.
struct ComparisonBuilder {
    let pages: [PageBox]
    let identity: GraphBuilder.Identity

    /// The folder the pages are written under.
    static let folder = "/compare/"

    /// The URL of the page comparing the roles with these slugs: the two slugs in code-point order,
    /// so a pair has one URL whichever role names the other, and renaming a role's title moves no URL.
    static func url(_ a: String, _ b: String) -> String {
        let (first, second) = a <= b ? (a, b) : (b, a)
        return "\(folder)\(first)-vs-\(second)/"
    }

    /// The pages, by URL, with their breadcrumbs under the roles' list when the site has one, and
    /// an error for two pairs whose slugs make one URL (`a-vs-b` with `c`, `a` with `b-vs-c`).
    func build(after hubs: [Hub]) -> (hubs: [Hub], problems: [Diagnostic]) {
        let rolesCrumb = hubs.first { $0.kind == .section("roles") }.map { Crumb(title: $0.title, url: $0.url) }
        var byURL: [String: (first: Int, second: Int)] = [:]
        var problems: [Diagnostic] = []
        // Roles in A-Z order and each role's list as written: the first to name a pair reports a clash.
        for role in identity.roles {
            guard let data = pages[role].page.role else { continue }
            for ref in data.compare {
                guard let other = identity.roleBySlug[ref.value], other != role else { continue }
                let pair = pages[role].page.slug <= pages[other].page.slug ? (role, other) : (other, role)
                let url = Self.url(pages[role].page.slug, pages[other].page.slug)
                if let known = byURL[url] {
                    if known != pair {
                        problems.append(.error(.hubCollision, at: ref.location,
                                               "the page comparing \(pages[pair.0].page.title) and \(pages[pair.1].page.title) would be written to \(url), where the build writes the one comparing \(pages[known.first].page.title) and \(pages[known.second].page.title)",
                                               hint: "give one of these roles another `slug`, so that its slugs joined by `-vs-` make another URL"))
                    }
                    continue
                }
                byURL[url] = (pair.0, pair.1)
            }
        }
        let home = Crumb(title: "Home", url: "/")
        let made = byURL.sorted { $0.key < $1.key }.map { url, pair -> Hub in
            let (first, second) = (pages[pair.first].page, pages[pair.second].page)
            let title = "\(first.title) vs \(second.title)"
            return Hub(kind: .comparison, title: title, url: url, page: nil,
                       summary: "\(first.title) and \(second.title) side by side: pay, outlook, what it takes to get in, skills and the writer's notes.",
                       members: [first.id, second.id], groups: [],
                       breadcrumbs: [home] + (rolesCrumb.map { [$0] } ?? []) + [Crumb(title: title, url: url)])
        }
        return (made, problems)
    }

    /// Each role's comparison pages, as links, in the pages' order.
    static func links(_ hubs: [Hub]) -> [PageID: [ComparisonLink]] {
        var links: [PageID: [ComparisonLink]] = [:]
        for hub in hubs where hub.kind == .comparison {
            let (first, second) = (hub.members[0], hub.members[1])
            links[first, default: []].append(ComparisonLink(other: second, title: hub.title, url: hub.url))
            links[second, default: []].append(ComparisonLink(other: first, title: hub.title, url: hub.url))
        }
        return links
    }
}
