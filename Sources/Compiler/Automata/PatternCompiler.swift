import GatewayDSL

/// Compiles a restricted pattern to a `SegmentDFA`: a Thompson NFA, then the subset
/// construction. Fails when the DFA would need more than `SegmentDFA.maxStates`.
enum PatternCompiler {
    private struct NFA {
        var byteEdges: [[(ranges: [ClosedRange<UInt8>], target: Int)]] = []
        var epsilon: [[Int]] = []

        mutating func state() -> Int {
            byteEdges.append([])
            epsilon.append([])
            return byteEdges.count - 1
        }
    }

    static func compile(_ pattern: PathPattern) -> SegmentDFA? {
        var nfa = NFA()
        let start = nfa.state()
        let accept = nfa.state()
        for alternative in pattern.alternatives {
            var current = start
            for atom in alternative { current = append(atom, from: current, to: &nfa) }
            nfa.epsilon[current].append(accept)
        }
        return determinize(nfa, start: start, accept: accept)
    }

    /// Adds `atom{min,max}` after `current`; returns the state that follows it.
    private static func append(_ atom: PathPattern.Atom, from current: Int, to nfa: inout NFA) -> Int {
        var current = current
        for _ in 0..<atom.min {
            let next = nfa.state()
            nfa.byteEdges[current].append((atom.ranges, next))
            current = next
        }
        let exit = nfa.state()
        if let max = atom.max {
            for _ in 0..<(max - atom.min) {
                let next = nfa.state()
                nfa.byteEdges[current].append((atom.ranges, next))
                nfa.epsilon[current].append(exit)
                current = next
            }
            nfa.epsilon[current].append(exit)
        } else {
            let loop = nfa.state()
            nfa.byteEdges[current].append((atom.ranges, loop))
            nfa.byteEdges[loop].append((atom.ranges, loop))
            nfa.epsilon[current].append(exit)
            nfa.epsilon[loop].append(exit)
        }
        return exit
    }

    private static func closure(_ states: [Int], _ nfa: NFA) -> [Int] {
        var seen = Set(states)
        var stack = states
        while let state = stack.popLast() {
            for next in nfa.epsilon[state] where seen.insert(next).inserted { stack.append(next) }
        }
        return seen.sorted()
    }

    private static func determinize(_ nfa: NFA, start: Int, accept: Int) -> SegmentDFA? {
        let size = SegmentDFA.alphabetSize
        var sets: [[Int]] = [closure([start], nfa)]
        var index: [[Int]: Int] = [sets[0]: 0]
        var transitions: [UInt16] = []
        var accepting: [Bool] = []
        var cursor = 0
        while cursor < sets.count {
            let set = sets[cursor]
            accepting.append(set.contains(accept))
            var row = [UInt16](repeating: SegmentDFA.dead, count: size)
            for byte in 0..<size where byte != Int(UInt8(ascii: "/")) {
                var targets: [Int] = []
                for state in set {
                    for edge in nfa.byteEdges[state] where edge.ranges.contains(where: { $0.contains(UInt8(byte)) }) {
                        targets.append(edge.target)
                    }
                }
                guard !targets.isEmpty else { continue }
                let next = closure(targets, nfa)
                if let existing = index[next] {
                    row[byte] = UInt16(existing)
                } else {
                    guard sets.count < SegmentDFA.maxStates else { return nil }
                    index[next] = sets.count
                    row[byte] = UInt16(sets.count)
                    sets.append(next)
                }
            }
            transitions += row
            cursor += 1
        }
        return SegmentDFA(accepting: accepting, transitions: transitions)
    }
}
