import Content
import Diagnostics

/// A page's identity: its path inside `content/` (`roles/backend-developer.md`). The graph is keyed
/// by it, so adding or removing a page leaves every other page's entries as they were.
public struct PageID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    public static func < (lhs: PageID, rhs: PageID) -> Bool { lhs.path < rhs.path }
    public var description: String { path }
}

extension Page {
    public var id: PageID { PageID(path) }
}

/// The linked site: every page with its links resolved, and everything derived
/// from the links and the career data (related roles, resources, backlinks, hubs).
public struct SiteGraph: Sendable {
    public var config: SiteConfig
    /// Every published page (boxed: an unchanged page is the same box from one build to the next).
    public var pages: [PageID: PageBox]
    /// The pages in content-path order (the order outputs are listed in).
    public var ids: [PageID]
    /// What the graph knows about each page besides its own content.
    public var relations: [PageID: Relations]
    /// Generated pages: home, sections, A-Z roles, categories, skills, then "X vs Y" comparisons.
    public var hubs: [Hub]
    /// Number of local links checked.
    public var linkCount: Int
    /// The role with this slug.
    public var roleBySlug: [String: PageID]
    /// Made anew whenever the graph's phases run; kept when only page text changed, so two graphs
    /// with the same token have the same relations, hubs and roles by slug.
    public var structure = StructureToken()
    /// When this graph was made from the one with token `delta.from` by redoing only hubs and related
    /// roles: the pages whose relations may differ from that graph's (its hubs may differ too).
    public var delta: StructureDelta?

    /// The page, lent in place: `graph[id].title` reads one field instead of copying the whole page.
    public subscript(id: PageID) -> Page {
        _read { yield pages[id]!.page }
    }
    public func relations(of id: PageID) -> Relations { relations[id]! }
}

/// Identifies one run of the graph's phases (compared by identity).
public final class StructureToken: Sendable {
    public init() {}
}

/// What changed between two graphs when only hubs and related roles were made again.
public struct StructureDelta: Sendable {
    public let from: StructureToken
    public let relations: Set<PageID>
}

/// One page's place in the graph. Pages it names are named by id; equal values render alike.
public struct Relations: Sendable, Hashable {
    /// Per local link of its body: the href to write (with base path and anchor).
    public var linkURLs: [String] = []
    /// The pages that link to it, sorted by title.
    public var backlinks: [PageID] = []
    /// Related roles (roles only).
    public var related: [RelatedRole] = []
    /// Resources about it (roles only).
    public var resources = RoleResources()
    /// The role pages named in its `roles`.
    public var roles: [PageID] = []
    /// Career path `from`, `to` and `specializations` (roles only).
    public var careerLinks = CareerLinks()
    /// Home > section > page.
    public var breadcrumbs: [Crumb] = []
    /// The "X vs Y" pages of a role, by URL (roles only).
    public var comparisons: [ComparisonLink] = []

    /// The pages this page's output links to besides its body: related roles, the roles it is about,
    /// its career path and its resources.
    public var linkedPages: [PageID] {
        related.map(\.page) + roles + careerLinks.from + careerLinks.to + careerLinks.specializations
            + resources.salaries + resources.faqs + resources.guides + resources.mentions
    }

    /// Whether this page's output shows (as a card or a link) any of these pages.
    public func shows(anyOf pages: Set<PageID>) -> Bool {
        backlinks.contains(where: pages.contains) || linkedPages.contains(where: pages.contains)
    }
}

public struct RelatedRole: Sendable, Hashable {
    public var page: PageID
    public var pinned: Bool
    public var score: Double
    public var reasons: [Reason]

    public enum Reason: Sendable, Hashable {
        /// A shared skill, its weight, and how many roles have it.
        case skill(String, weight: Double, sharedBy: Int)
        case category(String, weight: Double)
    }
}

public struct RoleResources: Sendable, Hashable {
    public var salaries: [PageID] = []
    public var faqs: [PageID] = []
    public var guides: [PageID] = []
    /// Other pages that link to the role and are not listed above.
    public var mentions: [PageID] = []

    public var isEmpty: Bool { salaries.isEmpty && faqs.isEmpty && guides.isEmpty && mentions.isEmpty }
}

public struct CareerLinks: Sendable, Hashable {
    public var from: [PageID] = []
    public var to: [PageID] = []
    public var specializations: [PageID] = []
}

/// A role's link to an "X vs Y" page: the page, and the other role on it.
public struct ComparisonLink: Sendable, Hashable {
    public var other: PageID
    public var title: String
    /// Site-relative URL.
    public var url: String
}

public struct Crumb: Sendable, Hashable {
    public var title: String
    /// Site-relative URL.
    public var url: String
}

/// A page the build makes from the graph.
public struct Hub: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case home
        /// A content folder's list (`/salaries/`); `/roles/` is the A-Z list of roles.
        case section(String)
        case categories
        case category(String)
        case skills
        case skill(String)
        /// An "X vs Y" page: `members` are the two roles, in the URL's order.
        case comparison
    }

    public var kind: Kind
    public var title: String
    /// Site-relative URL.
    public var url: String
    /// The content page (`index.md`) whose text and summary this hub shows, if any.
    public var page: PageID?
    public var summary: String?
    /// Pages listed, in display order.
    public var members: [PageID]
    /// Links to other hubs, with how many pages each lists.
    public var groups: [HubLink]
    public var breadcrumbs: [Crumb]
    /// Skill hubs: the skills most often listed beside this one, with how many roles list both.
    public var neighbours: [HubLink] = []
}

public struct HubLink: Sendable, Hashable {
    public var title: String
    public var url: String
    public var count: Int

    public init(title: String, url: String, count: Int) {
        self.title = title
        self.url = url
        self.count = count
    }
}
