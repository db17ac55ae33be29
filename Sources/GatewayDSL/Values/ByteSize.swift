/// A size written as `512B`, `64KiB`, `1MiB` or `1GiB` (binary units, as the names say).
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) {
        self.bytes = bytes
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    static let units: [(suffix: String, bytes: Int64)] = [
        ("B", 1), ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
    ]

    public init?(parsing text: String) {
        guard let (number, suffix) = UnitNumber.split(text),
              let unit = Self.units.first(where: { $0.suffix == suffix }),
              number <= Int64.max / unit.bytes
        else { return nil }
        bytes = number * unit.bytes
    }

    public var description: String {
        for unit in Self.units.reversed() where bytes != 0 && bytes % unit.bytes == 0 {
            return "\(bytes / unit.bytes)\(unit.suffix)"
        }
        return "\(bytes)B"
    }
}
