import Artifact

/// A value on the condition stack.
enum VMValue: Equatable {
    case absent
    case boolean(Bool)
    case integer(Int64)
    case string(String)
    case strings([String])
    case constantSet(Int)

    var truth: Bool { if case .boolean(true) = self { return true }; return false }
}

/// What a program decided.
enum VMOutcome: Equatable {
    case proxy(service: Int, timeoutMilliseconds: Int)
    case respond(fixedResponse: Int)
    case deny(status: Int, detail: String, headers: [Header])
}

/// Receives each executed instruction and its result, for `gateway explain` and coverage.
public protocol ProgramTracer {
    /// Whether the tracer wants results. The VM reads it from the tracer's type, so in
    /// the VM specialized for `NoProgramTrace` the result text and its checks are gone.
    static var recordsResults: Bool { get }
    mutating func executed(_ pc: Int, result: String?)
}

extension ProgramTracer {
    public static var recordsResults: Bool { true }
}

public struct NoProgramTrace: ProgramTracer {
    public init() {}
    @inlinable public static var recordsResults: Bool { false }
    @inlinable public mutating func executed(_ pc: Int, result: String?) {}
}

public struct RecordingProgramTracer: ProgramTracer {
    public private(set) var steps: [(pc: Int, result: String?)] = []
    public init() {}
    public mutating func executed(_ pc: Int, result: String?) { steps.append((pc, result)) }
}

/// Everything a program reads and changes while it runs for one request.
///
/// Header edits are not recorded here: they are constant instructions with no jumps
/// around them, so when a program reaches its decision the engine reads them from
/// the program itself. That keeps the VM free of allocations.
struct VMContext {
    let request: RequestHead
    /// The request's method as a bit; nil for a method no route can name.
    let method: MethodSet?
    /// The normalized path and the query: views of memory the decision holds.
    let path: UnsafeBufferPointer<UInt8>
    let query: UnsafeBufferPointer<UInt8>?
    let captures: UnsafeMutableBufferPointer<PathCapture>
    let now: Int64
    var principal: Principal?
    var rewrite = false
    var rateLimit: RateLimitState?
    /// The principal's roles resolved against the artifact, on first need.
    var grants: RoleGrants?
    /// This request's limiter when it is not the engine's (a shared store's two passes).
    var limiter: (any RateLimitStore)?
}

/// Runs a route's program: one dispatch loop over verified bytecode. Every outcome
/// is a decision; nothing throws across a request.
struct PolicyVM {
    let artifact: Artifact
    let authenticator: any Authenticator
    let limiter: any RateLimitStore
    /// Per role, the permissions it grants (inheritance already flattened by the
    /// compiler, as bits over every permission a route requires) and its own limit.
    let roles: RoleGrants.Table
    /// Per constant index, the bits a `REQUIRE_PERMISSIONS` with that operand needs.
    let neededPermissions: [PermissionBits?]
    /// Each constant as a stack value, made once rather than per instruction.
    let constantValues: [VMValue]
    /// `weekdays` as stack values.
    let weekdayValues = PolicyVM.weekdays.map(VMValue.string)
    /// Per constant, the weekday it names (an index into `weekdays`), or -1: the
    /// common `time.weekday == "sat"` compares two numbers.
    let constantWeekdays: [Int]
    /// Per constant, the media types of a string set as bytes (for CHECK_CONTENT_TYPE).
    let mediaTypes: [[[UInt8]]]
    /// The artifact's limits, by index, with their headers' constant parts rendered.
    let limits: [PreparedLimit]
    /// The CSRF policies, held apart from the settings (reading one through the
    /// settings value copied more of it).
    let csrf: [GatewaySettings.CSRF]
    /// Each API-key plan's limit index.
    let planLimits: NameTable<Int>

    init(artifact: Artifact, authenticator: any Authenticator, limiter: any RateLimitStore) {
        self.artifact = artifact
        self.authenticator = authenticator
        self.limiter = limiter
        let (granted, needed) = PermissionBits.tables(artifact)
        self.constantValues = artifact.constants.map(Self.value)
        self.constantWeekdays = artifact.constants.map { constant in
            if case .string(let name) = constant { Self.weekdays.firstIndex(of: name) ?? -1 } else { -1 }
        }
        self.mediaTypes = artifact.constants.map { constant in
            if case .stringSet(let types) = constant { types.map { Array($0.utf8) } } else { [] }
        }
        self.limits = artifact.limits.map(PreparedLimit.init)
        self.roles = RoleGrants.Table(artifact, granted: granted, limits: limits)
        self.csrf = artifact.settings.csrf
        self.planLimits = NameTable((artifact.auth.apiKeys?.plans ?? []).map { ($0.name, Int($0.limit)) })
        self.neededPermissions = needed
    }

    func run<Tracer: ProgramTracer>(route index: Int, _ context: inout VMContext, tracer: inout Tracer) -> VMOutcome {
        // The tables the loop reads, held once for the whole run.
        let code = artifact.code
        let constants = artifact.constants
        let constantValues = constantValues
        let strings = artifact.strings
        let start = artifact.routes[index].programStart
        return withUnsafeTemporaryAllocation(of: VMValue.self, capacity: Artifact.maxStackDepth) { stack in
            var depth = 0
            var pc = Int(start)
            var weekday = -1
            defer { for slot in 0..<depth { (stack.baseAddress.unsafelyUnwrapped + slot).deinitialize(count: 1) } }
            func push(_ value: VMValue) {
                (stack.baseAddress.unsafelyUnwrapped + depth).initialize(to: value)
                depth &+= 1
            }
            func pop() -> VMValue {
                depth &-= 1
                return (stack.baseAddress.unsafelyUnwrapped + depth).move()
            }
            while true {
                let instruction = code[pc]
                var result: String?
                switch instruction.opcode {
                case .authenticate:
                    if let denial = authenticate(instruction, &context) { tracer.executed(pc, result: "deny 401"); return denial }
                    if Tracer.recordsResults { result = context.principal.map { "principal \($0.id)" } ?? "anonymous" }
                case .requireRoles:
                    guard hasRole(Int(instruction.a), &context) else {
                        tracer.executed(pc, result: "deny 403")
                        return .deny(status: 403, detail: "this route needs one of the roles \(Self.list(constants[Int(instruction.a)]))", headers: [])
                    }
                case .requirePermissions:
                    guard let needed = neededPermissions[Int(instruction.a)], let grants = grants(&context), grants.permissions.isSuperset(of: needed) else {
                        tracer.executed(pc, result: "deny 403")
                        return .deny(status: 403, detail: "this route needs the permissions \(Self.list(constants[Int(instruction.a)]))", headers: [])
                    }
                case .principalRateLimit:
                    if let denial = principalLimits(&context) { tracer.executed(pc, result: "deny 429"); return denial }
                case .rateLimit:
                    let limit = limits[Int(instruction.a)]
                    if let denial = take(limit, index: Int(instruction.a), key: bucketKey(limit.entry, &context), &context) {
                        tracer.executed(pc, result: "deny 429")
                        return denial
                    }
                case .checkCSRF:
                    // The policy is read only for an unsafe method with cookies (reading it
                    // copies its strings): most API calls stop at the first two tests.
                    if !(context.method.map { MethodSet.safe.contains($0) } ?? false), context.request.has(.cookie),
                       let detail = csrfProblem(Int(instruction.a), &context) {
                        tracer.executed(pc, result: "deny 403")
                        return .deny(status: 403, detail: detail, headers: [])
                    }
                case .checkContentType:
                    let types = mediaTypes[Int(instruction.a)]
                    if context.request.hasBody, !(context.request.withValue(.contentType) { Self.mediaType(bytes: $0, isOneOf: types) } ?? false) {
                        tracer.executed(pc, result: "deny 415")
                        return .deny(status: 415, detail: "request bodies on this route must be \(Self.list(constants[Int(instruction.a)], separator: " or "))", headers: [])
                    }
                case .checkBodySize:
                    if let length = context.request.contentLength, length > Int(instruction.a) {
                        tracer.executed(pc, result: "deny 413")
                        return .deny(status: 413, detail: "the request body is larger than \(instruction.a) bytes", headers: [])
                    }
                case .pushConstant:
                    push(constantValues[Int(instruction.a)])
                case .loadAttribute:
                    push(attribute(Attribute(rawValue: instruction.a) ?? .requestMethod, &context))
                case .loadHeader:
                    push(context.request.header(strings[Int(instruction.a)]).map(VMValue.string) ?? .absent)
                case .attributeEquals:
                    if instruction.a == Attribute.timeWeekday.rawValue {
                        // The weekday once per run: a division by a day's milliseconds.
                        if weekday < 0 { weekday = Self.weekday(context.now) }
                        push(.boolean(constantWeekdays[Int(instruction.b)] == weekday))
                    } else {
                        let value = attribute(Attribute(rawValue: instruction.a) ?? .requestMethod, &context)
                        push(.boolean(value == constantValues[Int(instruction.b)]))
                    }
                case .headerEquals:
                    push(.boolean(Self.header(strings[Int(instruction.a)], of: context.request, equals: constantValues[Int(instruction.b)])))
                case .loadQuery:
                    push(Self.query(context.query, strings[Int(instruction.a)]).map(VMValue.string) ?? .absent)
                case .loadParam:
                    let capture = context.captures[Int(instruction.a)]
                    push(.string(String(decoding: context.path[Int(capture.start)..<Int(capture.end)], as: UTF8.self)))
                case .loadClaim:
                    push(context.principal?.claim(strings[Int(instruction.a)]).map(VMValue.string) ?? .absent)
                case .equal, .notEqual:
                    let rhs = pop()
                    let lhs = pop()
                    let equal = lhs == rhs
                    push(.boolean(instruction.opcode == .equal ? equal : !equal))
                case .less, .lessOrEqual, .greater, .greaterOrEqual:
                    let rhs = pop()
                    let lhs = pop()
                    guard case .integer(let x) = lhs, case .integer(let y) = rhs else { push(.boolean(false)); break }
                    let value = switch instruction.opcode {
                    case .less: x < y
                    case .lessOrEqual: x <= y
                    case .greater: x > y
                    default: x >= y
                    }
                    push(.boolean(value))
                case .contains:
                    let list = pop()
                    let item = pop()
                    push(.boolean(contains(list, item)))
                case .not:
                    push(.boolean(!pop().truth))
                case .startsWith, .endsWith, .stringContains:
                    let rhs = pop()
                    let lhs = pop()
                    guard case .string(let a) = lhs, case .string(let b) = rhs else { push(.boolean(false)); break }
                    push(.boolean(instruction.opcode == .startsWith ? a.hasPrefix(b) : instruction.opcode == .endsWith ? a.hasSuffix(b) : a.contains(b)))
                case .jumpIfFalse, .jumpIfTrue:
                    let top = (stack.baseAddress.unsafelyUnwrapped + depth - 1).pointee.truth
                    if top == (instruction.opcode == .jumpIfTrue) {
                        tracer.executed(pc, result: Tracer.recordsResults ? "\(top): jump" : nil)
                        pc = Int(instruction.a)
                        continue
                    }
                    if Tracer.recordsResults { result = "\(top): continue" }
                    _ = pop()
                case .assert:
                    let value = pop().truth
                    if !value {
                        tracer.executed(pc, result: "false: deny 403")
                        return .deny(status: 403, detail: "\(strings[Int(instruction.a)]) does not allow this request", headers: [])
                    }
                    if Tracer.recordsResults { result = "true" }
                case .deny:
                    tracer.executed(pc, result: "deny \(instruction.a)")
                    return .deny(status: Int(instruction.a), detail: strings[Int(instruction.b)], headers: [])
                case .setRequestHeader, .removeRequestHeader, .setResponseHeader, .removeResponseHeader:
                    break
                case .rewritePath:
                    context.rewrite = true
                case .respond:
                    tracer.executed(pc, result: "respond")
                    return .respond(fixedResponse: Int(instruction.a))
                case .proxy:
                    tracer.executed(pc, result: "proxy")
                    return .proxy(service: Int(instruction.a), timeoutMilliseconds: Int(instruction.b))
                }
                if Tracer.recordsResults, result == nil, depth > 0, instruction.opcode.info.pushes > 0 {
                    result = Self.describe((stack.baseAddress.unsafelyUnwrapped + depth - 1).pointee)
                }
                tracer.executed(pc, result: result)
                pc &+= 1
            }
        }
    }

    // MARK: Instructions' helpers

    private func authenticate(_ instruction: Instruction, _ context: inout VMContext) -> VMOutcome? {
        switch authenticator.authenticate(context.request, mask: instruction.a, now: context.now) {
        case .authenticated(let principal):
            context.principal = principal
            context.grants = nil
            return nil
        case .none where instruction.b == 0:
            return nil
        case .none:
            return .deny(status: 401, detail: "this route needs credentials", headers: [Header("www-authenticate", "Bearer")])
        case .failed(let reason):
            return .deny(status: 401, detail: reason, headers: [Header("www-authenticate", "Bearer error=\"invalid_token\"")])
        }
    }

    /// Whether the principal holds one of the roles constant `index` names.
    private func hasRole(_ index: Int, _ context: inout VMContext) -> Bool {
        if let required = roles.required[index] { return (grants(&context)?.names ?? 0) & required != 0 }
        // More role names than bits: by name.
        guard case .stringSet(let allowed) = artifact.constants[index], let principal = context.principal else { return false }
        return principal.roles.contains(where: allowed.contains)
    }

    /// The principal's grants, resolved on first use in this decision; nil when anonymous.
    private func grants(_ context: inout VMContext) -> RoleGrants? {
        if let grants = context.grants { return grants }
        guard let principal = context.principal else { return nil }
        let grants = roles.resolve(principal.roles)
        context.grants = grants
        return grants
    }

    /// A principal's own limits: the strictest of its roles' limits, and its API key's
    /// plan. Each must allow the request.
    private func principalLimits(_ context: inout VMContext) -> VMOutcome? {
        guard let principal = context.principal, let grants = grants(&context) else { return nil }
        if let strictest = grants.limit, let denial = take(limits[strictest], index: strictest, key: principal.id, &context) {
            return denial
        }
        if let plan = principal.plan, let index = planLimits[plan],
           let denial = take(limits[index], index: index, key: principal.keyID ?? principal.id, &context) {
            return denial
        }
        return nil
    }

    // Context parameters are inout only so the VM's loop passes them without a copy.
    private func bucketKey(_ limit: LimitEntry, _ context: inout VMContext) -> String {
        switch limit.key {
        case .principal, .role: context.principal?.id ?? context.request.clientAddress
        case .apiKey, .plan: context.principal?.keyID ?? context.request.clientAddress
        case .ip: context.request.clientAddress
        case .route: ""
        }
    }

    /// Takes a token; on refusal, a 429 with Retry-After and the RateLimit headers.
    /// When several limits apply, each must allow the request, and the reply reports
    /// the one with the fewest tokens left (the strictest for this client right now).
    private func take(_ prepared: PreparedLimit, index: Int, key: String, _ context: inout VMContext) -> VMOutcome? {
        let limit = prepared.entry
        // Called through the optional in place: `context.limiter ?? limiter`, or binding
        // it, copies an existential per call.
        let decision = context.limiter?.take(limit, index: index, key: key, now: context.now)
            ?? limiter.take(limit, index: index, key: key, now: context.now)
        let state = RateLimitState(limit: prepared, decision: decision)
        if decision.allowed {
            if let current = context.rateLimit, !state.isStricter(than: current) { return nil }
            context.rateLimit = state
            return nil
        }
        let window = max(1, Int(limit.periodMilliseconds / 1_000))
        return .deny(status: 429, detail: "rate limit of \(limit.count) per \(window)s (per \(limit.key.name)) exceeded", headers: state.headers)
    }

    /// For an unsafe method with cookies (the caller checked): what CSRF policy `index` objects to.
    private func csrfProblem(_ index: Int, _ context: inout VMContext) -> String? {
        let policy = csrf[index]
        if policy.doubleSubmit {
            guard let cookie = context.request.cookie(policy.cookie), !cookie.isEmpty, context.request.header(policy.header) == cookie else {
                return "the \(policy.header) header must echo the \(policy.cookie) cookie"
            }
            return nil
        }
        if let origin = context.request.header(.origin), !policy.trustedOrigins.contains(origin) {
            return "requests from origin \(origin) are not trusted"
        }
        if context.request.header(.secFetchSite) == "cross-site" { return "cross-site requests with cookies are not accepted" }
        return nil
    }

    private func attribute(_ attribute: Attribute, _ context: inout VMContext) -> VMValue {
        switch attribute {
        case .requestMethod: .string(context.request.method)
        case .requestPath: .string(String(decoding: context.path, as: UTF8.self))
        // Made only for a policy that reads it: routing takes the header's bytes.
        case .requestHost: .string(Engine.host(context.request))
        case .requestIP: .string(context.request.clientAddress)
        case .principalID: context.principal.map { .string($0.id) } ?? .absent
        case .principalRoles: .strings(context.principal?.roles ?? [])
        case .principalScopes: .strings(context.principal?.scopes ?? [])
        case .principalAuthenticated: .boolean(context.principal != nil)
        case .principalMethod: context.principal.map { .string($0.method.rawValue) } ?? .absent
        case .timeHour: .integer((context.now / 3_600_000) % 24)
        case .timeMinute: .integer((context.now / 60_000) % 60)
        case .timeWeekday: weekdayValues[Self.weekday(context.now)]
        case .timeDay: .integer(Int64(CivilDate(daysSinceEpoch: context.now / 86_400_000).day))
        }
    }

    /// 1970-01-01 was a Thursday: day 0 + 3 lands on index 3 ("thu") counting from Monday.
    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The weekday of `now` (milliseconds since the epoch, UTC) as an index into `weekdays`.
    static func weekday(_ now: Int64) -> Int { Int(((now / 86_400_000) + 3) % 7) }

    private func contains(_ list: VMValue, _ item: VMValue) -> Bool {
        guard case .string(let value) = item else { return false }
        switch list {
        case .strings(let values): return values.contains(value)
        case .constantSet(let index):
            guard case .stringSet(let values) = artifact.constants[index] else { return false }
            return values.contains(value)
        default: return false
        }
    }

    /// Whether a Content-Type header names one of `types` (parameters after `;`
    /// ignored, case-insensitive), without allocating. No header names none.
    static func mediaType(_ header: String?, isOneOf types: [[UInt8]]) -> Bool {
        guard var header else { return false }
        return header.withUTF8 { mediaType(bytes: $0, isOneOf: types) }
    }

    /// The same for the header's bytes, as the request head keeps them.
    static func mediaType(bytes header: UnsafeBufferPointer<UInt8>, isOneOf types: [[UInt8]]) -> Bool {
        // Nearly always the type itself, without parameters.
        if types.contains(where: { $0.count == header.count && $0.withUnsafeBufferPointer { ASCIICase.equal(header, $0) } }) { return true }
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var end = 0
        while end < header.count && header[end] != UInt8(ascii: ";") { end += 1 }
        var start = 0
        while start < end && blank(header[start]) { start += 1 }
        while end > start && blank(header[end - 1]) { end -= 1 }
        let type = UnsafeBufferPointer(rebasing: header[start..<end])
        return types.contains { $0.withUnsafeBufferPointer { ASCIICase.equal(type, $0) } }
    }

    /// `header(name) == constant`, compared on the header's bytes where it can be: ASCII
    /// on both sides compares alike as bytes and as Strings (whose `==` also equates
    /// canonically equivalent Unicode, which the String comparison then decides).
    static func header(_ name: String, of request: RequestHead, equals constant: VMValue) -> Bool {
        guard case .string(var expected) = constant else { return (request.header(name).map(VMValue.string) ?? .absent) == constant }
        return request.withValue(of: name) { bytes in
            expected.withUTF8 { expected in
                if expected.count == bytes.count, let a = expected.baseAddress, let b = bytes.baseAddress,
                   ASCIICase.same(UnsafeRawPointer(a), UnsafeRawPointer(b), count: bytes.count) { return true }
                if expected.isEmpty && bytes.isEmpty { return true }
                guard expected.contains(where: { $0 >= 0x80 }) || bytes.contains(where: { $0 >= 0x80 }) else { return false }
                return String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self)
            }
        } ?? false
    }

    static func value(_ constant: Constant) -> VMValue {
        switch constant {
        case .string(let value): .string(value)
        case .integer(let value): .integer(value)
        case .boolean(let value): .boolean(value)
        case .null: .absent
        case .stringSet(let values): .strings(values)
        }
    }

    static func query(_ query: UnsafeBufferPointer<UInt8>?, _ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0].elementsEqual(name.utf8) { return parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : "" }
        }
        return nil
    }

    static func list(_ constant: Constant, separator: String = ", ") -> String {
        if case .stringSet(let values) = constant { return values.joined(separator: separator) }
        return "\(constant)"
    }

    static func describe(_ value: VMValue) -> String {
        switch value {
        case .absent: "absent"
        case .boolean(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .strings(let values): "[\(values.joined(separator: ", "))]"
        case .constantSet(let index): "set #\(index)"
        }
    }
}

/// A Gregorian calendar date from days since the Unix epoch (Howard Hinnant's algorithm).
public struct CivilDate: Sendable, Equatable {
    public var year: Int64
    public var month: Int64
    public var day: Int64

    public init(daysSinceEpoch days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
