/// ASCII case folding for the parts of HTTP that ignore case (field names, tokens
/// such as `chunked` or `close`; RFC 9110 5.1): one comparison for every caller.
enum ASCIICase {
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }

    /// Whether `a` and `b` are the same bytes up to ASCII case.
    static func equal<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        // Contiguous bytes (nearly every caller's) are compared by index: iterating two
        // generic collections in step costs several times more per byte.
        let contiguous = a.withContiguousStorageIfAvailable { a in b.withContiguousStorageIfAvailable { b in equal(bytes: a, b) } }
        if let contiguous, let result = contiguous { return result }
        return zip(a, b).allSatisfy { lower($0) == lower($1) }
    }

    private static func equal(bytes a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<a.count {
            let x = a[index], y = b[index]
            if x != y && lower(x) != lower(y) { return false }
        }
        return true
    }
}
