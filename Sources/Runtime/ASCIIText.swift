/// Builds short ASCII header values straight into a String's storage: one
/// allocation at most (none up to 15 bytes), where interpolation formats through
/// several intermediate buffers.
struct ASCIIText {
    private var bytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private(set) var count = 0
    /// What fits; longer input is cut here (header values built this way are far shorter).
    static let capacity = 128

    mutating func append(_ byte: UInt8) {
        guard count < Self.capacity else { return }
        withUnsafeMutableBytes(of: &bytes) { $0[count] = byte }
        count += 1
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { append(byte) } }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { for byte in $0 { append(byte) } }
    }

    mutating func append<Bytes: Sequence>(bytes text: Bytes) where Bytes.Element == UInt8 {
        for byte in text { append(byte) }
    }

    mutating func append(decimal value: Int64) { Digits.decimal(value) { for byte in $0 { append(byte) } } }

    mutating func append(decimal value: Int) { append(decimal: Int64(value)) }

    var string: String {
        var copy = bytes
        let count = count
        return withUnsafeBytes(of: &copy) { raw in
            String(unsafeUninitializedCapacity: count) { out in
                _ = out.initialize(from: raw[0..<count])
                return count
            }
        }
    }
}

/// Numbers as ASCII digits, one byte at a time to `emit`: for `ASCIIText` and
/// `ByteWriter`, which write into different storage.
enum Digits {
    /// A decimal of 1 to 18 ASCII digits and nothing else (a length, a count); nil otherwise.
    static func parse<Bytes: Collection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// The decimal digits of `value` (with a `-` when negative), handed over as one
    /// buffer so a writer copies them at once rather than a byte per call.
    @discardableResult
    static func decimal<Result>(_ value: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Least significant digit first, into a stack buffer (19 digits and a sign at
        // most); division by a constant compiles to a multiplication.
        var magnitude = value.magnitude
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remainder)
                magnitude = quotient
            } while magnitude > 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
