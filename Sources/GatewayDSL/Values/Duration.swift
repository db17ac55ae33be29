/// A span of time written as `250ms`, `5s`, `1m`, `2h` or `7d`. Stored in milliseconds.
public struct SpecDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    static let scale = UnitScale(units: [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)])

    /// Parses `<whole number><unit>`; nil when the text is not a duration.
    public init?(parsing text: String) {
        guard let milliseconds = Self.scale.parse(text) else { return nil }
        self.milliseconds = milliseconds
    }

    public var description: String { Self.scale.format(milliseconds) }

    public static func < (lhs: SpecDuration, rhs: SpecDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}
