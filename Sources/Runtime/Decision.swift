import Artifact

/// A response the client gets: from the gateway itself, or an upstream's after the
/// route's transforms.
public struct GatewayResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [Header]
    public var body: [UInt8]

    public init(status: Int, headers: [Header] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A header field with a lower-case name.
public struct Header: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
        self.value = value
    }

    /// For names already lower-case (the gateway's own and the artifact's): no scan.
    init(lowercased name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The request the gateway sends upstream: already normalized, stripped and
/// injected. It is kept as edits of the client's head, the way the server writes it:
/// the client's header lines minus `dropped`, then the gateway's `added` lines. The
/// target and the added lines are one buffer, written once per request.
public struct UpstreamRequest: Sendable, Equatable {
    public var service: Int
    public var serviceName: String
    public var timeoutMilliseconds: Int
    /// The client's request as the engine read it (one reference for its method and
    /// headers); the header lines in `dropped` are not sent.
    let request: RequestHead
    public var dropped: HeaderIndexSet
    /// The target's bytes, then the gateway's lines.
    let head: [UInt8]
    let targetLength: Int

    public var method: String { request.method }
    /// The client's headers as the engine read them; those in `dropped` are not sent.
    public var clientHeaders: [(name: String, value: String)] { request.headers }

    init(service: Int, serviceName: String, request: RequestHead, timeoutMilliseconds: Int, dropped: HeaderIndexSet, head: [UInt8], targetLength: Int) {
        self.service = service
        self.serviceName = serviceName
        self.request = request
        self.timeoutMilliseconds = timeoutMilliseconds
        self.dropped = dropped
        self.head = head
        self.targetLength = targetLength
    }

    /// The path and query as the upstream receives them.
    public var target: String { String(decoding: targetBytes, as: UTF8.self) }
    var targetBytes: ArraySlice<UInt8> { head[..<targetLength] }

    /// The gateway's lines: request id, trace context, X-Forwarded-*, identity, the route's `set`.
    public var added: HeaderBlock { HeaderBlock(bytes: Array(addedBytes)) }
    var addedBytes: ArraySlice<UInt8> { head[targetLength...] }

    /// Every header the upstream receives, in order (for the harness and tests).
    public var headers: [Header] {
        var headers: [Header] = []
        for (index, header) in clientHeaders.enumerated() where !dropped.contains(index) { headers.append(Header(lowercased: header.name, header.value)) }
        return headers + added.headers
    }

    public static func == (lhs: UpstreamRequest, rhs: UpstreamRequest) -> Bool {
        lhs.service == rhs.service && lhs.serviceName == rhs.serviceName && lhs.method == rhs.method && lhs.target == rhs.target
            && lhs.timeoutMilliseconds == rhs.timeoutMilliseconds && lhs.headers == rhs.headers
    }
}

/// How an upstream's reply head becomes the client's: its header lines minus
/// `dropped`, then the gateway's lines for the request's plan (`added`); with
/// `envelope`, the JSON body is wrapped (`Engine.envelope`) and so re-framed by the
/// server. The added lines are written where the caller wants them (`writeAdded`:
/// the server's outgoing buffer), so a reply costs the engine no allocation. The plan
/// is passed in rather than held: the caller keeps it anyway, and a copy here cost
/// its references counted twice per reply.
public struct ResponseHeadEdits: Sendable, Equatable {
    public var dropped: HeaderIndexSet
    public var envelope: Bool
    let route: PreparedRoute
    /// A Content-Length line of the reply passes (the relay frames the body by it;
    /// without one it sends the body chunked).
    var lengthKept = false

    /// The gateway's lines: request id, RateLimit, CORS, security headers, the route's `set`.
    public func added(_ plan: ResponsePlan) -> HeaderBlock {
        HeaderBlock.build(capacity: addedCapacity(plan)) { writeAdded(plan, to: &$0) }
    }

    /// Room enough for the added lines.
    public func addedCapacity(_ plan: ResponsePlan) -> Int {
        // x-request-id and CRLFs, the RateLimit numbers and a Retry-After: 160 is more than they take.
        160 + plan.requestID.utf8.count + (plan.rateLimit?.prepared.headerPrefix.count ?? 0)
            + plan.corsHeaders.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 } + route.responseTail.bytes.count
    }

    /// Writes the added lines into `buffer`: the bytes written, or nil when it is
    /// smaller than `addedCapacity`.
    public func writeAdded(_ plan: ResponsePlan, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        var out = ByteWriter(buffer.bindMemory(to: UInt8.self))
        writeAdded(plan, to: &out)
        return out.overflowed ? nil : out.count
    }

    func writeAdded(_ plan: ResponsePlan, to out: inout ByteWriter) {
        if route.responseOverridesGateway {
            // A route `set`/`remove` of a line the gateway adds itself: rare, so it costs a parse.
            let own = HeaderBlock.build(capacity: addedCapacity(plan)) { Self.writeGatewayLines(plan, to: &$0) }
            out.write(own.removing(route.responseOverrides))
        } else {
            Self.writeGatewayLines(plan, to: &out)
        }
        out.write(route.responseTail)
    }

    private static func writeGatewayLines(_ plan: ResponsePlan, to out: inout ByteWriter) {
        out.writeLine("x-request-id: ", own: plan.requestID)
        plan.rateLimit?.write(to: &out)
        for header in plan.corsHeaders { out.writeLine(name: header.name, value: header.value) }
    }

    public static func == (lhs: ResponseHeadEdits, rhs: ResponseHeadEdits) -> Bool {
        lhs.dropped == rhs.dropped && lhs.envelope == rhs.envelope && lhs.route === rhs.route
    }
}

/// What to do to the upstream's reply before it goes to the client.
/// Its fields share one box (`CopyOnWriteBox`): the server hands the plan from the
/// decision to the exchange and reads it for the reply's head, and the compiler copies
/// a struct read from a class's property even to pass it along, which cost each copy
/// a retain and release per field and a pass through its value witness.
public struct ResponsePlan: Sendable, Equatable {
    struct Fields: Sendable, Equatable {
        var route: Int
        var requestID: String
        var corsHeaders: [Header]
        var envelope: Bool
        var timestampMilliseconds: Int64
        var rateLimit: RateLimitState?
        var principal: Principal?
    }

    private var storage: CopyOnWriteBox<Fields>

    init(route: Int, requestID: String, corsHeaders: [Header], envelope: Bool, timestampMilliseconds: Int64, rateLimit: RateLimitState?,
         principal: Principal?) {
        storage = CopyOnWriteBox(Fields(route: route, requestID: requestID, corsHeaders: corsHeaders, envelope: envelope,
                                        timestampMilliseconds: timestampMilliseconds, rateLimit: rateLimit, principal: principal))
    }

    public var route: Int {
        get { storage.value.route }
        set { CopyOnWriteBox.mutate(&storage) { $0.route = newValue } }
    }
    public var requestID: String {
        get { storage.value.requestID }
        set { CopyOnWriteBox.mutate(&storage) { $0.requestID = newValue } }
    }
    public var corsHeaders: [Header] {
        get { storage.value.corsHeaders }
        set { CopyOnWriteBox.mutate(&storage) { $0.corsHeaders = newValue } }
    }
    public var envelope: Bool {
        get { storage.value.envelope }
        set { CopyOnWriteBox.mutate(&storage) { $0.envelope = newValue } }
    }
    public var timestampMilliseconds: Int64 {
        get { storage.value.timestampMilliseconds }
        set { CopyOnWriteBox.mutate(&storage) { $0.timestampMilliseconds = newValue } }
    }
    /// The last limit checked and its decision, rendered into RateLimit headers on the reply.
    public var rateLimit: RateLimitState? {
        get { storage.value.rateLimit }
        set { CopyOnWriteBox.mutate(&storage) { $0.rateLimit = newValue } }
    }
    /// Who made the request, for the access log and record mode.
    public var principal: Principal? {
        get { storage.value.principal }
        set { CopyOnWriteBox.mutate(&storage) { $0.principal = newValue } }
    }

    public static func == (lhs: ResponsePlan, rhs: ResponsePlan) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.value == rhs.storage.value
    }
}

/// A limit check's outcome, kept as numbers until a response needs the headers.
public struct RateLimitState: Sendable, Equatable {
    public let prepared: PreparedLimit
    public var decision: RateDecision

    public var limit: LimitEntry { prepared.entry }

    public init(limit: PreparedLimit, decision: RateDecision) {
        self.prepared = limit
        self.decision = decision
    }

    public init(limit: LimitEntry, decision: RateDecision) {
        self.init(limit: PreparedLimit(limit), decision: decision)
    }

    public static func == (lhs: RateLimitState, rhs: RateLimitState) -> Bool {
        lhs.limit == rhs.limit && lhs.decision == rhs.decision
    }

    /// `RateLimit-Policy` and `RateLimit` (IETF httpapi ratelimit-headers draft), and
    /// `Retry-After` when refused.
    public var headers: [Header] {
        var headers: [Header] = []
        appendHeaders(to: &headers)
        return headers
    }

    /// Fewer requests left, or as few and a smaller limit.
    func isStricter(than other: RateLimitState) -> Bool {
        decision.remaining != other.decision.remaining ? decision.remaining < other.decision.remaining : limit.count < other.limit.count
    }

    func appendHeaders(to headers: inout [Header]) {
        headers += HeaderBlock.build(capacity: 160) { write(to: &$0) }.headers
    }

    func write(to out: inout ByteWriter) {
        let decision = decision
        if !decision.allowed {
            out.writeLine("retry-after: ", own: { $0.write(decimal: max(1, (decision.retryAfterMilliseconds + 999) / 1_000)) })
        }
        out.write(prepared.headerPrefix)
        out.write(decimal: Int64(decision.remaining))
        out.write(", reset=")
        out.write(decimal: (decision.resetMilliseconds + 999) / 1_000)
        out.write("\r\n")
    }
}

/// The engine's answer for one request.
public enum Decision: Sendable, Equatable {
    /// Answer the client now (errors, preflights, fixed replies). `route` is nil
    /// when no route was matched.
    case respond(GatewayResponse, route: Int?)
    /// Call the upstream, then apply the plan to its reply (`Engine.finish`).
    case forward(UpstreamRequest, ResponsePlan)
}
