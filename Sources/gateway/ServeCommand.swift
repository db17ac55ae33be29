import Artifact
import ArgumentParser
import Foundation
import Harness
import Runtime

/// `gateway serve [SPECS]`: compiles the specs in memory and serves them, for
/// development. Production runs `gatewayd` with a compiled, signed artifact.
struct ServeCommand: ServingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Compile specs in memory and serve them (development; production runs gatewayd).",
        discussion: """
            Secret references resolve from the environment and --secrets-dir, or through a golden \
            suite's secrets.yaml with --credentials (test keys). SIGHUP recompiles the specs; a spec \
            with errors is refused and the running program stays.
            """
    )

    @Argument(help: "Spec files or folders (default: specs).")
    var paths: [String] = []
    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks one).")
    var port: Int = 8080
    @Option(help: "Folder that relative file: secret references are read from.")
    var secretsDir: String = "."
    @Option(help: "A golden suite whose secrets.yaml maps the specs' secrets to test keys.")
    var credentials: String?
    @Option(name: .customLong("upstream"), help: "Send a service's traffic to host:port instead of its endpoints (service=host:port), repeatable.")
    var upstreams: [String] = []
    @Option(help: "Record every exchange as a golden case in DIR/cases/recorded.yaml (credentials replaced by the principal).")
    var record: String?

    func serve() async throws {
        let paths = paths.isEmpty ? ["specs"] : paths
        let limiter = InMemoryRateLimiter()
        let engine = try Self.engine(paths, credentials: credentials, secretsDir: secretsDir, limiter: limiter)
        var configuration = ServerConfiguration(artifact: engine.artifact, host: host, port: port)
        for entry in upstreams {
            guard let (service, address) = UpstreamAddress.override(entry) else { throw UsageError(message: "--upstream takes service=host:port, not \(entry)") }
            configuration.upstreamOverrides[service, default: []].append(address)
        }
        if let record {
            do { configuration.recorder = try GoldenRecorder(directory: record, apiKeyHeader: engine.artifact.auth.apiKeys?.header) } catch {
                throw UsageError(message: "cannot record into \(record): \(error)")
            }
        }
        let server = GatewayServer(engine: engine, configuration: configuration)
        let bound = try await server.start()
        ServerLog.line("gateway serve: \(engine.artifact.routes.count) routes from \(paths.joined(separator: " ")) on \(host):\(bound)"
                       + (record.map { ", recording into \($0)/cases/recorded.yaml" } ?? ""))
        let (credentials, secretsDir) = (credentials, secretsDir)
        await SignalHandling().run(
            reload: {
                do {
                    server.replaceEngine(try Self.engine(paths, credentials: credentials, secretsDir: secretsDir, limiter: limiter))
                    ServerLog.line("gateway serve: recompiled \(paths.joined(separator: " "))")
                } catch {
                    server.metrics.artifactReloadFailed()
                    ServerLog.line("gateway serve: reload refused, keeping the running program")
                }
            },
            stop: { await server.shutdown(deadline: .seconds(5)) })
    }

    static func engine(_ paths: [String], credentials: String?, secretsDir: String, limiter: InMemoryRateLimiter) throws -> Engine {
        let compiled = try CompiledSpecs.compile(paths)
        guard let artifact = compiled.artifact else { throw ExitCode(1) }
        var authenticator: any Runtime.Authenticator = NoAuthenticator()
        do {
            if let credentials {
                authenticator = try GoldenSuite().credentials(for: artifact, in: credentials) ?? NoAuthenticator()
            } else {
                authenticator = try CredentialAuthenticator.forArtifact(artifact, secrets: SecretResolver(baseDirectory: secretsDir))
            }
        } catch {
            throw UsageError(message: "\(error)")
        }
        return Engine(artifact: artifact, authenticator: authenticator, limiter: limiter)
    }
}
