import Foundation

/// Reads a spec from files and folders, merges the files, and validates the result.
///
/// Files are merged in sorted path order whatever order they were named in, so the
/// same folder always yields the same `Spec` (and later the same artifact bytes).
public struct SpecLoader: Sendable {
    public var reader: YAMLReader

    public init(reader: YAMLReader = YAMLReader()) {
        self.reader = reader
    }

    /// The outcome of loading: the spec when there were no errors, and every diagnostic.
    public struct Result: Sendable {
        /// nil when any error was found; warnings alone leave the spec usable.
        public var spec: Spec?
        public var diagnostics: [Diagnostic]
        /// Each file's text, so diagnostics can be printed with their source line.
        public var sources: [String: SourceText]
        public var files: [String]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// A path that names nothing readable: a usage problem, not a spec problem.
    public struct InputError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Loads every `.yaml`/`.yml` file under the given files and folders.
    ///
    /// Files under the working directory are named relative to it, so diagnostics stay
    /// short and the compiled artifact (whose line table names files) does not depend
    /// on where the repository is checked out.
    public func load(paths: [String]) throws(InputError) -> Result {
        let files = try Self.discover(paths)
        var sources: [(String, [UInt8])] = []
        let workingDirectory = FileManager.default.currentDirectoryPath + "/"
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputError(description: "cannot read \(file)")
            }
            let name = file.hasPrefix(workingDirectory) ? String(file.dropFirst(workingDirectory.count)) : file
            sources.append((name, [UInt8](data)))
        }
        return load(sources: sources)
    }

    /// Loads in-memory files; `file` names are used in diagnostics only.
    public func load(sources: [(file: String, bytes: [UInt8])]) -> Result {
        let ordered = sources.sorted { $0.file < $1.file }
        var bag = DiagnosticBag()
        var fragments: [(String, SpecFragment)] = []
        var texts: [String: SourceText] = [:]
        for (file, bytes) in ordered {
            let read = reader.read(bytes, file: file)
            texts[file] = read.source
            bag.append(contentsOf: read.diagnostics)
            guard let root = read.root else { continue }
            var decoder = SpecDecoder()
            let fragment = decoder.decodeFile(root)
            bag.append(contentsOf: decoder.bag.diagnostics)
            fragments.append((file, fragment))
        }
        var merger = SpecMerger()
        let spec = merger.merge(fragments, files: ordered.map(\.file))
        bag.append(contentsOf: merger.bag.diagnostics)
        if !fragments.isEmpty {
            bag.append(contentsOf: SpecValidator(spec: spec).validate())
        }
        var diagnostics = bag.sorted
        let failed = diagnostics.contains { $0.severity == .error }
        if failed {
            // "Unused" is mostly an echo of an error elsewhere (a misspelt reference);
            // it is reported once the spec is otherwise clean.
            diagnostics.removeAll { $0.code == .unusedDefinition }
        }
        return Result(spec: failed ? nil : spec, diagnostics: diagnostics, sources: texts, files: ordered.map(\.file))
    }

    /// Expands folders into their YAML files (recursively, hidden entries skipped), sorted.
    public static func discover(_ paths: [String]) throws(InputError) -> [String] {
        var files = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(description: "no such file or folder: \(path)")
            }
            guard isDirectory.boolValue else {
                files.insert(path)
                continue
            }
            let found = yamlFiles(in: path)
            if found.isEmpty { throw InputError(description: "no .yaml or .yml files in \(path)") }
            files.formUnion(found)
        }
        return files.sorted()
    }

    private static func yamlFiles(in folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
                found.append(base + "/" + relative)
            }
        }
        return found
    }
}
