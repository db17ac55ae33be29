import Artifact
import ArgumentParser
import Foundation
import Compiler
import GatewayDSL

/// `gateway openapi [PATH...]`: the API the specs define, as OpenAPI 3.1 or Markdown.
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the API the specs define as an OpenAPI 3.1 document (or Markdown).",
        discussion: """
            Paths, methods, parameters and their constraints, security schemes (JWT bearer or cookie, API key), \
            the roles that may call each operation, rate limits and policies as x-gateway-* extensions, and the \
            problem+json errors the gateway answers itself. info.version is the compiled artifact's SHA-256. \
            Exit status: 0 written, 1 spec errors, 2 usage.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, markdown }

    @Argument(help: "Spec files or folders.")
    var paths: [String] = ["specs"]

    @Option(help: "json (OpenAPI 3.1) or markdown (docs/api-reference.md).")
    var format: Format = .json

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    func run() throws {
        let load: SpecLoader.Result, compiled: Compiler.Result?
        do { (load, compiled) = try Compiler().compile(paths: paths) } catch { throw UsageError(message: error.description) }
        let diagnostics = load.diagnostics + (compiled?.diagnostics ?? [])
        guard let spec = load.spec, let bytes = compiled?.bytes, !diagnostics.contains(where: { $0.severity == .error }) else {
            FileHandleOutput.standardError(DiagnosticRenderer(format: .text, sources: load.sources).render(diagnostics, summary: nil))
            throw ExitCode(1)
        }
        let hash = (try? ArtifactHeader.decodeHeader(bytes).hashHex) ?? "unknown"
        let document = OpenAPIGenerator(spec: spec, version: "sha256:" + hash).document()
        let text = format == .json ? document.pretty : APIReference(document: document).markdown
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw UsageError(message: "cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            FileHandleOutput.standardOutput(text)
        }
    }
}
