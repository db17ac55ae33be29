/// Merges per-file fragments into one `Spec`. Names must be unique across files, and
/// each singleton section (defaults, api-keys, cors, csrf, headers, responses) may be
/// written in one file only.
struct SpecMerger {
    var bag = DiagnosticBag()
    private var firstSingleton: [String: SourceLocation] = [:]

    mutating func merge(_ fragments: [(file: String, fragment: SpecFragment)], files: [String]) -> Spec {
        var spec = Spec(files: files)
        for (_, fragment) in fragments {
            if let name = fragment.name {
                if let existing = spec.name {
                    bag.error(.gatewayName, "`gateway` is set again", at: name.location,
                              hint: "set the gateway's name in one file only", notes: [.init("first set here", at: existing.location)])
                } else {
                    spec.name = name
                }
            }
            if let (defaults, location) = fragment.defaults, claim("defaults", at: location) { spec.defaults = defaults }
            if let apiKeys = fragment.apiKeys, claim("auth.api-keys", at: apiKeys.location) { spec.auth.apiKeys = apiKeys }
            if let cors = fragment.cors, claim("security.cors", at: cors.location) { spec.security.cors = cors }
            if let csrf = fragment.csrf, claim("security.csrf", at: csrf.location) { spec.security.csrf = csrf }
            if let headers = fragment.headers, let location = headers.location, claim("security.headers", at: location) {
                spec.security.headers = headers
            }
            if let (responses, location) = fragment.responses, claim("responses", at: location) { spec.responses = responses }
            spec.auth.declaresJWT = spec.auth.declaresJWT || fragment.declaresJWT
            spec.auth.declaresAPIKeys = spec.auth.declaresAPIKeys || fragment.declaresAPIKeys
            spec.services += fragment.services
            spec.auth.jwtIssuers += fragment.jwtIssuers
            spec.roles += fragment.roles
            spec.policies += fragment.policies
            spec.routes += fragment.routes
        }
        if spec.name == nil, let first = files.first, !fragments.isEmpty {
            bag.error(.gatewayName, "no file sets the gateway's name", at: SourceLocation(file: first, line: 1, column: 1),
                      hint: "add `gateway: NAME` to one spec file")
        }
        spec.services = unique(spec.services, noun: "service") { $0.name }
        spec.auth.jwtIssuers = unique(spec.auth.jwtIssuers, noun: "JWT issuer") { $0.name }
        spec.roles = unique(spec.roles, noun: "role") { $0.name }
        spec.policies = unique(spec.policies, noun: "policy") { $0.name }
        if var apiKeys = spec.auth.apiKeys {
            apiKeys.plans = unique(apiKeys.plans, noun: "plan") { $0.name }
            spec.auth.apiKeys = apiKeys
        }
        return spec
    }

    /// True the first time a section is seen; a second sighting is an error.
    private mutating func claim(_ section: String, at location: SourceLocation) -> Bool {
        if let first = firstSingleton[section] {
            bag.error(.duplicateName, "`\(section)` is defined twice", at: location,
                      hint: "keep one `\(section)` section and merge the settings into it", notes: [.init("first defined here", at: first)])
            return false
        }
        firstSingleton[section] = location
        return true
    }

    private mutating func unique<T>(_ items: [T], noun: String, name: (T) -> Located<String>) -> [T] {
        var first: [String: SourceLocation] = [:]
        return items.filter { item in
            let located = name(item)
            if let existing = first[located.value] {
                bag.error(.duplicateName, "\(noun) `\(located.value)` is defined twice", at: located.location,
                          hint: "rename one of them or merge the two definitions", notes: [.init("first defined here", at: existing)])
                return false
            }
            first[located.value] = located.location
            return true
        }
    }
}
