/// Finds where a chunked request body ends (RFC 9112 7.1) as its bytes stream
/// through, without copying them, and counts the data against the body limit. The
/// proxy forwards the bytes as they are; the scanner only has to agree with every
/// other parser on the framing, so anything ambiguous is refused.
public struct ChunkedBodyScanner: Sendable {
    public enum Step: Sendable, Equatable {
        /// Every byte given belongs to the body and more are needed.
        case needMore
        /// The body ends after `consumed` of the bytes given; the rest is the next request.
        case complete(consumed: Int)
        case invalid(ChunkedBodyError)
    }

    private enum State: Sendable {
        case sizeStart, sizeDigits, extensions, sizeLF, data, dataCR, dataLF, trailerStart, trailerLine, trailerLineLF, endLF, done
    }

    /// Data bytes seen so far (chunk payloads only).
    public private(set) var dataBytes = 0
    public let maxBodyBytes: Int
    /// Longest chunk-size line (extensions included) and longest trailer section.
    public let maxLineBytes: Int
    private var state = State.sizeStart
    private var size = 0
    private var lineBytes = 0

    public init(maxBodyBytes: Int, maxLineBytes: Int = 4_096) {
        self.maxBodyBytes = maxBodyBytes
        self.maxLineBytes = maxLineBytes
    }

    public mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Step {
        scan(bytes) { _ in }
    }

    /// Scans, reporting where chunk data lies in `bytes` (to re-frame it upstream).
    public mutating func scan(_ bytes: UnsafeRawBufferPointer, data: (Range<Int>) -> Void) -> Step {
        var index = 0
        while index < bytes.count {
            if state == .data {
                let take = min(size, bytes.count - index)
                if take > 0 { data(index..<(index + take)) }
                index += take
                size -= take
                if size == 0 { state = .dataCR }
                continue
            }
            if let error = step(bytes[index]) { return .invalid(error) }
            index += 1
            if state == .done { return .complete(consumed: index) }
        }
        return .needMore
    }

    /// One framing byte (everything but chunk data).
    private mutating func step(_ byte: UInt8) -> ChunkedBodyError? {
        switch state {
        case .sizeStart, .sizeDigits:
            if let digit = Self.hexValue(byte) {
                guard size <= (Int.max - 15) / 16 else { return .invalidChunkSize }
                size = size * 16 + digit
                state = .sizeDigits
                lineBytes += 1
                return lineBytes > maxLineBytes ? .lineTooLong : nil
            }
            guard state == .sizeDigits else { return .invalidChunkSize }
            return endOfSize(byte)
        case .extensions:
            lineBytes += 1
            if lineBytes > maxLineBytes { return .lineTooLong }
            if byte == .cr { state = .sizeLF; return nil }
            return (byte < 0x20 && byte != .tab) || byte == 0x7F ? .invalidChunkExtension : nil
        case .sizeLF:
            guard byte == .lf else { return .invalidLineEnding }
            lineBytes = 0
            if size == 0 {
                state = .trailerStart
                return nil
            }
            dataBytes += size
            if dataBytes > maxBodyBytes { return .bodyTooLarge }
            state = .data
            return nil
        case .data:
            return nil
        case .dataCR:
            guard byte == .cr else { return .invalidLineEnding }
            state = .dataLF
            return nil
        case .dataLF:
            guard byte == .lf else { return .invalidLineEnding }
            state = .sizeStart
            size = 0
            return nil
        case .trailerStart, .trailerLine:
            lineBytes += 1
            if lineBytes > maxLineBytes { return .lineTooLong }
            if byte == .cr {
                state = state == .trailerStart ? .endLF : .trailerLineLF
                return nil
            }
            if state == .trailerStart && (byte == .space || byte == .tab) { return .invalidTrailer }
            state = .trailerLine
            return byte == .lf || (byte < 0x20 && byte != .tab) || byte == 0x7F ? .invalidTrailer : nil
        case .trailerLineLF:
            guard byte == .lf else { return .invalidLineEnding }
            state = .trailerStart
            return nil
        case .endLF:
            guard byte == .lf else { return .invalidLineEnding }
            state = .done
            return nil
        case .done:
            return nil
        }
    }

    private mutating func endOfSize(_ byte: UInt8) -> ChunkedBodyError? {
        switch byte {
        case .cr: state = .sizeLF
        case UInt8(ascii: ";"), .space, .tab: state = .extensions
        case .lf: return .invalidLineEnding
        default: return .invalidChunkSize
        }
        lineBytes += 1
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}

/// Why a chunked body is refused: 413 past the body limit, 400 otherwise.
public enum ChunkedBodyError: Error, Sendable, Equatable {
    case invalidChunkSize, invalidChunkExtension, invalidLineEnding, invalidTrailer, lineTooLong, bodyTooLarge

    public var status: Int { self == .bodyTooLarge ? 413 : 400 }
}
