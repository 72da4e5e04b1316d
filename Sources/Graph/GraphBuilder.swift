import Content
import Diagnostics
import Foundation

/// Stage 3: resolves links and builds the page graph in one pass over the pages.
public enum GraphBuilder {
    /// - Parameter themeStaticFiles: files the theme copies to the output, relative to its `static/`,
    ///   so links to them (`/style.css`) resolve like the site's own static files.
    public static func build(_ site: LoadedSite, themeStaticFiles: [String] = []) -> (SiteGraph?, Diagnostics) {
        var diagnostics = Diagnostics()
        let pages = site.pages
        let config = site.config

        // One page per URL.
        var pageByURL: [String: Int] = [:]
        for (index, page) in pages.enumerated() {
            if let other = pageByURL[page.url] {
                diagnostics.append(.error(at: SourceLocation(file: page.source),
                                          "\(page.source) and \(pages[other].source) would both be written to \(page.url)",
                                          hint: "rename one of them or give it a different `slug`"))
            } else {
                pageByURL[page.url] = index
            }
        }

        // Roles by slug.
        var roleBySlug: [String: Int] = [:]
        for (index, page) in pages.enumerated() where page.kind == .role {
            if let other = roleBySlug[page.slug] {
                diagnostics.append(.error(at: SourceLocation(file: page.source),
                                          "two roles have the slug `\(page.slug)`: \(pages[other].source) and \(page.source)",
                                          hint: "a role's slug names it in `related`, `roles` and career paths; make it unique"))
            } else {
                roleBySlug[page.slug] = index
            }
        }
        // Lists read A-Z the way people read them: case-insensitive, then exact title, then URL.
        let titleKeys = pages.map { $0.title.lowercased() }
        let byTitle: (Int, Int) -> Bool = {
            (titleKeys[$0], pages[$0].title, pages[$0].url) < (titleKeys[$1], pages[$1].title, pages[$1].url)
        }
        let roleIndices = pages.indices.filter { pages[$0].kind == .role }.sorted(by: byTitle)

        // Hubs first: links may point at them.
        let hubs = HubBuilder(pages: pages, roles: roleIndices, byTitle: byTitle).build()
        for hub in hubs {
            if let index = pageByURL[hub.url], hub.page != index {
                diagnostics.append(.error(at: SourceLocation(file: pages[index].source),
                                          "\(pages[index].source) would be written to \(hub.url), where the build writes the \(hub.title) page",
                                          hint: "move the file or give it another `slug`; \(hub.url) is made from the graph"))
            }
        }
        var outputURLs = Set(pages.map { trimSlash($0.url) })
        outputURLs.formUnion(hubs.map { trimSlash($0.url) })

        // Links, on all cores.
        let resolver = LinkResolver(config: config, pages: pages, outputURLs: outputURLs,
                                    staticFiles: site.staticFiles + themeStaticFiles, leftOutDrafts: site.leftOutDrafts)
        let resolved = Array(pages.indices).parallelMap { index -> ([String], [Int], [Diagnostic]) in
            var urls: [String] = []
            var targets: [Int] = []
            var problems: [Diagnostic] = []
            for link in pages[index].body.links {
                switch resolver.resolve(link, in: index) {
                case let .page(target, href):
                    urls.append(href)
                    if target != index { targets.append(target) }
                case let .other(href):
                    urls.append(href)
                case let .broken(diagnostic):
                    urls.append("#")
                    problems.append(diagnostic)
                }
            }
            return (urls, targets, problems)
        }
        var backlinkSets = Array(repeating: Set<Int>(), count: pages.count)
        var linkCount = 0
        for (index, result) in resolved.enumerated() {
            diagnostics.append(contentsOf: result.2)
            linkCount += result.0.count
            for target in result.1 { backlinkSets[target].insert(index) }
        }
        let backlinks = backlinkSets.map { $0.sorted(by: byTitle) }

        // Role references in front matter.
        func resolveRoles(_ refs: [Located<String>], field: String, of page: Int) -> [Int] {
            var result: [Int] = []
            var named = Set<Int>()
            for ref in refs {
                if let role = roleBySlug[ref.value] {
                    if role == page {
                        diagnostics.append(.error(at: ref.location, "`\(field)` names this role itself", hint: "remove `\(ref.value)` from `\(field)`"))
                    } else if named.insert(role).inserted {
                        result.append(role)
                    }
                } else {
                    let guess = Suggestion.nearest(to: ref.value, among: roleBySlug.keys).map { "did you mean `\($0)`? " } ?? ""
                    diagnostics.append(.error(at: ref.location, "`\(field)` names the role `\(ref.value)`, which does not exist",
                                              hint: "\(guess)a role slug is the file name under content/roles/ without .md (or its `slug:`)"))
                }
            }
            return result
        }
        var roles = Array(repeating: [Int](), count: pages.count)
        var careerLinks = Array(repeating: CareerLinks(), count: pages.count)
        var pinned = Array(repeating: [Int](), count: pages.count)
        for (index, page) in pages.enumerated() {
            roles[index] = resolveRoles(page.roles, field: "roles", of: index)
            if let role = page.role {
                pinned[index] = resolveRoles(role.related, field: "related", of: index)
                careerLinks[index] = CareerLinks(
                    from: resolveRoles(role.careerPath?.from ?? [], field: "career_path.from", of: index),
                    to: resolveRoles(role.careerPath?.to ?? [], field: "career_path.to", of: index),
                    specializations: resolveRoles(role.specializations, field: "specializations", of: index)
                )
            }
        }

        // Related roles, on all cores.
        let documentOf = Dictionary(uniqueKeysWithValues: roleIndices.enumerated().map { ($1, $0) })
        let index = RelatedIndex(documents: roleIndices.map { page in
            let skills = pages[page].role?.skills ?? []
            var names: [String: String] = [:]
            for skill in skills where names[Slug.make(skill)] == nil { names[Slug.make(skill)] = skill }
            return RelatedIndex.Document(title: titleKeys[page] + "\u{0}" + pages[page].title, category: pages[page].role?.category ?? "",
                                         skills: skills.map(Slug.make), skillNames: names)
        })
        let limit = config.relatedLimit
        let pinnedRoles = pinned
        let relatedByDocument = roleIndices.parallelMap { page -> [RelatedRole] in
            let document = documentOf[page]!
            var result = pinnedRoles[page].map { RelatedRole(page: $0, pinned: true, score: 0, reasons: []) }
            let excluded = Set(pinnedRoles[page].compactMap { documentOf[$0] })
            let scored = index.search(document, limit: max(0, limit - result.count), excluding: excluded)
            result += scored.map { RelatedRole(page: roleIndices[$0.page], pinned: false, score: $0.score, reasons: $0.reasons) }
            return result
        }
        var related = Array(repeating: [RelatedRole](), count: pages.count)
        for (document, page) in roleIndices.enumerated() { related[page] = relatedByDocument[document] }

        // Resources of each role: pages that name it, by kind, then other pages that link to it.
        var resources = Array(repeating: RoleResources(), count: pages.count)
        for page in pages.indices.sorted(by: byTitle) {
            for role in roles[page] {
                switch pages[page].kind {
                case .salary: resources[role].salaries.append(page)
                case .faq: resources[role].faqs.append(page)
                default: resources[role].guides.append(page)
                }
            }
        }
        for role in roleIndices {
            let listed = Set(resources[role].salaries + resources[role].faqs + resources[role].guides)
            resources[role].mentions = backlinks[role].filter { !listed.contains($0) && pages[$0].kind != .role && !pages[$0].isIndex }
        }

        // Breadcrumbs.
        let home = Crumb(title: "Home", url: "/")
        var sectionCrumbs: [String: Crumb] = [:]
        for hub in hubs { if case let .section(name) = hub.kind { sectionCrumbs[name] = Crumb(title: hub.title, url: hub.url) } }
        let breadcrumbs = pages.map { page -> [Crumb] in
            var trail = [home]
            if let section = sectionCrumbs[page.section], section.url != page.url { trail.append(section) }
            if page.url != "/" { trail.append(Crumb(title: page.title, url: page.url)) }
            return trail
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        let graph = SiteGraph(
            config: config, pages: pages, linkURLs: resolved.map(\.0), backlinks: backlinks, related: related,
            resources: resources, roles: roles, careerLinks: careerLinks, hubs: hubs, breadcrumbs: breadcrumbs,
            linkCount: linkCount, roleBySlug: roleBySlug
        )
        return (graph, diagnostics)
    }

    static func trimSlash(_ url: String) -> String {
        var url = url
        while url.count > 1, url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
