/// What the search index knows of one page, taken from the page graph (not from HTML).
public struct SearchDocument: Sendable, Hashable {
    /// Site-relative URL without the leading slash: `roles/backend-developer/`.
    public var url: String
    public var title: String
    /// What a result shows as the kind: "Role", "Salary guide", "FAQ", "Guide"...
    public var kind: String
    public var category: String?
    public var alternateTitles: [String]
    /// Skills (role pages) and similar short labels.
    public var keywords: [String]
    public var headings: [String]
    public var summary: String?
    /// The text a reader sees (no markup).
    public var body: String
    /// What a result shows as its answer: a role's or a salary guide's median pay ("Median $135,980 a year").
    public var figure: String?
    /// Added to every term's score: a small lead for the pages searches are most often for.
    public var boost: Double

    public init(
        url: String, title: String, kind: String, category: String? = nil, alternateTitles: [String] = [],
        keywords: [String] = [], headings: [String] = [], summary: String? = nil, body: String = "", boost: Double = 0
    ) {
        self.url = url
        self.title = title
        self.kind = kind
        self.category = category
        self.alternateTitles = alternateTitles
        self.keywords = keywords
        self.headings = headings
        self.summary = summary
        self.body = body
        self.boost = boost
    }
}
