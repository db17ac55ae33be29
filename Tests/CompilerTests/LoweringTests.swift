import Artifact
import Foundation
import GatewayDSL
import Testing
@testable import Compiler

@Suite("Lowering policies to bytecode")
struct LoweringTests {
    /// One spec that needs every instruction the VM has.
    static let everything = header + """
        security:
          csrf: { mode: origin }
        routes:
          POST /everything/{id}:
            to: s /items/{id}
            allow: { roles: [viewer], permissions: [quotes:read] }
            when:
              - 'request.header["x-a"] == "1" && request.query["q"] != "2" && request.header["x-b"] != "3"'
              - 'request.params["id"].startsWith("a") || request.path.endsWith("z") || request.host.contains("b")'
              - 'time.hour < 20 && time.hour <= 21 && time.minute > 1 && time.minute >= 2 && time.weekday == "mon"'
              - '!("x" in principal.roles) && principal.claims["desk"] == "fx"'
            limit: 5/s per principal
            accepts: [application/json]
            body-limit: 1KiB
            headers:
              request: { set: { X-A: b }, remove: [X-B] }
              response: { set: { X-C: d }, remove: [X-E] }
          GET /never:
            public: true
            when: '1 == 2'
            respond: { status: 200, text: unreachable }
          GET /fixed:
            public: true
            respond: { status: 200, text: fixed }
        """

    @Test("the compiler can emit every opcode, and the verifier accepts the result")
    func everyOpcode() throws {
        let result = compile(Self.everything)
        let artifact = try #require(result.artifact, "\(summaries(result))")
        let used = Set(artifact.code.map(\.opcode))
        #expect(used == Set(Opcode.allCases), "never emitted: \(Set(Opcode.allCases).subtracting(used).map(\.info.mnemonic).sorted())")
        try artifact.verify()
    }

    @Test("a route's program runs auth, then authorization, conditions, limits, checks, edits and the decision")
    func order() throws {
        let artifact = try #require(compile(header + """
            security:
              csrf: { mode: origin }
            routes:
              POST /o:
                to: s /x
                allow: [trader]
                when: 'time.hour > 1'
                limit: 1/s per ip
                accepts: [application/json]
                headers: { request: { set: { X-A: b } } }
            """).artifact)
        let mnemonics = artifact.code.map(\.opcode.info.mnemonic)
        #expect(mnemonics == ["AUTHENTICATE", "REQUIRE_ROLES", "LOAD_ATTR", "PUSH", "GT", "ASSERT", "PRINCIPAL_LIMIT", "RATE_LIMIT",
                              "CHECK_CSRF", "CHECK_CONTENT_TYPE", "SET_REQ_HEADER", "REWRITE", "PROXY"])
        #expect(artifact.constants.contains(.stringSet(["trader"])))
    }

    @Test("allowing a role admits the roles that inherit it")
    func inheritance() throws {
        let artifact = try #require(compile(header + "routes:\n  GET /v:\n    to: s\n    allow: [viewer]\n").artifact)
        #expect(artifact.constants.contains(.stringSet(["trader", "viewer"])))
        #expect(artifact.roles.first { $0.name == "trader" }?.permissions == ["orders:write", "quotes:read"])
    }

    @Test("every instruction maps to the spec line it came from")
    func lineTable() throws {
        let artifact = try #require(compile(Self.everything).artifact)
        #expect(artifact.lines.count == artifact.code.count)
        #expect(artifact.lines.allSatisfy { artifact.strings[Int($0.file)] == "spec.yaml" && $0.line >= 17 && $0.line <= 37 })
        let headerTest = try #require(artifact.code.firstIndex { $0.opcode == .headerEquals })
        #expect(artifact.lines[headerTest].line == 21)
    }

    @Test("equality between a header or attribute and a constant is one fused instruction, whichever side the constant is on")
    func fusedEquality() throws {
        let artifact = try #require(compile(header + """
            routes:
              GET /f:
                to: s /x
                public: true
                when:
                  - 'request.header["x-desk"] == "eu"'
                  - '"sat" == time.weekday'
                  - 'request.header["x-desk"] != "us"'
            """).artifact)
        let mnemonics = artifact.code.map(\.opcode.info.mnemonic)
        #expect(mnemonics == ["HEADER_EQ", "ASSERT", "ATTR_EQ", "ASSERT", "LOAD_HEADER", "PUSH", "NE", "ASSERT", "REWRITE", "PROXY"])
        #expect(artifact.strings[Int(artifact.code[0].a)] == "x-desk" && artifact.constants[Int(artifact.code[0].b)] == .string("eu"))
        #expect(artifact.constants[Int(artifact.code[2].b)] == .string("sat") && artifact.code[2].a == Attribute.timeWeekday.rawValue)
        try artifact.verify()
    }

    @Test("secrets appear only as references in the artifact")
    func noSecrets() throws {
        let bytes = try #require(compile(header + "routes:\n  GET /v:\n    to: s\n    allow: authenticated\n").bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("env:PEPPER"))
        #expect(text.contains("file:jwks.json"))
    }

    @Test("the same specs give the same bytes whatever the file order")
    func determinism() throws {
        let files = try SpecLoader.discover([repositoryRoot.appendingPathComponent("specs").path]).map { file in
            (file, [UInt8](FileManager.default.contents(atPath: file) ?? Data()))
        }
        let forward = SpecLoader().load(sources: files)
        let backward = SpecLoader().load(sources: files.reversed())
        let a = Compiler().compile(try #require(forward.spec)).bytes
        let b = Compiler().compile(try #require(backward.spec)).bytes
        #expect(a != nil && a == b)
    }
}
