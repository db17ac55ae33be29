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

    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= buffer.count - count else { overflowed = true; return }
        guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
        (target + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    public mutating func write(_ text: StaticString) { text.withUTF8Buffer { write($0) } }

    public mutating func write(_ text: String) {
        // A native string lends its storage as it is; a small (inline) one has none to
        // lend and is copied through withUTF8.
        if text.utf8.withContiguousStorageIfAvailable({ write($0) }) != nil { return }
        var text = text
        text.withUTF8 { write($0) }
    }

    public mutating func write(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { write($0) } }

    public mutating func write(decimal value: Int64) { Digits.decimal(value) { write($0) } }

    public mutating func write(hex value: UInt64, digits: Int) { Digits.hex(value, digits: digits) { write($0) } }
}
