import Concurrency
import Content
import Diagnostics
import Foundation

/// What one graph build keeps so that the next, after a few files changed, redoes only what the
/// change touches: the pages as they were, what their links resolved to and against what, and the
/// related roles with their inputs. An empty memo builds everything.
public struct GraphMemo: Sendable {
    var pages: [PageID: PageBox] = [:]
    var universe: LinkUniverse?
    var links: [PageID: ResolvedLinks] = [:]
    var relatedInputs: RelatedInputs?
    var related: [PageID: [RelatedRole]] = [:]
    /// The last graph built without errors, and who was who in it.
    var graph: SiteGraph?
    var identity: GraphBuilder.Identity?

    public init() {}

    init(pages: [PageID: PageBox], universe: LinkUniverse, links: [PageID: ResolvedLinks], relatedInputs: RelatedInputs,
         related: [PageID: [RelatedRole]]) {
        self.pages = pages
        self.universe = universe
        self.links = links
        self.relatedInputs = relatedInputs
        self.related = related
    }
}

/// How much a build redid, for tests and the preview's log.
public struct GraphWork: Sendable, Hashable {
    /// Pages whose links were resolved again (the others kept their memo).
    public var linkedPages = 0
    /// Whether related roles were scored again.
    public var scoredRelated = false
    /// Whether only page text changed, so the last graph was kept with those pages replaced.
    public var textOnly = false
    /// Whether only data that hubs and related roles read changed (skills, category, pay...), so only
    /// those phases ran again.
    public var hubsAndRelatedOnly = false

    public init() {}
}

/// A graph build: the graph when there was no error, every diagnostic, and the memo for the next build.
public struct GraphBuild: Sendable {
    public var graph: SiteGraph?
    public var diagnostics: Diagnostics
    public var memo: GraphMemo
    public var work: GraphWork
}

/// What links resolve against: when any of it changes, every page's links are resolved again.
struct LinkUniverse: Sendable, Equatable {
    var config: SiteConfig
    var pageURLs: [PageID: String]
    var outputURLs: Set<String>
    var staticFiles: [String]
    var leftOutDrafts: Set<String>
    /// Files and folders under static/ that are not published (names starting with a dot).
    var leftOutStaticFiles: [String]
}

struct ResolvedLinks: Sendable {
    var urls: [String] = []
    var targets: [PageID] = []
    var problems: [Diagnostic] = []
}

/// The inputs of related-role scoring: every role's title, category, skills and pinned roles.
struct RelatedInputs: Sendable, Equatable {
    struct Role: Sendable, Equatable {
        var id: PageID
        var title: String
        var category: String
        var skills: [String]
        var pinned: [PageID]
    }

    var roles: [Role]
    var limit: Int
}

/// Stage 3: resolves links and builds the page graph, in named phases. Each phase is a function of
/// its inputs; the costly ones (links, related roles) are skipped when their inputs are as in the memo.
/// What a phase reads of a page is declared in PhaseInputs.swift.
public enum GraphBuilder {
    /// - Parameter themeStaticFiles: files the theme copies to the output, relative to its `static/`,
    ///   so links to them (`/style.css`) resolve like the site's own static files.
    public static func build(_ site: LoadedSite, themeStaticFiles: [String] = [], reusing memo: GraphMemo = GraphMemo()) -> GraphBuild {
        if let quick = textOnly(site, themeStaticFiles: themeStaticFiles, memo: memo) { return quick }
        if let quick = hubsAndRelatedOnly(site, themeStaticFiles: themeStaticFiles, memo: memo) { return quick }
        return everyPhase(site, themeStaticFiles: themeStaticFiles, memo: memo)
    }

    /// Every phase, each reusing the memo where its inputs did not change.
    static func everyPhase(_ site: LoadedSite, themeStaticFiles: [String], memo: GraphMemo) -> GraphBuild {
        var diagnostics = Diagnostics()
        var work = GraphWork()
        let pages = site.boxes
        let ids = pages.map(\.page.id)
        // Identities: one page per URL, one role per slug, and the A-Z order lists use.
        let identity = Identity(pages: pages, diagnostics: &diagnostics)
        // References in front matter (`roles`, `related`, career paths) and related roles, made beside
        // the hubs and links: neither needs the other, and each has one-thread parts.
        let referencing = Concurrent { referencesAndRelated(pages, identity: identity, limit: site.config.relatedLimit, memo: memo) }
        // Hubs: links may point at them.
        var hubs = HubBuilder(pages: pages, roles: identity.roles, byTitle: identity.byTitle).build()
        let compared = ComparisonBuilder(pages: pages, identity: identity).build(after: hubs)
        hubs += compared.hubs
        diagnostics.append(contentsOf: compared.problems)
        diagnostics.append(contentsOf: unmatchedHubText(pages, hubs: hubs))
        diagnostics.append(contentsOf: hubCollisions(hubs, pages: pages, identity: identity))
        // Links.
        var outputURLs = Set(pages.map { trimSlash($0.page.url) })
        outputURLs.formUnion(hubs.map { trimSlash($0.url) })
        let universe = LinkUniverse(config: site.config, pageURLs: Dictionary(uniqueKeysWithValues: zip(ids, pages.map(\.page.url))),
                                    outputURLs: outputURLs, staticFiles: site.staticFiles + themeStaticFiles,
                                    leftOutDrafts: site.leftOutDrafts, leftOutStaticFiles: site.leftOutStaticFiles)
        let resolved = links(pages, universe: universe, memo: memo, work: &work)
        // The memo's tables by id and the sorted ids, made on another core while this one goes on
        // (backlinks, resources, each page's relations): on one core they were the stage's serial tail.
        let tables = Concurrent { (pages: Dictionary(uniqueKeysWithValues: zip(ids, pages)), links: Dictionary(uniqueKeysWithValues: zip(ids, resolved)),
                                   sortedIDs: ids.sorted()) }
        for result in resolved { diagnostics.append(contentsOf: result.problems) }
        let backlinks = backlinks(resolved, ids: ids, identity: identity)
        let (references, referenceDiagnostics, inputs, scored) = referencing.value
        diagnostics.append(contentsOf: referenceDiagnostics.all)
        let related = scored ?? memo.related
        if scored != nil { work.scoredRelated = true }
        let (pagesByID, linksByID, sortedIDs) = tables.value
        var next = GraphMemo(pages: pagesByID, universe: universe, links: linksByID, relatedInputs: inputs, related: related)
        if diagnostics.hasErrors { return GraphBuild(graph: nil, diagnostics: diagnostics, memo: next, work: work) }

        let resources = resources(pages, references: references, backlinks: backlinks, identity: identity)
        let crumbs = Breadcrumbs(hubs: hubs)
        let comparisons = ComparisonBuilder.links(hubs)
        var relations: [PageID: Relations] = [:]
        relations.reserveCapacity(pages.count)
        for index in pages.indices {
            relations[ids[index]] = Relations(
                linkURLs: resolved[index].urls, backlinks: backlinks[index].map { ids[$0] }, related: related[ids[index]] ?? [],
                resources: resources[index], roles: references.roles[index].map { ids[$0] },
                careerLinks: references.careerLinks[index], breadcrumbs: crumbs.trail(pages[index].page),
                comparisons: comparisons[ids[index]] ?? []
            )
        }
        let graph = SiteGraph(config: site.config, pages: next.pages, ids: sortedIDs, relations: relations, hubs: hubs,
                              linkCount: resolved.reduce(0) { $0 + $1.urls.count }, roleBySlug: identity.roleBySlug.mapValues { ids[$0] })
        next.graph = graph
        next.identity = identity
        return GraphBuild(graph: graph, diagnostics: diagnostics, memo: next, work: work)
    }

    /// The role references of front matter, and related roles scored from them (nil when the memo's
    /// inputs are the same, so its lists still hold).
    static func referencesAndRelated(_ pages: [PageBox], identity: Identity, limit: Int, memo: GraphMemo)
        -> (references: References, diagnostics: Diagnostics, inputs: RelatedInputs, related: [PageID: [RelatedRole]]?) {
        var diagnostics = Diagnostics()
        let references = References(pages: pages, identity: identity, diagnostics: &diagnostics)
        // Read through the boxes: binding a page would copy every field of it.
        let inputs = RelatedInputs(roles: identity.roles.map { index in
            RelatedInputs.Role(id: pages[index].page.id, title: pages[index].page.title, category: pages[index].page.role?.category ?? "",
                               skills: pages[index].page.role?.skills ?? [], pinned: references.pinned[index].map { pages[$0].page.id })
        }, limit: limit)
        return (references, diagnostics, inputs, memo.relatedInputs == inputs ? nil : relatedRoles(inputs, reusing: memo))
    }

    /// A page whose URL is a hub's (`content/skills/index.md` is the skills hub's text; `content/skills/go/index.md` is not).
    static func hubCollisions(_ hubs: [Hub], pages: [PageBox], identity: Identity) -> [Diagnostic] {
        hubs.compactMap { hub in
            guard let index = identity.pageByURL[hub.url], hub.page != pages[index].page.id else { return nil }
            return .error(.hubCollision, at: SourceLocation(file: pages[index].page.source),
                          "\(pages[index].page.source) would be written to \(hub.url), where the build writes the \(hub.title) page",
                          hint: hub.kind == .comparison
                              ? "move the file or give it another `slug`; \(hub.url) is made from the roles' `compare:` lists"
                              : "move the file or give it another `slug`; \(hub.url) is made from the graph")
        }
    }

    /// Resources of each role: pages that name it, by kind, then other pages that link to it.
    static func resources(_ pages: [PageBox], references: References, backlinks: [[Int]], identity: Identity) -> [RoleResources] {
        var resources = Array(repeating: RoleResources(), count: pages.count)
        for page in identity.order {
            for role in references.roles[page] {
                switch pages[page].page.kind {
                case .salary: resources[role].salaries.append(pages[page].page.id)
                case .faq: resources[role].faqs.append(pages[page].page.id)
                default: resources[role].guides.append(pages[page].page.id)
                }
            }
        }
        for role in identity.roles {
            let listed = Set(resources[role].salaries + resources[role].faqs + resources[role].guides)
            resources[role].mentions = backlinks[role].filter {
                !listed.contains(pages[$0].page.id) && pages[$0].page.kind != .role && !pages[$0].page.isIndex
            }.map { pages[$0].page.id }
        }
        return resources
    }

    /// Each page's trail: home, its section's hub (unless it is that hub's text), itself.
    struct Breadcrumbs {
        let home = Crumb(title: "Home", url: "/")
        var sections: [String: Crumb] = [:]

        init(hubs: [Hub]) {
            for hub in hubs { if case let .section(name) = hub.kind { sections[name] = Crumb(title: hub.title, url: hub.url) } }
        }

        func trail(_ page: Page) -> [Crumb] {
            var trail = [home]
            if let section = sections[page.section], section.url != page.url { trail.append(section) }
            if page.url != "/" { trail.append(Crumb(title: page.title, url: page.url)) }
            return trail
        }
    }

    /// Writer text for a category or skill no role has (`content/categories/x.md`): it would be a page of its own.
    static func unmatchedHubText(_ pages: [PageBox], hubs: [Hub]) -> [Diagnostic] {
        var absorbed = Set<PageID>()
        var names: [String: [String]] = [:]
        for hub in hubs {
            if let page = hub.page { absorbed.insert(page) }
            switch hub.kind {
            case .category: names["categories", default: []].append(String(hub.url.split(separator: "/").last ?? ""))
            case .skill: names["skills", default: []].append(String(hub.url.split(separator: "/").last ?? ""))
            default: break
            }
        }
        var problems: [Diagnostic] = []
        for box in pages {
            let page = box.page
            guard HubBuilder.isHubText(page), !absorbed.contains(page.id) else { continue }
            let what = page.section == "skills" ? "skill" : "category"
            let near = Suggestion.nearest(to: page.slug, among: names[page.section] ?? [])
            problems.append(.error(.unknownHub, at: SourceLocation(file: page.source),
                                   "no role has the \(what) `\(page.slug)`, so this text has no \(what) page to go on",
                                   hint: near.map { "did you mean \(page.section)/\($0).md?" }
                                       ?? "name the file after the \(what)'s URL (/\(page.section)/NAME/), or move it out of content/\(page.section)/"))
        }
        return problems
    }

    // MARK: Changes to what only hubs and related roles read

    /// When the same pages exist and the changed ones differ only in text and in data that only hubs
    /// and related roles read (skills, category, summary, pay and other career data), the other
    /// phases would return what they did: the last graph with new hubs, related roles scored again
    /// where a change can move them, and the changed pages replaced. Nil when that does not hold, or
    /// when a hub would disappear (a link to it would break: the full build reports that).
    static func hubsAndRelatedOnly(_ site: LoadedSite, themeStaticFiles: [String], memo: GraphMemo) -> GraphBuild? {
        guard let previous = memo.graph, let identity = memo.identity, let universe = memo.universe, let oldInputs = memo.relatedInputs,
              site.boxes.count == previous.pages.count, universe.config == site.config, universe.leftOutDrafts == site.leftOutDrafts,
              universe.staticFiles == site.staticFiles + themeStaticFiles, universe.leftOutStaticFiles == site.leftOutStaticFiles else { return nil }
        var changed: [PageBox] = []
        for (index, box) in site.boxes.enumerated() {
            // The same pages in the same order: the memo's identity (positions) still holds.
            guard let old = previous.pages[box.page.id], identity.pageByURL[box.page.url] == index else { return nil }
            if old !== box, old.page != box.page {
                guard sameLinkInputs(old.page, box.page) else { return nil }
                changed.append(box)
            }
        }
        var hubs = HubBuilder(pages: site.boxes, roles: identity.roles, byTitle: identity.byTitle).build()
        // The same roles, slugs, titles and `compare:` lists (`LinkInputs`): the same comparisons.
        hubs += ComparisonBuilder(pages: site.boxes, identity: identity).build(after: hubs).hubs
        let hubURLs = Set(hubs.map(\.url))
        guard previous.hubs.allSatisfy({ hubURLs.contains($0.url) }), unmatchedHubText(site.boxes, hubs: hubs).isEmpty else { return nil }
        for hub in hubs where identity.pageByURL[hub.url].map({ site.boxes[$0].page.id }) != hub.page && identity.pageByURL[hub.url] != nil {
            return nil
        }
        var inputs = oldInputs
        let changedRoles = Dictionary(changed.compactMap { box in box.page.role.map { (box.page.id, $0) } }) { first, _ in first }
        for index in inputs.roles.indices {
            guard let role = changedRoles[inputs.roles[index].id] else { continue }
            inputs.roles[index].skills = role.skills
            inputs.roles[index].category = role.category
        }
        var work = GraphWork()
        work.hubsAndRelatedOnly = true
        let related = inputs == oldInputs ? memo.related : relatedRoles(inputs, reusing: memo)
        work.scoredRelated = inputs != oldInputs
        var graph = previous
        var next = memo
        for box in changed {
            graph.pages[box.page.id] = box
            next.pages[box.page.id] = box
        }
        var moved = Set<PageID>()
        if inputs != oldInputs {
            for (id, list) in related where memo.related[id] != list {
                graph.relations[id]?.related = list
                moved.insert(id)
            }
        }
        graph.hubs = hubs
        graph.structure = StructureToken()
        graph.delta = StructureDelta(from: previous.structure, relations: moved)
        next.graph = graph
        next.relatedInputs = inputs
        next.related = related
        next.universe?.outputURLs.formUnion(hubs.map { trimSlash($0.url) })
        return GraphBuild(graph: graph, diagnostics: Diagnostics(), memo: next, work: work)
    }

    /// Whether two versions of a page give every phase but hubs and related roles the same inputs.
    static func sameLinkInputs(_ a: Page, _ b: Page) -> Bool {
        LinkInputs(a) == LinkInputs(b)
    }

    // MARK: Text-only changes

    /// When the same pages exist and the changed ones differ only in what no phase reads (their text,
    /// not their front matter, link targets or heading ids), every phase would return what it did:
    /// the last graph with those pages replaced. Nil when that does not hold.
    static func textOnly(_ site: LoadedSite, themeStaticFiles: [String], memo: GraphMemo) -> GraphBuild? {
        guard var graph = memo.graph, let universe = memo.universe, site.boxes.count == graph.pages.count,
              universe.config == site.config, universe.leftOutDrafts == site.leftOutDrafts,
              universe.staticFiles == site.staticFiles + themeStaticFiles, universe.leftOutStaticFiles == site.leftOutStaticFiles else { return nil }
        var changed: [PageBox] = []
        for box in site.boxes {
            guard let old = graph.pages[box.page.id] else { return nil }
            if old !== box {
                guard sameGraphInputs(old.page, box.page) else { return nil }
                changed.append(box)
            }
        }
        var next = memo
        for box in changed {
            graph.pages[box.page.id] = box
            next.pages[box.page.id] = box
        }
        next.graph = graph
        var work = GraphWork()
        work.textOnly = true
        return GraphBuild(graph: graph, diagnostics: Diagnostics(), memo: next, work: work)
    }

    /// Whether two versions of a page give every phase the same inputs, and neither has a problem in
    /// its body (those are reported by a full build).
    static func sameGraphInputs(_ a: Page, _ b: Page) -> Bool {
        sameLinkInputs(a, b) && HubInputs(a) == HubInputs(b) && a.body.problems.isEmpty && b.body.problems.isEmpty
    }

    // MARK: Phases

    /// Who is who: pages by URL, roles by slug, and every page in A-Z order.
    struct Identity {
        var pageByURL: [String: Int] = [:]
        var roleBySlug: [String: Int] = [:]
        /// Every page by title: case-insensitive, then exact title, then URL (the way people read lists).
        var order: [Int]
        /// Role pages in that order.
        var roles: [Int]
        /// Position in `order`.
        var rank: [Int]

        var byTitle: (Int, Int) -> Bool {
            let rank = rank
            return { rank[$0] < rank[$1] }
        }

        init(pages: [PageBox], diagnostics: inout Diagnostics) {
            pageByURL.reserveCapacity(pages.count)
            for index in pages.indices {
                let url = pages[index].page.url
                if let other = pageByURL[url] {
                    let source = pages[index].page.source
                    diagnostics.append(.error(.duplicateURL, at: SourceLocation(file: source),
                                              "\(source) and \(pages[other].page.source) would both be written to \(url)",
                                              hint: "rename one of them or give it a different `slug`"))
                } else {
                    pageByURL[url] = index
                }
            }
            for index in pages.indices where pages[index].page.kind == .role {
                let slug = pages[index].page.slug
                if let other = roleBySlug[slug] {
                    let source = pages[index].page.source
                    diagnostics.append(.error(.duplicateSlug, at: SourceLocation(file: source),
                                              "two roles have the slug `\(slug)`: \(pages[other].page.source) and \(source)",
                                              hint: "a role's slug names it in `related`, `roles` and career paths; make it unique"))
                } else {
                    roleBySlug[slug] = index
                }
            }
            let keys = pages.map { $0.page.title.lowercased() }
            order = pages.indices.sorted {
                (keys[$0], pages[$0].page.title, pages[$0].page.url) < (keys[$1], pages[$1].page.title, pages[$1].page.url)
            }
            roles = order.filter { pages[$0].page.kind == .role }
            var rank = Array(repeating: 0, count: pages.count)
            for (position, page) in order.enumerated() { rank[page] = position }
            self.rank = rank
        }
    }

    /// Every page's links, on all cores; a page keeps its memo when neither it nor the universe changed.
    /// A change of a page's heading ids changes the universe too (links to its anchors).
    static func links(_ boxes: [PageBox], universe: LinkUniverse, memo: GraphMemo, work: inout GraphWork) -> [ResolvedLinks] {
        /// Whether the page is as the memo has it (the same box, or an equal page).
        func unchangedPage(_ box: PageBox) -> Bool {
            guard let old = memo.pages[box.page.id] else { return false }
            return old === box || old.page == box.page
        }
        var unchanged = memo.universe == universe
        if unchanged {
            for box in boxes where !unchangedPage(box) {
                if let old = memo.pages[box.page.id], old.page.body.headings.map(\.id) != box.page.body.headings.map(\.id) {
                    unchanged = false
                    break
                }
            }
        }
        // A universe that only grew (pages, hubs or static files added) resolves every link as before;
        // only links that failed may now resolve.
        let grown = !unchanged && memo.universe.map { old in
            old.config == universe.config && old.pageURLs.allSatisfy { universe.pageURLs[$0.key] == $0.value }
                && old.outputURLs.isSubset(of: universe.outputURLs) && Set(old.staticFiles).isSubset(of: universe.staticFiles)
        } == true
        let stale = boxes.indices.filter { index in
            let id = boxes[index].page.id
            guard let known = memo.links[id], unchangedPage(boxes[index]) else { return true }
            if unchanged { return false }
            return !grown || !known.problems.isEmpty
        }
        work.linkedPages = stale.count
        var resolved = boxes.map { memo.links[$0.page.id] ?? ResolvedLinks() }
        guard !stale.isEmpty else { return resolved }
        let pages = boxes
        let resolver = LinkResolver(config: universe.config, pages: pages, outputURLs: universe.outputURLs,
                                    staticFiles: universe.staticFiles, leftOutDrafts: universe.leftOutDrafts,
                                    leftOutStaticFiles: universe.leftOutStaticFiles)
        let fresh = stale.parallelMap { index -> ResolvedLinks in
            var result = ResolvedLinks()
            for link in pages[index].page.body.links {
                switch resolver.resolve(link, in: index) {
                case let .page(target, href):
                    result.urls.append(href)
                    if target != index { result.targets.append(pages[target].page.id) }
                case let .other(href):
                    result.urls.append(href)
                case let .broken(diagnostic):
                    result.urls.append("#")
                    result.problems.append(diagnostic)
                }
            }
            // A page's broken links of one kind are shown up to a limit, then counted (as its parse errors are).
            result.problems = Diagnostic.limitedPerCode(result.problems)
            return result
        }
        for (index, result) in zip(stale, fresh) { resolved[index] = result }
        return resolved
    }

    /// Per page, the pages that link to it, in A-Z order (sources are visited in that order).
    static func backlinks(_ resolved: [ResolvedLinks], ids: [PageID], identity: Identity) -> [[Int]] {
        var indexOf: [PageID: Int] = [:]
        indexOf.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() { indexOf[id] = index }
        var backlinks = Array(repeating: [Int](), count: resolved.count)
        for source in identity.order {
            for target in resolved[source].targets {
                guard let target = indexOf[target], backlinks[target].last != source else { continue }
                backlinks[target].append(source)
            }
        }
        return backlinks
    }

    /// The role references of front matter, checked against the roles that exist.
    struct References {
        var roles: [[Int]]
        var pinned: [[Int]]
        var careerLinks: [CareerLinks]

        init(pages: [PageBox], identity: Identity, diagnostics: inout Diagnostics) {
            roles = Array(repeating: [], count: pages.count)
            pinned = Array(repeating: [], count: pages.count)
            careerLinks = Array(repeating: CareerLinks(), count: pages.count)
            func resolve(_ refs: [Located<String>], field: String, of page: Int) -> [Int] {
                var result: [Int] = []
                var named = Set<Int>()
                for ref in refs {
                    if let role = identity.roleBySlug[ref.value] {
                        if role == page {
                            diagnostics.append(.error(.selfReference, at: ref.location, "`\(field)` names this role itself", hint: "remove `\(ref.value)` from `\(field)`"))
                        } else if named.insert(role).inserted {
                            result.append(role)
                        }
                    } else {
                        let guess = Suggestion.nearest(to: ref.value, among: identity.roleBySlug.keys).map { "did you mean `\($0)`? " } ?? ""
                        diagnostics.append(.error(.unknownRole, at: ref.location, "`\(field)` names the role `\(ref.value)`, which does not exist",
                                                  hint: "\(guess)a role slug is the file name under content/roles/ without .md (or its `slug:`)"))
                    }
                }
                return result
            }
            for index in pages.indices {
                roles[index] = resolve(pages[index].page.roles, field: "roles", of: index)
                if let role = pages[index].page.role {
                    pinned[index] = resolve(role.related, field: "related", of: index)
                    careerLinks[index] = CareerLinks(
                        from: resolve(role.careerPath?.from ?? [], field: "career_path.from", of: index).map { pages[$0].page.id },
                        to: resolve(role.careerPath?.to ?? [], field: "career_path.to", of: index).map { pages[$0].page.id },
                        specializations: resolve(role.specializations, field: "specializations", of: index).map { pages[$0].page.id }
                    )
                    // Checked here with the other references; the comparison pages are made with the hubs.
                    _ = resolve(role.compare, field: "compare", of: index)
                }
            }
        }
    }

    /// Related roles of every role, on all cores: pinned first, then the best scored. With the same roles
    /// as the memo's, only those a change can move are scored again: the changed roles, and the roles
    /// that share a skill or the category with one of them (before or after the change), since a score
    /// counts only shared skills (weighted by how many roles have them) and the category.
    static func relatedRoles(_ inputs: RelatedInputs, reusing memo: GraphMemo = GraphMemo()) -> [PageID: [RelatedRole]] {
        let roles = inputs.roles
        var slugs = Slug.Cache()
        func slug(_ name: String) -> String { slugs.make(name) }
        let documentOf = Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1.id, $0) })
        let index = RelatedIndex(documents: roles.map { role in
            var names: [String: String] = [:]
            let keys = role.skills.map(slug)
            for (name, key) in zip(role.skills, keys) where names[key] == nil { names[key] = name }
            return RelatedIndex.Document(title: role.title.lowercased() + "\u{0}" + role.title, category: role.category,
                                         skills: keys, skillNames: names)
        })
        var documents = Array(roles.indices)
        var result = memo.related
        // The same roles in the same order (so the same document numbers, which break ties).
        if let old = memo.relatedInputs, old.limit == inputs.limit, old.roles.map(\.id) == roles.map(\.id) {
            let before = Dictionary(uniqueKeysWithValues: old.roles.map { ($0.id, $0) })
            var changed = Set<PageID>()
            // Skills whose number of holders (so whose weight) changed, and categories that gained or lost a role.
            var skills = Set<String>()
            var categories = Set<String>()
            var retitled = false
            for role in roles where before[role.id] != role {
                let old = before[role.id]!
                changed.insert(role.id)
                skills.formUnion(Set(old.skills.map(slug)).symmetricDifference(role.skills.map(slug)))
                if old.category != role.category { categories.formUnion([old.category, role.category]) }
                if old.title != role.title { retitled = true }
            }
            // A role's list can move only if it holds a skill whose weight changed (its scores with every
            // holder of that skill change, the changed role's among them) or is in a category that changed;
            // its other scores add the same weights as before. A new title moves ties and document
            // numbers: everything is scored again.
            if !retitled {
                documents = roles.indices.filter { document in
                    let role = roles[document]
                    return changed.contains(role.id) || categories.contains(role.category) || role.skills.contains { skills.contains(slug($0)) }
                }
            }
        } else {
            result = [:]
        }
        let limit = inputs.limit
        // In a few runs per core, each with its own scratch memory.
        let runs = min(documents.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let lists = (0..<runs).map { run in Array(documents[run * documents.count / runs ..< (run + 1) * documents.count / runs]) }
            .parallelMap { run -> [[RelatedRole]] in
                var scratch = RelatedIndex.Scratch(for: index)
                return run.map { document in
                    let pinned = roles[document].pinned
                    var list = pinned.map { RelatedRole(page: $0, pinned: true, score: 0, reasons: []) }
                    let excluded = Set(pinned.compactMap { documentOf[$0] })
                    let scored = index.search(document, limit: max(0, limit - list.count), excluding: excluded, scratch: &scratch)
                    list += scored.map { RelatedRole(page: roles[$0.document].id, pinned: false, score: $0.score, reasons: $0.reasons) }
                    return list
                }
            }.flatMap { $0 }
        for (document, list) in zip(documents, lists) { result[roles[document].id] = list }
        return result
    }

    static func trimSlash(_ url: String) -> String {
        var url = url
        while url.count > 1, url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
