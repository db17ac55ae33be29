/// "Did you mean ...?" for misspelled keys and names.
public enum Suggestions {
    /// The closest candidate within a small edit distance, if any is close enough to help.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased())
        let threshold = max(1, min(3, target.count / 3))
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased()), limit: threshold)
            if distance <= threshold, distance < (best?.1 ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// `did you mean `x`?` or a list of what is allowed, whichever helps more.
    public static func hint(for word: String, in candidates: [String], noun: String = "keys") -> String {
        if let match = closest(to: word, in: candidates) {
            return "did you mean `\(match)`?"
        }
        let shown = candidates.prefix(12).map { "`\($0)`" }.joined(separator: ", ")
        return candidates.isEmpty ? "no \(noun) are defined" : "known \(noun): \(shown)\(candidates.count > 12 ? ", ..." : "")"
    }

    /// Damerau-Levenshtein (optimal string alignment) distance, giving up above `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
