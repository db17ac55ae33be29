import Artifact

/// Rate limits in process memory with GCRA (the generic cell rate algorithm): each
/// bucket is one timestamp, the theoretical arrival time of the next request, so a
/// check is O(1) and a bucket costs a few bytes. Buckets live in shards by key hash
/// (threads on different keys rarely share a lock), each with a fixed capacity: when
/// a shard is full, idle buckets (whose time has passed, so they hold no state) are
/// dropped, and with them the busy one closest to idle. Memory is bounded whatever the
/// keys.
public final class InMemoryRateLimiter: RateLimitStore {
    /// A bucket's identity, hashed once: the shard is chosen by the hash's low bits and
    /// the slot in the shard's table (`BucketTable`) by its high ones.
    struct BucketKey: Sendable {
        let limit: Int
        let key: String
        let hash: Int

        init(limit: Int, key: String) {
            self.limit = limit
            self.key = key
            // The key through the process's seeded hash; the limit (never the client's
            // to choose) mixed in by a multiply, which spreads it over low and high bits.
            hash = key.hashValue ^ (limit &* -0x61C8_8646_80B5_83EB)
        }
    }

    private let shards: Shards<BucketTable>
    private let capacityPerShard: Int

    public init(capacity: Int = 100_000, shards: Int = 16) {
        self.shards = Shards(count: shards) { BucketTable() }
        self.capacityPerShard = max(1, capacity / max(1, shards))
    }

    /// Buckets held now, across shards.
    public var count: Int { shards.sum { $0.count } }

    public func take(_ limit: LimitEntry, index: Int, key: String, now: Int64) -> RateDecision {
        let bucket = BucketKey(limit: index, key: key)
        // Work in microseconds so rates like 1000/min have an exact interval.
        let interval = max(1, Int64(limit.periodMilliseconds) * 1_000 / Int64(max(1, limit.count)))
        let tolerance = interval * Int64(limit.burst)
        let nowMicros = now * 1_000
        let capacity = capacityPerShard
        return shards.withLock(hash: bucket.hash) { buckets in
            // One lookup finds the bucket; an existing one is updated in place.
            let found = buckets.slot(of: bucket)
            let arrival = max(found.map { buckets.value(at: $0) } ?? nowMicros, nowMicros)
            let next = arrival + interval
            let allowAt = next - tolerance
            if nowMicros < allowAt {
                return RateDecision(allowed: false, remaining: 0, retryAfterMilliseconds: (allowAt - nowMicros + 999) / 1_000,
                                    resetMilliseconds: (arrival - nowMicros + 999) / 1_000)
            }
            if let found {
                buckets.setValue(next, at: found)
            } else {
                if buckets.count >= capacity { buckets.evict(now: nowMicros) }
                buckets.insert(bucket, next)
            }
            let remaining = Int((tolerance - (next - nowMicros)) / interval)
            return RateDecision(allowed: true, remaining: max(0, remaining), retryAfterMilliseconds: 0,
                                resetMilliseconds: (next - nowMicros + 999) / 1_000)
        }
    }
}
