import Content
import Graph
import Templates

/// Projected growth in plain numeric bands, for the comparison table's outlook filter. These are not
/// the Occupational Outlook Handbook's wording (`OutlookBands` holds none until it is confirmed): each
/// band says the range it covers. A growth falls in the band of the figure the table shows (one decimal).
public enum GrowthBand: String, Sendable, Hashable, CaseIterable {
    case tenOrMore = "10-plus", fiveToTen = "5-to-9.9", zeroToFive = "0-to-4.9", declining

    public init(growth: Double) {
        let tenths = (growth * 10).rounded()
        self = tenths >= 100 ? .tenOrMore : tenths >= 50 ? .fiveToTen : tenths >= 0 ? .zeroToFive : .declining
    }

    public var label: String {
        switch self {
        case .tenOrMore: "Growth 10% or more"
        case .fiveToTen: "Growth 5% to 9.9%"
        case .zeroToFive: "Growth 0% to 4.9%"
        case .declining: "Declining (below 0%)"
        }
    }
}

/// The filters above the comparison table: selects of the categories, entry educations, growth bands
/// and median pay steps its rows have. The form is `hidden` in the HTML (the table is whole without
/// script); `filter-table.js` shows it, hides the rows that do not match and keeps the choice in the URL.
extension Renderer {
    /// A row's `data-` attributes the filters match (false where the role has no such figure).
    static func filterAttributes(_ compare: CompareData) -> View {
        [
            "category": compare.categorySlug ?? false,
            "education": compare.educationKey ?? false,
            "outlook": compare.growthBand?.rawValue ?? false,
            "pay": compare.medianValue.map(plainNumber) ?? false,
        ]
    }

    /// A number as a `data-` attribute or a select's value: `80000`, `45.5`.
    static func plainNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The filter form for a table of these roles: false when no filter would narrow it.
    func compareFilters(_ ids: [PageID]) -> any Sendable {
        let rows = ids.map { cardData($0).compare }
        var selects: [View] = []
        var categories: [String: String] = [:]
        for id in ids {
            guard let slug = cardData(id).compare.categorySlug, let name = cardData(id).category else { continue }
            categories[slug] = categories[slug].map { min($0, name) } ?? name
        }
        let categoryOptions = categories.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { ($0.key, $0.value) }
        // A select of values shows only where choosing one leaves some row out.
        func narrows(_ count: Int, _ values: [String?]) -> Bool { count >= 2 || (count == 1 && values.contains { $0 == nil }) }
        if narrows(categoryOptions.count, rows.map(\.categorySlug)) {
            selects.append(Self.select("category", "Category", categoryOptions))
        }
        let educations = EntryEducation.allCases.filter { education in rows.contains { $0.educationKey == education.rawValue } }
        if narrows(educations.count, rows.map(\.educationKey)) {
            selects.append(Self.select("education", "Entry education", educations.map { ($0.rawValue, $0.label) }))
        }
        let bands = GrowthBand.allCases.filter { band in rows.contains { $0.growthBand == band } }
        if narrows(bands.count, rows.map { $0.growthBand?.rawValue }) {
            selects.append(Self.select("outlook", "Outlook", bands.map { ($0.rawValue, $0.label) }))
        }
        if let pay = Self.payFilter(rows) { selects.append(pay) }
        guard !selects.isEmpty else { return false }
        return ["selects": selects, "total": ids.count, "noun": ids.count == 1 ? "role" : "roles"] as View
    }

    /// One select (the template puts "Any" first). `minimum`: a row matches a value at or above the option's.
    static func select(_ name: String, _ label: String, _ options: [(value: String, label: String)], minimum: Bool = false) -> View {
        [
            "name": name, "id": "gg-filter-\(name)", "label": label, "minimum": minimum,
            "options": options.map { ["value": $0.value, "label": $0.label] as View },
        ]
    }

    /// "Median pay: $80,000 or more" in steps from the rows' medians, when they are all in one currency
    /// and per one period (a year and an hour, or two currencies, do not compare).
    static func payFilter(_ rows: [CompareData]) -> View? {
        let paid = rows.filter { $0.medianValue != nil }
        guard let first = paid.first, let currency = first.currency, let period = first.payPeriod,
              paid.allSatisfy({ $0.currency == currency && $0.payPeriod == period }) else { return nil }
        let steps = payThresholds(paid.compactMap(\.medianValue))
        guard !steps.isEmpty else { return nil }
        let per = period == .year ? "" : " an hour"
        let options = steps.map { (plainNumber($0), Format.money($0, currency: currency) + per + " or more") }
        return select("pay", "Median pay", options, minimum: true)
    }

    /// Round thresholds between the lowest and the highest median (each leaves some rows out and keeps
    /// some): multiples of the smallest of 1, 2, 2.5, 5 × a power of ten that makes at most six.
    static func payThresholds(_ medians: [Double]) -> [Double] {
        guard let low = medians.min(), let high = medians.max(), low < high, low.isFinite, high.isFinite, high < 1e15 else { return [] }
        var power = 1.0
        while power < 1e16 {
            for multiple in power >= 10 ? [1, 2, 2.5, 5] : [1, 2, 5] {
                let step = multiple * power
                let first = (low / step).rounded(.down) + 1, last = (high / step).rounded(.down)
                guard last - first < 6 else { continue }
                return first > last ? [] : (Int(first)...Int(last)).map { Double($0) * step }
            }
            power *= 10
        }
        return []
    }
}
