/// Receives every exchange the server completes, for record mode
/// (`gateway serve --record`), which turns live traffic into golden cases.
public protocol ExchangeRecorder: Sendable {
    func record(_ exchange: RecordedExchange)
}

/// One request as it happened: what the client sent, who it was, what went
/// upstream and came back (bodies up to `RecordedExchange.maxBody` bytes), and what
/// the client got.
public struct RecordedExchange: Sendable {
    public var time: Int64
    public var principal: Principal?
    public var request: RequestHead
    public var upstream: UpstreamRequest?
    public var upstreamReply: GatewayResponse?
    /// The upstream call failed instead of replying.
    public var upstreamFailure: Engine.UpstreamFailure?
    public var response: GatewayResponse

    public static let maxBody = 64 << 10
}
