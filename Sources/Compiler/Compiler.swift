import Artifact
import GatewayDSL

/// Compiles a validated `Spec` into an `Artifact`.
///
/// The compiler is an ordered list of named passes (after OPA's compiler): each does
/// one thing to a shared context and appends diagnostics in the spec format. The
/// checking passes all run, so one run reports every problem; lowering starts only
/// when they found no error.
public struct Compiler: Sendable {
    public struct Options: Sendable {
        /// PEM text of an Ed25519 private key; the body is signed with it.
        public var signingKeyPEM: String?

        public init(signingKeyPEM: String? = nil) {
            self.signingKeyPEM = signingKeyPEM
        }
    }

    public struct Result: Sendable {
        public var artifact: Artifact?
        /// The encoded artifact, header and body.
        public var bytes: [UInt8]?
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

        public init(artifact: Artifact?, bytes: [UInt8]?, diagnostics: [Diagnostic]) {
            self.artifact = artifact
            self.bytes = bytes
            self.diagnostics = diagnostics
        }
    }

    /// The passes, in order. Names appear in `--trace-passes` style output and docs.
    static let checks: [any CompilerPass] = [ResolvePass(), TypeCheckPass(), AuthCoveragePass(), RouteConflictPass()]
    static let lowering: [any CompilerPass] = [LowerRoutingPass(), LowerPoliciesPass(), LayoutPass(), EncodePass()]

    public static var passNames: [String] { (checks + lowering).map(\.name) }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func compile(_ spec: Spec) -> Result {
        var context = CompilationContext(spec: spec, options: options)
        for pass in Self.checks { pass.run(&context) }
        if !context.bag.hasErrors {
            for pass in Self.lowering where !context.bag.hasErrors { pass.run(&context) }
        }
        var diagnostics = context.bag.sorted
        if diagnostics.contains(where: { $0.severity == .error }) {
            diagnostics.removeAll { $0.code == .unusedDefinition }
            return Result(artifact: nil, bytes: nil, diagnostics: diagnostics)
        }
        return Result(artifact: context.artifact, bytes: context.bytes, diagnostics: diagnostics)
    }

    /// Loads, validates and compiles the specs under `paths`: what `gateway compile` does.
    public func compile(paths: [String]) throws(SpecLoader.InputError) -> (load: SpecLoader.Result, compiled: Result?) {
        let load = try SpecLoader().load(paths: paths)
        guard let spec = load.spec else { return (load, nil) }
        return (load, compile(spec))
    }
}

/// One step of the compiler.
protocol CompilerPass: Sendable {
    var name: String { get }
    func run(_ context: inout CompilationContext)
}
