import Artifact
import ArgumentParser
import Compiler
import Foundation
import GatewayDSL

/// `gateway compile [SPECS...] -o build/gateway.gwc`: specs in, one artifact out.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile gateway specs into one deterministic, checksummed artifact.",
        discussion: "Exit status: 0 written, 1 spec errors, 2 usage problems (such as an unreadable signing key)."
    )

    @Argument(help: "Spec files or folders.")
    var paths: [String] = ["specs"]

    @Option(name: .shortAndLong, help: "Where to write the artifact.")
    var output: String = "build/gateway.gwc"

    @Option(name: .long, help: "Sign with this Ed25519 private key (PEM), given as env:NAME or file:PATH.")
    var signKey: String?

    @Option(name: .long, help: "Diagnostics format: text, json or github.")
    var format: DiagnosticRenderer.Format = .text

    func run() throws {
        let key = try signKey.map(SecretInput.read)
        let compiled = try CompiledSpecs.compile(paths, options: Compiler.Options(signingKeyPEM: key), format: format)
        guard let bytes = compiled.bytes, let artifact = compiled.artifact else { throw ExitCode(1) }
        let url = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw UsageError(message: "cannot write \(output): \(error.localizedDescription)")
        }
        let header = try? ArtifactHeader.decodeHeader(bytes)
        FileHandleOutput.standardOutput(
            "wrote \(output): \(bytes.count) bytes, sha256 \(header?.hashHex ?? "?")\(key != nil ? ", signed" : ""), "
                + "\(artifact.routes.count) routes, \(artifact.code.count) instructions\n")
    }
}

/// Loading plus compiling; diagnostics go to standard error so standard output
/// stays the command's own result.
enum CompiledSpecs {
    static func compile(_ paths: [String], options: Compiler.Options = .init(), format: DiagnosticRenderer.Format = .text) throws -> Compiler.Result {
        let loaded: (load: SpecLoader.Result, compiled: Compiler.Result?)
        do {
            loaded = try Compiler(options: options).compile(paths: paths)
        } catch {
            throw UsageError(message: error.description)
        }
        let diagnostics = (loaded.load.diagnostics + (loaded.compiled?.diagnostics ?? [])).sorted()
        if !diagnostics.isEmpty {
            FileHandleOutput.standardError(DiagnosticRenderer(format: format, sources: loaded.load.sources).render(diagnostics))
        }
        return loaded.compiled ?? Compiler.Result(artifact: nil, bytes: nil, diagnostics: diagnostics)
    }
}

/// Reads `env:NAME` or `file:PATH` given on the command line.
enum SecretInput {
    static func read(_ reference: String) throws -> String {
        switch SecretReference(parsing: reference) {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw UsageError(message: "environment variable \(name) is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw UsageError(message: "cannot read \(path)") }
            return String(decoding: data, as: UTF8.self)
        case nil:
            throw UsageError(message: "a key is given as env:NAME or file:PATH, never inline")
        }
    }
}
