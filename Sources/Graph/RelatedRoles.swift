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
    /// Per document, a number for its category (equal numbers, equal categories).
    let categoryNumbers: [Int]
    let rolesBySkill: [String: [Int]]
    let rolesByCategory: [String: [Int]]
    /// Skills by number: their keys, holders and weights, worked out once for every search.
    let skillKeys: [String]
    let holders: [[Int]]
    let weights: [Double]
    /// Per document, its skills' numbers, each once, in the order of their keys.
    let skillNumbers: [[Int]]

    public init(documents: [Document]) {
        self.documents = documents
        var bySkill: [String: [Int]] = [:]
        var byCategory: [String: [Int]] = [:]
        for (index, document) in documents.enumerated() {
            for skill in Set(document.skills) { bySkill[skill, default: []].append(index) }
            byCategory[document.category, default: []].append(index)
        }
        var numbers: [String: Int] = [:]
        categoryNumbers = documents.map { document in
            if let number = numbers[document.category] { return number }
            numbers[document.category] = numbers.count
            return numbers.count - 1
        }
        rolesBySkill = bySkill
        rolesByCategory = byCategory.mapValues { members in
            members.sorted { (documents[$0].title, $0) < (documents[$1].title, $1) }
        }
        let keys = bySkill.keys.sorted()
        let numberOf = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        skillKeys = keys
        holders = keys.map { bySkill[$0]! }
        weights = keys.map { 1 + log(Double(documents.count) / Double(bySkill[$0]!.count)) }
        // Numbers follow the keys' order, so sorting numbers sorts by key.
        skillNumbers = documents.map { document in Set(document.skills.map { numberOf[$0]! }).sorted() }
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

    /// Working memory of searches, reused from one search to the next by one thread.
    public struct Scratch {
        var sums: [Double]
        /// Documents a search leaves out, marked for its length (no set lookup per candidate).
        var excluded: [Bool]
        var touched: [Int] = []

        public init(for index: RelatedIndex) {
            sums = [Double](repeating: 0, count: index.documents.count)
            excluded = [Bool](repeating: false, count: index.documents.count)
        }
    }

    public func search(_ document: Int, limit: Int, excluding excluded: Set<Int>) -> [Match] {
        var scratch = Scratch(for: self)
        return search(document, limit: limit, excluding: excluded, scratch: &scratch)
    }

    public func search(_ document: Int, limit: Int, excluding excluded: Set<Int>, scratch: inout Scratch) -> [Match] {
        guard limit > 0 else { return [] }
        let me = documents[document]
        // Each candidate's score summed in one array, skill by skill in order (so the sums, and the
        // order they are added in, do not depend on how candidates are visited); the array is left
        // all zero again for the next search.
        // Every holder of a common skill is visited (a large site's roles share many), so this loop
        // stays free of hashing and bounds checks: flags for the left-out, sums by number.
        func leaveOut(_ flag: Bool) {
            scratch.excluded[document] = flag
            for other in excluded where other >= 0 && other < documents.count { scratch.excluded[other] = flag }
        }
        leaveOut(true)
        // Taken out of the scratch while in use (a copy left there would make the first append copy it).
        var touched: [Int] = []
        swap(&touched, &scratch.touched)
        touched.removeAll(keepingCapacity: true)
        scratch.sums.withUnsafeMutableBufferPointer { sums in
            scratch.excluded.withUnsafeBufferPointer { left in
                for skill in skillNumbers[document] {
                    let holders = holders[skill]
                    guard holders.count > 1 else { continue }
                    let weight = weights[skill]
                    holders.withUnsafeBufferPointer { holders in
                        for other in holders where !left[other] {
                            if sums[other] == 0 { touched.append(other) }
                            sums[other] += weight
                        }
                    }
                }
            }
        }
        leaveOut(false)
        // In the order first met: the best are chosen below by a total order (score, title,
        // document number), so the order they are looked at in does not matter.
        var scored = touched.map { (candidate: $0, score: scratch.sums[$0]) }
        for candidate in touched { scratch.sums[candidate] = 0 }
        scratch.touched = touched
        let category = categoryNumbers[document]
        for index in scored.indices where categoryNumbers[scored[index].candidate] == category {
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
        let theirs = skillNumbers[other]
        var reasons: [RelatedRole.Reason] = skillNumbers[document].filter { theirs.contains($0) }.map { skill in
            let key = skillKeys[skill]
            return .skill(me.skillNames[key] ?? key, weight: weights[skill], sharedBy: holders[skill].count)
        }
        if categoryNumbers[other] == categoryNumbers[document] {
            reasons.append(.category(me.category, weight: Self.categoryWeight))
        }
        return reasons
    }
}
