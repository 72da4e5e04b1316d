import Diagnostics

/// An official release file a site declares in `guidegen.yml` under `data:`, read by occupation code
/// to fill the figures of the roles that name one.
public struct DataDeclaration: Sendable, Hashable {
    /// The layouts guidegen reads, as BLS publishes them.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// OEWS national file (`national_M2025_dl.xlsx`): one row per occupation.
        case oewsNational = "oews-national"
        /// OEWS state file (`state_M2025_dl.xlsx`): one row per occupation and state.
        case oewsState = "oews-state"
        /// Employment Projections table 1.2 (`occupation.xlsx`), employment by detailed occupation.
        case epOccupations = "ep-occupations"
    }

    public var kind: Kind
    /// Path inside the site folder: `data/national_M2025_dl.xlsx`.
    public var file: String
    /// How pages name the release: `OEWS May 2025`.
    public var release: String
    /// The day the figures describe (YYYY-MM-DD): 2025-05-31 for OEWS May 2025.
    public var asOf: String
    /// The day the release was published (YYYY-MM-DD).
    public var published: String
    /// Where the release is published.
    public var url: String
    /// The declaration's place in guidegen.yml.
    public var location: SourceLocation
    /// Where its `url` is written in guidegen.yml.
    public var urlLocation: SourceLocation?

    public init(kind: Kind, file: String, release: String, asOf: String, published: String, url: String, location: SourceLocation) {
        self.kind = kind
        self.file = file
        self.release = release
        self.asOf = asOf
        self.published = published
        self.url = url
        self.location = location
    }
}

/// The occupation of an official classification a role's figures describe, when they come from a
/// declared data file: the figures are the occupation's, and pages say whose they are.
public struct Occupation: Sendable, Hashable {
    /// The SOC code the figures are filed under (`15-1252`): the role's own code, or the broader
    /// group the data file holds when it has no row for that code.
    public var code: String
    /// The occupation's title in the data file: `Software Developers`.
    public var title: String
    /// Whether the figures are of a broader group than the role's code (`15-1250` for `15-1259`).
    public var isBroaderGroup: Bool
    /// The other roles of the site whose figures are this occupation's too, by slug and title, sorted by slug.
    public var sharedWith: [SharedRole]
    /// The writer's words on how the role relates to the occupation (`occupation_note:`).
    public var note: String?

    public struct SharedRole: Sendable, Hashable {
        public var slug: String
        public var title: String

        public init(slug: String, title: String) {
            self.slug = slug
            self.title = title
        }
    }

    public init(code: String, title: String, isBroaderGroup: Bool = false, sharedWith: [SharedRole] = [], note: String? = nil) {
        self.code = code
        self.title = title
        self.isBroaderGroup = isBroaderGroup
        self.sharedWith = sharedWith
        self.note = note
    }
}

/// Pay by state from an OEWS state file: one row per state that has the occupation.
public struct StateWages: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        /// The area's name in the file: `California`.
        public var state: String
        /// Its postal abbreviation: `CA`.
        public var abbreviation: String
        /// Annual median wage; nil where the file has none (`*`, `**`).
        public var median: Double?
        /// The median is at or above the top-coded amount (`#`): `median` holds that amount.
        public var medianAtLeast: Bool
        public var employment: Double?
        /// The occupation's share of the state's jobs over its share of the nation's (1 is the same).
        public var locationQuotient: Double?

        public init(state: String, abbreviation: String, median: Double?, medianAtLeast: Bool = false,
                    employment: Double?, locationQuotient: Double?) {
            self.state = state
            self.abbreviation = abbreviation
            self.median = median
            self.medianAtLeast = medianAtLeast
            self.employment = employment
            self.locationQuotient = locationQuotient
        }
    }

    public var rows: [Row]
    public var source: String
    public var asOf: String

    public init(rows: [Row], source: String, asOf: String) {
        self.rows = rows
        self.source = source
        self.asOf = asOf
    }
}
