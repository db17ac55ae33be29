import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// Random bytes from OpenSSL's DRBG, drawn 4 KiB at a time per thread and handed out
/// in pieces. Each RAND_bytes call takes the DRBG's lock, checks the process id (a
/// system call) and allocates, which costs more than the id it makes; a thread's own
/// pool needs none of it but once every 170 or so requests (24 bytes each). The bytes are as good as RAND_bytes': only the number of calls changes.
final class RandomPool {
    private static let size = 4_096
    private let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: RandomPool.size, alignment: 8)
    private var used = RandomPool.size

    deinit { bytes.deallocate() }

    /// Two words holding `count` (at most 16) fresh random bytes.
    func words(_ count: Int) -> (UInt64, UInt64) {
        let wanted = min(max(count, 0), 16)
        if used + wanted > Self.size { refill() }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { out in
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[used..<(used + wanted)]))
        }
        // Handed-out bytes are wiped, so a later memory disclosure cannot replay them.
        UnsafeMutableRawBufferPointer(rebasing: bytes[used..<(used + wanted)]).initializeMemory(as: UInt8.self, repeating: 0)
        used += wanted
        return words
    }

    private func refill() {
        guard let base = bytes.baseAddress, RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(Self.size)) == 1 else {
            var generator = SystemRandomNumberGenerator()
            for offset in stride(from: 0, to: Self.size, by: 8) { bytes.storeBytes(of: generator.next() as UInt64, toByteOffset: offset, as: UInt64.self) }
            used = 0
            return
        }
        used = 0
    }

    /// This thread's pool (made on first use, released when the thread ends).
    static var current: RandomPool {
        if let existing = pthread_getspecific(key) { return Unmanaged<RandomPool>.fromOpaque(existing).takeUnretainedValue() }
        let pool = RandomPool()
        pthread_setspecific(key, Unmanaged.passRetained(pool).toOpaque())
        return pool
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<RandomPool>.fromOpaque(pointer).release() }
        }
        return key
    }()
}
