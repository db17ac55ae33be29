import NIOCore

extension ByteBuffer {
    /// Writes through a `ByteWriter` straight into the buffer's memory: one call into
    /// ByteBuffer for a whole head, where every `write*` call checks capacity and
    /// uniqueness (about a hundred instructions each, a head has dozens). `capacity` is
    /// an estimate; should the bytes not fit, they are written again into twice the
    /// room (a head is bounded, so this ends).
    mutating func writeWithByteWriter(capacity: Int, _ write: (inout ByteWriter) -> Void) {
        var capacity = max(capacity, 64)
        while true {
            var fitted = false
            writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { free in
                var out = ByteWriter(free.bindMemory(to: UInt8.self))
                write(&out)
                fitted = !out.overflowed
                return fitted ? out.count : 0
            }
            if fitted { return }
            capacity *= 2
        }
    }
}
