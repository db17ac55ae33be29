import Dispatch
import Synchronization
import Testing
@testable import Runtime

/// Request and trace ids: lower-case hex of the asked length, and never repeated,
/// whichever thread draws them (each thread has its own pool of OpenSSL's bytes).
@Suite("Random identifiers")
struct RandomIdentifiersTests {
    @Test("ids have the asked length in lower-case hex, and 20,000 from four threads are all distinct")
    func distinct() {
        let seen = Mutex(Set<String>())
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let identifiers = RandomIdentifiers()
            var mine: [String] = []
            for index in 0..<5_000 { mine.append(index % 2 == 0 ? identifiers.requestID() : identifiers.hex(bytes: 8)) }
            seen.withLock { $0.formUnion(mine) }
        }
        #expect(seen.withLock { $0.count } == 20_000)
        let id = RandomIdentifiers().requestID()
        #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(RandomIdentifiers().hex(bytes: 8).count == 16)
    }

    @Test("a pool hands out each byte once: consecutive draws differ and a refill follows an empty pool")
    func pool() {
        let pool = RandomPool()
        var draws = Set<[UInt64]>()
        for _ in 0..<200 {
            let words = pool.words(16)
            draws.insert([words.0, words.1])
        }
        #expect(draws.count == 200, "1 KiB per refill: 200 draws of 16 bytes cross three refills")
        let short = pool.words(4)
        #expect(short.1 == 0 && short.0 >> 32 == 0, "only the asked bytes are filled")
    }
}
