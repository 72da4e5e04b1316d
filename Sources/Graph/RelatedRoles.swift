import Foundation

/// Scores roles against each other by shared skills (rarer skills weigh more)
/// and category, in the spirit of Hugo's `related` index: configure, add all
/// documents, then search; ties broken by title, so the order is stable.
public struct RelatedIndex: Sendable {
    public struct Document: Sendable {
        /// Sort key for ties (the graph passes the case-folded title first).
        public var title: String
        public var category: String
        /// Skill keys (already normalized: same skill, same key).
        public var skills: [String]
        /// Skill names to show, by key.
        public var skillNames: [String: String]

        public init(title: String, category: String, skills: [String], skillNames: [String: String] = [:]) {
            self.title = title
            self.category = category
            self.skills = skills
            self.skillNames = skillNames
        }
    }

    /// What a same-category role gets on top of its skills.
    public static let categoryWeight = 1.0

    let documents: [Document]
    let rolesBySkill: [String: [Int]]
    let rolesByCategory: [String: [Int]]

    public init(documents: [Document]) {
        self.documents = documents
        var bySkill: [String: [Int]] = [:]
        var byCategory: [String: [Int]] = [:]
        for (index, document) in documents.enumerated() {
            for skill in Set(document.skills) { bySkill[skill, default: []].append(index) }
            byCategory[document.category, default: []].append(index)
        }
        rolesBySkill = bySkill
        rolesByCategory = byCategory.mapValues { members in
            members.sorted { (documents[$0].title, $0) < (documents[$1].title, $1) }
        }
    }

    /// A shared skill weighs 1 + ln(roles / roles with the skill): a skill every role has adds 1,
    /// one that few roles share adds more.
    public func weight(ofSkill skill: String) -> Double {
        let count = rolesBySkill[skill]?.count ?? 1
        return 1 + log(Double(documents.count) / Double(count))
    }

    /// The best `limit` roles for `document`, leaving out `excluded` (itself, pinned roles).
    /// A role found for another, by its document number.
    public struct Match: Sendable, Hashable {
        public var document: Int
        public var score: Double
        public var reasons: [RelatedRole.Reason]
    }

    public func search(_ document: Int, limit: Int, excluding excluded: Set<Int>) -> [Match] {
        guard limit > 0 else { return [] }
        let me = documents[document]
        let skills = Array(Set(me.skills)).sorted()
        let weights = skills.map { weight(ofSkill: $0) }
        // Each candidate's score summed in one array, skill by skill in order (so the sums, and the
        // order they are added in, do not depend on how candidates are visited).
        var sums = [Double](repeating: 0, count: documents.count)
        var touched: [Int] = []
        for (skill, weight) in zip(skills, weights) {
            guard let holders = rolesBySkill[skill], holders.count > 1 else { continue }
            for other in holders where other != document && !excluded.contains(other) {
                if sums[other] == 0 { touched.append(other) }
                sums[other] += weight
            }
        }
        touched.sort()
        var scored = touched.map { (candidate: $0, score: sums[$0]) }
        for index in scored.indices where documents[scored[index].candidate].category == me.category {
            scored[index].score += Self.categoryWeight
        }
        // If skills found too few, the category fills up (bounded: at most `limit` more looked at).
        if scored.count < limit {
            let found = Set(scored.map(\.candidate))
            for other in rolesByCategory[me.category] ?? [] where other != document && !excluded.contains(other) && !found.contains(other) {
                scored.append((other, Self.categoryWeight))
                if scored.count >= limit { break }
            }
        }
        // Keep the best `limit`: insertion into a short sorted list.
        func ranksBefore(_ a: (candidate: Int, score: Double), _ b: (candidate: Int, score: Double)) -> Bool {
            if a.score != b.score { return a.score > b.score }
            let (ta, tb) = (documents[a.candidate].title, documents[b.candidate].title)
            return ta != tb ? ta < tb : a.candidate < b.candidate
        }
        var best: [(candidate: Int, score: Double)] = []
        for entry in scored {
            if best.count == limit, !ranksBefore(entry, best[limit - 1]) { continue }
            let position = best.firstIndex { ranksBefore(entry, $0) } ?? best.count
            best.insert(entry, at: position)
            if best.count > limit { best.removeLast() }
        }
        return best.map { entry in
            Match(document: entry.candidate, score: entry.score, reasons: reasons(document, entry.candidate))
        }
    }

    /// Why `other` is related to `document`: each shared skill with its weight, and the category.
    func reasons(_ document: Int, _ other: Int) -> [RelatedRole.Reason] {
        let me = documents[document]
        let theirs = Set(documents[other].skills)
        var reasons: [RelatedRole.Reason] = Array(Set(me.skills)).sorted().filter { theirs.contains($0) }.map { skill in
            .skill(me.skillNames[skill] ?? skill, weight: weight(ofSkill: skill), sharedBy: rolesBySkill[skill]?.count ?? 0)
        }
        if documents[other].category == me.category {
            reasons.append(.category(me.category, weight: Self.categoryWeight))
        }
        return reasons
    }
}
