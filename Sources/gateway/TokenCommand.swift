import ArgumentParser
import Foundation
import Runtime

/// `gateway token`: signs a JWT with a private key, for demos, tests and golden cases.
/// Production tokens come from the identity provider, never from here.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Sign a JWT for development and tests (claims as JSON).",
        discussion: "Example: gateway token --key file:keys/dev.pem --alg RS256 --kid dev-1 --claims '{\"iss\":\"...\",\"sub\":\"u-1\",\"exp\":2000000000}'"
    )

    @Option(help: "The signing key as env:NAME or file:PATH: a PEM private key, or the HMAC secret for HS*.")
    var key: String
    @Option(help: "HS256, HS384, HS512, RS256, RS384, RS512, PS256, ES256, ES384 or EdDSA.")
    var alg: String
    @Option(help: "The kid header, naming the key in the issuer's JWKS.")
    var kid: String?
    @Option(help: "The claims, as one JSON object.")
    var claims: String

    func run() throws {
        guard let algorithm = JWSAlgorithm(rawValue: alg) else { throw UsageError(message: "unknown algorithm \(alg)") }
        guard case .object? = JSONParser.parse(Array(claims.utf8)) else { throw UsageError(message: "--claims must be a JSON object") }
        let material = try SecretInput.read(key)
        do {
            let signer = algorithm.rawValue.hasPrefix("HS") ? SigningKey.hmac(Array(material.utf8)) : try SigningKey.pem(material)
            FileHandleOutput.standardOutput(try signer.token(algorithm, claims: claims, keyID: kid) + "\n")
        } catch {
            throw UsageError(message: "\(error)")
        }
    }
}
