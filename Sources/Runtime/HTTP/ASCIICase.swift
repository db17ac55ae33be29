/// ASCII case folding for the parts of HTTP that ignore case (field names, tokens
/// such as `chunked` or `close`; RFC 9110 5.1): one comparison for every caller.
enum ASCIICase {
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }

    /// `lower` on each byte of a word: bytes 0x41-0x5A get 0x20 added, others stay
    /// (the sums below stay within each byte, so no carry crosses into the next).
    static func lower(word x: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = x & (0x7F &* ones)
        let atLeastA = low7 &+ ((0x80 - 0x41) &* ones), aboveZ = low7 &+ ((0x80 - 0x5B) &* ones)
        let upper = atLeastA & ~aboveZ & ~x & (0x80 &* ones)
        return x | (upper >> 2)
    }

    /// Whether `a` and `b` are the same bytes up to ASCII case.
    static func equal<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        // Contiguous bytes (nearly every caller's) are compared by index: iterating two
        // generic collections in step costs several times more per byte.
        let contiguous = a.withContiguousStorageIfAvailable { a in b.withContiguousStorageIfAvailable { b in equal(bytes: a, b) } }
        if let contiguous, let result = contiguous { return result }
        return zip(a, b).allSatisfy { lower($0) == lower($1) }
    }

    /// The same for raw bytes, without the generic path (a slice of a raw buffer has no
    /// contiguous-storage shortcut, so the generic one measured each index distance).
    static func equal(raw a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        return equal(bytes: a.assumingMemoryBound(to: UInt8.self), b.assumingMemoryBound(to: UInt8.self))
    }

    private static func equal(bytes a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        // Eight bytes at a time, folded to lower case as words (a name in another case,
        // `Content-Length` against `content-length`, is the usual difference); the tail
        // byte by byte.
        if let x = a.baseAddress, let y = b.baseAddress {
            let (p, q) = (UnsafeRawPointer(x), UnsafeRawPointer(y))
            while start &+ 8 <= a.count {
                let left = p.loadUnaligned(fromByteOffset: start, as: UInt64.self), right = q.loadUnaligned(fromByteOffset: start, as: UInt64.self)
                if left != right && lower(word: left) != lower(word: right) { return false }
                start &+= 8
            }
        }
        for index in start..<a.count {
            let x = a[index], y = b[index]
            if x != y && lower(x) != lower(y) { return false }
        }
        return true
    }

    /// Whether `count` bytes at `a` and at `b` are the same, exactly (names already
    /// lower-case on both sides), compared eight at a time.
    static func same(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        while offset &+ 8 <= count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset &+= 8
        }
        while offset < count {
            guard a.load(fromByteOffset: offset, as: UInt8.self) == b.load(fromByteOffset: offset, as: UInt8.self) else { return false }
            offset &+= 1
        }
        return true
    }
}
