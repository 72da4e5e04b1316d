import Content
import Foundation
import Testing
import TestSupport
@testable import Render

/// The salary chart's labels, as laid out: none overlaps another or the bar, and all stay inside the
/// picture, for any valid distribution (p10 <= p25 <= median <= p75 <= p90, positive).
@Suite struct SalaryChartLayoutTests {
    /// A label's box: its extent across, and from the first line's top (a 14.5-unit line rises about
    /// 12 above its baseline) to the second line's bottom (about 4 below).
    struct Box {
        let left, right, top, bottom: Double

        init(_ label: SalaryChart.Label) {
            (left, right, top, bottom) = (label.from, label.to, label.baselines.0 - 12, label.baselines.1 + 4)
        }

        func overlaps(_ other: Box) -> Bool {
            left < other.right && other.left < right && top < other.bottom && other.top < bottom
        }
    }

    /// What is wrong with a layout, if anything.
    static func problems(_ salary: Salary) -> [String] {
        guard let layout = SalaryChart.layout(salary) else { return [] }
        var problems: [String] = []
        let boxes = layout.labels.map(Box.init)
        let bar = Box(left: 0, right: SalaryChart.width, top: 42 + layout.shift, bottom: 82 + layout.shift)
        for (index, (label, box)) in zip(layout.labels, boxes).enumerated() {
            if box.left < 0 || box.right > SalaryChart.width || box.top < 0 || box.bottom > layout.height {
                problems.append("\(label.point) at \(box) is outside 0 0 \(SalaryChart.width) \(layout.height)")
            }
            if box.right - box.left < SalaryChart.width(of: label.point, label.figure) - 1e-9 {
                problems.append("\(label.point) is narrower than its text")
            }
            if box.overlaps(bar) { problems.append("\(label.point) overlaps the bar") }
            for (other, otherBox) in zip(layout.labels, boxes).dropFirst(index + 1) where box.overlaps(otherBox) {
                problems.append("\(label.point) overlaps \(other.point)")
            }
        }
        return problems
    }

    /// The security review's right-skewed distribution: the 25th, median and 75th labels were drawn
    /// on top of each other.
    @Test func rightSkewedDistribution() throws {
        var salary = Salary(currency: "USD", source: "s", asOf: "2024-05-31")
        salary.median = 45_000
        salary.percentiles = Percentiles(p10: 40_000, p25: 42_000, p75: 48_000, p90: 150_000)
        #expect(Self.problems(salary) == [])
        let layout = try #require(SalaryChart.layout(salary))
        // Four labels crowd the left end: two rows on each side of the bar.
        #expect(layout.height == 124 + 2 * 34)
        let svg = try #require(SalaryChart.svg(salary))
        #expect(svg.contains("viewBox=\"0 0 360 192\""))
    }

    /// Thousands of random valid distributions: skewed, clustered, tied, some points missing, any
    /// currency, from a cent to the largest figure a page may have.
    @Test func labelsNeverOverlapAndStayInside() {
        var random = SplitMix64(seed: 0x5A1A_2C4A_27)
        var drawn = 0
        for _ in 0..<20_000 {
            let scale = pow(10, Double(random.below(120)) / 10)
            var values = (0..<5).map { _ in
                switch random.below(4) {
                case 0: scale
                case 1: scale * (1 + Double(random.below(1000)) / 100_000)
                case 2: scale * Double(1 + random.below(20))
                default: scale * (1 + Double(random.below(1_000_000)) / 1000)
                }
            }.map { min($0, 1e12) }.sorted()
            if random.chance(20) { values = values.map { ($0 * 100).rounded() / 100 } }
            var salary = Salary(currency: random.pick(["USD", "EUR", "GBP", "CHF", "SEK"]), source: "s", asOf: "2024-05-31")
            salary.period = random.chance(50) ? .year : .hour
            func maybe(_ value: Double) -> Double? { random.chance(15) ? nil : value }
            salary.percentiles = Percentiles(p10: maybe(values[0]), p25: maybe(values[1]), p75: maybe(values[3]), p90: maybe(values[4]))
            salary.median = maybe(values[2])
            if SalaryChart.layout(salary) != nil { drawn += 1 }
            let problems = Self.problems(salary)
            #expect(problems == [], "\(salary.currency) \(values): \(problems)")
            if !problems.isEmpty { break }
        }
        #expect(drawn > 10_000)
    }
}

extension SalaryChartLayoutTests.Box {
    init(left: Double, right: Double, top: Double, bottom: Double) {
        (self.left, self.right, self.top, self.bottom) = (left, right, top, bottom)
    }
}
