import Artifact
import Runtime

/// Replays golden cases through the real `Engine` with a virtual clock, counted
/// identifiers, the case's principal and a fresh rate-limit store per case, and
/// records what differs and what was covered.
public struct GoldenRunner {
    public let artifact: Artifact
    /// Verifies the real credentials cases present; cases that name a `principal` skip it.
    public let credentials: CredentialAuthenticator?

    public init(artifact: Artifact, credentials: CredentialAuthenticator? = nil) {
        self.artifact = artifact
        self.credentials = credentials
    }

    public struct CaseResult: Sendable {
        public var name: String
        public var file: String
        public var line: Int
        /// Readable differences; empty when the case passed.
        public var failures: [String]
        /// What each step actually did, for `--update`.
        var actuals: [GoldenWriter.Actual] = []
        public var passed: Bool { failures.isEmpty }
    }

    public struct Coverage: Sendable {
        public var routesReached: Set<Int> = []
        public var instructionsRun: Set<Int> = []
        /// Conditional jumps seen jumping (`true`) and falling through (`false`).
        public var branches: Set<[Int]> = []
    }

    /// Rewrites the files that hold failing cases with the behaviour the gateway has
    /// now; returns the files written. Upstream calls a case did not expect are not
    /// invented: such a case still fails after an update and needs a person.
    public func update(_ cases: [GoldenCase], _ results: [CaseResult], write: (String, String) throws -> Void) rethrows -> [String] {
        let failingFiles = Set(results.filter { !$0.passed }.map(\.file))
        var written: [String] = []
        for file in failingFiles.sorted() {
            let pairs = zip(cases, results).filter { $0.0.location.file == file }.map { ($0.0, $0.1.actuals) }
            try write(file, GoldenWriter.file(pairs))
            written.append(file)
        }
        return written
    }

    public func run(_ cases: [GoldenCase]) -> (results: [CaseResult], coverage: Coverage) {
        var coverage = Coverage()
        let results = cases.map { run($0, &coverage) }
        return (results, coverage)
    }

    private func run(_ goldenCase: GoldenCase, _ coverage: inout Coverage) -> CaseResult {
        let clock = FixedClock(milliseconds: GoldenFileReader.defaultClock)
        let authenticator = GoldenAuthenticator(credentials: credentials)
        let engine = Engine(artifact: artifact, clock: clock, identifiers: CountingIdentifiers(), authenticator: authenticator,
                            limiter: InMemoryRateLimiter())
        var failures: [String] = []
        var actuals: [GoldenWriter.Actual] = []
        for (number, step) in goldenCase.steps.enumerated() {
            clock.milliseconds = step.clock
            authenticator.principal = step.principal
            var tracer = RecordingProgramTracer()
            let decision = engine.decide(step.request, tracer: &tracer)
            record(tracer, &coverage)
            let prefix = goldenCase.steps.count > 1 ? "step \(number + 1): " : ""
            let response: GatewayResponse
            var called: UpstreamRequest?
            switch decision {
            case .respond(let immediate, let route):
                if let route { coverage.routesReached.insert(route) }
                if step.upstream != nil { failures.append(prefix + "upstream: expected a call, but the gateway answered \(immediate.status) itself") }
                response = immediate
            case .forward(let upstream, let plan):
                called = upstream
                coverage.routesReached.insert(plan.route)
                if let expected = step.upstream {
                    failures += compare(upstream, expected).map { prefix + $0 }
                    if let failure = expected.failure {
                        response = engine.failure(failure, plan: plan, request: step.request)
                    } else {
                        response = engine.finish(plan, upstream: expected.reply)
                    }
                } else {
                    failures.append(prefix + "upstream: expected none, but the gateway called \(upstream.serviceName) \(upstream.method) \(upstream.target)")
                    response = engine.finish(plan, upstream: GatewayResponse(status: 200))
                }
            }
            failures += compare(response, step.response).map { prefix + $0 }
            actuals.append(GoldenWriter.Actual(upstream: called, response: response))
        }
        return CaseResult(name: goldenCase.name, file: goldenCase.location.file, line: goldenCase.location.line, failures: failures, actuals: actuals)
    }

    private func record(_ tracer: RecordingProgramTracer, _ coverage: inout Coverage) {
        for step in tracer.steps {
            coverage.instructionsRun.insert(step.pc)
            let opcode = artifact.code[step.pc].opcode
            if opcode == .jumpIfFalse || opcode == .jumpIfTrue {
                coverage.branches.insert([step.pc, step.result?.hasSuffix("jump") == true ? 1 : 0])
            }
        }
    }

    func compare(_ actual: UpstreamRequest, _ expected: GoldenCase.ExpectedUpstream) -> [String] {
        var out: [String] = []
        if let service = expected.service, service != actual.serviceName { out.append("upstream.service: expected \(service), got \(actual.serviceName)") }
        if let method = expected.method, method != actual.method { out.append("upstream.method: expected \(method), got \(actual.method)") }
        if let target = expected.target, target != actual.target { out.append("upstream.path: expected \(target), got \(actual.target)") }
        out += compareHeaders(actual.headers, expected.headers, expected.absent, "upstream")
        return out
    }

    func compare(_ actual: GatewayResponse, _ expected: GoldenCase.ExpectedResponse) -> [String] {
        var out: [String] = []
        if actual.status != expected.status {
            out.append("response.status: expected \(expected.status), got \(actual.status)" + (actual.status >= 400 ? " (\(actual.bodyText))" : ""))
        }
        out += compareHeaders(actual.headers, expected.headers, expected.absent, "response")
        if let body = expected.body, body != actual.bodyText { out.append("response.body: expected \(body)\n      got      \(actual.bodyText)") }
        if let json = expected.json {
            if let parsed = JSONParser.parse(actual.body) {
                if !json.matches(parsed) { out.append("response.json: expected \(json)\n      got           \(parsed)") }
            } else {
                out.append("response.json: the body is not JSON: \(actual.bodyText)")
            }
        }
        return out
    }

    private func compareHeaders(_ actual: [Header], _ expected: [Header], _ absent: [String], _ side: String) -> [String] {
        var out: [String] = []
        for header in expected {
            let values = actual.filter { $0.name == header.name }.map(\.value)
            if values.isEmpty {
                out.append("\(side).headers.\(header.name): expected \"\(header.value)\", got nothing")
            } else if !values.contains(header.value) && header.value != "<any>" {
                out.append("\(side).headers.\(header.name): expected \"\(header.value)\", got \(values.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
        for name in absent where actual.contains(where: { $0.name == name }) {
            out.append("\(side).headers.\(name): expected absent, got \"\(actual.first { $0.name == name }?.value ?? "")\"")
        }
        return out
    }
}

/// Authenticates as the case's `principal`, when the route accepts its method; a
/// case without one goes through the real credential checks.
final class GoldenAuthenticator: Authenticator, @unchecked Sendable {
    // @unchecked: the runner sets it between requests on one thread.
    var principal: Principal?
    let credentials: CredentialAuthenticator?

    init(credentials: CredentialAuthenticator?) {
        self.credentials = credentials
    }

    func authenticate(_ request: RequestHead, mask: UInt32, now: Int64) -> AuthenticationResult {
        guard let principal else { return credentials?.authenticate(request, mask: mask, now: now) ?? .none }
        return principal.isAccepted(byMask: mask) ? .authenticated(principal) : .none
    }
}
