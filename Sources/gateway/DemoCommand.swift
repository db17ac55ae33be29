import Artifact
import ArgumentParser
import Foundation
import Harness
import Runtime

/// `gateway demo`: the Forex platform's gateway on the example specs, with built-in
/// mock backends and test credentials, and curl commands to try it.
struct DemoCommand: ServingCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve the example specs with built-in mock backends, a demo JWT and a demo API key.",
        discussion: """
            Credentials come from golden/forex-platform (its secrets.yaml and test keys: public, \
            never for production). --check sends the sample requests itself and exits.
            """
    )

    @Option(help: "The specs to serve.")
    var specs: String = "specs"
    @Option(help: "The golden suite whose secrets.yaml and keys/ give the demo its credentials.")
    var credentials: String = "golden/forex-platform"
    @Option(help: "Port to listen on (0 picks one).")
    var port: Int = 8080
    @Flag(help: "Send the sample requests, print what came back, and exit (non-zero if any was unexpected).")
    var check = false

    func serve() async throws {
        let compiled = try CompiledSpecs.compile([specs])
        guard let artifact = compiled.artifact else { throw ExitCode(1) }
        let authenticator: CredentialAuthenticator
        do {
            guard let loaded = try GoldenSuite().credentials(for: artifact, in: credentials) else {
                throw UsageError(message: "\(credentials) has no secrets.yaml to take demo credentials from")
            }
            authenticator = loaded
        } catch let error as GoldenSuite.SuiteError {
            throw UsageError(message: error.description)
        }
        let backend = MockForexBackend()
        let backendPort = try await backend.start()
        var configuration = ServerConfiguration(artifact: artifact, host: "127.0.0.1", port: port)
        configuration.upstreamOverrides = Dictionary(uniqueKeysWithValues: artifact.services.map { ($0.name, [UpstreamAddress(host: "127.0.0.1", port: backendPort)]) })
        // --check prints its own lines; the interactive demo shows the access log as traffic arrives.
        let server = GatewayServer(engine: Engine(artifact: artifact, authenticator: authenticator), configuration: configuration,
                                   accessLog: AccessLog(descriptor: check ? -1 : 1))
        let bound: Int
        do { bound = try await server.start() } catch {
            await backend.stop()
            throw UsageError(message: "cannot listen on 127.0.0.1:\(port) (\(error)); try --port 0")
        }
        let samples = try DemoSamples(port: bound, credentials: credentials)
        if check {
            let passed = samples.check()
            await server.shutdown(deadline: .seconds(2))
            await backend.stop()
            if !passed { throw ExitCode(1) }
            return
        }
        FileHandleOutput.standardOutput(samples.banner(routes: artifact.routes.count, backendPort: backendPort))
        await SignalHandling().run(reload: {}, stop: {
            await server.shutdown(deadline: .seconds(5))
            await backend.stop()
        })
    }
}

/// The demo's credentials and the requests worth trying.
struct DemoSamples {
    let port: Int
    let token: String
    let apiKey: String

    init(port: Int, credentials: String) throws {
        self.port = port
        let now = Int(Date().timeIntervalSince1970)
        let claims = #"{"iss":"https://sso.forex.example","aud":"forex-api","sub":"u-200","realm_access":{"roles":["trader"]},"scope":"openid trading","account_id":"ACC42","iat":\#(now),"exp":\#(now + 3_600)}"#
        let pem = try SecretInput.read("file:\(credentials)/keys/sso-rs256.pem")
        do { token = try SigningKey.pem(pem).token(.rs256, claims: claims, keyID: "sso-rs-2026") } catch { throw UsageError(message: "\(error)") }
        let tokens = try SecretInput.read("file:\(credentials)/keys/tokens.txt")
        guard let line = tokens.split(separator: "\n").first(where: { $0.hasPrefix("api-key-risk-engine-prod: ") }) else {
            throw UsageError(message: "\(credentials)/keys/tokens.txt has no demo API key")
        }
        apiKey = String(line.dropFirst("api-key-risk-engine-prod: ".count))
    }

    struct Sample {
        var title: String
        var method: String
        var path: String
        var headers: [(String, String)]
        var body: String = ""
        /// Acceptable statuses (orders are refused outside FX market hours).
        var expected: [Int]
    }

    var samples: [Sample] {
        let bearer = ("Authorization", "Bearer \(token)")
        return [
            Sample(title: "the gateway's own health", method: "GET", path: "/healthz", headers: [], expected: [200]),
            Sample(title: "a quote, as trader u-200 (JWT)", method: "GET", path: "/api/v1/quotes/EURUSD", headers: [bearer], expected: [200]),
            Sample(title: "their own balance, in the response envelope", method: "GET", path: "/api/v1/accounts/ACC42/balance", headers: [bearer], expected: [200]),
            Sample(title: "someone else's balance: 403", method: "GET", path: "/api/v1/accounts/ACC43/balance", headers: [bearer], expected: [403]),
            Sample(title: "an order (403 when the FX market is closed)", method: "POST", path: "/api/v1/orders",
                   headers: [bearer, ("Content-Type", "application/json")], body: #"{"pair":"EURUSD","side":"buy","qty":100000}"#, expected: [201, 403]),
            Sample(title: "every position, as the risk engine (API key)", method: "GET", path: "/api/v1/positions/all", headers: [("X-API-Key", apiKey)], expected: [200]),
            Sample(title: "no credentials: 401 problem+json", method: "GET", path: "/api/v1/orders", headers: [], expected: [401]),
            Sample(title: "an encoded slash, a classic escape: 400", method: "GET", path: "/api/v1/quotes/EURUSD%2f..%2fadmin", headers: [bearer], expected: [400]),
        ]
    }

    func curl(_ sample: Sample) -> String {
        var parts = ["curl -si"]
        if sample.method != "GET" { parts.append("-X \(sample.method)") }
        parts.append("'http://127.0.0.1:\(port)\(sample.path)'")
        for (name, value) in sample.headers { parts.append("-H '\(name): \(value)'") }
        if !sample.body.isEmpty { parts.append("-d '\(sample.body)'") }
        return parts.joined(separator: " ")
    }

    func banner(routes: Int, backendPort: Int) -> String {
        var text = "gateway demo: \(routes) routes on http://127.0.0.1:\(port), mock backends on 127.0.0.1:\(backendPort). Ctrl-C stops.\n\n"
        text += "TOKEN='\(token)'\nAPI_KEY='\(apiKey)'\n\n"
        for sample in samples {
            text += "# \(sample.title)\n" + curl(sample).replacingOccurrences(of: token, with: "$TOKEN").replacingOccurrences(of: apiKey, with: "$API_KEY")
                .replacingOccurrences(of: "'Authorization: Bearer $TOKEN'", with: "\"Authorization: Bearer $TOKEN\"")
                .replacingOccurrences(of: "'X-API-Key: $API_KEY'", with: "\"X-API-Key: $API_KEY\"") + "\n"
        }
        return text
    }

    /// Sends every sample; prints one line each.
    func check() -> Bool {
        var passed = true
        for sample in samples {
            let reply = LoopbackClient.send(port: port, method: sample.method, path: sample.path, headers: sample.headers, body: sample.body)
            let status = reply?.status ?? 0
            let ok = sample.expected.contains(status)
            passed = passed && ok
            let body = reply?.body.prefix(100) ?? "(no reply)"
            FileHandleOutput.standardOutput("\(ok ? "ok  " : "FAIL") \(status) \(sample.method) \(sample.path)  \(sample.title)\n     \(body)\n")
        }
        FileHandleOutput.standardOutput(passed ? "demo check passed\n" : "demo check FAILED\n")
        return passed
    }
}
