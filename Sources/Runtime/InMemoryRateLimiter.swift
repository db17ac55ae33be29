import Artifact
import Synchronization

/// Rate limits in process memory with GCRA (the generic cell rate algorithm): each
/// bucket is one timestamp, the theoretical arrival time of the next request, so
/// a check is O(1) and a bucket costs a few bytes. Idle buckets (whose time has
/// passed) are evicted when the table grows past `capacity`, so memory stays bounded.
public final class InMemoryRateLimiter: RateLimitStore {
    private struct BucketKey: Hashable {
        var limit: Int
        var key: String
    }

    private let state: Mutex<[BucketKey: Int64]>
    private let capacity: Int

    public init(capacity: Int = 100_000) {
        self.state = Mutex([:])
        self.capacity = capacity
    }

    public func take(_ limit: LimitEntry, index: Int, key: String, now: Int64) -> RateDecision {
        let key = BucketKey(limit: index, key: key)
        // Work in microseconds so rates like 1000/min have an exact interval.
        let interval = Int64(limit.periodMilliseconds) * 1_000 / Int64(limit.count)
        let tolerance = interval * Int64(limit.burst)
        let nowMicros = now * 1_000
        return state.withLock { buckets in
            let arrival = max(buckets[key] ?? nowMicros, nowMicros)
            let next = arrival + interval
            let allowAt = next - tolerance
            if nowMicros < allowAt {
                return RateDecision(allowed: false, remaining: 0, retryAfterMilliseconds: (allowAt - nowMicros + 999) / 1_000,
                                    resetMilliseconds: (arrival - nowMicros + 999) / 1_000)
            }
            if buckets.count >= capacity { buckets = buckets.filter { $0.value > nowMicros } }
            buckets[key] = next
            let remaining = Int((tolerance - (next - nowMicros)) / interval)
            return RateDecision(allowed: true, remaining: max(0, remaining), retryAfterMilliseconds: 0,
                                resetMilliseconds: (next - nowMicros + 999) / 1_000)
        }
    }
}
