import NIOCore

/// One event loop's connection to the rate-limit Redis, with the script loaded.
/// While Redis is unreachable, requests do not wait for it: the client is `down` for
/// a backoff, and a timer reconnects when the backoff ends.
final class RedisLimitClient {
    enum Outcome: Sendable {
        case success([RateDecision])
        case failure(String)
    }

    private let loop: EventLoop
    private let host: String
    private let port: Int
    private let onReconnect: (Bool, String) -> Void
    private var connection: RedisConnection?
    private var sha: String?
    private var connecting: EventLoopFuture<Void>.Isolated?
    private var downUntil: NIODeadline?
    private var backoff: TimeAmount = .milliseconds(100)
    private var reconnectTimer: Scheduled<Void>?

    init(loop: EventLoop, host: String, port: Int, onReconnect: @escaping (Bool, String) -> Void) {
        self.loop = loop
        self.host = host
        self.port = port
        self.onReconnect = onReconnect
    }

    func run(_ takes: [LimitTake], timeout: TimeAmount, prefix: String) -> EventLoopFuture<Outcome>.Isolated {
        let isolated = loop.assumeIsolated()
        if let downUntil, NIODeadline.now() < downUntil {
            return isolated.makeSucceededFuture(Outcome.failure("Redis at \(host):\(port) is unreachable")).assumeIsolated()
        }
        return ready(timeout: timeout).flatMap { () -> EventLoopFuture<Outcome> in
            guard let connection = self.connection, let sha = self.sha else {
                return isolated.makeSucceededFuture(Outcome.failure("no connection to Redis at \(self.host):\(self.port)"))
            }
            return connection.send(RedisLimitScript.command(sha: sha, takes: takes, prefix: prefix), timeout: timeout).map { reply in
                if case .error(let message) = reply { return self.failed("Redis refused the limit script: \(message.prefix(120))") }
                guard let decisions = RedisLimitScript.decisions(reply, count: takes.count) else { return self.failed("Redis sent an unexpected reply") }
                self.backoff = .milliseconds(100)
                return .success(decisions)
            }.nonisolated()
        }.flatMapErrorThrowing { error in
            self.failed("Redis at \(self.host):\(self.port): \(Self.describe(error))")
        }
    }

    /// Opens the connection and loads the script, unless both are done.
    func connectIfNeeded(timeout: TimeAmount) {
        _ = ready(timeout: timeout).flatMapErrorThrowing { error in _ = self.failed("Redis at \(self.host):\(self.port): \(Self.describe(error))") }
    }

    private func ready(timeout: TimeAmount) -> EventLoopFuture<Void>.Isolated {
        let isolated = loop.assumeIsolated()
        if let connection, connection.isActive, sha != nil { return isolated.makeSucceededFuture(()).assumeIsolated() }
        if let connecting { return connecting }
        connection?.close()
        connection = nil
        sha = nil
        let attempt = RedisConnection.connect(host: host, port: port, on: loop, timeout: timeout).flatMap { connection in
            connection.send(["SCRIPT", "LOAD", RedisLimitScript.source], timeout: timeout).flatMapThrowing { reply -> Void in
                guard case .bulk(let bytes?) = reply else {
                    connection.close()
                    throw RedisError.unexpectedReply
                }
                self.connection = connection
                self.sha = String(decoding: bytes, as: UTF8.self)
                self.downUntil = nil
                self.onReconnect(true, "")
            }.nonisolated()
        }
        connecting = attempt
        attempt.whenComplete { _ in self.connecting = nil }
        return attempt
    }

    /// Marks the store down for a backoff and drops the connection, so a late reply
    /// cannot be read as another command's; a timer tries again when the backoff ends.
    private func failed(_ reason: String) -> Outcome {
        connection?.close()
        connection = nil
        sha = nil
        downUntil = NIODeadline.now() + backoff
        let wait = backoff
        backoff = min(backoff * 2, .seconds(2))
        if reconnectTimer == nil {
            reconnectTimer = loop.assumeIsolated().scheduleTask(in: wait) {
                self.reconnectTimer = nil
                self.downUntil = nil
                self.connectIfNeeded(timeout: .milliseconds(200))
            }
        }
        return .failure(reason)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case RedisError.timeout: "no reply in time"
        case RedisError.closed: "connection closed"
        case RedisError.malformed(let reason): "malformed reply (\(reason))"
        case RedisError.unexpectedReply: "unexpected reply"
        default: "\(error)"
        }
    }
}
