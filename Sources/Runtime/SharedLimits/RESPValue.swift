/// A Redis reply (RESP2): what the rate-limit store reads back from its script.
public indirect enum RESPValue: Sendable, Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    /// nil: the null bulk string.
    case bulk([UInt8]?)
    /// nil: the null array.
    case array([RESPValue]?)

    /// A command as RESP sends it: an array of bulk strings.
    public static func command(_ parts: [String]) -> [UInt8] {
        var out: [UInt8] = Array("*\(parts.count)\r\n".utf8)
        for part in parts {
            out += Array("$\(part.utf8.count)\r\n".utf8)
            out += Array(part.utf8)
            out += [0x0D, 0x0A]
        }
        return out
    }
}

/// Reads RESP2 replies from bytes as they arrive. A reply split across reads is
/// `incomplete` until the rest comes; anything malformed, nested deeper than
/// `maxDepth` or larger than `maxBulkBytes` is `invalid`, and the connection is
/// dropped rather than trusted again.
public struct RESPParser: Sendable {
    public var maxBulkBytes = 1 << 20
    public var maxDepth = 8
    public var maxElements = 4_096

    public enum Result: Sendable, Equatable {
        case value(RESPValue, consumed: Int)
        case incomplete
        case invalid(String)
    }

    public init() {}

    public func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        var cursor = 0
        do {
            guard let value = try value(bytes, &cursor, depth: 0) else { return .incomplete }
            return .value(value, consumed: cursor)
        } catch {
            return .invalid(error.reason)
        }
    }

    struct Malformed: Error { var reason: String }

    private func value(_ bytes: UnsafeRawBufferPointer, _ cursor: inout Int, depth: Int) throws(Malformed) -> RESPValue? {
        guard depth <= maxDepth else { throw Malformed(reason: "a reply nested deeper than \(maxDepth)") }
        guard cursor < bytes.count else { return nil }
        let kind = bytes[cursor]
        guard let line = try line(bytes, from: cursor + 1) else { return nil }
        let text = String(decoding: bytes[line.range], as: UTF8.self)
        switch kind {
        case UInt8(ascii: "+"):
            cursor = line.next
            return .simple(text)
        case UInt8(ascii: "-"):
            cursor = line.next
            return .error(text)
        case UInt8(ascii: ":"):
            guard let number = Int64(text) else { throw Malformed(reason: "an integer reply that is not a number") }
            cursor = line.next
            return .integer(number)
        case UInt8(ascii: "$"):
            guard let length = Int(text), length >= -1, length <= maxBulkBytes else { throw Malformed(reason: "a bulk length out of range") }
            if length == -1 {
                cursor = line.next
                return .bulk(nil)
            }
            guard bytes.count >= line.next + length + 2 else { return nil }
            guard bytes[line.next + length] == 0x0D, bytes[line.next + length + 1] == 0x0A else { throw Malformed(reason: "a bulk string without its CRLF") }
            let body = Array(bytes[line.next..<(line.next + length)])
            cursor = line.next + length + 2
            return .bulk(body)
        case UInt8(ascii: "*"):
            guard let count = Int(text), count >= -1, count <= maxElements else { throw Malformed(reason: "an array length out of range") }
            if count == -1 {
                cursor = line.next
                return .array(nil)
            }
            var position = line.next
            var items: [RESPValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count {
                guard let item = try value(bytes, &position, depth: depth + 1) else { return nil }
                items.append(item)
            }
            cursor = position
            return .array(items)
        default:
            throw Malformed(reason: "an unknown reply type")
        }
    }

    /// The line starting at `start`, up to its CRLF; nil until the CRLF has arrived.
    private func line(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(Malformed) -> (range: Range<Int>, next: Int)? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0x0D {
                guard bytes[index + 1] == 0x0A else { throw Malformed(reason: "a CR without LF") }
                return (start..<index, index + 2)
            }
            guard index - start < 512 else { throw Malformed(reason: "a reply line longer than 512 bytes") }
            index += 1
        }
        return nil
    }
}
