#if canImport(Glibc)
import Glibc
#endif

/// Resolves the secret references a spec names (`env:NAME`, `file:path`) when the
/// runtime boots; the artifact carries only the references. Relative files are read
/// from `baseDirectory`. `overrides` maps a reference to another one, so a golden
/// suite can point the spec's production references at test keys (`file:` relative
/// to `overrideDirectory`, or `text:` for a literal test value).
public struct SecretResolver: Sendable {
    public var baseDirectory: String
    public var overrides: [String: String]
    public var overrideDirectory: String

    public init(baseDirectory: String = ".", overrides: [String: String] = [:], overrideDirectory: String = ".") {
        self.baseDirectory = baseDirectory
        self.overrides = overrides
        self.overrideDirectory = overrideDirectory
    }

    /// The secret's bytes; a file's one trailing newline is dropped.
    public func resolve(_ reference: String) throws(KeyError) -> [UInt8] {
        if let replacement = overrides[reference] {
            if replacement.hasPrefix("text:") { return Array(replacement.utf8.dropFirst(5)) }
            return try read(replacement, directory: overrideDirectory, naming: reference)
        }
        return try read(reference, directory: baseDirectory, naming: reference)
    }

    /// The file a `file:` reference names (the key store is reloaded from it).
    public func filePath(_ reference: String) throws(KeyError) -> String {
        let (actual, directory) = overrides[reference].map { ($0, overrideDirectory) } ?? (reference, baseDirectory)
        guard actual.hasPrefix("file:") else { throw KeyError("\(reference) must be a file: reference") }
        return Self.path(String(actual.dropFirst(5)), in: directory)
    }

    private func read(_ reference: String, directory: String, naming original: String) throws(KeyError) -> [UInt8] {
        if reference.hasPrefix("env:") {
            let name = String(reference.dropFirst(4))
            guard let value = getenv(name) else { throw KeyError("\(original): the environment variable \(name) is not set") }
            return Array(String(cString: value).utf8)
        }
        if reference.hasPrefix("file:") {
            let path = Self.path(String(reference.dropFirst(5)), in: directory)
            guard var bytes = FileBytes.read(path) else { throw KeyError("\(original): cannot read \(path)") }
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
            return bytes
        }
        throw KeyError("\(original) is not an env: or file: reference")
    }

    static func path(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") || directory.isEmpty || directory == "." ? path : directory + "/" + path
    }
}
