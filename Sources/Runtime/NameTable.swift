/// A few names and a value for each, bucketed by UTF-8 length: a lookup compares at
/// most the two or three names of that length, and a name of any other length costs
/// one load. Hashing a String (SipHash over its bytes) costs several times more for
/// the handful of names a gateway looks up per request: header names, role names.
struct NameTable<Value: Sendable>: Sendable {
    /// The names ordered by length (first entry of a name first), `starts[length]` the
    /// first of that length and `starts[length + 1]` the end; all in flat arrays read
    /// in place, so a lookup counts no references.
    private let names: [String]
    private let starts: [Int]
    /// Every name's bytes one after another, in `names`' order (`offsets`), for lookups
    /// by bytes without going through a String.
    private let bytes: [UInt8]
    private let offsets: [Int]
    private let values: [Value]

    /// The first entry of a name wins.
    init(_ entries: [(name: String, value: Value)]) {
        var unique: [(name: String, value: Value)] = []
        for entry in entries where !unique.contains(where: { $0.name == entry.name }) { unique.append(entry) }
        // Stable: among names of one length, the order they came in.
        let ordered = unique.enumerated().sorted { ($0.element.name.utf8.count, $0.offset) < ($1.element.name.utf8.count, $1.offset) }.map(\.element)
        let longest = ordered.last?.name.utf8.count ?? 0
        var starts = [Int](repeating: ordered.count, count: longest + 2)
        for (index, entry) in ordered.enumerated().reversed() { starts[entry.name.utf8.count] = index }
        for length in stride(from: longest, through: 0, by: -1) where starts[length] > starts[length + 1] { starts[length] = starts[length + 1] }
        var bytes: [UInt8] = [], offsets: [Int] = []
        for entry in ordered {
            offsets.append(bytes.count)
            bytes += Array(entry.name.utf8)
        }
        (self.names, self.starts, self.bytes, self.offsets, self.values) = (ordered.map(\.name), starts, bytes, offsets, ordered.map(\.value))
    }

    var isEmpty: Bool { values.isEmpty }

    subscript(name: String) -> Value? { position(of: name).map { values[$0] } }

    /// Where `name`'s value is, for reading it in place (`withValues`).
    func position(of name: String) -> Int? {
        let length = name.utf8.count
        guard length + 1 < starts.count else { return nil }
        let range = starts[length]..<starts[length + 1]
        if range.isEmpty { return nil }
        return names.withUnsafeBufferPointer { names in
            for index in range where names[index] == name { return index }
            return nil
        }
    }

    /// The values in place, by `position(of:)`: a value read this way is not copied
    /// out (nor its references counted), nor wrapped in an Optional.
    func withValues<Result>(_ body: (UnsafeBufferPointer<Value>) -> Result) -> Result { values.withUnsafeBufferPointer(body) }

    /// Where `name` (in any case) is, compared with the names' bytes in place.
    func position(ofBytes name: UnsafeRawBufferPointer) -> Int? {
        let length = name.count
        guard length + 1 < starts.count else { return nil }
        let range = starts[length]..<starts[length + 1]
        if range.isEmpty { return nil }
        return bytes.withUnsafeBytes { bytes in
            offsets.withUnsafeBufferPointer { offsets in
                for index in range where ASCIICase.equal(raw: name, UnsafeRawBufferPointer(rebasing: bytes[offsets[index]..<offsets[index] + length])) {
                    return index
                }
                return nil
            }
        }
    }

    /// Where the lower-case name at `range` of `source` is: exact bytes, compared in place.
    func position(ofLowercased source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        let length = range.count
        guard length + 1 < starts.count, let sourceBase = source.baseAddress else { return nil }
        let candidates = starts[length]..<starts[length + 1]
        if candidates.isEmpty { return nil }
        return bytes.withUnsafeBufferPointer { bytes in
            offsets.withUnsafeBufferPointer { offsets in
                guard let base = bytes.baseAddress else { return nil }
                for index in candidates where ASCIICase.same(base + offsets[index], sourceBase + range.lowerBound, count: length) { return index }
                return nil
            }
        }
    }
}

/// A set of names: header names the gateway drops or overrides.
typealias LengthTable = NameTable<Void>

extension NameTable where Value == Void {
    init(_ names: [String]) { self.init(names.map { (name: $0, value: ()) }) }

    func contains(_ name: String) -> Bool { position(of: name) != nil }

    /// Whether `name`, in any case, is one of the (lower-case) names.
    func contains(bytes name: UnsafeRawBufferPointer) -> Bool { position(ofBytes: name) != nil }

    /// Whether the lower-case name at `range` of `source` is one of the names.
    func contains(lowercased source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool { position(ofLowercased: source, range) != nil }
}
