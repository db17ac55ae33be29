/// Reads what `ByteWriter` wrote, refusing anything that would read out of bounds or
/// allocate more than the input could describe: every count is checked against the
/// bytes left, so a hostile length cannot trigger a huge allocation.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    public let end: Int

    public init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        self.offset = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset == end }

    public mutating func u8() throws(ArtifactError) -> UInt8 {
        guard offset < end else { throw .truncated(offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u16() throws(ArtifactError) -> UInt16 { try integer() }
    public mutating func u32() throws(ArtifactError) -> UInt32 { try integer() }
    public mutating func u64() throws(ArtifactError) -> UInt64 { try integer() }
    public mutating func i64() throws(ArtifactError) -> Int64 { Int64(bitPattern: try integer()) }

    public mutating func bool() throws(ArtifactError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw .malformed("a boolean byte is neither 0 nor 1 at offset \(offset - 1)")
        }
    }

    public mutating func raw(_ count: Int) throws(ArtifactError) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw .truncated(offset) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// A count of items each at least `minimumSize` bytes long, checked against what is left.
    public mutating func count(minimumSize: Int = 1) throws(ArtifactError) -> Int {
        let value = Int(try u32())
        guard value <= remaining / max(1, minimumSize) else {
            throw .malformed("a count of \(value) at offset \(offset - 4) exceeds the bytes that remain")
        }
        return value
    }

    /// An index that must be below `limit`.
    public mutating func index(below limit: Int, _ what: StaticString) throws(ArtifactError) -> Int {
        let value = Int(try u32())
        guard value < limit else { throw .malformed("\(what) index \(value) is out of range (\(limit)) at offset \(offset - 4)") }
        return value
    }

    public mutating func blob() throws(ArtifactError) -> [UInt8] {
        try raw(try count())
    }

    /// Length-prefixed UTF-8, validated where it lies (no intermediate copy).
    public mutating func string() throws(ArtifactError) -> String {
        let length = try count()
        let start = offset
        offset += length
        guard let text = String(validating: bytes[start..<offset], as: UTF8.self) else {
            throw .malformed("a string is not UTF-8 at offset \(start)")
        }
        return text
    }

    public mutating func array<T>(minimumSize: Int, _ read: (inout ByteReader) throws(ArtifactError) -> T) throws(ArtifactError) -> [T] {
        let n = try count(minimumSize: minimumSize)
        var items: [T] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try read(&self)) }
        return items
    }

    private mutating func integer<T: FixedWidthInteger>() throws(ArtifactError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw .truncated(offset) }
        let start = offset
        offset += size
        return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start, as: T.self) })
    }
}
