import Artifact

/// One token a request wants from one bucket: which limit (by artifact index, and
/// its entry) and whose bucket.
public struct LimitTake: Sendable, Equatable {
    public var limit: LimitEntry
    public var index: Int
    public var key: String
}

/// The first of a shared store's two passes: records every take the program makes
/// and grants them all, so the program runs to its end and names every bucket it
/// needs. Those are then asked of the store in one round trip, and the request is
/// decided again with the answers (`LimitAnswers`). One request, one thread.
public final class LimitProbe: RateLimitStore, @unchecked Sendable {
    // @unchecked: made, used and read by one request on one event loop.
    public private(set) var takes: [LimitTake] = []

    public init() {}

    public func take(_ limit: LimitEntry, index: Int, key: String, now: Int64) -> RateDecision {
        takes.append(LimitTake(limit: limit, index: index, key: key))
        return RateDecision(allowed: true, remaining: Int(limit.burst), retryAfterMilliseconds: 0, resetMilliseconds: 0)
    }
}

/// The second pass: the store's answers, handed out in the order the program asks.
/// A take the first pass did not see (the program cannot take a different path with
/// the same request, principal and clock, so this does not happen) gets `fallback`.
public final class LimitAnswers: RateLimitStore, @unchecked Sendable {
    // @unchecked: as LimitProbe.
    private var answers: [(take: LimitTake, decision: RateDecision)]
    private let fallback: @Sendable (LimitTake, Int64) -> RateDecision

    public init(_ answers: [(take: LimitTake, decision: RateDecision)], fallback: @escaping @Sendable (LimitTake, Int64) -> RateDecision) {
        self.answers = answers
        self.fallback = fallback
    }

    public func take(_ limit: LimitEntry, index: Int, key: String, now: Int64) -> RateDecision {
        if let position = answers.firstIndex(where: { $0.take.index == index && $0.take.key == key }) {
            return answers.remove(at: position).decision
        }
        return fallback(LimitTake(limit: limit, index: index, key: key), now)
    }
}
