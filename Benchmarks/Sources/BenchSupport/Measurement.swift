import CAllocCounter

/// Seconds in a Duration, as a Double.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Median ns per call over `reps` runs of `count` calls, and allocations per call in
/// the last run (counted by CAllocCounter's malloc hooks).
public func measure(reps: Int, count: Int, _ body: () -> Void) -> (ns: Double, allocs: Double) {
    var samples: [Double] = []
    var allocations: UInt64 = 0
    for rep in 0..<reps {
        if rep == reps - 1 { alloc_counter_start() }
        let start = ContinuousClock.now
        for _ in 0..<count { body() }
        let elapsed = ContinuousClock.now - start
        if rep == reps - 1 {
            alloc_counter_stop()
            allocations = alloc_counter_allocations()
        }
        samples.append(seconds(elapsed) * 1e9 / Double(count))
    }
    return (samples.sorted()[samples.count / 2], Double(allocations) / Double(count))
}
