import Testing
@testable import Runtime

/// Where a chunked body ends, whatever the read boundaries, and which framings are refused.
@Suite("Scanning chunked bodies")
struct ChunkedBodyScannerTests {
    static func scan(_ text: String, limit: Int = 1_000, split: Int? = nil) -> (ChunkedBodyScanner.Step, Int) {
        var scanner = ChunkedBodyScanner(maxBodyBytes: limit, maxLineBytes: 64)
        let bytes = Array(text.utf8)
        let pieces = split.map { size in stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) } } ?? [bytes]
        var offset = 0
        for piece in pieces {
            let step = piece.withUnsafeBytes { scanner.scan($0) }
            switch step {
            case .needMore: offset += piece.count
            case .complete(let consumed): return (.complete(consumed: offset + consumed), scanner.dataBytes)
            case .invalid: return (step, scanner.dataBytes)
            }
        }
        return (.needMore, scanner.dataBytes)
    }

    static let body = "5\r\nhello\r\n1A;name=\"v\"\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 1\r\n\r\n"

    @Test("The end is found at the same byte however the body is split into reads")
    func boundaries() {
        let expected = Self.body.utf8.count
        for size in 1...Self.body.utf8.count {
            let (step, data) = Self.scan(Self.body + "GET / HTTP/1.1\r\n", split: size)
            #expect(step == .complete(consumed: expected), "reads of \(size) bytes")
            #expect(data == 31)
        }
    }

    @Test("Partial bodies need more", arguments: ["", "5", "5\r\nhel", "5\r\nhello\r\n", "0\r\n", "0\r\nX: 1\r\n"])
    func partial(text: String) {
        #expect(Self.scan(text).0 == .needMore)
    }

    @Test("Ambiguous framings are refused", arguments: [
        ("0x5\r\nhello\r\n0\r\n\r\n", ChunkedBodyError.invalidChunkSize),
        (" 5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("-5\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("\r\nhello\r\n0\r\n\r\n", .invalidChunkSize),
        ("FFFFFFFFFFFFFFFFFF\r\n", .invalidChunkSize),
        ("5\nhello\r\n0\r\n\r\n", .invalidLineEnding),
        ("5\r\nhelloX\r\n0\r\n\r\n", .invalidLineEnding),
        ("5\r\nhello\n0\r\n\r\n", .invalidLineEnding),
        ("5;a\u{0}b\r\nhello\r\n0\r\n\r\n", .invalidChunkExtension),
        ("0\r\n folded\r\n\r\n", .invalidTrailer),
        ("0\r\nX: a\nY: b\r\n\r\n", .invalidTrailer),
        ("0\r\n\r\r", .invalidLineEnding),
    ])
    func refused(text: String, error: ChunkedBodyError) {
        #expect(Self.scan(text).0 == .invalid(error))
    }

    @Test("The body limit counts data, not framing, and is 413")
    func limit() {
        #expect(Self.scan("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", limit: 10).0 == .complete(consumed: 25))
        #expect(Self.scan("5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n", limit: 10).0 == .invalid(.bodyTooLarge))
        #expect(ChunkedBodyError.bodyTooLarge.status == 413 && ChunkedBodyError.invalidChunkSize.status == 400)
        #expect(Self.scan("5;" + String(repeating: "x", count: 100) + "\r\n").0 == .invalid(.lineTooLong))
    }
}
