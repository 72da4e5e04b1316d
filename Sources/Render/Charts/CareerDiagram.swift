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

    /// Every title, detail and URL is escaped here: they come from front matter.
    static func svg(levels: [Level], from: [Link], to: [Link], label: String) -> String? {
        let e = HTMLEscaping.text
        guard !levels.isEmpty || !from.isEmpty || !to.isEmpty else { return nil }
        var body = ""
        var y = 0.0
        func f(_ value: Double) -> String { Format.oneDecimal(value) }
        func arrow() {
            body += "<path d=\"M\(f(width / 2)) \(f(y + 2))v12\" class=\"arrow\"/><path d=\"M\(f(width / 2 - 5)) \(f(y + 9))l5 6l5 -6\" class=\"arrow\"/>"
            y += 18
        }
        func links(_ items: [Link], caption: String) {
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
        if !from.isEmpty {
            links(from, caption: "Often comes from")
            if !levels.isEmpty || !to.isEmpty { arrow() }
        }
        for (index, level) in levels.enumerated() {
            let title = wrap(level.title, wideLine)
            let height = 12 + Double(title.count) * 16 + (level.detail == nil ? 0 : 16)
            body += "<g aria-hidden=\"true\"><rect x=\"\(f(margin))\" y=\"\(f(y))\" width=\"\(f(width - 2 * margin))\" height=\"\(f(height))\" rx=\"6\" class=\"level-box\"/>"
            for (number, line) in title.enumerated() {
                body += "<text x=\"\(f(width / 2))\" y=\"\(f(y + 20 + Double(number) * 16))\" text-anchor=\"middle\" class=\"level\">\(e(line))</text>"
            }
            if let detail = level.detail {
                body += "<text x=\"\(f(width / 2))\" y=\"\(f(y + 20 + Double(title.count) * 16))\" text-anchor=\"middle\" class=\"detail\">\(e(detail))</text>"
            }
            body += "</g>"
            y += height
            if index < levels.count - 1 || !to.isEmpty { arrow() }
        }
        if !to.isEmpty { links(to, caption: "Often leads to") }
        return "<svg class=\"career-diagram\" viewBox=\"0 0 \(Int(width)) \(Int(y.rounded(.up)))\" aria-label=\"\(e(label))\">" + body + "</svg>"
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
