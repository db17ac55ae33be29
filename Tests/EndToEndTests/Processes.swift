import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The repository root, the built binaries, and throwaway processes for the tests.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func binary(_ name: String) -> URL {
        let debug = root.appendingPathComponent(".build/debug/\(name)")
        return FileManager.default.fileExists(atPath: debug.path) ? debug : root.appendingPathComponent(".build/release/\(name)")
    }
}

/// A child process that is killed when the test is done with it.
final class Child: @unchecked Sendable {
    // @unchecked: used from one test at a time.
    let process = Process()
    private let errors = Pipe()
    private let outputPipe = Pipe()
    private var collected = Data()
    private var collectedOutput = Data()

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], capturingOutput: Bool = false) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Paths.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = capturingOutput ? outputPipe : FileHandle.nullDevice
        process.standardError = errors
        try process.run()
    }

    /// Standard output so far (gatewayd's access log).
    var output: String {
        collectedOutput.append(outputPipe.fileHandleForReading.availableDataIfAny())
        return String(decoding: collectedOutput, as: UTF8.self)
    }

    /// Standard error so far (gatewayd logs there).
    var log: String {
        let available = errors.fileHandleForReading.availableDataIfAny()
        collected.append(available)
        return String(decoding: collected, as: UTF8.self)
    }

    func signal(_ number: Int32) { Glibc.kill(process.processIdentifier, number) }

    /// Waits for the exit; nil if it did not come in time.
    func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it is still there after two seconds.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        if waitForExit(seconds: 2) == nil { kill() }
    }

    /// SIGKILL: a backend dying mid-test.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        _ = waitForExit(seconds: 5)
    }

    deinit { stop() }
}

extension FileHandle {
    /// Whatever is readable now, without blocking.
    func availableDataIfAny() -> Data {
        var data = Data()
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, 0) > 0 && descriptor.revents & Int16(POLLIN) != 0 {
            let chunk = availableData
            if chunk.isEmpty { break }
            data.append(chunk)
        }
        return data
    }
}

/// A free loopback port (bound and released; good enough for tests run one at a time).
/// A port nothing listens on, below the kernel's ephemeral range (32768 and up on
/// Linux): a port the kernel hands out (bind to 0) is free now, but the same number
/// can go to an outgoing connection before the test's server binds it, and then the
/// server fails with "address already in use". Ports are taken in turn from a
/// process-wide counter (tests run in parallel) and checked by binding.
func freePort() -> Int {
    while true {
        let port = PortCounter.next()
        if canBind(port) { return port }
    }
}

private enum PortCounter {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last = 20_000 + Int(getpid() % 1_000) * 10

    static func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        last = last >= 32_000 ? 20_000 : last + 1
        return last
    }
}

private func canBind(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0
}

/// Waits until something accepts connections on the port.
func waitForPort(_ port: Int, seconds: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let connection = RawConnection(port: port) {
            connection.close()
            return true
        }
        usleep(50_000)
    }
    return false
}
