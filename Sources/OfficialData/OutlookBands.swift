/// How BLS words projected growth in the Occupational Outlook Handbook, by the bands of each projection
/// period (the bands move with the growth of all occupations). A period whose bands are not listed gets
/// no wording rather than a guess.
public enum OutlookBands {
    public struct Band: Sendable, Hashable {
        /// Growth at or above this percent (rounded to a whole percent, as the Handbook does) has this wording.
        public var from: Double
        public var wording: String
    }

    /// Bands by the projection period's first year, highest first.
    static let bands: [Int: [Band]] = [:]

    public static func band(growth: Double, period: ClosedRange<Int>) -> String? {
        guard let list = bands[period.lowerBound] else { return nil }
        let rounded = growth.rounded()
        return list.first { rounded >= $0.from }?.wording
    }
}
