import Artifact
import Foundation
import Testing
@testable import Runtime

/// The in-memory GCRA store: exact under contention, bounded in memory, and the
/// strictest limit is the one a reply reports.
@Suite("Rate limiting")
struct RateLimiterTests {
    static let tenPerSecond = LimitEntry(count: 10, periodMilliseconds: 1_000, burst: 10, key: .principal, scope: "test")

    @Test("Two threads taking from one bucket at one instant get exactly the burst between them")
    func contention() async {
        let limiter = InMemoryRateLimiter()
        let limit = LimitEntry(count: 100, periodMilliseconds: 1_000, burst: 500, key: .principal, scope: "test")
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    (0..<1_000).reduce(0) { total, _ in total + (limiter.take(limit, index: 0, key: "k", now: 1_000).allowed ? 1 : 0) }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 500)
    }

    @Test("Memory stays bounded however many clients appear; idle buckets go first")
    func bounded() {
        let limiter = InMemoryRateLimiter(capacity: 1_000, shards: 4)
        for client in 0..<20_000 {
            _ = limiter.take(Self.tenPerSecond, index: 0, key: "client-\(client)", now: Int64(client))
        }
        #expect(limiter.count <= 1_000)
        // When every bucket is busy, the ones closest to idle go; the busiest client keeps its state.
        for _ in 0..<10 { _ = limiter.take(Self.tenPerSecond, index: 0, key: "busy", now: 50_000) }
        for client in 0..<5_000 { _ = limiter.take(Self.tenPerSecond, index: 0, key: "other-\(client)", now: 50_000) }
        #expect(!limiter.take(Self.tenPerSecond, index: 0, key: "busy", now: 50_000).allowed)
    }

    @Test("Buckets of different limits and keys never mix")
    func separation() {
        let limiter = InMemoryRateLimiter()
        let one = LimitEntry(count: 1, periodMilliseconds: 1_000, burst: 1, key: .principal, scope: "test")
        #expect(limiter.take(one, index: 0, key: "a", now: 0).allowed)
        #expect(!limiter.take(one, index: 0, key: "a", now: 0).allowed)
        #expect(limiter.take(one, index: 1, key: "a", now: 0).allowed)
        #expect(limiter.take(one, index: 0, key: "b", now: 0).allowed)
        #expect(limiter.take(one, index: 0, key: "a", now: 1_000).allowed)
    }

    @Test("Of two allowed limits, the one with fewer requests left is reported")
    func strictest() {
        let roomy = RateLimitState(limit: Self.tenPerSecond, decision: RateDecision(allowed: true, remaining: 9, retryAfterMilliseconds: 0, resetMilliseconds: 100))
        let tight = RateLimitState(limit: LimitEntry(count: 2, periodMilliseconds: 1_000, burst: 2, key: .apiKey, scope: "test"),
                                   decision: RateDecision(allowed: true, remaining: 1, retryAfterMilliseconds: 0, resetMilliseconds: 500))
        #expect(tight.isStricter(than: roomy) && !roomy.isStricter(than: tight))
        #expect(tight.headers.map(\.value) == ["2;w=1;burst=2", "limit=2, remaining=1, reset=1"])
    }
}

/// A shard's table of buckets: found again after it grows and after it is rebuilt,
/// whatever the order their hashes put them in.
@Suite("Rate-limit bucket tables")
struct BucketTableTests {
    typealias Key = InMemoryRateLimiter.BucketKey

    @Test("every bucket is found again as the table doubles, and none is found that was not put in")
    func growth() {
        var table = BucketTable()
        let keys = (0..<5_000).map { Key(limit: $0 % 3, key: "client-\($0)") }
        for (index, key) in keys.enumerated() {
            #expect(table.slot(of: key) == nil)
            table.insert(key, Int64(index))
        }
        #expect(table.count == 5_000)
        #expect(keys.enumerated().allSatisfy { index, key in table.slot(of: key).map { table.value(at: $0) } == Int64(index) })
        #expect(table.slot(of: Key(limit: 3, key: "client-0")) == nil && table.slot(of: Key(limit: 0, key: "client-1")) == nil)
    }

    @Test("eviction drops the idle buckets and the busy one closest to idle, and keeps the rest findable")
    func eviction() {
        var table = BucketTable()
        for index in 0..<100 { table.insert(Key(limit: 0, key: "k\(index)"), Int64(index)) }
        table.evict(now: 49)
        #expect(table.count == 49)
        #expect(table.slot(of: Key(limit: 0, key: "k49")) == nil && table.slot(of: Key(limit: 0, key: "k50")) == nil)
        #expect((51..<100).allSatisfy { table.slot(of: Key(limit: 0, key: "k\($0)")).map { table.value(at: $0) } == Int64($0) })
        let slot = table.slot(of: Key(limit: 0, key: "k99"))
        if let slot { table.setValue(7, at: slot) }
        #expect(table.slot(of: Key(limit: 0, key: "k99")).map { table.value(at: $0) } == 7)
    }
}
