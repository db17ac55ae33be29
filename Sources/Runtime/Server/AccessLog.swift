import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One JSON line per request on standard output: id, method, path (without the
/// query, which may carry secrets), route, principal, status, latency, upstream,
/// bytes and upstream attempts. Headers, tokens and keys are never logged. Lines are buffered and
/// written in batches, so logging does not cost a system call per request.
public final class AccessLog: Sendable {
    public struct Entry: Sendable {
        public var time: Int64
        public var requestID: String
        public var method: String
        public var path: String
        public var route: String?
        public var principal: String?
        public var status: Int
        public var latencyMicroseconds: Int64
        public var upstream: String?
        public var bytesIn: Int
        public var bytesOut: Int
        /// Upstream attempts (more than one when retried; 0 when the gateway answered itself).
        public var attempts: Int = 0
    }

    private let buffer = Mutex<[UInt8]>([])
    private let descriptor: Int32
    private let batchBytes: Int

    /// `descriptor` 1 is standard output; -1 turns the log off.
    public init(descriptor: Int32 = 1, batchBytes: Int = 16 << 10) {
        self.descriptor = descriptor
        self.batchBytes = batchBytes
    }

    /// Whether lines are written at all (`--no-access-log` turns them off).
    public var isOn: Bool { descriptor >= 0 }

    public func record(_ entry: Entry) {
        guard descriptor >= 0 else { return }
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line += Array(#"{"time":""#.utf8) + Array(Timestamp.format(entry.time).utf8) + Array(#"","request_id":"#.utf8)
        Problem.appendJSON(entry.requestID, to: &line)
        Self.field("method", entry.method, &line)
        Self.field("path", String(entry.path.prefix { $0 != "?" }), &line)
        Self.field("route", entry.route, &line)
        Self.field("principal", entry.principal, &line)
        Self.number("status", Int64(entry.status), &line)
        Self.number("latency_us", entry.latencyMicroseconds, &line)
        Self.field("upstream", entry.upstream, &line)
        Self.number("bytes_in", Int64(entry.bytesIn), &line)
        Self.number("bytes_out", Int64(entry.bytesOut), &line)
        Self.number("attempts", Int64(entry.attempts), &line)
        line += Array("}\n".utf8)
        let full = buffer.withLock { buffer -> [UInt8]? in
            buffer += line
            guard buffer.count >= batchBytes, descriptor >= 0 else { return nil }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if let full { write(full) }
    }

    /// Writes what is buffered (the server calls this a few times a second and at shutdown).
    public func flush() {
        guard descriptor >= 0 else { return }
        let pending = buffer.withLock { buffer -> [UInt8] in
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if !pending.isEmpty { write(pending) }
    }

    private func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    private static func field(_ name: String, _ value: String?, _ line: inout [UInt8]) {
        line += Array(",\"\(name)\":".utf8)
        if let value { Problem.appendJSON(value, to: &line) } else { line += Array("null".utf8) }
    }

    private static func number(_ name: String, _ value: Int64, _ line: inout [UInt8]) {
        line += Array(",\"\(name)\":".utf8)
        Problem.appendDecimal(value, to: &line)
    }
}
