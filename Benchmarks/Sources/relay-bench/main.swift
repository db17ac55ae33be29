// relay-bench: gatewayd's server in one process with a blocking client beside it, for
// counting the event loop's instructions per proxied request under callgrind
// (Benchmarks/relay-instructions.sh). gatewayd itself cannot run under valgrind: its
// async main hands the main thread to dispatch, which valgrind does not survive.
//
//   relay-bench --artifact A.gwc --secrets-dir DIR --key KEY [--requests 2000] [--connections 8]
//
// The client keeps `connections` keep-alive connections, sends one request on each,
// then reads one reply from each, until `requests` replies have come back. Every
// reply must be 200, so a misconfigured run cannot pass for a fast one.
import Glibc
import Runtime
import Artifact
import Dispatch

struct Options {
    var artifact = ""
    var secretsDirectory = "."
    var key = ""
    var requests = 2_000
    var connections = 8

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            let value = iterator.next() ?? ""
            switch flag {
            case "--artifact": artifact = value
            case "--secrets-dir": secretsDirectory = value
            case "--key": key = value
            case "--requests": requests = Int(value) ?? requests
            case "--connections": connections = Int(value) ?? connections
            default: fail("unknown flag \(flag)")
            }
        }
    }
}

func fail(_ message: String) -> Never {
    let line = Array("relay-bench: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func boot(_ options: Options) -> GatewayServer {
    guard let bytes = FileBytes.read(options.artifact) else { fail("cannot read \(options.artifact)") }
    do {
        let artifact = try Artifact.decode(bytes, publicKeyPEM: nil)
        let authenticator = try CredentialAuthenticator.forArtifact(artifact, secrets: SecretResolver(baseDirectory: options.secretsDirectory))
        let engine = Engine(artifact: artifact, authenticator: authenticator, limiter: InMemoryRateLimiter())
        return GatewayServer(engine: engine, configuration: ServerConfiguration(artifact: artifact, host: "127.0.0.1", port: 0),
                             accessLog: AccessLog(descriptor: -1))
    } catch {
        fail("\(error)")
    }
}

/// Starts the server from a task and waits for its port on this (the main) thread.
func start(_ server: GatewayServer) -> Int {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var port = 0
    Task {
        port = (try? await server.start()) ?? 0
        done.signal()
    }
    done.wait()
    guard port > 0 else { fail("the server did not start") }
    return port
}

func connect(port: Int) -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard result == 0 else { fail("cannot connect to 127.0.0.1:\(port)") }
    return descriptor
}

/// Reads one reply (head and Content-Length body); returns its status.
func readReply(_ descriptor: Int32, _ pending: inout [UInt8]) -> Int {
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        if let end = headEnd(pending), let length = contentLength(pending[..<end]), pending.count >= end + length {
            let status = Int(String(decoding: pending[9..<12], as: UTF8.self)) ?? 0
            pending.removeFirst(end + length)
            return status
        }
        let count = read(descriptor, &chunk, chunk.count)
        guard count > 0 else { fail("the gateway closed a connection") }
        pending += chunk[0..<count]
    }
}

func headEnd(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
        return index + 4
    }
    return nil
}

func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
    let lines = String(decoding: head, as: UTF8.self).lowercased().split(separator: "\r\n")
    guard let line = lines.first(where: { $0.hasPrefix("content-length: ") }) else { return nil }
    return Int(line.dropFirst("content-length: ".count))
}

let options = Options(CommandLine.arguments)
let server = boot(options)
let port = start(server)
let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Api-Key: \(options.key)\r\n\r\n".utf8)
let sockets = (0..<options.connections).map { _ in connect(port: port) }
var buffers = [[UInt8]](repeating: [], count: sockets.count)
var replies = 0
while replies < options.requests {
    for descriptor in sockets { _ = request.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } }
    for (index, descriptor) in sockets.enumerated() {
        let status = readReply(descriptor, &buffers[index])
        guard status == 200 else { fail("reply \(replies) was \(status), not 200") }
        replies += 1
    }
}
print("relay-bench requests=\(replies) connections=\(sockets.count)")
exit(0)
