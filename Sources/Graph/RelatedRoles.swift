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
    /// The roles holding each pair of skills, when the site is small enough to list them (see `PairHolders`).
    let pairs: PairHolders?

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
        pairs = PairHolders(skillNumbers: skillNumbers, skills: keys.count)
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
        /// The skills of the role searched for, by number.
        var isMine: [Bool]

        public init(for index: RelatedIndex) {
            sums = [Double](repeating: 0, count: index.documents.count)
            excluded = [Bool](repeating: false, count: index.documents.count)
            isMine = [Bool](repeating: false, count: index.skillKeys.count)
        }

        /// Marks (or unmarks) the searched document and the roles it leaves out.
        mutating func leaveOut(_ document: Int, _ others: Set<Int>, _ flag: Bool) {
            excluded[document] = flag
            for other in others where other >= 0 && other < excluded.count { excluded[other] = flag }
        }
    }

    public func search(_ document: Int, limit: Int, excluding excluded: Set<Int>) -> [Match] {
        var scratch = Scratch(for: self)
        return search(document, limit: limit, excluding: excluded, scratch: &scratch)
    }

    public func search(_ document: Int, limit: Int, excluding excluded: Set<Int>, scratch: inout Scratch) -> [Match] {
        guard limit > 0 else { return [] }
        if let found = searchByPairs(document, limit: limit, excluding: excluded, scratch: &scratch) { return found }
        return searchAll(document, limit: limit, excluding: excluded, scratch: &scratch)
    }

    /// The search that scores every role sharing a skill with `document`: the reference the pair search
    /// must agree with, and what runs when that one cannot prove its answer.
    func searchAll(_ document: Int, limit: Int, excluding excluded: Set<Int>, scratch: inout Scratch) -> [Match] {
        guard limit > 0 else { return [] }
        let me = documents[document]
        // Each candidate's score summed in one array, skill by skill in order (so the sums, and the
        // order they are added in, do not depend on how candidates are visited); the array is left
        // all zero again for the next search.
        // Every holder of a common skill is visited (a large site's roles share many), so this loop
        // stays free of hashing and bounds checks: flags for the left-out, sums by number.
        scratch.leaveOut(document, excluded, true)
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
        scratch.leaveOut(document, excluded, false)
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
        var best = Best(limit: limit, documents: documents)
        for entry in scored { best.offer(entry.candidate, entry.score) }
        return best.entries.map { entry in
            Match(document: entry.candidate, score: entry.score, reasons: reasons(document, entry.candidate))
        }
    }

    /// The best `limit` candidates so far, in rank order: by score, then title, then document number
    /// (a total order, so the result does not depend on the order candidates are offered in).
    struct Best {
        let limit: Int
        let documents: [Document]
        var entries: [(candidate: Int, score: Double)] = []

        init(limit: Int, documents: [Document]) {
            self.limit = limit
            self.documents = documents
            entries.reserveCapacity(limit + 1)
        }

        func ranksBefore(_ a: (candidate: Int, score: Double), _ b: (candidate: Int, score: Double)) -> Bool {
            if a.score != b.score { return a.score > b.score }
            let (ta, tb) = (documents[a.candidate].title, documents[b.candidate].title)
            return ta != tb ? ta < tb : a.candidate < b.candidate
        }

        /// Insertion into a short sorted list.
        mutating func offer(_ candidate: Int, _ score: Double) {
            let entry = (candidate: candidate, score: score)
            if entries.count == limit, !ranksBefore(entry, entries[limit - 1]) { return }
            let position = entries.firstIndex { ranksBefore(entry, $0) } ?? entries.count
            entries.insert(entry, at: position)
            if entries.count > limit { entries.removeLast() }
        }

        /// The score a candidate must beat to get in, once the list is full.
        var threshold: Double? { entries.count == limit ? entries[limit - 1].score : nil }
    }

    /// The same answer as `searchAll`, from far fewer candidates when it can be proven, else nil.
    ///
    /// On a large site the best roles share several skills with `document`, and every role that shares
    /// at least two of them holds one of its skill pairs: the pair lists are short (few roles hold both
    /// of two given skills), where each skill's own list grows with the site. Roles are counted there,
    /// and only those whose count lets them reach the best found are scored, exactly as `searchAll`
    /// scores them (the same weights added in the same order, so equal to the last bit). A role sharing
    /// only skill `k` scores at most `weight(k) + categoryWeight`; the holders of every skill for which
    /// that could reach the `limit`-th best score are looked at too (such a skill is rare, its list
    /// short). If fewer than `limit` roles share two skills, or the pair lists are not much shorter than
    /// the skill lists, this returns nil and `searchAll` runs.
    ///
    /// It reads best whole: the counting, the bound and the exact scoring share the scratch buffers they
    /// leave zeroed, and the proof that the answer is `searchAll`'s runs through all three in order.
    func searchByPairs(_ document: Int, limit: Int, excluding excluded: Set<Int>, scratch: inout Scratch) -> [Match]? {
        guard let pairs else { return nil }
        let mine = skillNumbers[document]
        guard mine.count >= 2 else { return nil }
        var lists: [Range<Int>] = []
        lists.reserveCapacity(mine.count * (mine.count - 1) / 2)
        var pairCost = 0
        var skillCost = 0
        for (i, a) in mine.enumerated() {
            skillCost += holders[a].count
            for b in mine[(i + 1)...] {
                let list = pairs.holders(a, b)
                pairCost += list.count
                if !list.isEmpty { lists.append(list) }
            }
        }
        guard pairCost * PairHolders.worthwhile < skillCost else { return nil }

        let category = categoryNumbers[document]
        scratch.leaveOut(document, excluded, true)
        for skill in mine { scratch.isMine[skill] = true }
        var touched: [Int] = []
        swap(&touched, &scratch.touched)
        touched.removeAll(keepingCapacity: true)
        var best = Best(limit: limit, documents: documents)
        // First each role is counted: one sharing `m` skills holds m(m-1)/2 of the pairs. That bounds its
        // score: at most the `m` heaviest of `document`'s weights and the category. Roles are then scored
        // exactly, those sharing the most skills first, until the next count's bound is below the
        // `limit`-th best score found (a role below it cannot get in). An exact score adds the weights of
        // the shared skills in the order of their numbers (as `searchAll` adds them), then the category.
        var heaviest = mine.map { weights[$0] }.sorted(by: >)
        var running = 0.0
        for index in heaviest.indices {
            running += heaviest[index]
            // A margin for the different order of additions in exact scores.
            heaviest[index] = (running + Self.categoryWeight) * (1 + 1e-9)
        }
        var most = 2
        scratch.sums.withUnsafeMutableBufferPointer { sums in
            scratch.excluded.withUnsafeBufferPointer { left in
                pairs.roles.withUnsafeBufferPointer { roles in
                    for list in lists {
                        for other in roles[list] {
                            let other = Int(other)
                            guard !left[other] else { continue }
                            if sums[other] == 0 { touched.append(other) }
                            sums[other] += 1
                        }
                    }
                }
                for other in touched { most = max(most, Int(sums[other])) }
            }
        }
        // The count of pairs back to the number of skills shared.
        var shared = 2
        while (shared + 1) * shared / 2 <= most { shared += 1 }
        scratch.isMine.withUnsafeBufferPointer { isMine in
            pairs.withUnsafeSkillLists { skillStarts, skillFlat in
                while shared >= 2 {
                    if let threshold = best.threshold, heaviest[shared - 1] < threshold { break }
                    let pairCount = Double(shared * (shared - 1) / 2)
                    for other in touched where scratch.sums[other] == pairCount {
                        var value = 0.0
                        for skill in skillFlat[Int(skillStarts[other]) ..< Int(skillStarts[other + 1])] where isMine[Int(skill)] {
                            value += weights[Int(skill)]
                        }
                        if categoryNumbers[other] == category { value += Self.categoryWeight }
                        best.offer(other, value)
                    }
                    shared -= 1
                }
            }
        }
        for skill in mine { scratch.isMine[skill] = false }
        var proven = false
        if let threshold = best.threshold {
            proven = true
            for skill in mine where holders[skill].count > 1 && weights[skill] + Self.categoryWeight >= threshold {
                for other in holders[skill] where !scratch.excluded[other] && scratch.sums[other] == 0 {
                    // Not among the pair lists' roles: `skill` is the only one it shares.
                    var value = 0.0 + weights[skill]
                    if categoryNumbers[other] == category { value += Self.categoryWeight }
                    best.offer(other, value)
                }
            }
        }
        for other in touched { scratch.sums[other] = 0 }
        scratch.touched = touched
        scratch.leaveOut(document, excluded, false)
        guard proven else { return nil }
        return best.entries.map { entry in
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

/// The roles holding both of two skills, for every pair of skills some role holds: one sorted list of pair
/// codes and, per code, a run of role numbers; and each role's skills as flat runs, for scoring the roles
/// found there. Its size is the sum over roles of (skills choose 2), so it is not made when roles have
/// many skills each (then it could outgrow the skill lists many times over).
struct PairHolders: Sendable {
    /// Pair lists are used for a role only when they are this many times shorter than its skill lists
    /// (a role found there costs a count, and a walk over its skills if it is scored, not one addition).
    static let worthwhile = 3
    /// At most this many pair entries per skill entry.
    static let maximumPairsPerSkill = 8

    let skills: Int
    /// `a * skills + b` for each pair (a < b) some role holds, sorted.
    let codes: [Int]
    /// The runs: `roles[starts[i] ..< starts[i + 1]]` hold the pair `codes[i]`.
    let starts: [Int32]
    let roles: [Int32]
    /// Each role's skill numbers, sorted, one run per role: `skillFlat[skillStarts[r] ..< skillStarts[r + 1]]`.
    let skillStarts: [Int32]
    let skillFlat: [Int32]

    init?(skillNumbers: [[Int]], skills: Int) {
        let entries = skillNumbers.reduce(0) { $0 + $1.count * ($1.count - 1) / 2 }
        let skillEntries = skillNumbers.reduce(0) { $0 + $1.count }
        guard entries > 0, entries <= Self.maximumPairsPerSkill * skillEntries,
              skillEntries < Int(Int32.max), skills < 46_341 else { return nil }  // codes fit 31 bits
        // Each entry as (code << 32 | role): one sort orders them by pair, then role.
        var keyed: [UInt64] = []
        keyed.reserveCapacity(entries)
        for (role, mine) in skillNumbers.enumerated() {
            for (i, a) in mine.enumerated() {
                for b in mine[(i + 1)...] { keyed.append(UInt64(a * skills + b) << 32 | UInt64(role)) }
            }
        }
        keyed.sort()
        var codes: [Int] = []
        var starts: [Int32] = []
        var roles: [Int32] = []
        roles.reserveCapacity(keyed.count)
        for key in keyed {
            let code = Int(key >> 32)
            if codes.last != code {
                codes.append(code)
                starts.append(Int32(roles.count))
            }
            roles.append(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
        }
        starts.append(Int32(roles.count))
        var skillStarts: [Int32] = [0]
        skillStarts.reserveCapacity(skillNumbers.count + 1)
        var skillFlat: [Int32] = []
        skillFlat.reserveCapacity(skillEntries)
        for mine in skillNumbers {
            skillFlat += mine.lazy.map { Int32($0) }
            skillStarts.append(Int32(skillFlat.count))
        }
        self.skillStarts = skillStarts
        self.skillFlat = skillFlat
        self.skills = skills
        self.codes = codes
        self.starts = starts
        self.roles = roles
    }

    /// `skillStarts` and `skillFlat` to read in a loop.
    func withUnsafeSkillLists<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>) -> R) -> R {
        skillStarts.withUnsafeBufferPointer { starts in
            skillFlat.withUnsafeBufferPointer { flat in body(starts, flat) }
        }
    }

    /// The roles holding skills `a` and `b` (a < b), as a range of `roles`.
    func holders(_ a: Int, _ b: Int) -> Range<Int> {
        let code = a * skills + b
        var (low, high) = (0, codes.count)
        while low < high {
            let middle = (low + high) / 2
            if codes[middle] < code { low = middle + 1 } else { high = middle }
        }
        guard low < codes.count, codes[low] == code else { return 0..<0 }
        return Int(starts[low])..<Int(starts[low + 1])
    }
}
