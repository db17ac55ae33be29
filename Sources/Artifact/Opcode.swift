/// The policy VM's instruction set. `Opcode.info` is the single table that the
/// verifier, the disassembler and docs/bytecode.md are built from.
///
/// Programs are straight-line code with forward jumps only, so every program ends.
/// Conditions run on a small value stack; every other instruction either changes
/// the pending upstream request or decides the outcome (deny, respond, proxy).
public enum Opcode: UInt8, CaseIterable, Sendable {
    case authenticate = 1
    case requireRoles
    case requirePermissions
    case principalRateLimit
    case rateLimit
    case checkCSRF
    case checkContentType
    case checkBodySize
    case pushConstant
    case loadAttribute
    case loadHeader
    case loadQuery
    case loadParam
    case loadClaim
    case equal
    case notEqual
    case less
    case lessOrEqual
    case greater
    case greaterOrEqual
    case contains
    case not
    case startsWith
    case endsWith
    case stringContains
    case jumpIfFalse
    case jumpIfTrue
    case assert
    case deny
    case setRequestHeader
    case removeRequestHeader
    case setResponseHeader
    case removeResponseHeader
    case rewritePath
    case respond
    case proxy
    // Fused forms of the commonest comparisons (format version 3): one dispatch
    // instead of three, where a condition-heavy route spends most of its VM time.
    case attributeEquals
    case headerEquals

    /// What an operand refers to; the verifier checks each against its table.
    public enum Operand: Sendable, Equatable {
        case none
        case authenticators
        case flag
        case constant
        case string
        case attribute
        case parameter
        case target
        case limit
        case csrf
        case status
        case size
        case route
        case fixedResponse
        case service
        case milliseconds
    }

    public struct Info: Sendable {
        public var mnemonic: String
        public var a: Operand
        public var b: Operand
        /// Values popped from and pushed onto the condition stack.
        public var pops: Int
        public var pushes: Int
        /// Ends the program: the decision is made.
        public var isTerminal: Bool
        /// One line for docs/bytecode.md.
        public var effect: String
    }

    public var info: Info {
        switch self {
        case .authenticate: Info(mnemonic: "AUTHENTICATE", a: .authenticators, b: .flag, pops: 0, pushes: 0, isTerminal: false,
                                 effect: "establish the principal with one of the authenticators in mask `a` (bit 0 API key, bit 1+i JWT issuer i); when `b` is 1 and none succeeds, deny 401")
        case .requireRoles: Info(mnemonic: "REQUIRE_ROLES", a: .constant, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                 effect: "deny 403 unless the principal holds one of the roles in string set `a` (inheriting roles already expanded)")
        case .requirePermissions: Info(mnemonic: "REQUIRE_PERMISSIONS", a: .constant, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                       effect: "deny 403 unless the principal's roles grant every permission in string set `a`")
        case .principalRateLimit: Info(mnemonic: "PRINCIPAL_LIMIT", a: .none, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                  effect: "take a token from each of the principal's own limits (its roles' and its API key plan's); deny 429 when one is empty")
        case .rateLimit: Info(mnemonic: "RATE_LIMIT", a: .limit, b: .none, pops: 0, pushes: 0, isTerminal: false,
                              effect: "take a token from limit `a`, keyed as the limit says; deny 429 when empty")
        case .checkCSRF: Info(mnemonic: "CHECK_CSRF", a: .csrf, b: .none, pops: 0, pushes: 0, isTerminal: false,
                              effect: "for unsafe methods with cookie credentials, apply CSRF policy `a`; deny 403 on failure")
        case .checkContentType: Info(mnemonic: "CHECK_CONTENT_TYPE", a: .constant, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                     effect: "deny 415 when a request body's media type is not in string set `a`")
        case .checkBodySize: Info(mnemonic: "CHECK_BODY_SIZE", a: .size, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                  effect: "deny 413 when the request body is larger than `a` bytes")
        case .pushConstant: Info(mnemonic: "PUSH", a: .constant, b: .none, pops: 0, pushes: 1, isTerminal: false,
                                 effect: "push constant `a`")
        case .loadAttribute: Info(mnemonic: "LOAD_ATTR", a: .attribute, b: .none, pops: 0, pushes: 1, isTerminal: false,
                                  effect: "push request, principal or time attribute `a`")
        case .loadHeader: Info(mnemonic: "LOAD_HEADER", a: .string, b: .none, pops: 0, pushes: 1, isTerminal: false,
                               effect: "push the value of request header `a` (lower-case name), or absent")
        case .loadQuery: Info(mnemonic: "LOAD_QUERY", a: .string, b: .none, pops: 0, pushes: 1, isTerminal: false,
                              effect: "push the value of query parameter `a`, or absent")
        case .loadParam: Info(mnemonic: "LOAD_PARAM", a: .parameter, b: .none, pops: 0, pushes: 1, isTerminal: false,
                              effect: "push path parameter number `a` of the matched route")
        case .loadClaim: Info(mnemonic: "LOAD_CLAIM", a: .string, b: .none, pops: 0, pushes: 1, isTerminal: false,
                              effect: "push the principal's claim at dotted path `a` as a string, or absent")
        case .equal: Info(mnemonic: "EQ", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push lhs == rhs (absent equals only absent)")
        case .notEqual: Info(mnemonic: "NE", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push lhs != rhs")
        case .less: Info(mnemonic: "LT", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push lhs < rhs (integers)")
        case .lessOrEqual: Info(mnemonic: "LE", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push lhs <= rhs (integers)")
        case .greater: Info(mnemonic: "GT", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push lhs > rhs (integers)")
        case .greaterOrEqual: Info(mnemonic: "GE", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push lhs >= rhs (integers)")
        case .contains: Info(mnemonic: "IN", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push whether string lhs is in list rhs")
        case .not: Info(mnemonic: "NOT", a: .none, b: .none, pops: 1, pushes: 1, isTerminal: false, effect: "push the negation of a boolean")
        case .startsWith: Info(mnemonic: "STARTS_WITH", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push whether lhs starts with rhs (absent: false)")
        case .endsWith: Info(mnemonic: "ENDS_WITH", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push whether lhs ends with rhs (absent: false)")
        case .stringContains: Info(mnemonic: "CONTAINS", a: .none, b: .none, pops: 2, pushes: 1, isTerminal: false, effect: "push whether lhs contains rhs (absent: false)")
        case .jumpIfFalse: Info(mnemonic: "JUMP_FALSE", a: .target, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                effect: "if the top boolean is false, continue at `a` keeping it; otherwise pop it (short-circuit `&&`)")
        case .jumpIfTrue: Info(mnemonic: "JUMP_TRUE", a: .target, b: .none, pops: 0, pushes: 0, isTerminal: false,
                               effect: "if the top boolean is true, continue at `a` keeping it; otherwise pop it (short-circuit `||`)")
        case .assert: Info(mnemonic: "ASSERT", a: .string, b: .none, pops: 1, pushes: 0, isTerminal: false,
                           effect: "pop a boolean; deny 403 naming condition `a` when false")
        case .deny: Info(mnemonic: "DENY", a: .status, b: .string, pops: 0, pushes: 0, isTerminal: true,
                         effect: "answer with a problem+json error of status `a`, detail `b`")
        case .setRequestHeader: Info(mnemonic: "SET_REQ_HEADER", a: .string, b: .string, pops: 0, pushes: 0, isTerminal: false,
                                     effect: "set upstream request header `a` to `b`")
        case .removeRequestHeader: Info(mnemonic: "DEL_REQ_HEADER", a: .string, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                        effect: "remove upstream request header `a`")
        case .setResponseHeader: Info(mnemonic: "SET_RESP_HEADER", a: .string, b: .string, pops: 0, pushes: 0, isTerminal: false,
                                      effect: "set client response header `a` to `b`")
        case .removeResponseHeader: Info(mnemonic: "DEL_RESP_HEADER", a: .string, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                         effect: "remove client response header `a`")
        case .rewritePath: Info(mnemonic: "REWRITE", a: .route, b: .none, pops: 0, pushes: 0, isTerminal: false,
                                effect: "send the upstream route `a`'s path template, filled with the matched parameters")
        case .respond: Info(mnemonic: "RESPOND", a: .fixedResponse, b: .none, pops: 0, pushes: 0, isTerminal: true,
                            effect: "answer with fixed response `a`")
        case .proxy: Info(mnemonic: "PROXY", a: .service, b: .milliseconds, pops: 0, pushes: 0, isTerminal: true,
                          effect: "forward to service `a` with a timeout of `b` ms")
        case .attributeEquals: Info(mnemonic: "ATTR_EQ", a: .attribute, b: .constant, pops: 0, pushes: 1, isTerminal: false,
                                    effect: "push whether attribute `a` equals constant `b` (`LOAD_ATTR a; PUSH b; EQ` in one)")
        case .headerEquals: Info(mnemonic: "HEADER_EQ", a: .string, b: .constant, pops: 0, pushes: 1, isTerminal: false,
                                 effect: "push whether request header `a` equals constant `b`; absent equals only null (`LOAD_HEADER a; PUSH b; EQ` in one)")
        }
    }
}

/// One fixed-width instruction: an opcode and two 32-bit operands.
public struct Instruction: Sendable, Hashable {
    public var opcode: Opcode
    public var a: UInt32
    public var b: UInt32

    public init(_ opcode: Opcode, _ a: UInt32 = 0, _ b: UInt32 = 0) {
        self.opcode = opcode
        self.a = a
        self.b = b
    }
}

/// Request, principal and time attributes a condition can read (`LOAD_ATTR a`).
public enum Attribute: UInt32, CaseIterable, Sendable {
    case requestMethod, requestPath, requestHost, requestIP
    case principalID, principalRoles, principalScopes, principalAuthenticated, principalMethod
    case timeHour, timeMinute, timeWeekday, timeDay

    /// The name written in conditions, e.g. `time.weekday`.
    public var path: String {
        switch self {
        case .requestMethod: "request.method"
        case .requestPath: "request.path"
        case .requestHost: "request.host"
        case .requestIP: "request.ip"
        case .principalID: "principal.id"
        case .principalRoles: "principal.roles"
        case .principalScopes: "principal.scopes"
        case .principalAuthenticated: "principal.authenticated"
        case .principalMethod: "principal.method"
        case .timeHour: "time.hour"
        case .timeMinute: "time.minute"
        case .timeWeekday: "time.weekday"
        case .timeDay: "time.day"
        }
    }
}
