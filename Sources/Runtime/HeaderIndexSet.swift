/// Which of a message's header lines (by position) the gateway does not pass on.
/// The first 128 positions are bits; a head with more lines (a server may allow it)
/// keeps the rest in an array, so no count is ever refused here.
public struct HeaderIndexSet: Sendable, Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    /// Optional so that a set without such lines (nearly every one) holds no reference:
    /// sets are copied into decisions and edits, and an empty array still costs a
    /// retain and a release per copy.
    private var beyond: [Int]?

    public init() {}

    mutating func insert(_ index: Int) {
        switch index {
        case 0..<64: low |= 1 << UInt64(index)
        case 64..<128: high |= 1 << UInt64(index - 64)
        default:
            // Taken out first, so the append does not copy a shared array.
            var list = beyond ?? []
            beyond = nil
            if !list.contains(index) { list.append(index) }
            beyond = list
        }
    }

    mutating func formUnion(_ other: HeaderIndexSet) {
        low |= other.low
        high |= other.high
        for index in other.beyond ?? [] { insert(index) }
    }

    /// The same positions, whatever order those past 128 were inserted in.
    public static func == (lhs: HeaderIndexSet, rhs: HeaderIndexSet) -> Bool {
        lhs.low == rhs.low && lhs.high == rhs.high && Set(lhs.beyond ?? []) == Set(rhs.beyond ?? [])
    }

    public func contains(_ index: Int) -> Bool {
        switch index {
        case 0..<64: low & (1 << UInt64(index)) != 0
        case 64..<128: high & (1 << UInt64(index - 64)) != 0
        default: beyond?.contains(index) == true
        }
    }
}
