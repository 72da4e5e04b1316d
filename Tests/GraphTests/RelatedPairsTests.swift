import Foundation
import Testing
import TestSupport
@testable import Graph

/// The pair search (`searchByPairs`) must give what scoring every role gives (`searchAll`), to the last bit
/// of every score, or give nothing and leave the answer to `searchAll`.
@Suite struct RelatedPairsTests {
    /// A site of `roles` roles over `skills` skills. `skew` > 0 makes a few skills common and most rare
    /// (holders fall off as 1 / rank^skew); titles repeat, so ties by score and title happen.
    static func index(roles: Int, skills: Int, perRole: ClosedRange<Int>, categories: Int, skew: Double, titles: Int,
                      random: inout SplitMix64) -> RelatedIndex {
        let cumulative = (1...skills).reduce(into: [Double]()) { sums, rank in
            sums.append((sums.last ?? 0) + 1 / pow(Double(rank), skew))
        }
        func pickSkill() -> Int {
            let target = Double(random.next() % 1_000_000) / 1_000_000 * cumulative.last!
            return cumulative.firstIndex { $0 >= target } ?? skills - 1
        }
        let documents = (0..<roles).map { number -> RelatedIndex.Document in
            let count = perRole.lowerBound + Int(random.next() % UInt64(perRole.count))
            let keys = (0..<count).map { _ in "s\(pickSkill())" }
            return .init(title: "t\(Int(random.next() % UInt64(titles)))", category: "c\(Int(random.next() % UInt64(categories)))", skills: keys)
        }
        return RelatedIndex(documents: documents)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var seed: UInt64
        var roles: Int
        var skills: Int
        var perRole: ClosedRange<Int>
        var categories: Int
        var skew: Double
        var titles: Int
        var testDescription: String { "seed \(seed): \(roles) roles, \(skills) skills, \(perRole) each, skew \(skew), \(titles) titles" }
    }

    static let cases: [Case] = [
        // The shape of the generated benchmark site: uniform skills, 4-9 each.
        Case(seed: 1, roles: 3_000, skills: 106, perRole: 4...9, categories: 12, skew: 0, titles: 3_000),
        // Few skills: many ties in count and weight; repeated titles break ties by document number.
        Case(seed: 2, roles: 1_500, skills: 12, perRole: 2...6, categories: 3, skew: 0, titles: 40),
        // Skewed: a few skills every role has, a long tail of rare ones (heavy single skills).
        Case(seed: 3, roles: 2_000, skills: 400, perRole: 2...10, categories: 6, skew: 1.1, titles: 2_000),
        Case(seed: 4, roles: 2_500, skills: 60, perRole: 3...7, categories: 1, skew: 0.6, titles: 100),
        // Small sites, where few roles share two skills.
        Case(seed: 5, roles: 60, skills: 30, perRole: 1...4, categories: 4, skew: 0.3, titles: 50),
        Case(seed: 6, roles: 400, skills: 200, perRole: 2...3, categories: 8, skew: 1.5, titles: 400),
    ]

    @Test(arguments: cases)
    func pairSearchEqualsScoringEveryRole(_ shape: Case) {
        var random = SplitMix64(seed: shape.seed)
        let index = Self.index(roles: shape.roles, skills: shape.skills, perRole: shape.perRole, categories: shape.categories,
                               skew: shape.skew, titles: shape.titles, random: &random)
        var scratch = RelatedIndex.Scratch(for: index)
        var answered = 0
        var mismatches: [String] = []
        let searches = min(shape.roles, 600)
        for search in 0..<searches {
            let document = search * shape.roles / searches
            let limit = [1, 3, 6, 6, 10][Int(random.next() % 5)]
            let excluded: Set<Int> = random.next() % 4 == 0 ? Set((0..<3).map { _ in Int(random.next() % UInt64(shape.roles)) }) : []
            let all = index.searchAll(document, limit: limit, excluding: excluded, scratch: &scratch)
            guard let byPairs = index.searchByPairs(document, limit: limit, excluding: excluded, scratch: &scratch) else { continue }
            answered += 1
            let same = all.count == byPairs.count && zip(all, byPairs).allSatisfy {
                $0.document == $1.document && $0.score.bitPattern == $1.score.bitPattern && $0.reasons == $1.reasons
            }
            if !same, mismatches.count < 3 {
                mismatches.append("role \(document), limit \(limit): \(byPairs.map { ($0.document, $0.score) }) instead of \(all.map { ($0.document, $0.score) })")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // The scratch memory is left clean: a search after all these gives what a fresh one gives.
        var fresh = RelatedIndex.Scratch(for: index)
        #expect(index.search(0, limit: 6, excluding: [], scratch: &scratch) == index.search(0, limit: 6, excluding: [], scratch: &fresh))
        // The pair search answers most searches on the large sites (else this compares nothing).
        if shape.roles >= 1_000 && shape.skew < 1 { #expect(answered * 2 > searches, "answered \(answered) of \(searches)") }
    }

    @Test func pairListsHoldTheRolesWithBothSkills() throws {
        var random = SplitMix64(seed: 9)
        let index = Self.index(roles: 500, skills: 20, perRole: 1...6, categories: 2, skew: 0.5, titles: 500, random: &random)
        let pairs = try #require(index.pairs)
        for a in 0..<index.skillKeys.count {
            for b in (a + 1)..<index.skillKeys.count {
                let expected = index.skillNumbers.indices.filter { index.skillNumbers[$0].contains(a) && index.skillNumbers[$0].contains(b) }
                #expect(pairs.roles[pairs.holders(a, b)].map(Int.init) == expected, "skills \(a), \(b)")
            }
        }
    }

    @Test func noPairListsWhenRolesHaveManySkills() {
        // 40 skills each: 780 pairs a role, more than the limit of pair entries per skill entry.
        let documents = (0..<50).map { RelatedIndex.Document(title: "t\($0)", category: "c", skills: (0..<40).map { "s\(($0 * 7) % 60)" }) }
        #expect(RelatedIndex(documents: documents).pairs == nil)
    }
}
