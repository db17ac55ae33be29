/// Breadth-first search over several segment automata run side by side.
///
/// For every string the `primary` automaton accepts, it records which of the
/// `others` accept it too, keeping the shortest (and most readable) example of each
/// distinct pattern. Conflict detection asks whether "both accept" is reachable;
/// shadowing asks whether "none of the higher routes accept" is. Segments `.` and
/// `..` are skipped: path normalization removes them, so no request carries them.
enum ProductSearch {
    struct Membership: Hashable {
        var accepted: [Bool]
    }

    /// nil when the search space is larger than `limit` states (callers then stay conservative).
    static func memberships(primary: SegmentDFA, others: [SegmentDFA], limit: Int = 20_000) -> [Membership: [UInt8]]? {
        typealias State = [Int]  // primary state, then each other's state or -1 when dead
        let start: State = [0] + others.map { _ in 0 }
        var parents: [State: (State, UInt8)] = [:]
        var seen: Set<State> = [start]
        var queue: [State] = [start]
        var cursor = 0
        var found: [Membership: [UInt8]] = [:]
        while cursor < queue.count {
            let state = queue[cursor]
            cursor += 1
            if state != start, primary.accepting[state[0]] {
                let witness = path(to: state, parents)
                if witness != Array(".".utf8), witness != Array("..".utf8) {
                    let membership = Membership(accepted: others.indices.map { state[$0 + 1] >= 0 && others[$0].accepting[state[$0 + 1]] })
                    if found[membership] == nil { found[membership] = witness }
                }
            }
            for byte in SegmentDFA.segmentBytes {
                guard let first = primary.next(state[0], byte) else { continue }
                var next: State = [first]
                for (offset, other) in others.enumerated() {
                    let current = state[offset + 1]
                    next.append(current < 0 ? -1 : other.next(current, byte) ?? -1)
                }
                guard seen.insert(next).inserted else { continue }
                if seen.count > limit { return nil }
                parents[next] = (state, byte)
                queue.append(next)
            }
        }
        return found
    }

    /// The shortest string both automata accept, if any.
    static func intersection(_ a: SegmentDFA, _ b: SegmentDFA) -> [UInt8]? {
        guard let found = memberships(primary: a, others: [b]) else { return nil }
        return found[Membership(accepted: [true])]
    }

    private static func path(to state: [Int], _ parents: [[Int]: ([Int], UInt8)]) -> [UInt8] {
        var bytes: [UInt8] = []
        var current = state
        while let (parent, byte) = parents[current] {
            bytes.append(byte)
            current = parent
        }
        return bytes.reversed()
    }
}
