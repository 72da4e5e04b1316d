import Content
import Templates

/// What pages say of whose figures a role shows: the official occupation they describe, the roles of the
/// site that share it, and pay by state.
extension Renderer {
    /// One sentence saying whose figures these are, when the role's figures are an occupation's that is not the
    /// role alone (another title, a broader group, or shared with other roles); nil when they are the role's own.
    static func whoseFigures(_ occupation: Occupation, roleTitle: String) -> String? {
        let named = "\(occupation.title) (\(occupation.code))"
        let role = lowercasedTitle(roleTitle) + "s"
        let sentence: String
        var why: String
        if occupation.isBroaderGroup {
            sentence = "These are BLS figures for \(named), the group that holds this role's occupation."
            why = "BLS publishes no figures for the occupation itself."
        } else if !occupation.sharedWith.isEmpty {
            let others = occupation.sharedWith.map { lowercasedTitle($0.title) + "s" }
            let listed = others.count <= 3 ? Format.list(others) : Format.list(Array(others.prefix(2)) + ["\(others.count - 2) more roles"])
            sentence = "These are BLS figures for \(named), which this site also shows for \(listed)."
            why = "BLS publishes no separate figures for \(role)."
        } else if !sameName(roleTitle, occupation.title) {
            sentence = "These are BLS figures for \(named)."
            why = "BLS counts \(role) in this occupation and publishes no figures for the role alone."
        } else {
            return occupation.note
        }
        if let note = occupation.note { why = note }
        return sentence + " " + why
    }

    /// A short label for lists and tables: the occupation's title when the figures are not the role's alone.
    static func figuresLabel(_ occupation: Occupation?, roleTitle: String) -> String? {
        guard let occupation else { return nil }
        if occupation.isBroaderGroup || !occupation.sharedWith.isEmpty || !sameName(roleTitle, occupation.title) { return occupation.title }
        return nil
    }

    /// "Web Developer" and "Web Developers" name one occupation; so do titles that differ only in case.
    static func sameName(_ role: String, _ occupation: String) -> Bool {
        let a = role.lowercased(), b = occupation.lowercased()
        return a == b || a + "s" == b || a + "es" == b
    }

    static func lowercasedTitle(_ title: String) -> String {
        // Acronyms stay as written (API, QA, DevOps); other words start small.
        title.split(separator: " ").map { word in
            word.count > 1 && word.dropFirst().contains(where: \.isUppercase) ? String(word) : word.lowercased()
        }.joined(separator: " ")
    }

    /// Pay by state: the tile map, its text alternative (a sortable table) and the top-paying states.
    func stateView(_ wages: StateWages, roleTitle: String) -> View {
        let rows = wages.rows
        let tableRows = rows.map { row -> View in
            [
                "state": row.state,
                "median": ["text": row.median == nil && !row.medianAtLeast ? "–" : StateMap.median(row),
                           "sort": row.median.map { String(Int($0.rounded())) } ?? ""] as View,
                "employment": ["text": row.employment.map { Format.number($0) } ?? "–", "sort": row.employment.map { String(Int($0)) } ?? ""] as View,
                "quotient": ["text": row.locationQuotient.map { Format.number($0, decimals: 2) } ?? "–",
                             "sort": row.locationQuotient.map { Format.number($0, decimals: 2) } ?? ""] as View,
            ]
        }
        return [
            "map": StateMap.svg(rows, label: "Map of median pay by state for \(roleTitle): darker tiles pay more; the table below gives every figure") ?? false,
            "rows": tableRows,
            "source": Format.clause(wages.source), "asOf": Format.asOf(wages.asOf, checked: nil),
        ]
    }

    /// The three states with the highest median, for the quick facts.
    static func topStates(_ wages: StateWages) -> String? {
        let paid = wages.rows.filter { $0.median != nil }.sorted { ($0.median!, $1.state) > ($1.median!, $0.state) }
        guard paid.count >= 3 else { return nil }
        return paid.prefix(3).map { "\($0.state) \(Format.money($0.median!, currency: "USD"))\($0.medianAtLeast ? "+" : "")" }.joined(separator: ", ")
    }
}
