/// Header lines already serialized as `name: value\r\n`: what the gateway adds to a
/// message, built in one buffer that the server copies onto the wire as it is.
/// Names are lower-case tokens (the gateway's own and the artifact's, checked by the
/// compiler). Values are written without control characters: a CR, LF or NUL that
/// reached a value (a token claim, a key's owner) becomes a space, so no value can
/// start a header line of its own.
public struct HeaderBlock: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    init(bytes: [UInt8]) { self.bytes = bytes }

    init(_ headers: [Header]) {
        bytes = ByteWriter.bytes(capacity: headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }) { out in
            for header in headers { out.writeLine(name: header.name, value: header.value) }
        }
    }

    /// Lines written in one pass into one buffer; `capacity` is an estimate.
    static func build(capacity: Int, _ write: (inout ByteWriter) -> Void) -> HeaderBlock {
        HeaderBlock(bytes: ByteWriter.bytes(capacity: capacity, write))
    }

    public var isEmpty: Bool { bytes.isEmpty }

    /// The same lines without those named in `names` (a route overriding a header
    /// the gateway adds: rare, so it costs a parse).
    func removing(_ names: LengthTable) -> HeaderBlock {
        HeaderBlock(headers.filter { !names.contains($0.name) })
    }

    /// The lines as headers: for the harness, record mode and tests, not the hot path.
    public var headers: [Header] {
        var headers: [Header] = []
        var lineStart = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "\r") && bytes[index + 1] == UInt8(ascii: "\n") {
                let line = bytes[lineStart..<index]
                if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                    let name = String(decoding: bytes[lineStart..<colon], as: UTF8.self)
                    let value = String(decoding: bytes[min(colon + 2, index)..<index], as: UTF8.self)
                    headers.append(Header(lowercased: name, value))
                }
                index += 2
                lineStart = index
                continue
            }
            index += 1
        }
        return headers
    }
}

extension ByteWriter {
    // `prefix` is the line's name with its ": " (`"x-request-id: "`), one copy
    // instead of two: a decision writes some twenty lines.

    @inline(__always)
    mutating func writeLine(_ prefix: StaticString, _ value: String) {
        write(prefix)
        writeValue { $0.write(value) }
    }

    /// A line whose value the gateway made itself (ids, numbers, its own names): it
    /// has no control characters, so it is not scanned for them.
    @inline(__always)
    mutating func writeLine(_ prefix: StaticString, own value: String) {
        write(prefix)
        write(value)
        write("\r\n")
    }

    @inline(__always)
    mutating func writeLine(_ prefix: StaticString, own value: (inout ByteWriter) -> Void) {
        write(prefix)
        value(&self)
        write("\r\n")
    }

    mutating func writeLine(name: String, value: String) {
        write(name)
        write(": ")
        writeValue { $0.write(value) }
    }

    /// A line whose value is bytes from elsewhere (a request header's, as the head keeps them).
    mutating func writeLine(_ prefix: StaticString, bytes value: UnsafeBufferPointer<UInt8>) {
        write(prefix)
        writeValue { $0.write(value) }
    }

    /// A line whose value is written by `value` (numbers, ids) without a String between.
    mutating func writeLine(_ prefix: StaticString, value: (inout ByteWriter) -> Void) {
        write(prefix)
        writeValue(value)
    }

    mutating func write(_ block: HeaderBlock) { write(block.bytes) }

    private mutating func writeValue(_ value: (inout ByteWriter) -> Void) {
        let start = count
        value(&self)
        // No control character may end the line early and start another.
        withWritten(from: start) { text in
            for index in text.indices where (text[index] < 0x20 && text[index] != 0x09) || text[index] == 0x7F { text[index] = UInt8(ascii: " ") }
        }
        write("\r\n")
    }
}
