import Dispatch
#if canImport(Glibc)
import Glibc
#endif

public enum ServerLog {
    /// One line on standard error, written whole.
    public static func line(_ text: String) {
        let line = Array((text + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

/// SIGHUP reloads; SIGTERM and SIGINT stop, once.
public final class SignalHandling: Sendable {
    public init() {}

    /// Runs until SIGTERM or SIGINT, calling `reload` on each SIGHUP, then `stop`.
    public func run(reload: @escaping @Sendable () -> Void, stop: @escaping @Sendable () async -> Void) async {
        signal(SIGHUP, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let queue = DispatchQueue(label: "gatewayd.signals")
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        hangup.setEventHandler { reload() }
        hangup.resume()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            for number in [SIGTERM, SIGINT] {
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { if once.take() { continuation.resume() } }
                source.resume()
                Self.keep.append(source)
            }
        }
        await stop()
        hangup.cancel()
    }

    nonisolated(unsafe) static var keep: [any DispatchSourceSignal] = []
}

final class OnceFlag: @unchecked Sendable {
    // @unchecked: only touched on the one signal queue.
    private var taken = false
    func take() -> Bool {
        if taken { return false }
        taken = true
        return true
    }
}
