import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Rate limits shared through a real Redis (`gatewayd --rate-limit-store`): several
/// instances enforce one limit, and when Redis goes away each limit fails open or
/// closed as the spec says, then recovers on its own when Redis is back.
@Suite("Shared rate limits on Redis", .serialized)
struct SharedLimitsTests {
    /// A throwaway redis-server on its own port, no persistence.
    final class Redis {
        let port: Int
        var process: Child

        init(port: Int = freePort()) throws {
            self.port = port
            process = try Self.start(port)
        }

        static func start(_ port: Int) throws -> Child {
            let process = try Child(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["redis-server", "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            guard waitForPort(port) else { throw GatewaydTests.SetupError("redis-server did not start (is it installed? .ci/run installs it)") }
            return process
        }

        func restart() throws { process = try Self.start(port) }

        deinit { process.kill() }
    }

    func statuses(_ setup: GatewaydTests.Setup, _ path: String, count: Int) throws -> [Int] {
        try (0..<count).map { _ in try setup.get(path).status }
    }

    @Test("Two gatewayd instances share one limit: 5 a minute across both, the sixth refused wherever it lands")
    func twoInstances() throws {
        let redis = try Redis()
        let store = ["--rate-limit-store", "redis://127.0.0.1:\(redis.port)"]
        let first = try GatewaydTests.Setup(extra: store)
        let second = try GatewaydTests.Setup(extra: store)
        #expect(try statuses(first, "/limited/open", count: 3) == [200, 200, 200])
        #expect(try statuses(second, "/limited/open", count: 2) == [200, 200])
        let refused = try second.get("/limited/open")
        #expect(refused.status == 429)
        #expect(refused.headers["retry-after"] != nil && refused.headers["ratelimit"]?.contains("remaining=0") == true)
        #expect(try first.get("/limited/open").status == 429)
        // Another limit's buckets are its own.
        #expect(try first.get("/limited/closed").status == 200)
    }

    @Test("Redis killed: open limits count per instance, closed ones refuse; Redis back: shared again, without a restart")
    func redisOutage() throws {
        let redis = try Redis()
        let setup = try GatewaydTests.Setup(extra: ["--rate-limit-store", "redis://127.0.0.1:\(redis.port)"])
        #expect(try setup.get("/limited/closed").status == 200)
        redis.process.kill()
        let closed = try setup.get("/limited/closed")
        #expect(closed.status == 429 && closed.headers["retry-after"] == "1")
        #expect(try statuses(setup, "/limited/open", count: 5) == [200, 200, 200, 200, 200])
        #expect(try setup.get("/limited/open").status == 429, "the instance's own buckets still hold the limit")
        #expect(eventually { setup.gateway.log.contains("rate-limit store unreachable") })
        #expect(metric(setup, "gateway_ratelimit_store_up").flatMap(Double.init) == 0)
        try redis.restart()
        #expect(eventually(seconds: 10) { (try? setup.get("/limited/closed").status) == 200 })
        #expect(eventually { setup.gateway.log.contains("reachable; limits are shared again") })
        #expect(metric(setup, "gateway_ratelimit_store_up").flatMap(Double.init) == 1)
        #expect(metric(setup, "gateway_ratelimit_store_failures_total").flatMap(Double.init) == 1)
    }

    @Test("A store address that is not redis://host:port is a usage error naming the flag, and is not echoed (it may hold a password)")
    func badAddress() throws {
        let artifact = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UInt32.random(in: 0...UInt32.max)).gwc").path
        defer { try? FileManager.default.removeItem(atPath: artifact) }
        let compile = try Child(Paths.binary("gateway"), ["compile", "Tests/EndToEnd/spec", "-o", artifact])
        #expect(compile.waitForExit(seconds: 60) == 0)
        for bad in ["redis://user:secret@cache:6379", "cache", "redis://cache:99999"] {
            let gateway = try Child(Paths.binary("gatewayd"), ["--artifact", artifact, "--port", "\(freePort())", "--no-admin", "--rate-limit-store", bad])
            #expect(gateway.waitForExit(seconds: 10) == 64, "\(bad)")
            #expect(gateway.log.contains("--rate-limit-store takes redis://host:port"), "\(gateway.log)")
            #expect(!gateway.log.contains("secret"), "the address is not echoed: it may hold a password")
        }
    }

    func metric(_ setup: GatewaydTests.Setup, _ name: String) -> String? {
        guard let admin = RawConnection(port: setup.adminPort) else { return nil }
        admin.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        let body = admin.readResponses(1).first?.body ?? ""
        return body.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count + 1)) }
    }
}
