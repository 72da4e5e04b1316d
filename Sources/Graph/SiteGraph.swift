import Content
import Diagnostics

/// The linked site: every page with its links resolved, and everything derived
/// from the links and the career data (related roles, resources, backlinks, hubs).
/// Pages are referred to by their index in `pages`.
public struct SiteGraph: Sendable {
    public var config: SiteConfig
    public var pages: [Page]
    /// Per page, per local link of its body: the href to write (with base path and anchor).
    public var linkURLs: [[String]]
    /// Per page: the pages that link to it, sorted by title.
    public var backlinks: [[Int]]
    /// Per page: related roles (roles only; empty for other kinds).
    public var related: [[RelatedRole]]
    /// Per page: resources about it (roles only).
    public var resources: [RoleResources]
    /// Per page: the role pages named in its `roles`.
    public var roles: [[Int]]
    /// Per page: career path `from`, `to` and `specializations` as page indices (roles only).
    public var careerLinks: [CareerLinks]
    /// Generated pages: home, sections, A-Z roles, categories, skills.
    public var hubs: [Hub]
    /// Per page: Home > section > page.
    public var breadcrumbs: [[Crumb]]
    /// Number of local links checked.
    public var linkCount: Int

    /// Index of the role with this slug.
    public var roleBySlug: [String: Int]
}

public struct RelatedRole: Sendable, Hashable {
    public var page: Int
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
    public var salaries: [Int] = []
    public var faqs: [Int] = []
    public var guides: [Int] = []
    /// Other pages that link to the role and are not listed above.
    public var mentions: [Int] = []

    public var isEmpty: Bool { salaries.isEmpty && faqs.isEmpty && guides.isEmpty && mentions.isEmpty }
}

public struct CareerLinks: Sendable, Hashable {
    public var from: [Int] = []
    public var to: [Int] = []
    public var specializations: [Int] = []
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
    }

    public var kind: Kind
    public var title: String
    /// Site-relative URL.
    public var url: String
    /// The content page (`index.md`) whose text and summary this hub shows, if any.
    public var page: Int?
    public var summary: String?
    /// Pages listed, in display order.
    public var members: [Int]
    /// Links to other hubs, with how many pages each lists.
    public var groups: [HubLink]
    public var breadcrumbs: [Crumb]
}

public struct HubLink: Sendable, Hashable {
    public var title: String
    public var url: String
    public var count: Int
}
