import COpenSSL

/// Verified tokens by SHA-256 digest, until they expire: a repeated token costs a
/// hash and a lookup, not a signature check. Only successes are stored, under the
/// digest (never the token), in shards with a fixed capacity, so memory is bounded
/// and threads rarely meet on one lock.
public final class TokenCache: Sendable {
    struct Digest: Hashable, Sendable {
        var a: UInt64, b: UInt64, c: UInt64, d: UInt64
    }

    struct Entry: Sendable {
        var principal: Principal
        /// Milliseconds since the epoch after which the entry is stale (the token's exp plus leeway).
        var expires: Int64
    }

    private let shards: Shards<[Digest: Entry]>
    private let capacityPerShard: Int

    /// A capacity of 0 turns caching off: every token is verified.
    public init(capacity: Int = 16_384, shards: Int = 16) {
        self.shards = Shards(count: shards) { [:] }
        self.capacityPerShard = capacity <= 0 ? 0 : max(1, capacity / max(1, shards))
    }

    /// SHA-256 on a stack context (`gateway_sha256`): a cached token's lookup
    /// allocates nothing.
    static func digest(_ token: UnsafeRawBufferPointer) -> Digest {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { out in
            gateway_sha256(token.baseAddress?.assumingMemoryBound(to: UInt8.self), token.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        return Digest(a: words.0, b: words.1, c: words.2, d: words.3)
    }

    func lookup(_ digest: Digest, now: Int64) -> Principal? {
        guard capacityPerShard > 0 else { return nil }
        return shards.withLock(hash: Int(truncatingIfNeeded: digest.a)) { entries in
            guard let entry = entries[digest] else { return nil }
            if entry.expires <= now {
                entries[digest] = nil
                return nil
            }
            return entry.principal
        }
    }

    func store(_ digest: Digest, _ principal: Principal, expires: Int64, now: Int64) {
        let capacity = capacityPerShard
        guard capacity > 0 else { return }
        shards.withLock(hash: Int(truncatingIfNeeded: digest.a)) { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                // Still full of live tokens: make room at random rather than grow.
                if entries.count >= capacity, let victim = entries.keys.randomElement() { entries[victim] = nil }
            }
            entries[digest] = Entry(principal: principal, expires: expires)
        }
    }

    /// Entries held now, across shards.
    public var count: Int { shards.sum { $0.count } }
}
