import Synchronization

/// State split over several locks by key hash, so threads working on different
/// keys rarely wait for each other. Each shard is a class because `Mutex` cannot be
/// copied into an array.
final class Shards<State: Sendable>: Sendable {
    final class Shard: Sendable {
        let state: Mutex<State>
        init(_ state: sending State) { self.state = Mutex(state) }
    }

    private let shards: [Shard]

    init(count: Int, initial: () -> State) {
        shards = (0..<max(1, count)).map { _ in Shard(initial()) }
    }

    var count: Int { shards.count }

    func withLock<Result>(hash: Int, _ body: (inout sending State) -> sending Result) -> sending Result {
        shards[Int(UInt(bitPattern: hash) % UInt(shards.count))].state.withLock(body)
    }

    /// A sum over the shards (sizes, for tests and metrics).
    func sum(_ measure: (borrowing State) -> Int) -> Int {
        var total = 0
        for shard in shards { total += shard.state.withLock { measure($0) } }
        return total
    }
}
