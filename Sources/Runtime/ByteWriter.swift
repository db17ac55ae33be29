/// Writes bytes into memory it was given, never past its end: an overflow is
/// recorded (`overflowed`) and the caller retries with more room. For building a
/// message's gateway lines in one pass, where appending to an Array piece by piece
/// would check capacity and uniqueness for every few bytes.
public struct ByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    public private(set) var count = 0
    public private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// Bytes written into temporary (stack) memory, retried with twice the room until
    /// they fit (`capacity` is an estimate; heads are bounded, so this ends), then
    /// copied out at their exact size. Writing into `Array(unsafeUninitializedCapacity:)`
    /// instead costs a call into the standard library's unspecialized allocator, whose
    /// metadata lookup alone is some 370 instructions; a copy of a few hundred bytes
    /// into an array made by the specialized path costs a fraction of that.
    static func bytes(capacity: Int, _ write: (inout ByteWriter) -> Void) -> [UInt8] {
        var capacity = max(capacity, 64)
        while true {
            let bytes: [UInt8]? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                var writer = ByteWriter(buffer)
                write(&writer)
                return writer.overflowed ? nil : Array(UnsafeBufferPointer(rebasing: buffer[0..<writer.count]))
            }
            if let bytes { return bytes }
            capacity *= 2
        }
    }

    /// The bytes written since `start`, for changing them in place.
    mutating func withWritten(from start: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        body(UnsafeMutableBufferPointer(rebasing: buffer[start..<count]))
    }

    public mutating func write(_ byte: UInt8) {
        guard count < buffer.count else { overflowed = true; return }
        buffer[count] = byte
        count += 1
    }

    @inline(__always)
    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= buffer.count - count else { overflowed = true; return }
        guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
        (target + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Inlined, so a literal's bytes and length are constants at the call.
    @inline(__always)
    public mutating func write(_ text: StaticString) { text.withUTF8Buffer { write($0) } }

    /// Disfavoured so that a literal (`write("\r\n")`) takes the StaticString overload:
    /// a String made from a literal and written costs some seventy instructions, the
    /// static bytes a dozen.
    @_disfavoredOverload
    public mutating func write(_ text: String) {
        // Borrowed through `withCString`: a native string lends its storage (always
        // NUL-terminated) and a small one is copied to the stack. The mutating
        // `withUTF8` needed a copy of the string, so a retain and a release per write.
        let count = text.utf8.count
        text.withCString { start in
            start.withMemoryRebound(to: UInt8.self, capacity: count) { write(UnsafeBufferPointer(start: $0, count: count)) }
        }
    }

    public mutating func write(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { write($0) } }

    @inline(__always)
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        write(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    public mutating func write(decimal value: Int64) { Digits.decimal(value) { write($0) } }

    /// `digits` lower-case hex digits of `value`'s low bits (at most 16), written in
    /// place from the last digit back: a request id's 32 digits cost about a hundred
    /// instructions, where a call per digit cost four times that.
    public mutating func write(hex value: UInt64, digits: Int) {
        let digits = min(max(digits, 0), 16)
        guard digits <= buffer.count - count else { overflowed = true; return }
        // Ids are 16 and 8 digits: eight at a time.
        if digits == 16 || digits == 8, let base = buffer.baseAddress {
            let target = UnsafeMutableRawPointer(base + count)
            if digits == 16 {
                target.storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: value >> 32)).littleEndian, as: UInt64.self)
                target.storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: value)).littleEndian, toByteOffset: 8, as: UInt64.self)
            } else {
                target.storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: value)).littleEndian, as: UInt64.self)
            }
            count += digits
            return
        }
        var value = value
        var index = count + digits
        while index > count {
            index -= 1
            let nibble = UInt8(truncatingIfNeeded: value & 0xF)
            buffer[index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
            value >>= 4
        }
        count += digits
    }

    /// The eight lower-case hex digits of `value`, most significant first in memory
    /// order (as a little-endian word): each nibble spread to a byte, then '0' added,
    /// and 39 more where the nibble is 10 or above ('a' - '0' - 10).
    static func hexDigits(_ value: UInt32) -> UInt64 {
        var x = UInt64(value)
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        // Least significant nibble in the lowest byte now; the digits read the other way.
        x = x.byteSwapped
        let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        return x &+ 0x3030_3030_3030_3030 &+ letters &* 39
    }
}
