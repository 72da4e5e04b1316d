import Content

/// A tile map of the U.S. states: one square per state at its usual place in the grid that news graphics
/// use, shaded by a value, labelled with the state's postal code. No map library and no geography: the
/// tiles show where pay is high at a glance, and the table beside it is the text alternative.
enum StateMap {
    /// Column and row of each state's tile (12 columns, 8 rows).
    static let tiles: [String: (column: Int, row: Int)] = [
        "AK": (0, 0), "ME": (11, 0),
        "VT": (10, 1), "NH": (11, 1),
        "WA": (1, 2), "ID": (2, 2), "MT": (3, 2), "ND": (4, 2), "MN": (5, 2), "IL": (6, 2), "WI": (7, 2), "MI": (8, 2), "NY": (9, 2), "RI": (10, 2), "MA": (11, 2),
        "OR": (1, 3), "NV": (2, 3), "WY": (3, 3), "SD": (4, 3), "IA": (5, 3), "IN": (6, 3), "OH": (7, 3), "PA": (8, 3), "NJ": (9, 3), "CT": (10, 3),
        "CA": (1, 4), "UT": (2, 4), "CO": (3, 4), "NE": (4, 4), "MO": (5, 4), "KY": (6, 4), "WV": (7, 4), "VA": (8, 4), "MD": (9, 4), "DE": (10, 4),
        "AZ": (2, 5), "NM": (3, 5), "KS": (4, 5), "AR": (5, 5), "TN": (6, 5), "NC": (7, 5), "SC": (8, 5), "DC": (9, 5),
        "OK": (4, 6), "LA": (5, 6), "MS": (6, 6), "AL": (7, 6), "GA": (8, 6),
        "HI": (0, 7), "TX": (4, 7), "FL": (9, 7), "PR": (11, 7),
    ]

    /// Five shades from light to dark (the theme's accent); a state without a figure is hatched grey.
    static let shades = ["#e8eef7", "#c2d3ea", "#8fb0d9", "#5585c2", "#2a5ea3"]

    static let tile = 30.0, gap = 3.0

    /// The SVG, or nil when fewer than three states have a median (a map of two tiles says nothing).
    static func svg(_ rows: [StateWages.Row], label: String) -> String? {
        let values = rows.compactMap(\.median)
        guard values.count >= 3, let low = values.min(), let high = values.max() else { return nil }
        let columns = 12.0, gridRows = 8.0
        let width = columns * (tile + gap), height = gridRows * (tile + gap) + 28
        var svg = "<svg class=\"state-map\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\" xmlns=\"http://www.w3.org/2000/svg\">"
        let byCode = Dictionary(rows.map { ($0.abbreviation, $0) }, uniquingKeysWith: { first, _ in first })
        for (code, place) in tiles.sorted(by: { $0.key < $1.key }) {
            guard let row = byCode[code] else { continue }
            let x = Double(place.column) * (tile + gap), y = Double(place.row) * (tile + gap)
            let fill: String
            if let median = row.median {
                let share = high > low ? (median - low) / (high - low) : 0.5
                fill = shades[min(shades.count - 1, Int(share * Double(shades.count)))]
            } else {
                fill = "#f2f2f2"
            }
            let dark = fill == shades[3] || fill == shades[4]
            let title = "\(row.state): " + StateMap.median(row)
            svg += "<g><title>\(escape(title))</title><rect x=\"\(Int(x))\" y=\"\(Int(y))\" width=\"\(Int(tile))\" height=\"\(Int(tile))\" rx=\"3\" fill=\"\(fill)\"/>"
            svg += "<text x=\"\(Int(x + tile / 2))\" y=\"\(Int(y + tile / 2 + 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(dark ? "#fff" : "#1a1a1a")\">\(escape(code))</text></g>"
        }
        // The legend: the lowest and highest median under the first and last shade.
        let legendY = gridRows * (tile + gap) + 6
        for (index, shade) in shades.enumerated() {
            svg += "<rect x=\"\(Int(Double(index) * 22))\" y=\"\(Int(legendY))\" width=\"20\" height=\"10\" fill=\"\(shade)\"/>"
        }
        svg += "<text x=\"120\" y=\"\(Int(legendY + 10))\" font-size=\"12\" fill=\"#1a1a1a\">\(escape(Format.money(low, currency: "USD"))) to \(escape(Format.money(high, currency: "USD"))) median</text>"
        return svg + "</svg>"
    }

    /// A state's median as the map and its table say it.
    static func median(_ row: StateWages.Row) -> String {
        if let median = row.median { return Format.money(median, currency: "USD") + (row.medianAtLeast ? " or more" : "") }
        return row.medianAtLeast ? "at or above BLS's top-coded wage" : "no figure"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
