import Foundation

/// Scores roles against each other by shared skills (rarer skills weigh more)
/// and category, in the spirit of Hugo's `related` index: configure, add all
/// documents, then search; ties broken by title, so the order is stable.
public struct RelatedIndex: Sendable {
    public struct Document: Sendable {
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
    public func search(_ document: Int, limit: Int, excluding excluded: Set<Int>) -> [RelatedRole] {
        guard limit > 0 else { return [] }
        var scores: [Int: Double] = [:]
        var reasons: [Int: [RelatedRole.Reason]] = [:]
        let me = documents[document]
        for skill in Set(me.skills).sorted() {
            guard let holders = rolesBySkill[skill], holders.count > 1 else { continue }
            let weight = weight(ofSkill: skill)
            for other in holders where !excluded.contains(other) && other != document {
                scores[other, default: 0] += weight
                reasons[other, default: []].append(.skill(me.skillNames[skill] ?? skill, weight: weight, sharedBy: holders.count))
            }
        }
        // Same category adds to roles found by skills; if too few, the category fills up (bounded, not all of it).
        let sameCategory = rolesByCategory[me.category] ?? []
        for other in scores.keys where documents[other].category == me.category {
            scores[other]! += Self.categoryWeight
            reasons[other]!.append(.category(me.category, weight: Self.categoryWeight))
        }
        if scores.count < limit {
            for other in sameCategory where other != document && !excluded.contains(other) && scores[other] == nil {
                scores[other] = Self.categoryWeight
                reasons[other] = [.category(me.category, weight: Self.categoryWeight)]
                if scores.count >= limit { break }
            }
        }
        let ranked = scores.sorted { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            let (a, b) = (documents[lhs.key].title, documents[rhs.key].title)
            return a != b ? a < b : lhs.key < rhs.key
        }
        return ranked.prefix(limit).map { RelatedRole(page: $0.key, pinned: false, score: $0.value, reasons: reasons[$0.key] ?? []) }
    }
}
