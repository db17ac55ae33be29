/// Generates a valid gateway spec of any size, shaped like a real one: services,
/// roles with limits, a policy, and routes mixing static, parameter, constrained and
/// wildcard segments, auth decisions, conditions, limits and header edits.
public enum SpecGenerator {
    public static func spec(routes: Int, services: Int = 20, roles: Int = 10) -> String {
        var out = """
            gateway: generated
            auth:
              jwt:
                sso:
                  issuer: https://sso.example
                  algorithms: [RS256]
                  keys: { jwks: file:keys/jwks.json }
                  roles: roles
              api-keys: { header: X-API-Key, store: file:keys/api-keys.json, pepper: env:PEPPER }
            policies:
              business-hours: 'time.hour >= 8 && time.hour < 18 && time.weekday != "sun"'
            services:

            """
        for s in 0..<services {
            out += "  svc\(s):\n    endpoints: [http://svc\(s)-a:8080, http://svc\(s)-b:8080]\n    timeout: 2s\n"
            out += "    retry: { attempts: 2, on: [connect-error, 503] }\n    health: { path: /healthz, every: 5s }\n"
        }
        out += "roles:\n"
        for r in 0..<roles {
            out += "  role\(r): { permissions: [res\(r):read, res\(r):write], limit: \(10 * (r + 1))/s burst \(20 * (r + 1)) }\n"
        }
        out += "routes:\n"
        for i in 0..<routes {
            let service = "svc\(i % services)"
            let role = "role\(i % roles)"
            switch i % 4 {
            case 0:
                out += "  GET /api/v1/r\(i)/items:\n    to: \(service) /items\n    allow: [\(role)]\n    limit: 50/s per principal\n"
            case 1:
                out += "  GET /api/v1/r\(i)/items/{id:uuid}:\n    to: \(service) /items/{id}\n    allow: { permissions: [res\(i % roles):read] }\n    when: business-hours\n"
            case 2:
                out += "  POST /api/v1/r\(i)/orders/{pair:[A-Z]{6}}:\n    to: \(service) /orders/{pair}\n    auth: [sso, api-key]\n    allow: { permissions: [res\(i % roles):write] }\n"
                out += "    limit: [5/s per principal, 1000/min per route]\n    accepts: [application/json]\n"
                out += "    when: 'request.header[\"x-desk\"] == \"fx\" || \"\(role)\" in principal.roles'\n"
            default:
                out += "  GET /static/r\(i)/{rest...}:\n    to: \(service) /assets/{rest}\n    public: true\n"
                out += "    headers: { response: { set: { Cache-Control: max-age=60 } } }\n"
            }
        }
        return out
    }
}
