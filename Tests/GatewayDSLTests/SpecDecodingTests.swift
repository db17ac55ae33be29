import Testing
@testable import GatewayDSL

@Suite("Decoding specs into the model")
struct SpecDecodingTests {
    @Test("a route decodes into its parts")
    func route() throws {
        let result = load(validHeader + """
            services:
              pricing:
                endpoints: [http://pricing-1:8080, http://pricing-2:8080]
                balance: least-request
                retry: { attempts: 3, on: [connect-error, 503] }
            roles:
              viewer: { limit: 20/s }
            routes:
              GET,HEAD /api/quotes/{pair:[A-Z]{6}}:
                host: api.forex.example
                match: { headers: { x-region: [eu, uk], x-beta: true }, query: { debug: false } }
                to: pricing /quotes/{pair}
                allow: [viewer]
                auth: api-key
                when: ['request.header["x-desk"] == "fx"']
                limit: [5/s per principal, 100/min burst 20 per ip]
                headers:
                  request: { set: { X-Desk: fx }, remove: [X-Debug] }
                cors: false
                timeout: 750ms
                envelope: true
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(summary))")
        let spec = try #require(result.spec)
        let route = try #require(spec.routes.first)
        #expect(route.methods == [.get, .head])
        #expect(route.host?.value == "api.forex.example")
        #expect(route.guards.map(\.test) == [.oneOf(["eu", "uk"]), .present, .absent])
        #expect(route.guards.map(\.name) == ["x-region", "x-beta", "debug"])
        guard case .upstream(let target) = route.target else { Issue.record("not upstream"); return }
        #expect(target.service.value == "pricing")
        #expect(target.path?.description == "/quotes/{pair}")
        #expect(route.authenticators?.map(\.value) == [.apiKey])
        #expect(route.limits.map(\.key) == [.principal, .ip])
        #expect(route.limits.last?.rate.burst == 20)
        #expect(route.requestHeaders.setHeaders.map(\.name) == ["x-desk"])
        #expect(route.requestHeaders.removeHeaders == ["x-debug"])
        guard case .disabled = route.cors else { Issue.record("cors should be off"); return }
        #expect(route.timeout?.value == SpecDuration(milliseconds: 750))
        let service = try #require(spec.service(named: "pricing"))
        #expect(service.balance == .leastRequest)
        #expect(service.retry?.on == [.connectError, .status(503)])
        #expect(service.retry?.only == .idempotent)
    }

    @Test("a fixed response's JSON is canonical: keys sorted, types kept")
    func fixedJSON() throws {
        let result = load("""
            gateway: t
            routes:
              GET /healthz:
                public: true
                respond: { status: 200, json: { status: ok, checks: [1, 2.5, true, null, "7"], b: { y: 1, x: 2 } } }
            """)
        let route = try #require(result.spec?.routes.first)
        guard case .fixed(let response) = route.target, case .json(let json) = response.body else { Issue.record("shape"); return }
        #expect(json == #"{"b":{"x":2,"y":1},"checks":[1,2.5,true,null,"7"],"status":"ok"}"#)
    }

    @Test("a public route's limit counts per ip unless told otherwise")
    func publicLimitDefault() throws {
        let spec = try #require(load("gateway: t\nroutes:\n  GET /s:\n    public: true\n    limit: 5/s\n    respond: { status: 204 }\n").spec)
        #expect(spec.routes.first?.limits.first?.key == .ip)
    }

    @Test("a public route cannot count per principal")
    func publicPerPrincipal() {
        let result = load("gateway: t\nroutes:\n  GET /s:\n    public: true\n    limit: 5/s per principal\n    respond: { status: 204 }\n")
        #expect(summaries(result) == ["error GW2010 5:12"])
    }

    @Test("HMAC algorithms need a secret, and public-key ones refuse one")
    func algorithmPinning() {
        let result = load("""
            gateway: t
            auth:
              jwt:
                a:
                  issuer: https://a.example
                  algorithms: [RS256, HS256]
                  keys: { jwks: file:jwks.json }
                b:
                  issuer: https://b.example
                  algorithms: [HS256, ES256]
                  keys: { secret: env:B_SECRET }
            """)
        #expect(summaries(result) == ["error GW2010 6:27", "error GW2010 10:27"])
    }

    @Test("an issuer must pin its algorithms")
    func algorithmsRequired() {
        let result = load("gateway: t\nauth:\n  jwt:\n    a:\n      issuer: https://a.example\n      keys: { jwks: file:j.json }\n")
        #expect(summaries(result) == ["error GW2004 4:5"])
    }

    @Test("pasted tokens and private keys are refused wherever they appear, without echoing them")
    func pastedSecrets() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop"
        let result = load("gateway: t\nnotes: \(token)\n")
        #expect(summaries(result).contains("error GW2006 2:8"))
        let text = DiagnosticRenderer(format: .text, sources: result.sources).render(result.diagnostics)
        #expect(!text.contains(token))
    }

    @Test("credential headers cannot be set to literal values")
    func credentialHeaders() {
        let result = load(validHeader + """
            services:
              s: { endpoints: [http://s:1] }
            routes:
              GET /a:
                to: s
                allow: authenticated
                headers: { request: { set: { Authorization: Basic abc } } }
            """)
        #expect(summaries(result) == ["error GW2006 13:49"])
    }

    @Test("YAML 1.1 booleans are refused in favour of true and false")
    func yamlBooleans() {
        let result = load("gateway: t\nroutes:\n  GET /a:\n    public: yes\n    respond: { status: 204 }\n")
        #expect(summaries(result).contains("error GW2003 4:13"))
    }

    @Test("all problems in a file are reported, sorted by position")
    func allProblemsSorted() {
        let result = load("""
            gateway: t
            defaults:
              timeout: fast
              body-limit: 10MB
              max-connections: 0
            """)
        #expect(summaries(result) == ["error GW2003 3:12", "error GW2003 4:15", "error GW2005 5:20"])
    }
}
