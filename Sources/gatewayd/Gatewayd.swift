import ArgumentParser
import Artifact
import Dispatch
import Runtime
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `gatewayd`: serves a compiled artifact. Runtime only: no YAML, no compiler.
/// Every option can also come from a `GATEWAY_*` environment variable (the flag wins).
@main
struct Gatewayd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatewayd",
        abstract: "Serve a compiled gateway artifact over HTTP/1.1.",
        discussion: """
            Environment: GATEWAY_ARTIFACT, GATEWAY_PUBLIC_KEY, GATEWAY_HOST, GATEWAY_PORT, GATEWAY_THREADS, \
            GATEWAY_SECRETS_DIR, GATEWAY_UPSTREAMS (comma-separated service=host:port), GATEWAY_ADMIN_PORT, \
            GATEWAY_DRAIN_SECONDS, GATEWAY_TRUSTED_PROXIES, GATEWAY_ADMIN_HOST, GATEWAY_RATE_LIMIT_STORE, \
            GATEWAY_RATE_LIMIT_TIMEOUT_MS. The admin listener (127.0.0.1 unless told) serves /metrics, /healthz, /readyz and \
            /admin/routes; the access log is one JSON line per request on standard output. \
            SIGHUP reloads the artifact (a bad one is refused and the old one stays); SIGTERM drains and stops.
            """
    )

    @Option(help: "The compiled artifact (gateway compile -o ...).")
    var artifact: String?
    @Option(help: "Refuse the artifact unless it is signed by this Ed25519 public key (PEM file).")
    var publicKey: String?
    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?
    @Option(help: "Port to listen on (default 8080; 0 picks one).")
    var port: Int?
    @Option(help: "Event loop threads (default 1).")
    var threads: Int?
    @Option(help: "Folder that relative file: secret references are read from (default: the working directory).")
    var secretsDir: String?
    @Option(name: .customLong("upstream"), help: "Send a service's traffic to host:port instead of its endpoints (service=host:port), repeatable.")
    var upstreams: [String] = []
    @Option(help: "Seconds in-flight requests get to finish on SIGTERM (default 10).")
    var drainSeconds: Int?
    @Option(help: "Port of the admin listener (default 9090; 0 picks one).")
    var adminPort: Int?
    @Option(help: "Address of the admin listener (default 127.0.0.1; 0.0.0.0 in a container, so probes and Prometheus reach it).")
    var adminHost: String?
    @Flag(help: "Run without the admin listener.")
    var noAdmin = false
    @Flag(help: "Write no access log (benchmarks; the peers they compare with log nothing either).")
    var noAccessLog = false
    @Flag(help: "Reload when the artifact file changes (checked every second), as on SIGHUP.")
    var watch = false
    @Option(name: .customLong("trusted-proxy"), help: "A proxy (IP or CIDR) whose X-Forwarded-For/-Proto/-Host are believed, repeatable.")
    var trustedProxies: [String] = []
    @Option(help: "Share rate limits with other instances through this Redis (redis://host:port); default: in memory.")
    var rateLimitStore: String?
    @Option(help: "Milliseconds a rate-limit check waits for Redis before the limit fails open or closed (default 50).")
    var rateLimitTimeoutMs: Int?

    func run() async throws {
        let environment = Environment()
        guard let path = artifact ?? environment["GATEWAY_ARTIFACT"] else { throw ValidationError("--artifact (or GATEWAY_ARTIFACT) is required") }
        let boot = Boot(path: path, publicKeyPath: publicKey ?? environment["GATEWAY_PUBLIC_KEY"],
                        secrets: SecretResolver(baseDirectory: secretsDir ?? environment["GATEWAY_SECRETS_DIR"] ?? "."))
        let loaded: Boot.Loaded
        do { loaded = try boot.load() } catch { Self.fail("gatewayd: refusing \(path): \(error)") }
        var overrides: [String: [UpstreamAddress]] = [:]
        for entry in upstreams + (environment["GATEWAY_UPSTREAMS"]?.split(separator: ",").map(String.init) ?? []) {
            guard let (service, address) = UpstreamAddress.override(entry) else { throw ValidationError("--upstream takes service=host:port, not \(entry)") }
            overrides[service, default: []].append(address)
        }
        var configuration = ServerConfiguration(artifact: loaded.artifact, host: host ?? environment["GATEWAY_HOST"] ?? "127.0.0.1",
                                                port: port ?? environment["GATEWAY_PORT"].flatMap { Int($0) } ?? 8080)
        configuration.threads = threads ?? environment["GATEWAY_THREADS"].flatMap { Int($0) } ?? 1
        configuration.upstreamOverrides = overrides
        do {
            configuration.trustedProxies = try TrustedProxies(trustedProxies + (environment["GATEWAY_TRUSTED_PROXIES"]?.split(separator: ",").map(String.init) ?? []))
        } catch {
            throw ValidationError("--trusted-proxy: \(error)")
        }
        if let store = rateLimitStore ?? environment["GATEWAY_RATE_LIMIT_STORE"] {
            let timeout = rateLimitTimeoutMs ?? environment["GATEWAY_RATE_LIMIT_TIMEOUT_MS"].flatMap { Int($0) } ?? 50
            guard (1...10_000).contains(timeout) else { throw ValidationError("--rate-limit-timeout-ms takes 1 to 10000, not \(timeout)") }
            guard let parsed = RedisRateLimitStore.Configuration(url: store, timeout: .milliseconds(Int64(timeout))) else {
                // The value is not echoed: an address with user:password@ would put a secret in the log.
                throw ValidationError("--rate-limit-store takes redis://host:port (no credentials, no database number)")
            }
            configuration.rateLimitStore = parsed
        }
        let server = GatewayServer(engine: loaded.engine, configuration: configuration, accessLog: AccessLog(descriptor: noAccessLog ? -1 : 1))
        server.metrics.artifactLoaded(sha256: loaded.hash, atSeconds: Double(SystemClock().nowMilliseconds()) / 1_000, loadSeconds: loaded.seconds)
        let bound: Int
        do { bound = try await server.start() } catch { Self.fail("gatewayd: cannot listen on \(configuration.host):\(configuration.port): \(error)") }
        let admin = adminPort ?? environment["GATEWAY_ADMIN_PORT"].flatMap { Int($0) } ?? 9090
        var adminNote = ""
        if !noAdmin {
            let adminHost = adminHost ?? environment["GATEWAY_ADMIN_HOST"] ?? "127.0.0.1"
            do { adminNote = ", admin on \(adminHost):\(try await server.startAdmin(host: adminHost, port: admin))" } catch {
                Self.fail("gatewayd: cannot listen on \(adminHost):\(admin) for the admin endpoints: \(error)")
            }
        }
        ServerLog.line("gatewayd: serving \(loaded.artifact.routes.count) routes from \(path) (sha256 \(loaded.hash.prefix(12))) on \(configuration.host):\(bound)\(adminNote)")
        let current = Mutex(loaded.hash)
        let signals = SignalHandling()
        let reload: @Sendable () -> Void = {
                do {
                    let next = try boot.load(limiter: loaded.limiter)
                    server.replaceEngine(next.engine)
                    let previous = current.withLock { hash in defer { hash = next.hash }; return hash }
                    server.metrics.artifactLoaded(sha256: next.hash, replacing: previous, atSeconds: Double(SystemClock().nowMilliseconds()) / 1_000,
                                                  loadSeconds: next.seconds)
                    ServerLog.line("gatewayd: reloaded \(path) (sha256 \(next.hash.prefix(12))), \(next.artifact.routes.count) routes")
                } catch {
                    server.metrics.artifactReloadFailed()
                    ServerLog.line("gatewayd: reload refused, keeping the running artifact: \(error)")
                }
            }
        if watch { ArtifactWatcher(path: path).start(onChange: reload) }
        await signals.run(
            reload: reload,
            stop: {
                ServerLog.line("gatewayd: draining \(server.inFlight) in-flight requests")
                await server.shutdown(deadline: .seconds(drainSeconds ?? environment["GATEWAY_DRAIN_SECONDS"].flatMap { Int($0) } ?? 10))
                ServerLog.line("gatewayd: stopped")
            })
    }

    static func fail(_ line: String) -> Never {
        ServerLog.line(line)
        Glibc.exit(1)
    }
}

/// Loads and verifies an artifact and everything it references.
struct Boot: Sendable {
    let path: String
    let publicKeyPath: String?
    let secrets: SecretResolver

    struct Loaded: Sendable {
        let artifact: Artifact
        let engine: Engine
        let hash: String
        let limiter: InMemoryRateLimiter
        /// How long reading, verifying and loading took.
        let seconds: Double
    }

    struct BootError: Error, CustomStringConvertible {
        var description: String
    }

    /// `limiter` carries rate-limit state across reloads.
    func load(limiter: InMemoryRateLimiter = InMemoryRateLimiter()) throws -> Loaded {
        let start = ContinuousClock.now
        guard let bytes = FileBytes.read(path) else { throw BootError(description: "cannot read the file") }
        var publicKey: String?
        if let publicKeyPath {
            guard let key = FileBytes.read(publicKeyPath) else { throw BootError(description: "cannot read the public key \(publicKeyPath)") }
            publicKey = String(decoding: key, as: UTF8.self)
        }
        let artifact: Artifact
        do { artifact = try Artifact.decode(bytes, publicKeyPEM: publicKey) } catch { throw BootError(description: "\(error)") }
        let authenticator: any Runtime.Authenticator
        do { authenticator = try CredentialAuthenticator.forArtifact(artifact, secrets: secrets) } catch { throw BootError(description: "\(error)") }
        let engine = Engine(artifact: artifact, authenticator: authenticator, limiter: limiter)
        // The same hash `gateway compile` prints and the header carries.
        let hash = (try? ArtifactHeader.decodeHeader(bytes).hashHex) ?? "?"
        let elapsed = ContinuousClock.now - start
        return Loaded(artifact: artifact, engine: engine, hash: hash, limiter: limiter,
                      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}

struct Environment {
    subscript(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

