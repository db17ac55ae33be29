/// The keys each mapping of a spec allows. The decoder rejects anything else, and a
/// test checks docs/spec-reference.md documents every key listed here.
public enum SpecSchema {
    public static let topLevel = ["gateway", "defaults", "services", "auth", "roles", "policies", "security", "responses", "routes"]
    public static let defaults = ["timeout", "connect-timeout", "body-limit", "header-limit", "header-timeout", "idle-timeout", "max-connections", "envelope", "on-store-failure"]
    public static let service = ["endpoints", "balance", "connect-timeout", "timeout", "retry", "health", "circuit-breaker"]
    public static let retry = ["attempts", "on", "only", "budget"]
    public static let health = ["path", "every", "timeout", "healthy", "unhealthy"]
    public static let circuitBreaker = ["failures", "cooldown"]
    public static let auth = ["jwt", "api-keys"]
    public static let jwtIssuer = ["issuer", "audience", "algorithms", "keys", "leeway", "subject", "roles", "scopes", "cookie", "max-token-size"]
    public static let jwtKeys = ["secret", "pem", "jwks"]
    public static let apiKeys = ["header", "store", "pepper", "plans"]
    public static let role = ["permissions", "inherits", "limit", "description"]
    public static let policy = ["when", "description"]
    public static let security = ["cors", "csrf", "headers"]
    public static let cors = ["origins", "methods", "headers", "expose", "credentials", "max-age"]
    public static let csrf = ["mode", "cookie", "header", "trusted-origins"]
    public static let securityHeaders = ["hsts", "content-type-options", "frame-options", "referrer-policy", "csp", "permissions-policy"]
    public static let responses = ["problem-type-base", "envelope"]
    public static let envelope = ["data", "meta"]
    public static let route = [
        "host", "match", "to", "respond", "public", "allow", "auth", "when", "limit", "headers", "cors", "csrf",
        "timeout", "body-limit", "accepts", "envelope", "description",
    ]
    public static let routeTarget = ["service", "path"]
    public static let match = ["headers", "query"]
    public static let respond = ["status", "json", "text", "headers"]
    public static let allow = ["roles", "permissions"]
    public static let routeHeaders = ["request", "response"]
    public static let headerEdits = ["set", "remove"]
    public static let limit = ["rate", "per", "on-store-failure"]

    /// Every key of every mapping, for the documentation check.
    public static var allKeys: Set<String> {
        Set([topLevel, defaults, service, retry, health, circuitBreaker, auth, jwtIssuer, jwtKeys, apiKeys, role, policy,
             security, cors, csrf, securityHeaders, responses, envelope, route, routeTarget, match, respond, allow,
             routeHeaders, headerEdits, limit].joined())
    }
}
