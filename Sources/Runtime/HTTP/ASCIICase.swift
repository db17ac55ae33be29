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
        var start = 0
        // Eight bytes at a time while they are the same exactly (the usual case: the
        // same name in the same case); the rest, and any difference, byte by byte.
        if let x = a.baseAddress, let y = b.baseAddress {
            let (p, q) = (UnsafeRawPointer(x), UnsafeRawPointer(y))
            while start &+ 8 <= a.count, p.loadUnaligned(fromByteOffset: start, as: UInt64.self) == q.loadUnaligned(fromByteOffset: start, as: UInt64.self) {
                start &+= 8
            }
        }
        for index in start..<a.count {
            let x = a[index], y = b[index]
            if x != y && lower(x) != lower(y) { return false }
        }
        return true
    }
}
