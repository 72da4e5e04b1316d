/// "Did you mean ...?" for names a writer typed: keys, role slugs, paths.
public enum Suggestion {
    /// The candidate closest to `name`, if it is close enough to be a likely typo.
    public static func nearest(to name: String, among candidates: some Sequence<String>) -> String? {
        var best: (distance: Int, candidate: String)?
        for candidate in candidates {
            let distance = editDistance(name, candidate)
            if best == nil || (distance, candidate) < (best!.distance, best!.candidate) { best = (distance, candidate) }
        }
        guard let best, best.distance <= max(3, name.count / 4) else { return nil }
        return best.candidate
    }

    /// Levenshtein distance on UTF-8 bytes.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
