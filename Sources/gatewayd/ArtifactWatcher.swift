import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// `--watch`: reloads when the artifact file's modification time or size changes.
/// Deployments replace the file atomically (write, then rename), so a change is
/// never a half-written artifact; a bad one is refused like on SIGHUP.
final class ArtifactWatcher: Sendable {
    let path: String

    init(path: String) {
        self.path = path
    }

    func start(onChange: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "gatewayd.watch")
        let path = path
        nonisolated(unsafe) var last = Self.signature(path)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler {
            let now = Self.signature(path)
            if now != last {
                last = now
                onChange()
            }
        }
        timer.resume()
        Self.keep.append(timer)
    }

    nonisolated(unsafe) static var keep: [any DispatchSourceTimer] = []

    /// Modification time and size, or nil when the file is missing.
    static func signature(_ path: String) -> [Int]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_size)]
    }
}
