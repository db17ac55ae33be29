import Artifact
import Testing
@testable import Compiler

@Suite("Routing: precedence, backtracking, methods, hosts and guards")
struct RoutingTests {
    let artifact: Artifact

    init() throws {
        let result = compile(header + """
            routes:
              GET /files/readme:
                public: true
                respond: { status: 200 }
              GET /files/{id:int}:
                public: true
                respond: { status: 200 }
              GET /files/{name}:
                public: true
                respond: { status: 200 }
              GET /files/{path...}:
                public: true
                respond: { status: 200 }
              GET /a/b/c:
                public: true
                respond: { status: 200 }
              GET /a/{x}/d:
                public: true
                respond: { status: 200 }
              POST,DELETE /orders/{id:uuid}:
                public: true
                respond: { status: 200 }
              GET /:
                public: true
                respond: { status: 200 }
              GET /admin:
                host: admin.example
                public: true
                respond: { status: 200 }
              GET /admin/{rest...}:
                host: '*.example'
                public: true
                respond: { status: 200 }
              GET /beta:
                match: { headers: { x-beta: true } }
                public: true
                respond: { status: 200 }
              GET /beta/x:
                public: true
                respond: { status: 200 }
              GET /region:
                match: { headers: { x-region: [eu, uk] } }
                public: true
                respond: { status: 200 }
              GET /region/any:
                public: true
                respond: { status: 200 }
            """)
        artifact = try #require(result.artifact, "\(summaries(result))")
    }

    @Test("static beats constrained beats parameter beats wildcard")
    func precedence() {
        #expect(route(artifact, "GET", "/files/readme") == "GET /files/readme")
        #expect(route(artifact, "GET", "/files/42") == "GET /files/{id:int} 42")
        #expect(route(artifact, "GET", "/files/notes") == "GET /files/{name} notes")
        #expect(route(artifact, "GET", "/files/a/b/c") == "GET /files/{path...} a/b/c")
    }

    @Test("a dead end after a static segment backs up and tries the parameter")
    func backtracking() {
        #expect(route(artifact, "GET", "/a/b/c") == "GET /a/b/c")
        #expect(route(artifact, "GET", "/a/b/d") == "GET /a/{x}/d b")
    }

    @Test("the wrong method gives 405 with the Allow set; HEAD follows GET")
    func methods() {
        #expect(route(artifact, "GET", "/orders/123e4567-e89b-12d3-a456-426614174000") == "405 POST, DELETE")
        #expect(route(artifact, "DELETE", "/orders/123e4567-e89b-12d3-a456-426614174000") == "POST,DELETE /orders/{id:uuid} 123e4567-e89b-12d3-a456-426614174000")
        #expect(route(artifact, "HEAD", "/files/readme") == "GET /files/readme")
        #expect(route(artifact, "POST", "/files/readme") == "405 GET, HEAD")
        #expect(route(artifact, "GET", "/orders/not-a-uuid") == "404")
        #expect(route(artifact, "GET", "/nothing") == "404")
    }

    @Test("the root path")
    func root() {
        #expect(route(artifact, "GET", "/") == "GET /")
    }

    @Test("exact hosts, then wildcard hosts, then any host")
    func hosts() {
        #expect(route(artifact, "GET", "/admin", host: "admin.example") == "GET /admin")
        #expect(route(artifact, "GET", "/admin/x", host: "ops.example") == "GET /admin/{rest...} x")
        #expect(route(artifact, "GET", "/admin/x", host: "example") == "404")
        #expect(route(artifact, "GET", "/admin", host: "other.org") == "404")
    }

    @Test("guards select routes by header")
    func guards() {
        #expect(route(artifact, "GET", "/beta", headers: ["x-beta": "1"]) == "GET /beta")
        #expect(route(artifact, "GET", "/beta") == "404")
        #expect(route(artifact, "GET", "/region", headers: ["x-region": "uk"]) == "GET /region")
        #expect(route(artifact, "GET", "/region", headers: ["x-region": "us"]) == "404")
    }

    @Test("non-ASCII and percent-encoded segments never satisfy ASCII constraints")
    func bytes() {
        #expect(route(artifact, "GET", "/files/4%32") == "GET /files/{name} 4%32")
        #expect(route(artifact, "GET", "/files/４２") == "GET /files/{name} ４２")
    }
}
