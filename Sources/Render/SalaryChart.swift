import Content
import Foundation

/// A small inline SVG of the pay distribution (p10 to p90, box from p25 to p75, median mark), drawn
/// from the typed salary data. No script, no external file. Drawn 360 units wide with 14.5-unit labels
/// (the theme's CSS), so in a phone's fact box (about 300 px) a label is still about 12 px; each label is two short
/// lines (point, figure), placed above or below the bar where it does not overlap its neighbours.
enum SalaryChart {
    static let width = 360.0
    static let left = 8.0
    static let right = 352.0
    /// Widest two-line label, in units: "$211,450" at 14.5 units is about 66.
    static let labelWidth = 74.0

    static func svg(_ salary: Salary) -> String? {
        let p = salary.percentiles
        let points: [(String, Double)] = [("10th", p?.p10), ("25th", p?.p25), ("Median", salary.median), ("75th", p?.p75), ("90th", p?.p90)]
            .compactMap { label, value in value.map { (label, $0) } }
        guard points.count >= 3, let low = points.first?.1, let high = points.last?.1, high > low else { return nil }
        func x(_ value: Double) -> Double { left + (value - low) / (high - low) * (right - left) }
        func f(_ value: Double) -> String { Format.oneDecimal(value) }
        let money = { Format.money($0, currency: salary.currency) }
        let description = points.map { "\($0.0): \(money($0.1))" }.joined(separator: ", ")
        var svg = "<svg class=\"pay-chart\" viewBox=\"0 0 \(Int(width)) 124\" role=\"img\" aria-label=\"Pay distribution, \(salary.period == .year ? "a year" : "an hour"). \(description)\">"
        svg += "<line x1=\"\(f(x(low)))\" x2=\"\(f(x(high)))\" y1=\"62\" y2=\"62\" class=\"whisker\"/>"
        if let p25 = p?.p25, let p75 = p?.p75 {
            svg += "<rect x=\"\(f(x(p25)))\" y=\"47\" width=\"\(f(x(p75) - x(p25)))\" height=\"30\" class=\"box\"/>"
        }
        if let median = salary.median {
            svg += "<line x1=\"\(f(x(median)))\" x2=\"\(f(x(median)))\" y1=\"42\" y2=\"82\" class=\"median\"/>"
        }
        // Each label's horizontal extent, by its anchor, so rows can be checked for overlaps.
        func extent(_ at: Double) -> (anchor: String, from: Double, to: Double) {
            if at - labelWidth / 2 < 0 { return ("start", at, at + labelWidth) }
            if at + labelWidth / 2 > width { return ("end", at - labelWidth, at) }
            return ("middle", at - labelWidth / 2, at + labelWidth / 2)
        }
        // Below the bar first (the ends and the median), above for the quartiles; a label that would
        // overlap one already in its row goes to the other row.
        var rows: [[(Double, Double)]] = [[], []]
        // The row a point's label goes to first: 0 above the bar (quartiles), 1 below.
        let preferredRow = points.map { $0.0 == "25th" || $0.0 == "75th" ? 0 : 1 }
        let order = points.indices.sorted { (1 - preferredRow[$0], $0) < (1 - preferredRow[$1], $1) }
        var placed: [(index: Int, row: Int)] = []
        for index in order {
            let span = extent(x(points[index].1))
            let preferred = preferredRow[index]
            let free = { (row: Int) in rows[row].allSatisfy { span.to + 4 <= $0.0 || span.from >= $0.1 + 4 } }
            let row = free(preferred) ? preferred : free(1 - preferred) ? 1 - preferred : preferred
            rows[row].append((span.from, span.to))
            placed.append((index, row))
        }
        for (index, row) in placed.sorted(by: { $0.index < $1.index }) {
            let point = points[index]
            let at = x(point.1)
            let anchor = extent(at).anchor
            let (first, second) = row == 0 ? (14, 31) : (101, 118)
            svg += "<text x=\"\(f(at))\" y=\"\(first)\" text-anchor=\"\(anchor)\" class=\"point\">\(point.0)</text>"
            svg += "<text x=\"\(f(at))\" y=\"\(second)\" text-anchor=\"\(anchor)\">\(money(point.1))</text>"
        }
        return svg + "</svg>"
    }
}
