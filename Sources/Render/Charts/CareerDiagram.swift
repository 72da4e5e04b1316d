import Content
import Foundation
import Markdown

/// The career path as an inline SVG: the roles people come from (links), the levels in order with
/// their years and, where typed, their pay, and the roles the path leads to (links), top to bottom so
/// it reads the same on a phone and a desktop. No script. The level boxes are hidden from assistive
/// technology because the list beside the diagram (its text alternative) says the same and more; the
/// role links stay reachable.
enum CareerDiagram {
    struct Level {
        var title: String
        var detail: String?
    }

    struct Link {
        var title: String
        var url: String
    }

    static let width = 360.0
    static let margin = 4.0
    /// Characters of 13-unit text that fit a full-width box, and a half-width one.
    static let wideLine = 44
    static let narrowLine = 22

    struct Track {
        var name: String
        var levels: [Level]
    }

    /// Every title, detail and URL is escaped here: they come from front matter. `tracks` are drawn side by
    /// side after the shared `levels`, joined to them by a fork.
    static func svg(levels: [Level], tracks: [Track] = [], from: [Link], to: [Link], label: String) -> String? {
        guard !levels.isEmpty || !tracks.isEmpty || !from.isEmpty || !to.isEmpty else { return nil }
        var canvas = Canvas()
        if !from.isEmpty {
            canvas.links(from, caption: "Often comes from")
            if !levels.isEmpty || !tracks.isEmpty || !to.isEmpty { canvas.arrow(at: width / 2) }
        }
        canvas.ladder(levels, left: margin, right: width - margin, limit: wideLine, arrowAfterLast: !tracks.isEmpty || !to.isEmpty)
        if !tracks.isEmpty { canvas.fork(tracks, arrowAfter: !to.isEmpty) }
        if !to.isEmpty { canvas.links(to, caption: "Often leads to") }
        let e = HTMLEscaping.text
        return "<svg class=\"career-diagram\" viewBox=\"0 0 \(Int(width)) \(Int(canvas.y.rounded(.up)))\" aria-label=\"\(e(label))\">" + canvas.body + "</svg>"
    }

    /// The drawing so far and where the next part starts.
    struct Canvas {
        var body = ""
        var y = 0.0

        func f(_ value: Double) -> String { Format.oneDecimal(value) }

        mutating func arrow(at x: Double) {
            body += "<path d=\"M\(f(x)) \(f(y + 2))v12\" class=\"arrow\"/><path d=\"M\(f(x - 5)) \(f(y + 9))l5 6l5 -6\" class=\"arrow\"/>"
            y += 18
        }

        mutating func links(_ items: [Link], caption: String) {
            let e = HTMLEscaping.text
            body += "<text x=\"\(f(margin))\" y=\"\(f(y + 13))\" class=\"note\" aria-hidden=\"true\">\(caption)</text>"
            y += 20
            let perRow = 2
            let boxWidth = (width - 2 * margin - Double(perRow - 1) * 8) / Double(perRow)
            for start in stride(from: 0, to: items.count, by: perRow) {
                let row = Array(items[start..<min(start + perRow, items.count)])
                let rowLines = row.map { wrap($0.title, narrowLine).count }.max() ?? 1
                let height = 14 + Double(rowLines) * 15
                for (column, item) in row.enumerated() {
                    let x = margin + Double(column) * (boxWidth + 8)
                    body += "<a href=\"\(e(item.url))\"><rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(boxWidth))\" height=\"\(f(height))\" rx=\"6\" class=\"role-box\"/>"
                    for (number, line) in wrap(item.title, narrowLine).enumerated() {
                        body += "<text x=\"\(f(x + boxWidth / 2))\" y=\"\(f(y + 20 + Double(number) * 15))\" text-anchor=\"middle\">\(e(line))</text>"
                    }
                    body += "</a>"
                }
                y += height + 6
            }
        }

        /// Levels stacked between `left` and `right`, each joined to the next by an arrow.
        mutating func ladder(_ levels: [Level], left: Double, right: Double, limit: Int, arrowAfterLast: Bool) {
            let e = HTMLEscaping.text
            let middle = (left + right) / 2
            for (index, level) in levels.enumerated() {
                let title = wrap(level.title, limit)
                let detail = level.detail.map { limit >= wideLine ? [$0] : wrap($0, limit) } ?? []
                let height = 12 + Double(title.count) * 16 + Double(detail.count) * 16
                body += "<g aria-hidden=\"true\"><rect x=\"\(f(left))\" y=\"\(f(y))\" width=\"\(f(right - left))\" height=\"\(f(height))\" rx=\"6\" class=\"level-box\"/>"
                for (number, line) in title.enumerated() {
                    body += "<text x=\"\(f(middle))\" y=\"\(f(y + 20 + Double(number) * 16))\" text-anchor=\"middle\" class=\"level\">\(e(line))</text>"
                }
                for (number, line) in detail.enumerated() {
                    body += "<text x=\"\(f(middle))\" y=\"\(f(y + 20 + Double(title.count + number) * 16))\" text-anchor=\"middle\" class=\"detail\">\(e(line))</text>"
                }
                body += "</g>"
                y += height
                if index < levels.count - 1 || arrowAfterLast { arrow(at: middle) }
            }
        }

        /// The tracks side by side under a fork from the shared levels; the next part starts under the longest.
        mutating func fork(_ tracks: [Track], arrowAfter: Bool) {
            let e = HTMLEscaping.text
            let gap = 8.0
            let columnWidth = (width - 2 * margin - Double(tracks.count - 1) * gap) / Double(tracks.count)
            let limit = max(10, Int(Double(wideLine) * columnWidth / (width - 2 * margin)))
            let centres = tracks.indices.map { margin + Double($0) * (columnWidth + gap) + columnWidth / 2 }
            if let first = centres.first, let last = centres.last {
                body += "<path d=\"M\(f(first)) \(f(y))H\(f(last))\" class=\"arrow\"/>"
            }
            let top = y
            var bottom = y
            for (index, track) in tracks.enumerated() {
                y = top
                arrow(at: centres[index])
                let left = centres[index] - columnWidth / 2
                for line in wrap(track.name, limit) {
                    body += "<text x=\"\(f(centres[index]))\" y=\"\(f(y + 13))\" text-anchor=\"middle\" class=\"track\" aria-hidden=\"true\">\(e(line))</text>"
                    y += 17
                }
                y += 3
                ladder(track.levels, left: left, right: left + columnWidth, limit: limit, arrowAfterLast: false)
                bottom = max(bottom, y)
            }
            y = bottom
            if arrowAfter {
                y += 4
                arrow(at: width / 2)
            }
        }
    }

    /// `text` in lines of at most `limit` characters, broken at spaces (a longer word is cut with "…");
    /// at most three lines, the last ending in "…" when text is left over.
    static func wrap(_ text: String, _ limit: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            if word.count > limit { word = String(word.prefix(limit - 1)) + "…" }
            if line.isEmpty { line = word } else if line.count + 1 + word.count <= limit { line += " " + word } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        if lines.count > 3 {
            lines = Array(lines.prefix(3))
            lines[2] = String(lines[2].prefix(limit - 1)) + "…"
        }
        return lines.isEmpty ? [""] : lines
    }
}
