/// A few names and a value for each, bucketed by UTF-8 length: a lookup compares at
/// most the two or three names of that length, and a name of any other length costs
/// one load. Hashing a String (SipHash over its bytes) costs several times more for
/// the handful of names a gateway looks up per request: header names, role names.
struct NameTable<Value: Sendable>: Sendable {
    /// Per length, the names and their values' indices; read in place, so a lookup
    /// copies only the value it returns.
    private let buckets: [[(name: String, value: Int)]]
    private let values: [Value]

    /// The first entry of a name wins.
    init(_ entries: [(name: String, value: Value)]) {
        var buckets = Array(repeating: [(name: String, value: Int)](), count: (entries.map(\.name.utf8.count).max() ?? 0) + 1)
        var values: [Value] = []
        for entry in entries where !buckets[entry.name.utf8.count].contains(where: { $0.name == entry.name }) {
            buckets[entry.name.utf8.count].append((entry.name, values.count))
            values.append(entry.value)
        }
        self.buckets = buckets
        self.values = values
    }

    var isEmpty: Bool { values.isEmpty }

    subscript(name: String) -> Value? { position(of: name).map { values[$0] } }

    /// Where `name`'s value is, for reading it in place (`withValues`).
    func position(of name: String) -> Int? {
        let length = name.utf8.count
        guard length < buckets.count else { return nil }
        return buckets[length].withUnsafeBufferPointer { bucket in
            for index in bucket.indices where bucket[index].name == name { return bucket[index].value }
            return nil
        }
    }

    /// The values in place, by `position(of:)`: a value read this way is not copied
    /// out (nor its references counted), nor wrapped in an Optional.
    func withValues<Result>(_ body: (UnsafeBufferPointer<Value>) -> Result) -> Result { values.withUnsafeBufferPointer(body) }

    /// The value of `name` in any case, for names kept lower-case.
    subscript(bytes name: UnsafeRawBufferPointer) -> Value? {
        guard name.count < buckets.count else { return nil }
        return buckets[name.count].withUnsafeBufferPointer { bucket in
            for index in bucket.indices {
                var candidate = bucket[index].name
                if candidate.withUTF8({ ASCIICase.equal(name, $0) }) { return values[bucket[index].value] }
            }
            return nil
        }
    }
}

/// A set of names: header names the gateway drops or overrides.
typealias LengthTable = NameTable<Void>

extension NameTable where Value == Void {
    init(_ names: [String]) { self.init(names.map { (name: $0, value: ()) }) }

    func contains(_ name: String) -> Bool { self[name] != nil }

    /// Whether `name`, in any case, is one of the (lower-case) names.
    func contains(bytes name: UnsafeRawBufferPointer) -> Bool { self[bytes: name] != nil }
}
