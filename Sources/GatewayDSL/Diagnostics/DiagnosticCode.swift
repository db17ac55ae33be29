/// Every diagnostic the spec tools can emit. The raw value is the stable code users
/// search for; docs/diagnostics.md lists each one (a test keeps the two in step).
///
/// Ranges: GW1xxx reading YAML, GW2xxx the shape and values of keys,
/// GW3xxx checks across the whole spec (names, references, safety rules).
public enum DiagnosticCode: String, Sendable, Hashable, CaseIterable {
    // Reading YAML
    case yamlSyntax = "GW1001"
    case invalidEncoding = "GW1002"
    case tabIndentation = "GW1003"
    case duplicateKey = "GW1004"
    case aliasBudget = "GW1005"
    case nestingTooDeep = "GW1006"
    case emptyFile = "GW1007"
    case unreadableFile = "GW1008"
    case multipleDocuments = "GW1009"
    case complexKey = "GW1010"
    case undefinedAlias = "GW1011"

    // Keys and values
    case unknownKey = "GW2001"
    case wrongType = "GW2002"
    case invalidValue = "GW2003"
    case missingKey = "GW2004"
    case outOfRange = "GW2005"
    case inlineSecret = "GW2006"
    case invalidRouteKey = "GW2007"
    case invalidPathTemplate = "GW2008"
    case expressionSyntax = "GW2009"
    case conflictingKeys = "GW2010"

    // Whole-spec checks
    case unknownService = "GW3001"
    case unknownRole = "GW3002"
    case unknownPolicy = "GW3003"
    case unknownIssuer = "GW3004"
    case duplicateName = "GW3005"
    case corsWildcardWithCredentials = "GW3006"
    case missingAuthDecision = "GW3007"
    case duplicateRoute = "GW3008"
    case unknownPermission = "GW3009"
    case unknownPathParameter = "GW3010"
    case unusedDefinition = "GW3011"
    case gatewayName = "GW3012"
    case noAuthenticator = "GW3013"
    case roleCycle = "GW3014"

    /// A one-line summary, used in docs/diagnostics.md and `--format json`.
    public var title: String {
        switch self {
        case .yamlSyntax: "YAML syntax error"
        case .invalidEncoding: "the file is not valid UTF-8 text"
        case .tabIndentation: "a tab is used for indentation"
        case .duplicateKey: "a key appears twice in one mapping"
        case .aliasBudget: "aliases expand beyond the budget"
        case .nestingTooDeep: "nesting is deeper than the limit"
        case .emptyFile: "the file holds no spec"
        case .unreadableFile: "the file cannot be read"
        case .multipleDocuments: "a file holds more than one YAML document"
        case .complexKey: "a mapping key is not a plain scalar"
        case .undefinedAlias: "an alias names no anchor"
        case .unknownKey: "unknown key"
        case .wrongType: "a value has the wrong type"
        case .invalidValue: "a value is malformed"
        case .missingKey: "a required key is missing"
        case .outOfRange: "a value is out of range"
        case .inlineSecret: "a secret is written inline"
        case .invalidRouteKey: "a route key is not `METHOD /path`"
        case .invalidPathTemplate: "a path template is malformed"
        case .expressionSyntax: "a condition does not parse"
        case .conflictingKeys: "two keys cannot be used together"
        case .unknownService: "a route targets an unknown service"
        case .unknownRole: "an unknown role is named"
        case .unknownPolicy: "an unknown policy is named"
        case .unknownIssuer: "an unknown JWT issuer is named"
        case .duplicateName: "a name is defined twice"
        case .corsWildcardWithCredentials: "CORS allows any origin with credentials"
        case .missingAuthDecision: "a route has no auth decision"
        case .duplicateRoute: "two routes have the same method and path"
        case .unknownPermission: "a permission no role grants"
        case .unknownPathParameter: "a rewrite uses an unknown path parameter"
        case .unusedDefinition: "a definition is never used"
        case .gatewayName: "the gateway name is missing or conflicting"
        case .noAuthenticator: "a route needs an authenticator the spec does not define"
        case .roleCycle: "roles inherit from each other in a cycle"
        }
    }
}
