import Foundation

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
            Tokenizer.indexWords(document.title) { _ in titleTerms += 1 }
            bodyBytes += document.body.utf8.count
        }
        let count = Double(max(documents.count, 1))
        averageTitleLength = max(1, Double(titleTerms) / count)
        averageBodyBytes = max(1, Double(bodyBytes) / count)
    }

    /// Every distinct term of the document, appended as its id (from `table`) and its level (1...255).
    /// `scratch` is reused from page to page.
    func levels(of document: SearchDocument, table: inout TermTable, scratch: inout Scratch, into output: inout Levels) {
        var titleLength = 0
        table.forEachID(document.title) { id in
            titleLength += 1
            scratch[scratch.touch(id)].title += 1
        }
        for alternate in document.alternateTitles {
            var ids: [Int32] = []
            table.forEachID(alternate) { ids.append($0) }
            let weight = titleWeight(length: ids.count)
            for id in ids {
                let index = scratch.touch(id)
                scratch[index].alternate = max(scratch[index].alternate, weight)
            }
        }
        for label in [document.category].compactMap({ $0 }) + document.keywords {
            table.forEachID(label) { scratch[scratch.touch($0)].label = true }
        }
        for heading in document.headings {
            table.forEachID(heading) { scratch[scratch.touch($0)].heading = true }
        }
        if let summary = document.summary {
            table.forEachID(summary) { scratch[scratch.touch($0)].body += 2 }
        }
        table.forEachID(document.body) { scratch[scratch.touch($0)].body += 1 }

        let titleScore = titleWeight(length: titleLength)
        let bodyNorm = 1.2 * (0.25 + 0.75 * Double(document.body.utf8.count) / averageBodyBytes)
        for id in scratch.touched {
            let counts = scratch[Int(id)]
            var score = 4 * max(counts.title > 0 ? titleScore : 0, 0.9 * counts.alternate)
            if counts.label { score += 1.5 }
            if counts.heading { score += 1 }
            if counts.body > 0 {
                let frequency = Double(counts.body)
                score += frequency / (frequency + bodyNorm)
            }
            score += document.boost
            let level = UInt8(clamping: max(1, Int((score * Scoring.levelsPerPoint).rounded())))
            output.ids.append(id)
            output.levels.append(level)
        }
        // A page whose title (or an alternate title) is exactly the query: its exact-title terms.
        var keys: [String] = []
        for title in [document.title] + document.alternateTitles {
            let key = ExactTitle.key(Tokenizer.queryTerms(title).map(\.term))
            if let key, !keys.contains(key) { keys.append(key) }
        }
        for stem in Tokenizer.queryTerms(document.title).map(\.term) where !keys.contains(TitleWord.key(stem)) {
            keys.append(TitleWord.key(stem))
        }
        for key in keys {
            output.ids.append(table.id(term: key))
            output.levels.append(UInt8(Scoring.levelsPerPoint))
        }
        output.ends.append(output.ids.count)
        scratch.reset()
    }

    /// The levels of a run of documents, one after another (5 bytes a term, no array per document):
    /// document `n`'s are `ends[n - 1]..<ends[n]`.
    struct Levels: Sendable {
        var ids: [Int32] = []
        var levels: [UInt8] = []
        var ends: [Int] = []

        func range(ofDocument n: Int) -> Range<Int> {
            (n == 0 ? 0 : ends[n - 1])..<ends[n]
        }
    }

    /// 1 for a title of average length, up to 1.3 for shorter ones, down to ~0.6 for long ones.
    func titleWeight(length: Int) -> Double {
        min(1.3, 1 / (0.6 + 0.4 * Double(length) / averageTitleLength))
    }

    /// Where a term occurs in the page being scored.
    struct FieldCounts {
        var title = 0
        var alternate = 0.0
        var label = false
        var heading = false
        var body = 0
    }

    /// Per-term counts for one page at a time, indexed by term id; only touched ids are reset.
    struct Scratch {
        private var counts: [FieldCounts] = []
        private(set) var touched: [Int32] = []
        private var seen: [Bool] = []

        /// Marks the term as on this page; returns its index for the subscript.
        mutating func touch(_ id: Int32) -> Int {
            let index = Int(id)
            if counts.count <= index {
                counts.append(contentsOf: repeatElement(FieldCounts(), count: index + 1 - counts.count))
                seen.append(contentsOf: repeatElement(false, count: index + 1 - seen.count))
            }
            if !seen[index] {
                seen[index] = true
                touched.append(id)
            }
            return index
        }

        subscript(index: Int) -> FieldCounts {
            get { counts[index] }
            _modify { yield &counts[index] }
        }

        mutating func reset() {
            for id in touched {
                counts[Int(id)] = FieldCounts()
                seen[Int(id)] = false
            }
            touched.removeAll(keepingCapacity: true)
        }
    }
}

/// Numbers terms in first-seen order, stemming each distinct word once.
/// One per chunk of pages while scoring; one for the whole index when merging chunks.
struct TermTable {
    private(set) var terms: [String] = []
    private var ids: [String: Int32] = [:]
    private var wordIDs = WordTable()

    /// The ids of the stems of `text`'s words (`Tokenizer.indexWords`), in order. ASCII text's words
    /// are looked up by their bytes; a `String` is made only for a word not seen before.
    mutating func forEachID(_ text: String, _ body: (Int32) -> Void) {
        let ascii = Tokenizer.indexWordsASCII(text) { word in
            let hash = WordTable.hash(word)
            body(wordIDs[word, hash] ?? add(String(decoding: word, as: UTF8.self), hash: hash))
        }
        if !ascii { Tokenizer.indexWords(text) { body(id(word: $0)) } }
    }

    /// The id of a word's stem.
    mutating func id(word: String) -> Int32 {
        let hash = WordTable.hash(word)
        return wordIDs[word, hash] ?? add(word, hash: hash)
    }

    /// Stems a word not in the table yet and keeps its id.
    private mutating func add(_ word: String, hash: UInt64) -> Int32 {
        let id = id(term: EnglishStemmer.stem(word))
        wordIDs.insert(word, hash: hash, id: id)
        return id
    }

    /// The id of a term (already stemmed), numbering it if it is new.
    mutating func id(term: String) -> Int32 {
        if let known = ids[term] { return known }
        let id = Int32(terms.count)
        terms.append(term)
        ids[term] = id
        return id
    }
}

/// Words to ids, looked up for every word of every page: open addressing over a cheap hash of the
/// word's bytes (a `Dictionary` hashes each word with SipHash, a sixth of the scoring's time).
struct WordTable {
    /// Every word's bytes, one after another: word `n` is `bytes[ends[n - 1]..<ends[n]]`. Compared in
    /// place, where a `String` per word cost a retain and a release at each lookup.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var ids: [Int32] = []
    private var hashes: [UInt64] = []
    /// Per slot: 1 + the entry's position, 0 when empty. A power of two, at most half full.
    private var slots = [Int32](repeating: 0, count: 1024)

    static func hash(_ word: String) -> UInt64 {
        var word = word
        return word.withUTF8(hash)
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash ^ (hash >> 29)
    }

    /// The id of a word given as its bytes.
    subscript(word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return bytes.withUnsafeBufferPointer { stored in
            while slots[slot] != 0 {
                let entry = Int(slots[slot] - 1)
                if hashes[entry] == hash {
                    let start = entry == 0 ? 0 : ends[entry - 1]
                    if ends[entry] - start == word.count, word.count == 0 || memcmp(stored.baseAddress! + start, word.baseAddress!, word.count) == 0 {
                        return ids[entry]
                    }
                }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    subscript(word: String, hash: UInt64) -> Int32? {
        var word = word
        return word.withUTF8 { self[$0, hash] }
    }

    /// Adds a word not in the table.
    mutating func insert(_ word: String, hash: UInt64, id: Int32) {
        if (ids.count + 1) * 2 > slots.count { grow() }
        bytes += word.utf8
        ends.append(bytes.count)
        ids.append(id)
        hashes.append(hash)
        place(ids.count - 1)
    }

    private mutating func place(_ entry: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for entry in ids.indices { place(entry) }
    }
}
