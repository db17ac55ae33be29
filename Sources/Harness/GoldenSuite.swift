import Artifact
import Compiler
import Foundation
import GatewayDSL
import Runtime

/// Finds, reads and runs a golden folder against compiled specs: what `gateway test`
/// and the test suite both do.
public struct GoldenSuite {
    public var diagnostics: [Diagnostic] = []
    public var sources: [String: SourceText] = [:]

    public init() {}

    /// The cases under `folder`: every `.yaml` file below a `cases` folder.
    public mutating func cases(in folder: String) throws(SpecLoader.InputError) -> [GoldenCase] {
        let files = try SpecLoader.discover([folder]).filter { $0.contains("/cases/") || $0.hasPrefix("cases/") }
        var reader = GoldenFileReader()
        var cases: [GoldenCase] = []
        let workingDirectory = FileManager.default.currentDirectoryPath + "/"
        for file in files {
            let name = file.hasPrefix(workingDirectory) ? String(file.dropFirst(workingDirectory.count)) : file
            let bytes = [UInt8](FileManager.default.contents(atPath: file) ?? Data())
            sources[name] = SourceText(file: name, text: String(decoding: bytes, as: UTF8.self))
            cases += reader.read(bytes, file: name)
        }
        diagnostics += reader.bag.sorted
        return cases
    }

    /// The authenticator for cases that present real credentials (a bearer token, an
    /// API key) instead of naming a `principal`: the artifact's issuers and key store,
    /// with the spec's secret references pointed at test keys by the suite's
    /// `secrets.yaml`. Nil when the suite has no `secrets.yaml`.
    public func credentials(for artifact: Artifact, in folder: String) throws(SuiteError) -> CredentialAuthenticator? {
        let files: [String]
        do { files = try SpecLoader.discover([folder]).filter { $0.hasSuffix("/secrets.yaml") || $0 == "secrets.yaml" } } catch {
            throw SuiteError(description: error.description)
        }
        guard let file = files.first else { return nil }
        guard files.count == 1 else { throw SuiteError(description: "more than one secrets.yaml under \(folder): \(files.joined(separator: ", "))") }
        let result = YAMLReader().read([UInt8](FileManager.default.contents(atPath: file) ?? Data()), file: file)
        guard case .mapping(let top)? = result.root, case .mapping(let secrets)? = top["secrets"] else {
            throw SuiteError(description: "\(file): expected `secrets:` mapping spec references to test references")
        }
        var overrides: [String: String] = [:]
        for entry in secrets.entries {
            guard case .scalar(let value) = entry.value else { throw SuiteError(description: "\(entry.key.location): expected a reference") }
            overrides[entry.key.value] = value.value
        }
        let directory = (file as NSString).deletingLastPathComponent
        do {
            return try CredentialAuthenticator.load(artifact, secrets: SecretResolver(overrides: overrides, overrideDirectory: directory))
        } catch {
            throw SuiteError(description: "\(file): \(error.description)")
        }
    }

    public struct SuiteError: Error, CustomStringConvertible {
        public var description: String
    }
}
