/// Writes one section, interning strings into the artifact's shared string table.
public struct SectionWriter {
    public var bytes = ByteWriter()
    let interner: StringInterner

    init(strings: StringInterner) {
        self.interner = strings
    }

    public mutating func string(_ value: String) { bytes.u32(interner.index(of: value)) }
    public mutating func optionalString(_ value: String?) {
        bytes.bool(value != nil)
        if let value { string(value) }
    }
    public mutating func strings(_ values: [String]) {
        bytes.count(values.count)
        for value in values { string(value) }
    }
    public mutating func array<T: ArtifactCodable>(_ items: [T]) {
        bytes.count(items.count)
        for item in items { item.encode(to: &self) }
    }
    public mutating func optional<T: ArtifactCodable>(_ item: T?) {
        bytes.bool(item != nil)
        item?.encode(to: &self)
    }
}

/// Reads one section, resolving string indices against the decoded string table.
public struct SectionReader {
    public var bytes: ByteReader
    let table: [String]

    init(bytes: ByteReader, strings: [String]) {
        self.bytes = bytes
        self.table = strings
    }

    public mutating func string() throws(ArtifactError) -> String {
        table[try bytes.index(below: table.count, "string")]
    }
    public mutating func optionalString() throws(ArtifactError) -> String? {
        try bytes.bool() ? try string() : nil
    }
    public mutating func strings() throws(ArtifactError) -> [String] {
        let n = try bytes.count(minimumSize: 4)
        var values: [String] = []
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try string()) }
        return values
    }
    public mutating func array<T: ArtifactCodable>(minimumSize: Int = 1) throws(ArtifactError) -> [T] {
        let n = try bytes.count(minimumSize: minimumSize)
        var items: [T] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try T(from: &self)) }
        return items
    }
    public mutating func optional<T: ArtifactCodable>() throws(ArtifactError) -> T? {
        try bytes.bool() ? try T(from: &self) : nil
    }
    /// A small enum stored as one byte.
    public mutating func enumeration<T: RawRepresentable>(_ type: T.Type) throws(ArtifactError) -> T where T.RawValue == UInt8 {
        let raw = try bytes.u8()
        guard let value = T(rawValue: raw) else { throw .malformed("unknown \(T.self) value \(raw)") }
        return value
    }
}

/// Something stored in an artifact section.
public protocol ArtifactCodable: Sendable {
    func encode(to writer: inout SectionWriter)
    init(from reader: inout SectionReader) throws(ArtifactError)
}

/// Assigns each distinct string one index, in first-use order (so deterministic input
/// gives a deterministic table).
final class StringInterner {
    private(set) var strings: [String] = []
    private var indices: [String: UInt32] = [:]

    func index(of string: String) -> UInt32 {
        if let index = indices[string] { return index }
        let index = UInt32(strings.count)
        strings.append(string)
        indices[string] = index
        return index
    }
}
