import NIOCore
import NIOPosix
import Testing
@testable import Runtime

/// Flushes put off to the end of an event loop's batch of events: nothing goes out
/// while the batch is being handled, everything goes out once, in order, right after.
@Suite("Flush batch")
struct FlushBatchTests {
    /// Records when it was flushed, and can do more as it is (add another writer).
    final class Writer: DeferredFlush {
        let name: String
        let log: Log
        var then: (() -> Void)?
        init(_ name: String, log: Log) {
            self.name = name
            self.log = log
        }
        func flushDeferred() {
            log.entries.append(name)
            then?()
        }
    }

    final class Log { var entries: [String] = [] }

    /// Runs `body` as one task on a real event loop; `body` returns what it saw while
    /// it ran, and the log is read again by a task queued after it: what the batch did
    /// once the loop moved on.
    private func onLoop(_ body: @escaping @Sendable (FlushBatch, Log, EventLoop) -> [String]) throws -> (during: [String], after: [String]) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let after = loop.makePromise(of: [String].self)
        let during = try loop.submit { () -> [String] in
            let batch = FlushBatch(loop: loop), log = Log()
            let seen = body(batch, log, loop)
            loop.assumeIsolated().execute { after.succeed(log.entries) }
            return seen
        }.wait()
        return (during, try after.futureResult.wait())
    }

    @Test("Nothing is flushed while the batch runs; each writer once, in order, after it")
    func flushesAtTheEnd() throws {
        let result = try onLoop { batch, log, _ in
            batch.add(Writer("upstream", log: log))
            batch.add(Writer("client", log: log))
            return log.entries
        }
        #expect(result.during.isEmpty)
        #expect(result.after == ["upstream", "client"])
    }

    @Test("A writer added by a flush (a reply that sends the next request) goes out in the same pass")
    func addedDuringTheFlush() throws {
        let result = try onLoop { batch, log, _ in
            let reply = Writer("reply", log: log)
            reply.then = { batch.add(Writer("next request", log: log)) }
            batch.add(reply)
            return log.entries
        }
        #expect(result.after == ["reply", "next request"])
    }

    @Test("Each later batch is flushed too: the batch schedules itself again once it has run")
    func laterBatches() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let done = loop.makePromise(of: [String].self)
        loop.execute {
            let batch = FlushBatch(loop: loop), log = Log()
            // Each round's writer is added by a task queued behind the previous round's flush.
            func round(_ number: Int) {
                guard number <= 3 else { return done.succeed(log.entries) }
                batch.add(Writer("round \(number)", log: log))
                loop.assumeIsolated().execute { round(number + 1) }
            }
            round(1)
        }
        #expect(try done.futureResult.wait() == ["round 1", "round 2", "round 3"])
    }
}
