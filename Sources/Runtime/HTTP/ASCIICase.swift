/// ASCII case folding for the parts of HTTP that ignore case (field names, tokens
/// such as `chunked` or `close`; RFC 9110 5.1): one comparison for every caller.
enum ASCIICase {
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }

    /// Whether `a` and `b` are the same bytes up to ASCII case.
    static func equal<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool where A.Element == UInt8, B.Element == UInt8 {
        a.count == b.count && zip(a, b).allSatisfy { lower($0) == lower($1) }
    }
}
