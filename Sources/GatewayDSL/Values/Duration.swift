/// A span of time written as `250ms`, `5s`, `1m`, `2h` or `7d`. Stored in milliseconds.
public struct SpecDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: SpecDuration, rhs: SpecDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Parses `<whole number><unit>`; nil when the text is not a duration.
    public init?(parsing text: String) {
        guard let (number, suffix) = UnitNumber.split(text),
              let unit = Self.units.first(where: { $0.suffix == suffix }),
              number <= Int64.max / unit.milliseconds
        else { return nil }
        milliseconds = number * unit.milliseconds
    }

    /// The shortest exact form, e.g. `1500ms`, `2s`, `5m`.
    public var description: String {
        for unit in Self.units.reversed() where milliseconds != 0 && milliseconds % unit.milliseconds == 0 {
            return "\(milliseconds / unit.milliseconds)\(unit.suffix)"
        }
        return "\(milliseconds)ms"
    }
}

/// Splits `250ms` into (250, "ms"). Digits only: no sign, no fraction, no spaces.
enum UnitNumber {
    static func split(_ text: String) -> (Int64, String)? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 18, let number = Int64(digits) else { return nil }
        return (number, String(text.dropFirst(digits.count)))
    }
}
