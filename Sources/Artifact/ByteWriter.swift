/// Appends little-endian integers and byte strings: the artifact's only encoding.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    public mutating func u16(_ value: UInt16) { append(value) }
    public mutating func u32(_ value: UInt32) { append(value) }
    public mutating func u64(_ value: UInt64) { append(value) }
    public mutating func i64(_ value: Int64) { append(UInt64(bitPattern: value)) }
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    public mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// A count or index that must fit in 32 bits; the compiler's limits keep it so.
    public mutating func count(_ value: Int) { u32(UInt32(clamping: value)) }

    /// Length-prefixed bytes.
    public mutating func blob(_ data: [UInt8]) {
        count(data.count)
        bytes.append(contentsOf: data)
    }

    public mutating func array<T>(_ items: [T], _ write: (inout ByteWriter, T) -> Void) {
        count(items.count)
        for item in items { write(&self, item) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
