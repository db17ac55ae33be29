import Testing
@testable import Runtime

/// Numbers written as ASCII for header values and JSON (timestamps, limits, lengths).
@Suite("Digits")
struct DigitsTests {
    static func decimal(_ value: Int64) -> String {
        var bytes: [UInt8] = []
        Digits.decimal(value) { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("Decimals match Swift's own formatting, at the edges too",
          arguments: [0, 7, 9, 10, 99, 100, 101, 999, 1_000, 12_345, 100_001, 1_767_614_400_000, -1, -10, Int64.max, Int64.min, Int64.min + 1])
    func decimal(value: Int64) {
        #expect(Self.decimal(value) == String(value))
    }

    @Test("Lengths parse from 1 to 18 ASCII digits, nothing else")
    func parse() {
        #expect(Digits.parse(Array("0".utf8)) == 0)
        #expect(Digits.parse(Array("123456789012345678".utf8)) == 123_456_789_012_345_678)
        #expect(Digits.parse(Array("1234567890123456789".utf8)) == nil)
        #expect(Digits.parse(Array("".utf8)) == nil)
        #expect(Digits.parse(Array("+1".utf8)) == nil)
        #expect(Digits.parse(Array("1 ".utf8)) == nil)
    }

    @Test("Hex digits match Swift's own formatting, zero-padded to the width asked, and never past the end",
          arguments: [(UInt64(0), 1), (0, 16), (0xA, 1), (0xDEADBEEF, 8), (0x0123_4567_89AB_CDEF, 16), (UInt64.max, 16), (0xABC, 2), (0x1F, 4)])
    func hex(value: UInt64, digits: Int) {
        let written = ByteWriter.bytes(capacity: 16) { $0.write(hex: value, digits: digits) }
        let expected = String(String(value, radix: 16).suffix(digits))
        #expect(String(decoding: written, as: UTF8.self) == String(repeating: "0", count: digits - expected.count) + expected)
        let cut = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { room in
            var out = ByteWriter(room)
            out.write(hex: value, digits: 8)
            return (out.count, out.overflowed)
        }
        #expect(cut == (0, true), "eight digits do not fit in four bytes: nothing is written and the overflow is recorded")
    }

    @Test("Eight and sixteen hex digits (ids, written a word at a time) match Swift's formatting for random values")
    func hexWords() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let value = UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator)
            for digits in [8, 16] {
                let written = ByteWriter.bytes(capacity: 16) { $0.write(hex: value, digits: digits) }
                let text = String(value, radix: 16)
                let expected = String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
                #expect(String(decoding: written, as: UTF8.self) == expected)
            }
        }
    }
}
