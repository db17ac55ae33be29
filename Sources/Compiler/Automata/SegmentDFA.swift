import Artifact
import GatewayDSL

/// A deterministic automaton over ASCII that decides one path segment. It is what a
/// constrained parameter compiles to, and the same table the runtime matcher runs.
struct SegmentDFA: Hashable {
    static let dead = RoutingTable.Matcher.dead
    static let alphabetSize = RoutingTable.Matcher.alphabet
    /// The most states a constraint may need; beyond it the spec gets GW4006.
    static let maxStates = 1_024

    var accepting: [Bool]
    /// `state * 128 + byte`.
    var transitions: [UInt16]

    func next(_ state: Int, _ byte: UInt8) -> Int? {
        guard byte < 128 else { return nil }
        let target = transitions[state * Self.alphabetSize + Int(byte)]
        return target == Self.dead ? nil : Int(target)
    }

    func accepts(_ bytes: some Sequence<UInt8>) -> Bool {
        var state = 0
        for byte in bytes {
            guard let next = next(state, byte) else { return false }
            state = next
        }
        return accepting[state]
    }

    /// Bytes a normalized path segment can hold: printable ASCII except `/`.
    static let segmentBytes: [UInt8] = {
        let preferred = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-._~".utf8)
        let rest = (UInt8(0x21)...UInt8(0x7E)).filter { $0 != UInt8(ascii: "/") && !preferred.contains($0) }
        return preferred + rest
    }()

    /// Exactly `text`.
    static func literal(_ text: String) -> SegmentDFA {
        let bytes = Array(text.utf8)
        var transitions = [UInt16](repeating: dead, count: (bytes.count + 1) * alphabetSize)
        for (index, byte) in bytes.enumerated() where byte < 128 {
            transitions[index * alphabetSize + Int(byte)] = UInt16(index + 1)
        }
        var accepting = [Bool](repeating: false, count: bytes.count + 1)
        accepting[bytes.count] = true
        return SegmentDFA(accepting: accepting, transitions: transitions)
    }

    /// Any non-empty segment: what a plain parameter accepts.
    static let anySegment: SegmentDFA = {
        var transitions = [UInt16](repeating: dead, count: 2 * alphabetSize)
        for byte in segmentBytes {
            transitions[Int(byte)] = 1
            transitions[alphabetSize + Int(byte)] = 1
        }
        return SegmentDFA(accepting: [false, true], transitions: transitions)
    }()

    var matcher: (accepting: [Bool], transitions: [UInt16]) { (accepting, transitions) }
}
