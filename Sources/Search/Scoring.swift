/// How much a term says about a page, from where it occurs: a title or alternate-title
/// match outranks anything the body can add; category, skills and headings come next.
///
///     score = 4 * max(title, 0.9 * alternate title) + 1.5 * (category or skill)
///           + 1 * heading + body + boost
///
/// `title` is 1 for a title of average length, more for shorter titles (so "Backend
/// Developer" comes before "Backend Developer Salary Guide"); `body` saturates below 1
/// (BM25 with k1 = 1.2, b = 0.75; a summary occurrence counts twice). Scores are stored
/// as levels of 1/24 in one byte; the browser multiplies them by the term's rarity.
struct Scoring: Sendable {
    static let levelsPerPoint = 24.0

    let averageTitleLength: Double
    let averageBodyBytes: Double

    init(documents: [SearchDocument]) {
        var titleTerms = 0
        var bodyBytes = 0
        for document in documents {
            titleTerms += Tokenizer.indexTerms(document.title).count
            bodyBytes += document.body.utf8.count
        }
        let count = Double(max(documents.count, 1))
        averageTitleLength = max(1, Double(titleTerms) / count)
        averageBodyBytes = max(1, Double(bodyBytes) / count)
    }

    /// Every distinct term of the document with its level (1...255).
    func levels(of document: SearchDocument) -> [(term: String, level: UInt8)] {
        var fields: [String: FieldCounts] = [:]
        let title = Tokenizer.indexTerms(document.title)
        for term in title { fields[term, default: FieldCounts()].title += 1 }
        for alternate in document.alternateTitles {
            let terms = Tokenizer.indexTerms(alternate)
            let weight = titleWeight(length: terms.count)
            for term in terms { fields[term, default: FieldCounts()].alternate = max(fields[term, default: FieldCounts()].alternate, weight) }
        }
        for label in [document.category].compactMap({ $0 }) + document.keywords {
            Tokenizer.indexTerms(label) { fields[$0, default: FieldCounts()].label = true }
        }
        for heading in document.headings {
            Tokenizer.indexTerms(heading) { fields[$0, default: FieldCounts()].heading = true }
        }
        if let summary = document.summary {
            Tokenizer.indexTerms(summary) { fields[$0, default: FieldCounts()].body += 2 }
        }
        Tokenizer.indexTerms(document.body) { fields[$0, default: FieldCounts()].body += 1 }

        let titleScore = titleWeight(length: title.count)
        let bodyNorm = 1.2 * (0.25 + 0.75 * Double(document.body.utf8.count) / averageBodyBytes)
        var result: [(term: String, level: UInt8)] = []
        result.reserveCapacity(fields.count)
        for (term, counts) in fields {
            var score = 4 * max(counts.title > 0 ? titleScore : 0, 0.9 * counts.alternate)
            if counts.label { score += 1.5 }
            if counts.heading { score += 1 }
            if counts.body > 0 {
                let frequency = Double(counts.body)
                score += frequency / (frequency + bodyNorm)
            }
            score += document.boost
            let level = Int((score * Scoring.levelsPerPoint).rounded())
            result.append((term, UInt8(clamping: max(1, level))))
        }
        return result
    }

    /// 1 for a title of average length, up to 1.3 for shorter ones, down to ~0.6 for long ones.
    func titleWeight(length: Int) -> Double {
        min(1.3, 1 / (0.6 + 0.4 * Double(length) / averageTitleLength))
    }

    private struct FieldCounts {
        var title = 0
        var alternate = 0.0
        var label = false
        var heading = false
        var body = 0
    }
}
