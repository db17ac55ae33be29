import Artifact
import BenchSupport
import CAllocCounter
import Dispatch
import Foundation
import Runtime

// Identity and limits: JWT verification per algorithm beside `openssl speed` on the
// same machine, a verification-cache hit, and a rate-limit check with two threads
// contending. Run from the repository root (it reads the test keys in
// Tests/RuntimeTests/Fixtures/keys).
// Usage: auth-bench [--reps 7] [--iterations 2000] [--alg HS256]

func option(_ name: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}

let reps = Int(option("--reps") ?? "") ?? 7
let iterations = Int(option("--iterations") ?? "") ?? 2_000
let onlyAlgorithm = option("--alg")
let keysFolder = "Tests/RuntimeTests/Fixtures/keys/"

/// Median ns per call over the runs, and allocations per call in the last run.
func measure(count: Int, _ body: () -> Void) -> (ns: Double, allocs: Double) { BenchSupport.measure(reps: reps, count: count, body) }

func read(_ name: String) -> String {
    guard let data = FileManager.default.contents(atPath: keysFolder + name) else {
        print("error: cannot read \(keysFolder + name) (run from the repository root)")
        exit(2)
    }
    return String(decoding: data, as: UTF8.self)
}

/// `openssl speed` verify rates on this machine, as ns per verification.
func opensslSpeed() -> [String: Double] {
    func run(_ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["speed", "-seconds", "1"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
    var figures: [String: Double] = [:]
    for line in run(["rsa2048", "ecdsap256", "ed25519"]).split(separator: "\n") {
        let fields = line.split(separator: " ").map(String.init)
        guard let verifies = fields.last.flatMap(Double.init), verifies > 0 else { continue }
        if line.hasPrefix("rsa 2048") { figures["RS256"] = 1e9 / verifies }
        if line.contains("ecdsa (nistp256)") { figures["ES256"] = 1e9 / verifies }
        if line.contains("EdDSA (Ed25519)") { figures["EdDSA"] = 1e9 / verifies }
    }
    // HMAC-SHA256 over 512-byte blocks (about a token's signing input).
    for line in run(["-bytes", "512", "-hmac", "sha256"]).split(separator: "\n") where line.hasPrefix("hmac(sha256)") {
        if let rate = line.split(separator: " ").last.map({ String($0.dropLast()) }).flatMap(Double.init), rate > 0 {
            figures["HS256"] = 512 / (rate * 1_000) * 1e9
        }
    }
    return figures
}

let claims = #"{"iss":"https://sso.bench","aud":"forex-api","sub":"u-200","realm_access":{"roles":["trader"]},"scope":"openid trading","account_id":"ACC42","iat":1767612600,"exp":1767618000}"#
let now: Int64 = 1_767_614_400_000
let secret = Array("bench-secret-0123456789abcdef0123".utf8)
let cases: [(JWSAlgorithm, SigningKey, VerificationKey)] = [
    (.hs256, .hmac(secret), .hmac(secret)),
    (.rs256, try SigningKey.pem(read("rsa.pem")), try VerificationKey.pem(read("rsa.pub.pem"))),
    (.es256, try SigningKey.pem(read("p256.pem")), try VerificationKey.pem(read("p256.pub.pem"))),
    (.edDSA, try SigningKey.pem(read("ed25519.pem")), try VerificationKey.pem(read("ed25519.pub.pem"))),
]
let peers = opensslSpeed()
print("# \(reps) repetitions; median ns per operation; token \(claims.utf8.count)-byte claims; peers: openssl speed (verify only, no JWT parsing)")
for (algorithm, signer, key) in cases where onlyAlgorithm == nil || onlyAlgorithm == algorithm.rawValue {
    let settings = AuthSettings.Issuer(name: "bench", issuer: "https://sso.bench", audiences: ["forex-api"], algorithms: [algorithm.rawValue],
                                       keyKind: .pem, keyReference: "file:bench", leewayMilliseconds: 30_000, subjectClaim: "sub",
                                       rolesClaim: "realm_access.roles", scopesClaim: "scope", cookie: nil, maxTokenBytes: 8_192)
    let verifier = try JWTIssuerVerifier(index: 0, settings: settings, keys: [key])
    let token = try signer.token(algorithm, claims: claims)
    let request = RequestHead(method: "GET", target: "/", headers: [("authorization", "Bearer " + token)])
    let uncached = CredentialAuthenticator(issuers: [verifier], apiKeys: nil, apiKeyHeader: nil, cache: TokenCache(capacity: 0))
    guard case .authenticated = uncached.authenticate(request, mask: 2, now: now) else {
        print("error: \(algorithm.rawValue) token does not verify")
        exit(1)
    }
    let count = algorithm == .hs256 ? iterations * 20 : iterations
    let verify = measure(count: count) { _ = uncached.authenticate(request, mask: 2, now: now) }
    let peer = peers[algorithm.rawValue].map { " openssl-speed-ns=\(Int($0.rounded())) ratio=\(String(format: "%.2f", verify.ns / $0))" } ?? ""
    print("jwt alg=\(algorithm.rawValue) ns=\(Int(verify.ns.rounded())) allocs=\(String(format: "%.1f", verify.allocs))\(peer)")
    if algorithm == .rs256 {
        let cached = CredentialAuthenticator(issuers: [verifier], apiKeys: nil, apiKeyHeader: nil)
        _ = cached.authenticate(request, mask: 2, now: now)
        let hit = measure(count: iterations * 50) { _ = cached.authenticate(request, mask: 2, now: now) }
        print("jwt-cache-hit alg=RS256 ns=\(Int(hit.ns.rounded())) allocs=\(String(format: "%.1f", hit.allocs)) speedup=\(String(format: "%.0f", verify.ns / hit.ns))x")
    }
}

// Two threads take tokens from one limit: per-client keys over a shared table, plus
// every 8th check on one hot key both threads want.
let limiter = InMemoryRateLimiter()
let limit = LimitEntry(count: 1_000_000, periodMilliseconds: 1_000, burst: 1_000_000, key: .principal, scope: "bench")
let keys = (0..<1_024).map { "client-\($0)" }
let perThread = iterations * 100
var contended: [Double] = []
var allocations: UInt64 = 0
for rep in 0..<reps {
    if rep == reps - 1 { alloc_counter_start() }
    let start = ContinuousClock.now
    DispatchQueue.concurrentPerform(iterations: 2) { thread in
        for index in 0..<perThread {
            let key = index % 8 == 0 ? keys[0] : keys[(index &* 31 &+ thread) % keys.count]
            _ = limiter.take(limit, index: 0, key: key, now: now + Int64(rep))
        }
    }
    let elapsed = ContinuousClock.now - start
    if rep == reps - 1 {
        alloc_counter_stop()
        allocations = alloc_counter_allocations()
    }
    contended.append(seconds(elapsed) * 1e9 / Double(perThread))
}
let single = measure(count: perThread) { _ = limiter.take(limit, index: 0, key: keys[1], now: now) }
print("ratelimit threads=2 ns=\(Int(contended.sorted()[contended.count / 2].rounded())) allocs=\(String(format: "%.1f", Double(allocations) / Double(2 * perThread)))")
print("ratelimit-peer threads=1 ns=\(Int(single.ns.rounded())) allocs=\(String(format: "%.1f", single.allocs))")
