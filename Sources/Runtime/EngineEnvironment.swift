import Artifact
import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// Time as the engine sees it: milliseconds since the Unix epoch, UTC.
public protocol GatewayClock: Sendable {
    func nowMilliseconds() -> Int64
}

/// The system clock.
public struct SystemClock: GatewayClock {
    public init() {}
    public func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A clock that says what it is told: golden tests set it per request.
public final class FixedClock: GatewayClock, @unchecked Sendable {
    // @unchecked: one writer (the harness, between requests), readers on the same thread.
    public var milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public func nowMilliseconds() -> Int64 { milliseconds }
}

/// Where request and trace identifiers come from (random in production, counted in tests).
public protocol IdentifierSource: Sendable {
    func requestID() -> String
    /// `count` random bytes as lower-case hex (16 for a trace id, 8 for a span id).
    func hex(bytes count: Int) -> String
    /// The same, written onto `out` (the server's path: no String between).
    func writeHex(bytes count: Int, to out: inout ByteWriter)
}

extension IdentifierSource {
    public func writeHex(bytes count: Int, to out: inout ByteWriter) { out.write(hex(bytes: count)) }
}

/// Random request and trace ids from OpenSSL's DRBG (RAND_bytes), through a pool per
/// thread (`RandomPool`), so an id costs neither a system call nor a lock.
public struct RandomIdentifiers: IdentifierSource {
    public init() {}

    public func requestID() -> String { hex(bytes: 16) }

    public func hex(bytes count: Int) -> String {
        let (words, wanted) = draw(count)
        // Written straight into the string's own storage.
        return String(unsafeUninitializedCapacity: wanted * 2) { storage in
            var out = ByteWriter(storage)
            out.write(hex: words.0, digits: min(wanted, 8) * 2)
            if wanted > 8 { out.write(hex: words.1, digits: (wanted - 8) * 2) }
            return out.count
        }
    }

    public func writeHex(bytes count: Int, to out: inout ByteWriter) {
        let (words, wanted) = draw(count)
        out.write(hex: words.0, digits: min(wanted, 8) * 2)
        if wanted > 8 { out.write(hex: words.1, digits: (wanted - 8) * 2) }
    }

    private func draw(_ count: Int) -> ((UInt64, UInt64), Int) {
        let wanted = min(count, 16)
        return (RandomPool.current.words(wanted), wanted)
    }
}

/// Deterministic identifiers for golden tests: `req-1`, `req-2`, ... and counted hex.
public final class CountingIdentifiers: IdentifierSource, @unchecked Sendable {
    // @unchecked: used by one harness thread.
    private var counter = 0
    public init() {}
    public func requestID() -> String {
        counter += 1
        return "req-\(counter)"
    }
    public func hex(bytes count: Int) -> String {
        counter += 1
        let digits = String(counter, radix: 16)
        return String(repeating: "0", count: max(0, count * 2 - digits.count)) + digits
    }
}

/// Who the caller is, once authenticated.
public struct Principal: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable { case jwt, apiKey = "api-key" }

    struct Fields: Sendable, Hashable {
        var id: String
        var roles: [String]
        var scopes: [String]
        var method: Method
        var claims: [String: String]
        var plan: String?
        var viaCookie: Bool
        var keyID: String?
        var issuer: Int?
        /// What the gateway tells upstreams about this principal, serialized when it
        /// is made: a cached principal (token cache, key store) serves many requests.
        var identityLines: [UInt8] = []
        /// `claims` as the VM's LOAD_CLAIM reads them.
        var claimTable = ClaimTable([:])

        mutating func serializeIdentity() {
            let (id, roles, method) = (id, roles, method)
            identityLines = ByteWriter.bytes(capacity: 64 + id.utf8.count + roles.reduce(0) { $0 + $1.utf8.count + 1 }) { out in
                out.writeLine("x-user-id: ", id)
                out.writeLine("x-roles: ", value: { out in
                    for (index, role) in roles.enumerated() {
                        if index > 0 { out.write(UInt8(ascii: ",")) }
                        out.write(role)
                    }
                })
                out.writeLine("x-auth-method: ", own: method.rawValue)
            }
        }
    }

    private var storage: CopyOnWriteBox<Fields>

    /// `x-user-id`, `x-roles` and `x-auth-method` lines, control characters replaced.
    var identityLines: [UInt8] { storage.value.identityLines }

    public var id: String {
        get { storage.value.id }
        set { CopyOnWriteBox.mutate(&storage) { $0.id = newValue; $0.serializeIdentity() } }
    }
    public var roles: [String] {
        get { storage.value.roles }
        set { CopyOnWriteBox.mutate(&storage) { $0.roles = newValue; $0.serializeIdentity() } }
    }
    public var scopes: [String] {
        get { storage.value.scopes }
        set { CopyOnWriteBox.mutate(&storage) { $0.scopes = newValue } }
    }
    public var method: Method {
        get { storage.value.method }
        set { CopyOnWriteBox.mutate(&storage) { $0.method = newValue; $0.serializeIdentity() } }
    }
    /// Claims as strings, by dotted path.
    public var claims: [String: String] {
        get { storage.value.claims }
        set { CopyOnWriteBox.mutate(&storage) { ($0.claims, $0.claimTable) = (newValue, ClaimTable(newValue)) } }
    }
    /// The API key's plan, for per-key limits.
    public var plan: String? {
        get { storage.value.plan }
        set { CopyOnWriteBox.mutate(&storage) { $0.plan = newValue } }
    }
    /// The credentials came from a cookie (CSRF applies).
    public var viaCookie: Bool {
        get { storage.value.viaCookie }
        set { CopyOnWriteBox.mutate(&storage) { $0.viaCookie = newValue } }
    }
    /// The API key's id: per-key limits count per key, even when one owner holds several.
    public var keyID: String? {
        get { storage.value.keyID }
        set { CopyOnWriteBox.mutate(&storage) { $0.keyID = newValue } }
    }
    /// The JWT issuer's index (for a cached token, whether a route accepts its issuer).
    public var issuer: Int? {
        get { storage.value.issuer }
        set { CopyOnWriteBox.mutate(&storage) { $0.issuer = newValue } }
    }

    public init(id: String, roles: [String], scopes: [String] = [], method: Method, claims: [String: String] = [:], plan: String? = nil,
                viaCookie: Bool = false, keyID: String? = nil, issuer: Int? = nil) {
        var fields = Fields(id: id, roles: roles, scopes: scopes, method: method, claims: claims, plan: plan,
                            viaCookie: viaCookie, keyID: keyID, issuer: issuer)
        fields.serializeIdentity()
        fields.claimTable = ClaimTable(claims)
        storage = CopyOnWriteBox(fields)
    }

    /// A claim by its dotted path, found by length and comparison rather than by
    /// hashing the name (a policy reads one or two per request).
    func claim(_ name: String) -> String? { storage.value.claimTable[name] }

    public static func == (lhs: Principal, rhs: Principal) -> Bool { lhs.storage === rhs.storage || lhs.storage.value == rhs.storage.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.value) }
}

extension Principal {
    /// Whether a route whose `AUTHENTICATE` mask is `mask` (bit 0 API key, bit 1+i
    /// JWT issuer i) accepts a principal authenticated this way.
    public func isAccepted(byMask mask: UInt32) -> Bool {
        if method == .apiKey { return mask & 1 != 0 }
        if let issuer { return issuer < 31 && mask & (1 << UInt32(issuer + 1)) != 0 }
        return mask & ~1 != 0
    }
}

/// A principal's claims by name, for the VM's LOAD_CLAIM: a short list compared by
/// length first, then bytes, rather than a hash of the name per lookup. One array, so
/// making a principal (once per verified token) costs one allocation more, not a
/// table's worth. Derived from `Principal.claims`, which the principal's equality
/// already compares, so it takes no part in equality itself.
struct ClaimTable: Sendable, Hashable {
    private let entries: [(name: String, value: String)]

    init(_ claims: [String: String]) { entries = claims.map { (name: $0.key, value: $0.value) } }

    subscript(name: String) -> String? {
        let length = name.utf8.count
        return entries.withUnsafeBufferPointer { entries in
            for index in entries.indices where entries[index].name.utf8.count == length && entries[index].name == name { return entries[index].value }
            return nil
        }
    }

    static func == (_: ClaimTable, _: ClaimTable) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

/// Establishes the principal from a request's credentials.
public protocol Authenticator: Sendable {
    /// `mask` says which authenticators the route accepts (bit 0 API key, bit 1+i
    /// issuer i); `now` is the engine's clock, for expiry.
    func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult
}

public enum AuthenticationResult: Sendable, Equatable {
    case authenticated(Principal)
    /// No credentials of an accepted kind were presented.
    case none
    /// Credentials were presented and are not valid; the detail never contains them.
    case failed(String)
}

/// Accepts nobody: what a runtime without configured authenticators uses.
public struct NoAuthenticator: Authenticator {
    public init() {}
    public func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult { .none }
}

/// Takes rate-limit tokens.
public protocol RateLimitStore: Sendable {
    /// Takes one token from `limit`'s bucket for `key` at `now`. `index` identifies
    /// the limit in the artifact; buckets of different limits never mix.
    func take(_ limit: LimitEntry, index: Int, key: String, now: Int64) -> RateDecision
}

public struct RateDecision: Sendable, Equatable {
    public var allowed: Bool
    /// Tokens left after this request.
    public var remaining: Int
    /// Milliseconds until a token is available again (for Retry-After), 0 when allowed.
    public var retryAfterMilliseconds: Int64
    /// Milliseconds until the bucket is full again (for the RateLimit reset).
    public var resetMilliseconds: Int64

    public init(allowed: Bool, remaining: Int, retryAfterMilliseconds: Int64, resetMilliseconds: Int64) {
        self.allowed = allowed
        self.remaining = remaining
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.resetMilliseconds = resetMilliseconds
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
