import Foundation
import Testing
@testable import GatewayDSL

/// specs/ is the Forex Trading Platform's gateway: it must validate clean, and it
/// must say what the platform needs.
@Suite("The Forex Trading Platform spec")
struct ForexSpecTests {
    static let specsFolder = repositoryRoot.appendingPathComponent("specs").path

    func loadForex() throws -> Spec {
        let result = try SpecLoader().load(paths: [Self.specsFolder])
        #expect(result.diagnostics.isEmpty, "\(DiagnosticRenderer(format: .text, sources: result.sources).render(result.diagnostics))")
        return try #require(result.spec)
    }

    @Test("validates with no errors and no warnings")
    func clean() throws {
        let spec = try loadForex()
        #expect(spec.name?.value == "forex-platform")
    }

    @Test("has the platform's services, roles and service accounts")
    func inventory() throws {
        let spec = try loadForex()
        #expect(Set(spec.services.map(\.name.value)) == ["pricing", "market-data", "trading", "positions", "accounts", "users"])
        #expect(Set(spec.roles.map(\.name.value)).isSuperset(of: ["viewer", "trader", "admin", "risk-engine", "market-maker", "reporting"]))
        #expect(spec.auth.apiKeys?.header.value == "x-api-key")
        #expect(spec.auth.jwtIssuers.map(\.name.value) == ["forex-sso"])
        #expect(spec.auth.apiKeys?.plans.count == 3)
    }

    @Test("every route makes an auth decision and every role has a limit")
    func decisions() throws {
        let spec = try loadForex()
        for route in spec.routes {
            if case .unspecified = route.access { Issue.record("\(route.key.value) has no auth decision") }
        }
        for role in spec.roles { #expect(role.limit != nil, "role \(role.name.value) has no limit") }
    }

    @Test("orders are gated by trading hours and limited per principal")
    func orders() throws {
        let spec = try loadForex()
        let route = try #require(spec.routes.first { $0.key.value == "POST /api/v1/orders" })
        guard case .policy(let policy) = try #require(route.conditions.first) else { Issue.record("not a policy"); return }
        #expect(policy.value == "market-open")
        #expect(route.limits.map(\.key) == [.principal])
        #expect(route.limits.first?.rate == Rate(count: 5, per: .second))
        #expect(route.accepts.map(\.value) == ["application/json"])
        #expect(route.authenticators?.map(\.value) == [.jwt(issuer: "forex-sso")])
    }

    @Test("the market-open policy encodes Friday 22:00 to Sunday 22:00 UTC")
    func tradingHours() throws {
        let spec = try loadForex()
        let policy = try #require(spec.policy(named: "market-open"))
        #expect(policy.condition.description == #"!(((time.weekday == "sat") || ((time.weekday == "fri") && (time.hour >= 22))) || ((time.weekday == "sun") && (time.hour < 22)))"#)
    }

    @Test("CORS serves the web trading app with credentials, never to `*`")
    func cors() throws {
        let spec = try loadForex()
        let cors = try #require(spec.security.cors)
        #expect(cors.origins.map(\.value).contains("https://trade.forex.example"))
        #expect(cors.credentials.value)
        #expect(!cors.allowsAnyOrigin)
    }

    @Test("admin endpoints live on the admin host")
    func admin() throws {
        let spec = try loadForex()
        let adminRoutes = spec.routes.filter { $0.path.description.hasPrefix("/admin") }
        #expect(adminRoutes.count >= 3)
        #expect(adminRoutes.allSatisfy { $0.host?.value == "admin.forex.example" })
    }

    @Test("mutated copies of the spec give diagnostics, never a crash", arguments: 0..<150)
    func mutations(seed: Int) throws {
        let files = try SpecLoader.discover([Self.specsFolder])
        var generator = SeededGenerator(state: UInt64(seed) &* 7919)
        let sources = files.map { file -> (String, [UInt8]) in
            var bytes = [UInt8](FileManager.default.contents(atPath: file) ?? Data())
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
                case 1: bytes.removeSubrange(index...)
                case 2: bytes.insert(contentsOf: Array(": [{&*\t\"".utf8).shuffled(using: &generator).prefix(2), at: index)
                default: bytes.remove(at: index)
                }
            }
            return (file, bytes)
        }
        let result = SpecLoader().load(sources: sources)
        #expect(result.spec != nil || result.hasErrors)
    }
}
