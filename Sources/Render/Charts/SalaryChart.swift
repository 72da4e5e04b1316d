import Content
import Foundation

/// A small inline SVG of the pay distribution (p10 to p90, box from p25 to p75, median mark), drawn
/// from the typed salary data. No script, no external file. Drawn 360 units wide with 14.5-unit labels
/// (the theme's CSS), so in a phone's fact box (about 300 px) a label is still about 12 px; each label is two short
/// lines (point, figure), placed in a row above or below the bar where it does not overlap the labels
/// already there; when both rows near the bar are taken, a row further out is added and the picture grows.
enum SalaryChart {
    static let width = 360.0
    static let left = 8.0
    static let right = 352.0
    /// The narrowest label's width, in units: "$211,450" at 14.5 units is about 66.
    static let labelWidth = 74.0
    /// A character of a label, in units, at 14.5 units (digits and `$` are about 8).
    static let characterWidth = 8.25
    /// The height of a row of labels (two lines), and of the picture with one row above and one below.
    static let rowHeight = 34.0
    static let baseHeight = 124.0
    /// Space kept between two labels in a row.
    static let gap = 4.0

    /// A label as laid out: its two lines, where it is anchored, the extent it covers and its baselines.
    struct Label {
        let point: String
        let figure: String
        let x: Double
        let anchor: String
        let from: Double
        let to: Double
        let baselines: (Double, Double)
    }

    struct Layout {
        let height: Double
        /// How far the bar is moved down for the rows above it beyond the first.
        let shift: Double
        let labels: [Label]
    }

    /// The labels' width: the longer of the two lines, estimated per character, and never narrower than `labelWidth`.
    static func width(of lines: String...) -> Double {
        max(labelWidth, Double(lines.map(\.count).max() ?? 0) * characterWidth + 2 * gap)
    }

    /// The points to draw, as (name, value), lowest first; nil when there are fewer than three or they span nothing.
    static func distribution(_ salary: Salary) -> [(String, Double)]? {
        let p = salary.percentiles
        let points: [(String, Double)] = [("10th", p?.p10), ("25th", p?.p25), ("Median", salary.median), ("75th", p?.p75), ("90th", p?.p90)]
            .compactMap { label, value in value.map { (label, $0) } }
        guard points.count >= 3, let low = points.first?.1, let high = points.last?.1, high > low else { return nil }
        return points
    }

    static func x(_ value: Double, low: Double, high: Double) -> Double { left + (value - low) / (high - low) * (right - left) }

    /// Where each label goes. Rows are numbered from the bar out: 0 above it, 1 below, 2 above row
    /// 0, 3 below row 1, and so on. The quartiles go to row 0 first, the other points to row 1; a label
    /// that would overlap one already in its row tries the other of the two, then the rows further out
    /// in order. With five labels and five rows one is always free.
    static func layout(_ salary: Salary) -> Layout? {
        guard let points = distribution(salary), let low = points.first?.1, let high = points.last?.1 else { return nil }
        let money = { Format.money($0, currency: salary.currency) }
        // Each label's horizontal extent, by its anchor, so rows can be checked for overlaps.
        func extent(_ at: Double, _ labelWidth: Double) -> (anchor: String, from: Double, to: Double) {
            if at - labelWidth / 2 < 0 { return ("start", at, at + labelWidth) }
            if at + labelWidth / 2 > width { return ("end", at - labelWidth, at) }
            return ("middle", at - labelWidth / 2, at + labelWidth / 2)
        }
        var rows: [[(Double, Double)]] = Array(repeating: [], count: points.count)
        let preferredRow = points.map { $0.0 == "25th" || $0.0 == "75th" ? 0 : 1 }
        let order = points.indices.sorted { (1 - preferredRow[$0], $0) < (1 - preferredRow[$1], $1) }
        var placed: [(index: Int, row: Int, span: (anchor: String, from: Double, to: Double))] = []
        for index in order {
            let span = extent(x(points[index].1, low: low, high: high), width(of: points[index].0, money(points[index].1)))
            let preferred = preferredRow[index]
            let free = { (row: Int) in rows[row].allSatisfy { span.to + gap <= $0.0 || span.from >= $0.1 + gap } }
            let candidates = [preferred, 1 - preferred] + Array(2..<rows.count)
            let row = candidates.first(where: free) ?? preferred
            rows[row].append((span.from, span.to))
            placed.append((index, row, span))
        }
        let above = placed.filter { $0.row % 2 == 0 }.map { $0.row / 2 }.max() ?? 0
        let below = placed.filter { $0.row % 2 == 1 }.map { $0.row / 2 }.max() ?? 0
        let shift = Double(above) * rowHeight
        let labels = placed.sorted { $0.index < $1.index }.map { index, row, span in
            let level = Double(row / 2) * rowHeight
            let baselines = row % 2 == 0 ? (14 + shift - level, 31 + shift - level) : (101 + shift + level, 118 + shift + level)
            return Label(point: points[index].0, figure: money(points[index].1), x: x(points[index].1, low: low, high: high),
                         anchor: span.anchor, from: span.from, to: span.to, baselines: baselines)
        }
        return Layout(height: baseHeight + Double(above + below) * rowHeight, shift: shift, labels: labels)
    }

    static func svg(_ salary: Salary) -> String? {
        guard let points = distribution(salary), let layout = layout(salary), let low = points.first?.1, let high = points.last?.1 else { return nil }
        let p = salary.percentiles
        func x(_ value: Double) -> Double { Self.x(value, low: low, high: high) }
        func f(_ value: Double) -> String { Format.oneDecimal(value) }
        func y(_ value: Double) -> String { String(Int(value + layout.shift)) }
        let money = { Format.money($0, currency: salary.currency) }
        let description = points.map { "\($0.0): \(money($0.1))" }.joined(separator: ", ")
        var svg = "<svg class=\"pay-chart\" viewBox=\"0 0 \(Int(width)) \(Int(layout.height))\" role=\"img\" aria-label=\"Pay distribution, \(salary.period == .year ? "a year" : "an hour"). \(description)\">"
        svg += "<line x1=\"\(f(x(low)))\" x2=\"\(f(x(high)))\" y1=\"\(y(62))\" y2=\"\(y(62))\" class=\"whisker\"/>"
        if let p25 = p?.p25, let p75 = p?.p75 {
            svg += "<rect x=\"\(f(x(p25)))\" y=\"\(y(47))\" width=\"\(f(x(p75) - x(p25)))\" height=\"30\" class=\"box\"/>"
        }
        if let median = salary.median {
            svg += "<line x1=\"\(f(x(median)))\" x2=\"\(f(x(median)))\" y1=\"\(y(42))\" y2=\"\(y(82))\" class=\"median\"/>"
        }
        for label in layout.labels {
            let (first, second) = (Int(label.baselines.0), Int(label.baselines.1))
            svg += "<text x=\"\(f(label.x))\" y=\"\(first)\" text-anchor=\"\(label.anchor)\" class=\"point\">\(label.point)</text>"
            svg += "<text x=\"\(f(label.x))\" y=\"\(second)\" text-anchor=\"\(label.anchor)\">\(label.figure)</text>"
        }
        return svg + "</svg>"
    }
}
