import Content
import Foundation

/// A small inline SVG of the pay distribution (p10 to p90, box from p25 to p75,
/// median mark), drawn from the typed salary data. No script, no external file.
enum SalaryChart {
    static func svg(_ salary: Salary) -> String? {
        let p = salary.percentiles
        let points: [(String, Double)] = [("10th", p?.p10), ("25th", p?.p25), ("Median", salary.median), ("75th", p?.p75), ("90th", p?.p90)]
            .compactMap { label, value in value.map { (label, $0) } }
        guard points.count >= 3, let low = points.first?.1, let high = points.last?.1, high > low else { return nil }
        let width = 600.0, left = 20.0, right = 580.0
        func x(_ value: Double) -> String { String(format: "%.1f", left + (value - low) / (high - low) * (right - left)) }
        let money = { Format.money($0, currency: salary.currency) }
        let description = points.map { "\($0.0): \(money($0.1))" }.joined(separator: ", ")
        var svg = "<svg class=\"pay-chart\" viewBox=\"0 0 \(Int(width)) 90\" role=\"img\" aria-label=\"Pay distribution. \(description)\">"
        svg += "<line x1=\"\(x(low))\" x2=\"\(x(high))\" y1=\"35\" y2=\"35\" class=\"whisker\"/>"
        if let p25 = p?.p25, let p75 = p?.p75 {
            svg += "<rect x=\"\(x(p25))\" y=\"20\" width=\"\(String(format: "%.1f", (p75 - p25) / (high - low) * (right - left)))\" height=\"30\" class=\"box\"/>"
        }
        if let median = salary.median {
            svg += "<line x1=\"\(x(median))\" x2=\"\(x(median))\" y1=\"15\" y2=\"55\" class=\"median\"/>"
        }
        for (index, point) in points.enumerated() {
            let anchor = index == 0 ? "start" : index == points.count - 1 ? "end" : "middle"
            let y = index % 2 == 0 ? 75 : 12
            svg += "<text x=\"\(x(point.1))\" y=\"\(y)\" text-anchor=\"\(anchor)\">\(point.0) \(money(point.1))</text>"
        }
        return svg + "</svg>"
    }
}
