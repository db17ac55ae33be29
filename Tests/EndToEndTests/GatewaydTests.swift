import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// gatewayd end to end on loopback: a real backend (Tests/EndToEnd/backend.py), the
/// real binary, and raw sockets for the client, so every byte is the test's choice.
@Suite("gatewayd end to end", .serialized)
struct GatewaydTests {
    /// One gatewayd in front of one echo backend, both stopped when the test ends.
    final class Setup {
        let backendPort = freePort()
        let port = freePort()
        let adminPort = freePort()
        let artifact: String
        var backend: Child
        let gateway: Child

        /// A second backend, when the test asks for two endpoints.
        var second: Child?
        let secondPort = freePort()

        init(spec: String = "Tests/EndToEnd/spec", twoBackends: Bool = false, extra: [String] = []) throws {
            artifact = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UInt32.random(in: 0...UInt32.max)).gwc").path
            let compile = try Child(Paths.binary("gateway"), ["compile", spec, "-o", artifact])
            guard compile.waitForExit(seconds: 60) == 0 else { throw SetupError("compile failed: \(compile.log)") }
            backend = try Self.startBackend(port: backendPort)
            var upstreams = ["--upstream", "echo=127.0.0.1:\(backendPort)"]
            if twoBackends {
                second = try Self.startBackend(port: secondPort)
                upstreams += ["--upstream", "echo=127.0.0.1:\(secondPort)"]
            }
            gateway = try Child(Paths.binary("gatewayd"), ["--artifact", artifact, "--port", "\(port)", "--drain-seconds", "5",
                                                          "--admin-port", "\(adminPort)"] + upstreams + extra, capturingOutput: true)
            guard waitForPort(port) else { throw SetupError("gatewayd did not start: \(gateway.log)") }
        }

        static func startBackend(port: Int, name: String = "echo") throws -> Child {
            let backend = try Child(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "Tests/EndToEnd/backend.py", "\(port)", name])
            guard waitForPort(port) else { throw SetupError("the backend did not start") }
            return backend
        }

        func request(_ text: String, responses: Int = 1, seconds: Double = 5) throws -> [HTTPReply] {
            guard let connection = RawConnection(port: port) else { throw SetupError("cannot connect") }
            connection.send(text)
            return connection.readResponses(responses, seconds: seconds)
        }

        func get(_ path: String, headers: String = "") throws -> HTTPReply {
            guard let reply = try request("GET \(path) HTTP/1.1\r\nHost: e2e.test\r\n\(headers)\r\n").first else { throw SetupError("no reply for \(path)") }
            return reply
        }

        deinit {
            gateway.stop()
            backend.kill()
            second?.kill()
            try? FileManager.default.removeItem(atPath: artifact)
        }
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test("A request reaches the backend normalized and stripped, and the reply comes back with the gateway's headers")
    func proxies() throws {
        let setup = try Setup()
        let reply = try setup.get("/echo/a/./b/../quotes?x=1", headers: "X-User-Id: admin\r\nX-Roles: admin\r\nConnection: close\r\n")
        #expect(reply.status == 200)
        let echoed = try #require(reply.json)
        #expect(echoed["path"] as? String == "/a/quotes?x=1")
        let headers = try #require(echoed["headers"] as? [String: String])
        #expect(headers["x-user-id"] == nil && headers["x-roles"] == nil)
        #expect(headers["x-forwarded-for"] == "127.0.0.1" && headers["x-request-id"] == reply.headers["x-request-id"])
        #expect(reply.headers["x-content-type-options"] == "nosniff")
    }

    @Test("A reply's hop-by-hop lines stay behind (the fixed ones and those its Connection names); its other lines come through as sent")
    func replyHopByHop() throws {
        let setup = try Setup()
        let reply = try setup.get("/echo/hop")
        #expect(reply.status == 200 && reply.body == "ok")
        #expect(reply.headers["x-kept"] == "as sent")
        #expect(reply.headers["x-hop-secret"] == nil && reply.headers["keep-alive"] == nil)
        #expect(reply.headers["x-request-id"] != nil && reply.headers["x-request-id"] != "made-upstream")
        let again = try setup.get("/echo/hop")
        #expect(again.status == 200 && again.headers["x-kept"] == "as sent")
    }

    @Test("An enveloped route wraps the upstream's JSON body (whole or chunked) and frames it with its new length; the connection stays usable")
    func envelope() throws {
        let setup = try Setup()
        let replies = try setup.request("GET /wrapped/a HTTP/1.1\r\nHost: e\r\nX-Request-Id: env-1\r\n\r\n"
                                        + "GET /wrapped/chunked-json HTTP/1.1\r\nHost: e\r\n\r\n", responses: 2)
        try #require(replies.count == 2)
        for reply in replies {
            #expect(reply.status == 200 && reply.headers["transfer-encoding"] == nil)
            #expect(reply.headers["content-length"] == String(reply.body.utf8.count))
            #expect(reply.headers["x-content-type-options"] == "nosniff")
        }
        let first = try #require(replies[0].json)
        #expect((first["data"] as? [String: Any])?["path"] as? String == "/a")
        let meta = try #require(first["meta"] as? [String: Any])
        #expect(meta["request_id"] as? String == "env-1" && meta["timestamp"] is NSNumber)
        let second = try #require(replies[1].json)
        #expect((second["data"] as? [String: Any])?["pieces"] as? [Int] == [1, 2])
        #expect((second["meta"] as? [String: Any])?["request_id"] as? String == replies[1].headers["x-request-id"])
    }

    @Test("X-Forwarded-For is believed only from a trusted proxy, and then the client is its rightmost untrusted hop")
    func forwardedFor() throws {
        let untrusted = try Setup()
        let spoofed = try untrusted.get("/echo/x", headers: "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n")
        let headers = try #require(spoofed.json?["headers"] as? [String: String])
        #expect(headers["x-forwarded-for"] == "127.0.0.1" && headers["x-forwarded-proto"] == "http")
        let trusted = try Setup(extra: ["--trusted-proxy", "127.0.0.0/8"])
        let relayed = try trusted.get("/echo/x", headers: "X-Forwarded-For: 1.2.3.4, 203.0.113.9\r\nX-Forwarded-Proto: https\r\n")
        let seen = try #require(relayed.json?["headers"] as? [String: String])
        #expect(seen["x-forwarded-for"] == "203.0.113.9" && seen["x-forwarded-proto"] == "https")
    }

    @Test("Bodies go through: Content-Length as sent, chunked re-framed; a chunked reply is relayed chunked")
    func bodies() throws {
        let setup = try Setup()
        let plain = try setup.request("POST /echo/orders HTTP/1.1\r\nHost: e\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"qty\":100}")
        #expect(plain.first?.json?["body_bytes"] as? Int == 11)
        let chunked = try setup.request("POST /echo/orders HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        #expect(chunked.first?.json?["body_bytes"] as? Int == 11)
        let stream = try setup.get("/stream")
        #expect(stream.status == 200 && stream.body == "one two three" && stream.headers["transfer-encoding"] == "chunked")
    }

    @Test("A client that does not read holds up the upstream instead of filling gatewayd's memory")
    func backpressure() throws {
        let setup = try Setup()
        func rss() -> Int {
            let status = (try? String(contentsOfFile: "/proc/\(setup.gateway.process.processIdentifier)/status", encoding: .utf8)) ?? ""
            return status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        }
        let before = rss()
        let connection = try #require(RawConnection(port: setup.port))
        let size = 96 << 20
        connection.send("GET /echo/big?bytes=\(size) HTTP/1.1\r\nHost: e\r\n\r\n")
        usleep(1_500_000)
        let stalled = rss()
        // 96 MiB on offer, and the client has read nothing: gatewayd holds a few socket buffers' worth.
        #expect(stalled - before < 24 << 10, "RSS grew from \(before) to \(stalled) KiB")
        var received = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let deadline = Date().addingTimeInterval(30)
        while received < size && Date() < deadline {
            let count = connection.receive(into: &buffer)
            if count <= 0 { break }
            received += count
        }
        #expect(received > size)
    }

    @Test("Expect: 100-continue is answered by the gateway once it decides to forward, and not passed upstream")
    func expectContinue() throws {
        let setup = try Setup()
        let connection = try #require(RawConnection(port: setup.port))
        connection.send("POST /echo/orders HTTP/1.1\r\nHost: e\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = connection.receive(into: &buffer)
        #expect(count > 0 && String(decoding: buffer[0..<max(0, count)], as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        connection.send("hello")
        let reply = try #require(connection.readResponses(1).first)
        #expect(reply.status == 200 && reply.json?["body_bytes"] as? Int == 5)
        #expect((reply.json?["headers"] as? [String: String])?["expect"] == nil)
    }

    @Test("Keep-alive: pipelined requests on one connection are answered in order")
    func keepAlive() throws {
        let setup = try Setup()
        let replies = try setup.request("GET /echo/1 HTTP/1.1\r\nHost: e\r\n\r\nGET /version HTTP/1.1\r\nHost: e\r\n\r\nGET /echo/3 HTTP/1.1\r\nHost: e\r\n\r\n", responses: 3)
        #expect(replies.map(\.status) == [200, 200, 200])
        #expect(replies.first?.json?["path"] as? String == "/1" && replies.last?.json?["path"] as? String == "/3")
        #expect(replies[1].body == "{\"version\":1}")
    }

    @Test("Smuggling shapes, oversized heads and bodies get their status and a closed connection")
    func refusals() throws {
        let setup = try Setup()
        let smuggled = try setup.request("POST /echo/x HTTP/1.1\r\nHost: e\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /echo/y HTTP/1.1\r\nHost: e\r\n\r\n", responses: 2)
        #expect(smuggled.map(\.status) == [400])
        #expect(smuggled.first?.headers["connection"] == "close" && smuggled.first?.headers["content-type"] == "application/problem+json")
        let large = try setup.get("/echo/x", headers: "X-Big: \(String(repeating: "a", count: 5_000))\r\n")
        #expect(large.status == 431)
        let body = try setup.request("POST /echo/x HTTP/1.1\r\nHost: e\r\nContent-Length: 100000\r\n\r\n")
        #expect(body.first?.status == 413)
        let chunks = try setup.request("POST /echo/x HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "1000\r\n" + String(repeating: "z", count: 4_096) + "\r\n", count: 20))
        #expect(chunks.first?.status == 413)
    }

    @Test("A slow-loris client is cut off with 408 after the header timeout")
    func slowLoris() throws {
        let setup = try Setup()
        let connection = try #require(RawConnection(port: setup.port))
        connection.send("GET /echo/x HTTP/1.1\r\nHost: e\r\n")
        let start = Date()
        connection.send("X-Slow: 1\r\n")
        let reply = connection.readAll(seconds: 4)
        let elapsed = Date().timeIntervalSince(start)
        #expect(reply.hasPrefix("HTTP/1.1 408"))
        // The spec's header-timeout is 1 s; a loaded machine may take a little longer to say so.
        #expect(elapsed > 0.8 && elapsed < 4)
    }

    @Test("A dead backend is a 502 problem; a slow one a 504; traffic recovers when the backend returns")
    func upstreamFailures() throws {
        let setup = try Setup()
        #expect(try setup.get("/echo/up").status == 200)
        setup.backend.kill()
        let down = try setup.get("/echo/down")
        #expect(down.status == 502 && down.headers["content-type"] == "application/problem+json")
        setup.backend = try Setup.startBackend(port: setup.backendPort)
        #expect(try setup.get("/echo/back").status == 200)
        let slow = try setup.get("/slow")
        #expect(slow.status == 504)
        #expect(try setup.get("/echo/after").status == 200)
    }

    @Test("With two endpoints, a killed one costs idempotent requests nothing: they are retried on the other, and it is ejected")
    func retries() throws {
        let setup = try Setup(twoBackends: true)
        #expect(try (0..<4).map { _ in try setup.get("/echo/warm").status } == [200, 200, 200, 200])
        setup.backend.kill()
        let statuses = try (0..<12).map { _ in try setup.get("/echo/while-down").status }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        // Requests with a body are not replayed: sent to the dead endpoint they would fail,
        // but after five failures it is ejected and the live one takes everything.
        let posts = try (0..<6).map { _ in
            try setup.request("POST /echo/orders HTTP/1.1\r\nHost: e\r\nContent-Length: 2\r\n\r\n{}").first?.status ?? 0
        }
        #expect(posts.allSatisfy { $0 == 200 }, "\(posts)")
    }

    @Test("Active health checks take a dead endpoint out without any traffic, and bring it back")
    func activeHealthChecks() throws {
        let setup = try Setup(twoBackends: true)
        func gauge(_ port: Int) throws -> String? {
            let admin = try #require(RawConnection(port: setup.adminPort))
            admin.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
            let body = admin.readResponses(1).first?.body ?? ""
            return body.split(separator: "\n").first { $0.hasPrefix("gateway_upstream_healthy") && $0.contains(":\(port)\"") }.map { String($0.split(separator: " ").last ?? "") }
        }
        #expect(try eventually { try gauge(setup.backendPort) == "1.0" })
        setup.backend.kill()
        #expect(try eventually { try gauge(setup.backendPort) == "0.0" })
        #expect(try gauge(setup.secondPort) == "1.0")
        setup.backend = try Setup.startBackend(port: setup.backendPort)
        #expect(try eventually { try gauge(setup.backendPort) == "1.0" })
    }

    @Test("An endpoint that hangs costs a timeout, then the request is retried on the other (retry on: timeout)")
    func retryOnTimeout() throws {
        let setup = try Setup(twoBackends: true)
        setup.backend.kill()
        setup.backend = try Setup.startBackend(port: setup.backendPort, name: "blackhole")
        for _ in 0..<4 {
            let start = Date()
            let reply = try setup.get("/quick/x")
            #expect(reply.status == 200 && Date().timeIntervalSince(start) < 2)
        }
    }

    @Test("SIGTERM lets an in-flight request finish, then gatewayd exits 0")
    func gracefulShutdown() throws {
        let setup = try Setup()
        let connection = try #require(RawConnection(port: setup.port))
        connection.send("GET /echo/slow HTTP/1.1\r\nHost: e\r\n\r\n")
        usleep(200_000)
        setup.gateway.signal(SIGTERM)
        let replies = connection.readResponses(1, seconds: 5)
        #expect(replies.first?.status == 200)
        #expect(setup.gateway.waitForExit(seconds: 8) == 0)
        #expect(RawConnection(port: setup.port) == nil)
    }

    @Test("SIGHUP swaps in a new artifact; a broken one is refused and the old one keeps serving")
    func reload() throws {
        let setup = try Setup()
        #expect(try setup.get("/version").body == "{\"version\":1}")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-spec-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = try String(contentsOf: Paths.root.appendingPathComponent("Tests/EndToEnd/spec/gateway.yaml"), encoding: .utf8)
        try spec.replacingOccurrences(of: "version: 1", with: "version: 2").write(to: folder.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8)
        let compile = try Child(Paths.binary("gateway"), ["compile", folder.path, "-o", setup.artifact])
        #expect(compile.waitForExit(seconds: 60) == 0)
        setup.gateway.signal(SIGHUP)
        #expect(try eventually { try setup.get("/version").body == "{\"version\":2}" })
        try Data("not an artifact".utf8).write(to: URL(fileURLWithPath: setup.artifact))
        setup.gateway.signal(SIGHUP)
        #expect(eventually { setup.gateway.log.contains("reload refused, keeping the running artifact") })
        #expect(try setup.get("/version").body == "{\"version\":2}")
        guard let admin = RawConnection(port: setup.adminPort) else { throw SetupError("no admin listener") }
        admin.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(admin.readResponses(1).first?.body.contains("gateway_artifact_reload_failures_total 1") == true)
    }

    @Test("The admin listener: metrics that promtool accepts, health, readiness, routes; and a JSON access log line per request")
    func observability() throws {
        let setup = try Setup()
        #expect(try setup.get("/echo/a?token=secret").status == 200)
        #expect(try setup.get("/nowhere").status == 404)
        guard let admin = RawConnection(port: setup.adminPort) else { throw SetupError("no admin listener") }
        admin.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        let metrics = try #require(admin.readResponses(1).first)
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"gateway_requests_total{route="GET /echo/{rest...}",status="200"} 1"#))
        #expect(metrics.body.contains(#"gateway_requests_total{route="-",status="404"} 1"#))
        #expect(metrics.body.contains("gateway_request_duration_seconds_bucket") && metrics.body.contains("gateway_artifact_info{sha256="))
        #expect(metrics.body.contains(#"gateway_upstream_healthy{service="echo",endpoint="127.0.0.1:\#(setup.backendPort)"} 1"#))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UInt32.random(in: 0...UInt32.max)).txt")
            try Data(metrics.body.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let check = try Child(URL(fileURLWithPath: "/bin/sh"), ["-c", "promtool check metrics < \(file.path)"])
            #expect(check.waitForExit(seconds: 30) == 0, "promtool: \(check.log)")
        }
        for (path, status) in [("/healthz", 200), ("/readyz", 200)] {
            let connection = try #require(RawConnection(port: setup.adminPort))
            connection.send("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(connection.readResponses(1).first?.status == status, "\(path)")
        }
        let routes = try #require(RawConnection(port: setup.adminPort))
        routes.send("GET /admin/routes HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(routes.readResponses(1).first?.body.contains(#""route":"GET /slow""#) == true)
        #expect(eventually { setup.gateway.output.contains("/echo/a") })
        let log = setup.gateway.output
        let line = try #require(log.split(separator: "\n").first { $0.contains("/echo/a") })
        let entry = try #require((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])
        #expect(entry["status"] as? Int == 200 && entry["route"] as? String == "GET /echo/{rest...}" && entry["path"] as? String == "/echo/a")
        #expect(entry["upstream"] as? String == "127.0.0.1:\(setup.backendPort)" && !log.contains("secret"))
    }

    @Test("Hot reloads under load fail no request; --watch picks up a replaced artifact")
    func reloadUnderLoad() throws {
        let setup = try Setup(extra: ["--watch"])
        let results = LoadResults()
        let done = DispatchSemaphore(value: 0)
        let port = setup.port
        DispatchQueue.global().async {
            let stop = Date().addingTimeInterval(3)
            while Date() < stop {
                // Keep-alive connections, a few requests each, so reloads land mid-connection too.
                guard let connection = RawConnection(port: port) else { results.add(0); continue }
                connection.send(String(repeating: "GET /echo/load HTTP/1.1\r\nHost: e\r\n\r\n", count: 5))
                let statuses = connection.readResponses(5).map(\.status)
                for status in statuses { results.add(status) }
                if statuses.count < 5 { results.add(0) }
            }
            done.signal()
        }
        let spec = try String(contentsOf: Paths.root.appendingPathComponent("Tests/EndToEnd/spec/gateway.yaml"), encoding: .utf8)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-reload-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for version in 2...6 {
            try spec.replacingOccurrences(of: "version: 1", with: "version: \(version)").write(to: folder.appendingPathComponent("gateway.yaml"), atomically: true, encoding: .utf8)
            let next = folder.appendingPathComponent("next.gwc").path
            let compile = try Child(Paths.binary("gateway"), ["compile", folder.path, "-o", next])
            #expect(compile.waitForExit(seconds: 60) == 0)
            // Replaced atomically (rename), as a deployment would: --watch reloads it.
            #expect(rename(next, setup.artifact) == 0)
            usleep(450_000)
        }
        done.wait()
        #expect(results.failures == 0, "\(results.failures) of \(results.count) requests failed")
        #expect(results.count > 50)
        #expect(try eventually { try setup.get("/version").body == "{\"version\":6}" })
        // The watcher looks once a second, so replacements close together coalesce into one reload.
        #expect(setup.gateway.log.components(separatedBy: "gatewayd: reloaded").count - 1 >= 2)
    }

    @Test("A bad artifact is refused at boot with one line and status 1")
    func badArtifact() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UInt32.random(in: 0...UInt32.max)).gwc").path
        try Data("GWARTIFA garbage".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let gateway = try Child(Paths.binary("gatewayd"), ["--artifact", path, "--port", "\(freePort())", "--no-admin"])
        #expect(gateway.waitForExit(seconds: 10) == 1)
        let lines = gateway.log.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("gatewayd: refusing \(path): ") == true)
    }
}

/// Polls `condition` until it holds or `seconds` pass (timing on a shared CI machine varies).
func eventually(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}

/// Counts statuses from a load thread.
final class LoadResults: @unchecked Sendable {
    // @unchecked: guarded by the lock.
    private let lock = NSLock()
    private var statuses: [Int] = []
    func add(_ status: Int) { lock.lock(); statuses.append(status); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return statuses.count }
    var failures: Int { lock.lock(); defer { lock.unlock() }; return statuses.filter { $0 != 200 }.count }
}

/// Record mode: live traffic through `gateway serve --record` becomes golden cases
/// that `gateway test` replays and passes.
@Suite("Record mode", .serialized)
struct RecordModeTests {
    @Test("Recorded exchanges replay green, and hold no credentials")
    func roundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("recorded-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let backendPort = freePort(), port = freePort()
        let backend = try GatewaydTests.Setup.startBackend(port: backendPort)
        defer { backend.kill() }
        let serve = try Child(Paths.binary("gateway"), ["serve", "Tests/EndToEnd/spec", "--port", "\(port)", "--upstream", "echo=127.0.0.1:\(backendPort)",
                                                         "--record", folder.path])
        guard waitForPort(port) else { throw GatewaydTests.SetupError("serve did not start: \(serve.log)") }
        for request in ["GET /echo/quotes HTTP/1.1\r\nHost: e\r\nAuthorization: Bearer not-a-secret-to-keep\r\n\r\n",
                        "POST /echo/orders HTTP/1.1\r\nHost: e\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                        "GET /version HTTP/1.1\r\nHost: e\r\n\r\n", "GET /nowhere HTTP/1.1\r\nHost: e\r\n\r\n"] {
            let connection = try #require(RawConnection(port: port))
            connection.send(request)
            _ = connection.readResponses(1)
        }
        serve.stop()
        let recorded = try String(contentsOf: folder.appendingPathComponent("cases/recorded.yaml"), encoding: .utf8)
        #expect(!recorded.contains("not-a-secret-to-keep") && recorded.contains("1-get--echo-quotes"))
        let test = try Child(Paths.binary("gateway"), ["test", "--specs", "Tests/EndToEnd/spec", "--golden", folder.path], capturingOutput: true)
        #expect(test.waitForExit(seconds: 60) == 0, "\(test.output)\(test.log)")
        #expect(test.output.contains("4 passed, 0 failed"))
    }
}

/// The README's main command answers its own sample requests.
@Suite("gateway demo")
struct DemoTests {
    @Test("demo --check serves the example specs with mock backends and gets the expected answers")
    func check() throws {
        let demo = try Child(Paths.binary("gateway"), ["demo", "--check", "--port", "0"])
        #expect(demo.waitForExit(seconds: 60) == 0, "\(demo.log)")
    }
}
