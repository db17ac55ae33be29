import Testing
@testable import Runtime

/// The scans both head parsers use, eight bytes at a time, against the
/// obvious byte-by-byte scan.
@Suite("Head scans")
struct HeadScanTests {
    static func naive(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        (start..<end).first { bytes[$0] == 13 || bytes[$0] == 10 }
    }

    @Test("the first CR or LF in a range, wherever it falls in a word, among bytes that nearly match (0x0C, 0x0E, 0x8D, 0x01...)")
    func agreesWithNaive() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [13, 10, 12, 14, 9, 11, 0, 1, 0x8D, 0x8A, 0xFF, 0x80, 0x7F, 0x20, 0x41, 0x61, 0x3A]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &generator)
            // Mostly bytes that are no line break, so matches land at every offset.
            let bytes = (0..<count).map { _ in Int.random(in: 0..<8, using: &generator) == 0 ? alphabet.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0x21...0x7E, using: &generator) }
            let start = Int.random(in: 0...count, using: &generator), end = Int.random(in: start...count, using: &generator)
            let found = bytes.withUnsafeBytes { HeadScan.first(in: $0, from: start, to: end) }
            #expect(found == Self.naive(bytes, start, end), "\(bytes) \(start)..<\(end)")
        }
    }

    @Test("nothing past the range's end is looked at as a match")
    func stopsAtEnd() {
        let bytes: [UInt8] = Array("abcdefgh\r\n".utf8)
        #expect(bytes.withUnsafeBytes { HeadScan.first(in: $0, from: 0, to: 8) } == nil)
        #expect(bytes.withUnsafeBytes { HeadScan.first(in: $0, from: 0, to: 9) } == 8)
        #expect(bytes.withUnsafeBytes { HeadScan.first(in: $0, from: 9, to: 10) } == 9)
    }
}

extension HeadScanTests {
    @Test("control characters in a value are found wherever they fall; tabs, spaces and UTF-8 bytes pass")
    func controls() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [9, 0, 1, 0x1F, 0x7F, 0x20, 0x80, 0xFF, 0x7E, 0x21, 0x9F, 0x41]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<count).map { _ in Int.random(in: 0..<10, using: &generator) == 0 ? alphabet.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0x20...0x7E, using: &generator) }
            let start = Int.random(in: 0...count, using: &generator), end = Int.random(in: start...count, using: &generator)
            let expected = (start..<end).contains { (bytes[$0] < 0x20 && bytes[$0] != 9) || bytes[$0] == 0x7F }
            #expect(bytes.withUnsafeBytes { HeadScan.containsControl(in: $0, from: start, to: end) } == expected, "\(bytes) \(start)..<\(end)")
        }
    }
}
