import NIOCore

/// A connection's one deadline: the head timeout, the idle timeout, or its exchange's
/// route timeout, whichever applies now. Moving the deadline later only changes a
/// field; the task already scheduled fires at its old time, sees the later deadline
/// and schedules itself again. Only an earlier deadline reschedules, so a busy
/// keep-alive connection costs NIO's scheduler a task every few seconds, not two per
/// request. Used on the connection's event loop only.
final class ConnectionDeadline<Reason> {
    private let loop: EventLoop
    private let expired: (Reason) -> Void
    private var deadline: NIODeadline?
    private var reason: Reason?
    private var task: Scheduled<Void>?
    private var taskFiresAt: NIODeadline?

    /// `expired` runs on the loop when a deadline passes with its reason.
    init(loop: EventLoop, expired: @escaping (Reason) -> Void) {
        self.loop = loop
        self.expired = expired
    }

    /// `now`: a clock reading the caller already has (each costs a call into the vDSO).
    func set(in delay: TimeAmount, _ reason: Reason, now: NIODeadline = .now()) {
        set(at: now + delay, reason)
    }

    func set(at: NIODeadline, _ reason: Reason) {
        deadline = at
        self.reason = reason
        if let taskFiresAt, taskFiresAt <= at { return }
        task?.cancel()
        schedule(at)
    }

    /// No deadline for now; the scheduled task, if any, fires and finds nothing to do.
    func clear() {
        deadline = nil
        reason = nil
    }

    /// The connection is gone: nothing fires any more.
    func stop() {
        clear()
        task?.cancel()
        task = nil
        taskFiresAt = nil
    }

    private func schedule(_ at: NIODeadline) {
        taskFiresAt = at
        // Held strongly until it fires or is cancelled (`stop()`): a weak reference
        // would give this object a side table, and every retain of it the slow path.
        task = loop.assumeIsolated().scheduleTask(deadline: at) { self.fired() }
    }

    private func fired() {
        task = nil
        taskFiresAt = nil
        guard let deadline, let reason else { return }
        if NIODeadline.now() < deadline { return schedule(deadline) }
        clear()
        expired(reason)
    }
}
