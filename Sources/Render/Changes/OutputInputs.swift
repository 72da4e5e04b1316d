import Content
import Graph

// What an output reads of pages other than its own, as values change detection compares
// (`Renderer.changedOutputs`): a page's own output reads all of it, other outputs only these.
// Like the graph's phase inputs (Graph/PhaseInputs.swift), their stored properties are named after
// the `Page` and `RoleData` fields they carry; PhaseInputsTests lists by reflection every field that
// no input carries and that `PageFields.ownOutputOnly` does not declare.

/// What other pages' outputs show of a page: its card, its row of the comparison table, its link
/// and pay in lists. Views read other pages only through `PageCard`, which is made from this.
public struct CardInputs: Sendable, Hashable {
    public struct Role: Sendable, Hashable {
        var category: String
        var salary: Salary?
        /// The comparison table's growth column.
        var outlook: Outlook?
        var entryEducation: EntryEducation?
        /// Whose figures the card's pay and the table's row are (an occupation several roles share).
        var occupation: Occupation?
    }

    var title: String
    var url: String
    var kind: PageKind
    var summary: String?
    var isIndex: Bool
    var role: Role?

    public init(_ page: Page) {
        title = page.title
        url = page.url
        kind = page.kind
        summary = page.summary
        isIndex = page.isIndex
        role = page.role.map {
            Role(category: $0.category, salary: $0.salary, outlook: $0.outlook, entryEducation: $0.entryEducation, occupation: $0.occupation)
        }
    }
}

/// What the sitemap and the feed read of every page: where it is, when it was updated, and the
/// feed's title and summary.
public struct ListingInputs: Sendable, Equatable {
    var url: String
    var updated: String?
    var title: String
    var summary: String?

    public init(_ page: Page) {
        url = page.url
        updated = page.updated
        title = page.title
        summary = page.summary
    }
}

/// The fields no phase input carries: only the page's own output reads them (its text, the figures
/// and facts only its page shows), so a change to them renders that page again and nothing else.
public enum PageFields {
    /// `Page` fields, and why only the page's own output reads them.
    public static let ownOutputOnly: [String: String] = [
        "sources": "the page's own source list",
        "bodyStartLine": "positions for the page's own messages",
        "fieldLocations": "positions for the page's own messages",
        "aliases": "the redirect pages and _redirects, which `changedOutputs` compares whole (a change renders everything)",
    ]
    /// `RoleData` fields only the role's own page shows (quick facts, JSON-LD, the career diagram).
    public static let roleOwnOutputOnly: [String: String] = [
        "alternateTitles": "the role page's JSON-LD and the search index (made whole each time)",
        "occupationCode": "the role page's JSON-LD and quick facts",
        "industries": "the role page",
        "education": "the role page and its JSON-LD",
        "certifications": "the role page",
        "market": "the role page's quick facts",
        "entryExperience": "the role page's quick facts",
        "training": "the role page's quick facts",
        "stateWages": "the role page's pay by state",
        "occupationNote": "the role page (other pages read it through `occupation`, which the data stage fills)",
    ]
}
