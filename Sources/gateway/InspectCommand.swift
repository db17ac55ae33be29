import Artifact
import ArgumentParser
import Foundation

/// `gateway inspect FILE.gwc`: the artifact as stable, reviewable text.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print an artifact: header, routing tree, tables and a disassembly with spec locations."
    )

    @Argument(help: "The artifact file.")
    var file: String

    @Option(name: .long, help: "Refuse the artifact unless it is signed by this Ed25519 public key (PEM file).")
    var publicKey: String?

    func run() throws {
        let artifact = try ArtifactFile.load(file, publicKeyPath: publicKey)
        FileHandleOutput.standardOutput(Disassembler(artifact).text())
    }
}

/// Reads and verifies an artifact file, turning failures into one clear line.
enum ArtifactFile {
    static func load(_ path: String, publicKeyPath: String? = nil) throws -> Artifact {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError(message: "cannot read \(path)") }
        var publicKey: String?
        if let publicKeyPath {
            guard let key = FileManager.default.contents(atPath: publicKeyPath) else { throw UsageError(message: "cannot read \(publicKeyPath)") }
            publicKey = String(decoding: key, as: UTF8.self)
        }
        do {
            return try Artifact.decode([UInt8](data), publicKeyPEM: publicKey)
        } catch {
            FileHandleOutput.standardError("error: \(path): \(error)\n")
            throw ExitCode(1)
        }
    }
}
