import NIOCore

/// Flushes put off to the end of the event loop's current batch of I/O events, where
/// they go out together.
///
/// A relayed request wakes its peer (the backend for a request, the client for a
/// reply) with its write. Written the moment each is ready, a loop's writes come one
/// decision apart, and a peer that keeps up drains each and goes back to sleep: behind
/// the gateway, proxybench's backend slept once every six requests (behind nginx, once
/// every twenty-five), and each sleep and wake-up costs both sides microseconds in the
/// kernel. Flushed at the end of the batch, they come a write(2) apart and the peer
/// finds the next one ready. The cost: a message waits for the rest of its batch's
/// reads and decisions (a batch is what one epoll_wait returned: about 56 events, some
/// 200 µs of work, at 64 busy connections), and the loop runs one task per batch. An
/// idle loop's batch is one request, flushed as soon as it is decided.
final class FlushBatch {
    private let loop: EventLoop
    private var pending: [any DeferredFlush] = []
    private var scheduled = false

    init(loop: EventLoop) {
        self.loop = loop
    }

    /// Flushes `target` once the current batch of I/O events is handled.
    func add(_ target: any DeferredFlush) {
        pending.append(target)
        guard !scheduled else { return }
        scheduled = true
        // Tasks run after the loop has handled every ready event of this wake-up.
        loop.assumeIsolatedUnsafeUnchecked().execute { self.run() }
    }

    private func run() {
        var index = 0
        // A flush can add to the batch (a reply ending sends the next request): those
        // are flushed in this same pass.
        while index < pending.count {
            pending[index].flushDeferred()
            index += 1
        }
        pending.removeAll(keepingCapacity: true)
        scheduled = false
    }
}

/// A writer whose flush can wait for the end of the loop's batch.
protocol DeferredFlush: AnyObject {
    func flushDeferred()
}
