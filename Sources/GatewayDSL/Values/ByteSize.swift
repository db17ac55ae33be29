/// A size written as `512B`, `64KiB`, `1MiB` or `1GiB` (binary units, as the names say).
public struct ByteSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) {
        self.bytes = bytes
    }

    static let scale = UnitScale(units: [("B", 1), ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)])

    public init?(parsing text: String) {
        guard let bytes = Self.scale.parse(text) else { return nil }
        self.bytes = bytes
    }

    public var description: String { Self.scale.format(bytes) }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }
}
