import Content

// What each graph phase reads of a page, as a value the memo compares: when a page's value is the
// same as last time, the phase's result for the page is too. A phase reads a page only through the
// fields its input carries, and the inputs' stored properties are named after the `Page` and
// `RoleData` fields they carry, so a test (PhaseInputsTests) can list by reflection every field no
// input carries: a new field must be added to the input of every phase that reads it, or declared
// as read only by the page's own output (`PageFields.ownOutputOnly`, in Render).

/// What identity (URLs, role slugs, A-Z order), front matter references, links, backlinks,
/// resources and breadcrumbs read of a page. When it changes, those phases run again.
public struct LinkInputs: Sendable, Equatable {
    /// The references of a role's front matter: the roles it names.
    public struct Role: Sendable, Equatable {
        var related: [Located<String>]
        /// Only the roles a career path names (`from`, `to`); its levels are the page's own.
        var careerPath: CareerEnds?
        var specializations: [Located<String>]
        /// The roles named for "X vs Y" pages: their URLs and titles.
        var compare: [Located<String>]
    }

    public struct CareerEnds: Sendable, Equatable {
        var from: [Located<String>]
        var to: [Located<String>]
    }

    /// What links read of the body: where each local link points, and the heading ids links may name.
    public struct Body: Sendable, Equatable {
        var links: [String]
        var headings: [String]
    }

    var source: String
    var path: String
    var kind: PageKind
    var slug: String
    var url: String
    var section: String
    var isIndex: Bool
    var title: String
    var draft: Bool
    var roles: [Located<String>]
    var role: Role?
    var body: Body

    public init(_ page: Page) {
        source = page.source
        path = page.path
        kind = page.kind
        slug = page.slug
        url = page.url
        section = page.section
        isIndex = page.isIndex
        title = page.title
        draft = page.draft
        roles = page.roles
        role = page.role.map { role in
            Role(related: role.related, careerPath: role.careerPath.map { CareerEnds(from: $0.from, to: $0.to) },
                 specializations: role.specializations, compare: role.compare)
        }
        body = Body(links: page.body.links.map(\.destination), headings: page.body.headings.map(\.id))
    }
}

/// What hubs (home, sections, categories, skills) and related-role scoring read of a page besides
/// its `LinkInputs`. When only these change, only those two phases run again.
public struct HubInputs: Sendable, Equatable {
    public struct Role: Sendable, Equatable {
        var category: String
        var skills: [String]
    }

    /// A folder's `index.md` gives its hub's summary.
    var summary: String?
    var role: Role?

    public init(_ page: Page) {
        summary = page.summary
        role = page.role.map { Role(category: $0.category, skills: $0.skills) }
    }
}
