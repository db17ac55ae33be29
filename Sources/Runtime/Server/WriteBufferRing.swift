import NIOCore

/// Buffers for the loop's small writes (relayed request heads, reply heads with their
/// small bodies), used again once NIO has written them.
///
/// Under load a loop allocates a batch's buffers together and frees them together
/// when the batch's writes are flushed: some sixty at 64 busy connections, where
/// glibc's per-thread cache holds seven of a size, so most went through its locked
/// bins (and their consolidation): some 6% of the gateway's user time. Here a written
/// buffer stays in a slot of the ring; when the ring comes round to it, NIO has
/// long dropped its reference and `clear()` keeps the storage. A buffer NIO still
/// holds (a slow client's unwritten reply) is not touched: `clear()` gives the
/// taker new storage, as an allocation would have.
final class WriteBufferRing {
    /// Written buffers, oldest first from `first`: the oldest is the likeliest to be
    /// done with (a buffer is kept as it is written, and taken again some hundred
    /// writes later at 64 busy connections).
    private var slots: [ByteBuffer?]
    private var first = 0
    private var count = 0
    private let allocator: ByteBufferAllocator

    /// What a buffer gets at least: room for the usual head and a small body beside it,
    /// so one buffer fits any of the ring's uses. No more: from 1 KiB on, glibc takes its
    /// locked bins for every allocation (NIO rounds a capacity up to a power of two, so
    /// a 1.6 KiB ask is a 2 KiB chunk).
    static let smallBuffer = 1_024
    /// A buffer larger than this is not kept: a rare big head would otherwise hold its
    /// memory in the ring for good.
    static let largestKept = 4_096

    /// `slots` bounds what the ring holds: 256 buffers of usually 1 KiB (at most 4 KiB),
    /// a quarter MiB a loop.
    init(slots: Int = 256, allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        self.slots = Array(repeating: nil, count: max(1, slots))
        self.allocator = allocator
    }

    /// How many written buffers wait to be used again.
    var kept: Int { count }

    /// An empty buffer with room for `capacity` bytes: the oldest kept buffer (its
    /// storage reused if nothing else holds it any more), or a new one.
    func take(capacity: Int) -> ByteBuffer {
        let capacity = max(capacity, Self.smallBuffer)
        guard count > 0, var buffer = slots[first] else { return allocator.buffer(capacity: capacity) }
        // Out of the slot first: the ring's own reference would make the storage shared.
        slots[first] = nil
        first = first + 1 == slots.count ? 0 : first + 1
        count -= 1
        buffer.clear(minimumCapacity: capacity)
        return buffer
    }

    /// Keeps a buffer that is about to be written, for a later `take`. Call it after
    /// the last change to the buffer: a kept buffer is shared, and changing it copies.
    /// A full ring, or a large buffer, keeps nothing.
    func keep(_ buffer: ByteBuffer) {
        guard count < slots.count, buffer.capacity <= Self.largestKept else { return }
        let index = (first + count) % slots.count
        slots[index] = buffer
        count += 1
    }
}
