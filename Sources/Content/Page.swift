import Diagnostics
import Markdown

/// What a page is, from its folder or an explicit `kind:`.
public enum PageKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case role, salary, faq, guide, page

    /// The content folder whose pages have this kind by default.
    public var folder: String? {
        switch self {
        case .role: "roles"
        case .salary: "salaries"
        case .faq: "faqs"
        case .guide: "guides"
        case .page: nil
        }
    }

    public init(folder: String) {
        self = PageKind.allCases.first { $0.folder == folder } ?? .page
    }

    public static func < (lhs: PageKind, rhs: PageKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A value and where the writer wrote it, so later stages can point at it.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// One content file, parsed and validated.
public struct Page: Sendable, Hashable {
    /// Path from the site folder, for messages: `content/roles/backend-developer.md`.
    public var source: String
    /// Path inside `content/`: `roles/backend-developer.md`.
    public var path: String
    public var kind: PageKind
    /// The last URL segment (file name or `slug:`); a role's id in `related`, `roles`...
    public var slug: String
    /// Site-relative URL with slashes on both ends: `/roles/backend-developer/`; `/` for the home page.
    public var url: String
    /// First folder under `content/` (`roles`), empty for pages at the top.
    public var section: String
    /// `index.md`: the page of its folder.
    public var isIndex: Bool

    public var title: String
    public var summary: String?
    public var updated: String?
    public var draft: Bool
    public var sources: [SourceRef]
    /// Role pages only.
    public var role: RoleData?
    /// Salary, FAQ and guide pages: the roles they are about.
    public var roles: [Located<String>]
    /// Old addresses of the page (`aliases:`), site-relative folder URLs (`/roles/back-end-developer/`): each gets
    /// a redirect page and a line in `_redirects`.
    public var aliases: [Located<String>] = []

    public var body: MarkdownDocument
    /// File line of the body's first line, so Markdown positions map to the file.
    public var bodyStartLine: Int
    /// Where front matter values are, by key (`summary`, `updated`; `salary.as_of`, `market.as_of`),
    /// for messages about them: see `location(ofField:)`.
    public var fieldLocations = FieldLocations()

    public init(
        source: String, path: String, kind: PageKind, slug: String, url: String, section: String, isIndex: Bool,
        title: String, summary: String? = nil, updated: String? = nil, draft: Bool = false,
        sources: [SourceRef] = [], role: RoleData? = nil, roles: [Located<String>] = [],
        body: MarkdownDocument, bodyStartLine: Int
    ) {
        self.source = source
        self.path = path
        self.kind = kind
        self.slug = slug
        self.url = url
        self.section = section
        self.isIndex = isIndex
        self.title = title
        self.summary = summary
        self.updated = updated
        self.draft = draft
        self.sources = sources
        self.role = role
        self.roles = roles
        self.body = body
        self.bodyStartLine = bodyStartLine
    }

    /// Where a Markdown position of the body is in the file.
    public func location(bodyLine: Int, column: Int) -> SourceLocation {
        SourceLocation(file: source, line: bodyStartLine + bodyLine - 1, column: column)
    }

    /// Where the front matter value of `key` is in the page's file, if the page has it.
    public func location(ofField key: String) -> SourceLocation? {
        fieldLocations[key].map { SourceLocation(file: source, line: $0.line, column: $0.column) }
    }
}

/// Where each front matter value is: a short list of keys with line and column (the file is the
/// page's), kept for every page, so small: no dictionary, no file name per entry.
public struct FieldLocations: Sendable, Hashable {
    private struct Entry: Sendable, Hashable {
        var key: String
        var line: Int32
        var column: Int32
    }

    /// Sorted by key: the same fields give equal values whatever order they were set in (the parser sets
    /// them from a dictionary, whose order differs from one instance to the next).
    private var entries: [Entry] = []

    public init() {}

    public subscript(key: String) -> (line: Int, column: Int)? {
        get {
            entries.first { $0.key == key }.map { (Int($0.line), Int($0.column)) }
        }
        set {
            entries.removeAll { $0.key == key }
            if let newValue {
                let position = entries.firstIndex { $0.key > key } ?? entries.endIndex
                entries.insert(Entry(key: key, line: Int32(clamping: newValue.line), column: Int32(clamping: newValue.column)), at: position)
            }
        }
    }
}

public struct SourceRef: Sendable, Hashable {
    public var name: String
    public var url: String
    public var license: String?
    /// The attribution the licence asks for, in the writer's words; printed with the source.
    public var attribution: String?
    /// Where `url` is written (for `check --external`); nil for a source guidegen adds (a data file's).
    public var urlLocation: SourceLocation?

    public init(name: String, url: String, license: String? = nil, attribution: String? = nil, urlLocation: SourceLocation? = nil) {
        self.name = name
        self.url = url
        self.license = license
        self.attribution = attribution
        self.urlLocation = urlLocation
    }
}

/// The typed career data of a role.
public struct RoleData: Sendable, Hashable {
    public var category: String
    public var alternateTitles: [String] = []
    public var skills: [String] = []
    public var related: [Located<String>] = []
    @OutOfLine public var salary: Salary? = nil
    public var occupationCode: String?
    public var careerPath: CareerPath?
    public var specializations: [Located<String>] = []
    /// Roles the writer wants compared with this one, each on an "X vs Y" page (`compare:`).
    public var compare: [Located<String>] = []
    public var industries: [String] = []
    public var education: String?
    public var certifications: [String] = []
    @OutOfLine public var market: Market? = nil
    /// How many work in the role and how that is expected to change.
    @OutOfLine public var outlook: Outlook? = nil
    /// The education most people enter the role with (BLS's "typical entry-level education").
    public var entryEducation: EntryEducation?
    /// Work experience in a related role most people have on entry.
    public var entryExperience: EntryExperience?
    /// The on-the-job training BLS says the occupation needs (`None`, `Moderate-term on-the-job training`).
    public var training: String?
    /// The occupation the figures describe, when they come from a declared data file.
    @OutOfLine public var occupation: Occupation? = nil
    /// Pay by state, when the site declares an OEWS state file.
    @OutOfLine public var stateWages: StateWages? = nil
    /// The writer's words on how the role relates to its occupation (`occupation_note:`).
    public var occupationNote: String?

    public init(category: String) {
        self.category = category
    }
}

public struct Salary: Sendable, Hashable {
    public enum Period: String, Sendable, Hashable { case year, hour }

    public var currency: String
    public var period: Period = .year
    public var median: Double?
    public var percentiles: Percentiles?
    public var levels: [SalaryLevel] = []
    public var hourly: ClosedRange<Double>?
    public var source: String
    public var asOf: String
    /// Where the figures hold: an ISO 3166-1 code (US, GB, DE); optional where the currency says it.
    public var country: String?
    /// The day a writer last looked for a newer release and found none (YYYY-MM-DD).
    public var checked: String?
    /// Figures at or above the survey's top-coded amount (OEWS `#`): each holds that amount, shown "or more".
    public var atLeast: Set<Figure> = []

    /// The figures of a pay distribution, for `atLeast`.
    public enum Figure: String, Sendable, Hashable, CaseIterable, Comparable {
        case p10, p25, median, p75, p90

        public static func < (lhs: Figure, rhs: Figure) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public init(currency: String, source: String, asOf: String) {
        self.currency = currency
        self.source = source
        self.asOf = asOf
    }
}

public struct Percentiles: Sendable, Hashable {
    public var p10: Double?
    public var p25: Double?
    public var p75: Double?
    public var p90: Double?

    public init(p10: Double? = nil, p25: Double? = nil, p75: Double? = nil, p90: Double? = nil) {
        self.p10 = p10
        self.p25 = p25
        self.p75 = p75
        self.p90 = p90
    }
}

public struct SalaryLevel: Sendable, Hashable {
    public var level: String
    public var min: Double
    public var max: Double

    public init(level: String, min: Double, max: Double) {
        self.level = level
        self.min = min
        self.max = max
    }
}

public struct CareerPath: Sendable, Hashable {
    public struct Level: Sendable, Hashable {
        public var title: String
        public var years: String?
        public var summary: String?
        /// Pay at this level, a range or one figure, in the role's salary currency (and from its source).
        public var pay: ClosedRange<Double>?

        public init(title: String, years: String? = nil, summary: String? = nil, pay: ClosedRange<Double>? = nil) {
            self.title = title
            self.years = years
            self.summary = summary
            self.pay = pay
        }
    }

    /// A branch of the path after its shared levels: an individual contributor track and a management
    /// track, say, each with its own levels.
    public struct Track: Sendable, Hashable {
        public var name: String
        public var levels: [Level]

        public init(name: String, levels: [Level]) {
            self.name = name
            self.levels = levels
        }
    }

    /// The levels everyone climbs first (or the whole path when it does not branch).
    public var levels: [Level] = []
    /// Where the path splits after `levels`; empty for a single ladder.
    public var tracks: [Track] = []
    public var from: [Located<String>] = []
    public var to: [Located<String>] = []

    /// Most tracks a path may split into: more do not fit side by side on a phone.
    public static let maxTracks = 3

    /// Every level, shared then each track's, in order.
    public var allLevels: [Level] { levels + tracks.flatMap(\.levels) }

    public init() {}
}

public struct Market: Sendable, Hashable {
    public var openJobs: Double?
    public var employers: Double?
    public var jobSeekers: Double?
    public var source: String
    public var asOf: String
    /// The day a writer last looked for a newer release and found none (YYYY-MM-DD).
    public var checked: String?

    public init(source: String, asOf: String) {
        self.source = source
        self.asOf = asOf
    }
}

/// Employment and its projection, as an outlook survey gives them (BLS Employment Projections).
public struct Outlook: Sendable, Hashable {
    /// Jobs in the first year of the period.
    public var employment: Double?
    /// Jobs expected in the last year of the period.
    public var projectedEmployment: Double?
    /// Percent change over the period; negative for a decline.
    public var growth: Double?
    /// The projection period in years, like 2024...2034.
    public var period: ClosedRange<Int>?
    /// Openings a year on average over the period.
    public var openings: Double?
    public var source: String
    public var asOf: String
    /// The day a writer last looked for a newer release and found none (YYYY-MM-DD).
    public var checked: String?
    /// How the source words the growth rate (`Much faster than average`), from its own bands.
    public var band: String?
    /// The growth of all occupations over the same period, from the same table.
    public var allOccupationsGrowth: Double?

    public init(source: String, asOf: String) {
        self.source = source
        self.asOf = asOf
    }
}

/// The typical entry-level education, in BLS's categories.
public enum EntryEducation: String, Sendable, Hashable, CaseIterable {
    case none, highSchool = "high-school", postsecondaryNondegree = "postsecondary-nondegree", someCollege = "some-college"
    case associate, bachelor, master, doctoral

    /// How a page says it.
    public var label: String {
        switch self {
        case .none: "No formal credential"
        case .highSchool: "High school diploma"
        case .postsecondaryNondegree: "Postsecondary certificate"
        case .someCollege: "Some college, no degree"
        case .associate: "Associate's degree"
        case .bachelor: "Bachelor's degree"
        case .master: "Master's degree"
        case .doctoral: "Doctoral or professional degree"
        }
    }

    /// For sorting and comparison: a higher rank is more schooling.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }
}

/// Work experience in a related role, in BLS's categories.
public enum EntryExperience: String, Sendable, Hashable, CaseIterable {
    case none, underFiveYears = "under-5-years", fiveYearsOrMore = "5-years-or-more"

    public var label: String {
        switch self {
        case .none: "None needed"
        case .underFiveYears: "Under 5 years"
        case .fiveYearsOrMore: "5 years or more"
        }
    }
}

/// An optional value kept out of line: figures most pages lack (a role's salary, market, outlook)
/// cost each page one pointer instead of their full size (a page is 400 bytes instead of 800).
@propertyWrapper
public struct OutOfLine<Value: Sendable & Hashable>: Sendable, Hashable {
    private final class Storage: Sendable {
        let value: Value

        init(_ value: Value) {
            self.value = value
        }
    }

    private var storage: Storage?

    public init(wrappedValue: Value?) {
        storage = wrappedValue.map(Storage.init)
    }

    public var wrappedValue: Value? {
        get { storage?.value }
        set { storage = newValue.map(Storage.init) }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.storage === b.storage || a.wrappedValue == b.wrappedValue
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(wrappedValue)
    }
}
