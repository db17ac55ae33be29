import NIOCore
import Testing
@testable import Runtime

/// The loop's written buffers, used again: a buffer nobody else holds is handed out
/// again with its storage, oldest first; one still held is never written into.
@Suite("Write buffer ring")
struct WriteBufferRingTests {
    /// Where a buffer's bytes live (it is written one byte so that it has some).
    private func address(_ buffer: inout ByteBuffer) -> UInt {
        if buffer.readableBytes == 0 { buffer.writeInteger(UInt8(1)) }
        return buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
    }

    @Test("an empty ring gives a new buffer with room for a head and a small body")
    func emptyRingAllocates() {
        let ring = WriteBufferRing(slots: 4)
        #expect(ring.take(capacity: 10).capacity >= WriteBufferRing.smallBuffer)
        #expect(ring.take(capacity: 3_000).capacity >= 3_000)
    }

    @Test("a written buffer nobody holds any more comes back empty, its storage reused")
    func reusesReleasedStorage() {
        let ring = WriteBufferRing(slots: 4)
        var buffer = ring.take(capacity: 100)
        buffer.writeString("HTTP/1.1 200 OK\r\n")
        let storage = address(&buffer)
        ring.keep(buffer)
        buffer = ByteBuffer()  // the write is done: only the ring holds it
        var again = ring.take(capacity: 100)
        #expect(again.readableBytes == 0)
        #expect(address(&again) == storage)
        #expect(ring.kept == 0)
    }

    @Test("a buffer still held (a write not yet done) is left alone: the taker gets new storage")
    func neverWritesIntoAHeldBuffer() {
        let ring = WriteBufferRing(slots: 4)
        var pending = ring.take(capacity: 100)
        pending.writeString("still queued")
        ring.keep(pending)
        var taken = ring.take(capacity: 100)
        taken.writeString("next reply")
        #expect(address(&taken) != address(&pending))
        #expect(pending.getString(at: pending.readerIndex, length: pending.readableBytes) == "still queued")
    }

    @Test("the oldest written buffer is taken first")
    func oldestFirst() {
        let ring = WriteBufferRing(slots: 4)
        var first = ring.take(capacity: 10), second = ring.take(capacity: 10)
        let (a, b) = (address(&first), address(&second))
        ring.keep(first)
        ring.keep(second)
        first = ByteBuffer()
        second = ByteBuffer()
        var x = ring.take(capacity: 10), y = ring.take(capacity: 10)
        #expect(address(&x) == a)
        #expect(address(&y) == b)
    }

    @Test("a full ring, or a large buffer, keeps nothing: the ring's memory is bounded")
    func bounded() {
        let ring = WriteBufferRing(slots: 2)
        let written = (0..<5).map { _ in ring.take(capacity: 10) }
        for buffer in written { ring.keep(buffer) }
        #expect(ring.kept == 2)
        let other = WriteBufferRing(slots: 2)
        other.keep(other.take(capacity: WriteBufferRing.largestKept + 1))
        #expect(other.kept == 0)
    }
}
