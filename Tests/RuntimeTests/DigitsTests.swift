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
}
