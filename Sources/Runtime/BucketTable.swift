/// One rate-limiter shard's buckets: an open-addressing table (linear probing over a
/// power-of-two array) keyed by each bucket's hash, computed once by `BucketKey`. A
/// lookup hashes nothing: the dictionary it replaced ran the key's hash through a
/// `Hasher` a second time on every request, for each of its limits. The slot is chosen
/// by the hash's high bits (the shard was chosen by its low ones). Buckets leave only
/// when the table is rebuilt (`evict`), so there are no tombstones.
struct BucketTable: Sendable {
    /// A bucket's hash per slot, never 0 in a used slot (0 marks an empty one).
    private var hashes: [Int] = []
    private var limits: [Int] = []
    private var keys: [String] = []
    private var values: [Int64] = []
    private(set) var count = 0

    /// Where `key`'s bucket is, if it has one.
    func slot(of key: InMemoryRateLimiter.BucketKey) -> Int? {
        guard !hashes.isEmpty else { return nil }
        let hash = Self.stored(key.hash), mask = hashes.count - 1
        return hashes.withUnsafeBufferPointer { hashes in
            var slot = Self.start(hash, mask)
            while hashes[slot] != 0 {
                if hashes[slot] == hash, limits[slot] == key.limit, keys[slot] == key.key { return slot }
                slot = (slot &+ 1) & mask
            }
            return nil
        }
    }

    /// The theoretical arrival time kept in `slot`.
    func value(at slot: Int) -> Int64 { values[slot] }

    mutating func setValue(_ value: Int64, at slot: Int) { values[slot] = value }

    /// A new bucket (the caller checked it has none); the table doubles past seven
    /// eighths full (a shard's default 6,250 buckets fit in 8,192 slots).
    mutating func insert(_ key: InMemoryRateLimiter.BucketKey, _ value: Int64) {
        if (count + 1) * 8 > hashes.count * 7 { resize(to: max(16, hashes.count * 2)) }
        place(Self.stored(key.hash), key.limit, key.key, value)
        count += 1
    }

    /// Makes room: buckets whose time has passed hold no state and go, and so does the
    /// busy one closest to idle (the smallest time).
    mutating func evict(now: Int64) {
        var kept = (0..<hashes.count).filter { hashes[$0] != 0 && values[$0] > now }
        if let oldest = kept.min(by: { values[$0] < values[$1] }) { kept.removeAll { $0 == oldest } }
        let entries = kept.map { (hashes[$0], limits[$0], keys[$0], values[$0]) }
        clear(capacity: hashes.count)
        for (hash, limit, key, value) in entries { place(hash, limit, key, value) }
        count = entries.count
    }

    private mutating func resize(to capacity: Int) {
        let entries = (0..<hashes.count).filter { hashes[$0] != 0 }.map { (hashes[$0], limits[$0], keys[$0], values[$0]) }
        clear(capacity: capacity)
        for (hash, limit, key, value) in entries { place(hash, limit, key, value) }
    }

    private mutating func clear(capacity: Int) {
        hashes = Array(repeating: 0, count: capacity)
        limits = Array(repeating: 0, count: capacity)
        keys = Array(repeating: "", count: capacity)
        values = Array(repeating: 0, count: capacity)
    }

    private mutating func place(_ hash: Int, _ limit: Int, _ key: String, _ value: Int64) {
        let mask = hashes.count - 1
        var slot = Self.start(hash, mask)
        while hashes[slot] != 0 { slot = (slot &+ 1) & mask }
        (hashes[slot], limits[slot], keys[slot], values[slot]) = (hash, limit, key, value)
    }

    private static func stored(_ hash: Int) -> Int { hash == 0 ? 1 : hash }

    private static func start(_ hash: Int, _ mask: Int) -> Int { Int(truncatingIfNeeded: UInt(bitPattern: hash) >> 32) & mask }
}
