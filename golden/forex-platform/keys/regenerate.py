#!/usr/bin/env python3
"""Test credentials for the forex golden suite. NOT FOR PRODUCTION: these private
keys, the pepper and the API keys are public, in git, so golden cases can present
real tokens and keys.

Writes sso-jwks.json (the public keys), api-keys.json (the key store, hashed with
the test pepper) and prints the tokens the cases in ../cases/identity.yaml use.
The tokens' times are around the suite's clock, 2026-01-05T12:00:00Z (Monday).
Needs python3-cryptography. Run from this folder: python3 regenerate.py
"""
import base64, hashlib, hmac, json
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils

PEPPER = b"golden-pepper-not-for-production"   # secrets.yaml: env:FOREX_API_KEY_PEPPER
NOW = 1767614400                               # 2026-01-05T12:00:00Z
ISSUER, AUDIENCE = "https://sso.forex.example", "forex-api"

def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def uint(n): return b64(n.to_bytes((n.bit_length() + 7) // 8, "big"))

rsa_key = serialization.load_pem_private_key(open("sso-rs256.pem", "rb").read(), None)
ec_key = serialization.load_pem_private_key(open("sso-es256.pem", "rb").read(), None)
rsa_pub, ec_pub = rsa_key.public_key().public_numbers(), ec_key.public_key().public_numbers()
jwks = {"keys": [
    {"kty": "RSA", "kid": "sso-rs-2026", "alg": "RS256", "use": "sig", "n": uint(rsa_pub.n), "e": uint(rsa_pub.e)},
    {"kty": "EC", "kid": "sso-ec-2026", "alg": "ES256", "use": "sig", "crv": "P-256",
     "x": b64(ec_pub.x.to_bytes(32, "big")), "y": b64(ec_pub.y.to_bytes(32, "big"))},
]}
open("sso-jwks.json", "w").write(json.dumps(jwks, indent=2) + "\n")

def sign(header, claims, alg):
    data = (b64(json.dumps(header, separators=(",", ":")).encode()) + "." + b64(json.dumps(claims, separators=(",", ":")).encode())).encode()
    if alg == "RS256":
        sig = rsa_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "ES256":
        r, s = utils.decode_dss_signature(ec_key.sign(data, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    elif alg == "HS256-with-public-key":   # the HS/RS confusion attack
        public_pem = rsa_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        sig = hmac.new(public_pem, data, hashlib.sha256).digest()
    else:
        sig = b""
    return data.decode() + "." + b64(sig)

def claims(sub, roles, **extra):
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "realm_access": {"roles": roles}, "scope": "openid trading",
            "iat": NOW - 1800, "exp": NOW + 3600}
    base.update(extra)
    return base

rs = {"alg": "RS256", "typ": "JWT", "kid": "sso-rs-2026"}
es = {"alg": "ES256", "typ": "JWT", "kid": "sso-ec-2026"}
trader = sign(rs, claims("u-200", ["trader"], account_id="ACC42"), "RS256")
head, body, signature = trader.split(".")
tokens = {
    "trader": trader,
    "viewer-es256": sign(es, claims("u-100", ["viewer"]), "ES256"),
    "expired": sign(rs, claims("u-200", ["trader"], iat=NOW - 7200, exp=NOW - 3600), "RS256"),
    "not-yet-valid": sign(rs, claims("u-200", ["trader"], nbf=NOW + 3600, exp=NOW + 7200), "RS256"),
    "wrong-issuer": sign(rs, claims("u-200", ["trader"], iss="https://sso.evil.example"), "RS256"),
    "wrong-audience": sign(rs, claims("u-200", ["trader"], aud="another-api"), "RS256"),
    "tampered-signature": head + "." + body + "." + signature[:-6] + ("AAAAAA" if signature[-6:] != "AAAAAA" else "BBBBBB"),
    "tampered-payload": head + "." + b64(json.dumps(claims("u-200", ["admin"], account_id="ACC42"), separators=(",", ":")).encode()) + "." + signature,
    "alg-none": sign({"alg": "none", "typ": "JWT"}, claims("u-200", ["admin"]), "none"),
    "hs-rs-confusion": sign({"alg": "HS256", "typ": "JWT", "kid": "sso-rs-2026"}, claims("u-200", ["admin"]), "HS256-with-public-key"),
    "unknown-kid": sign({"alg": "RS256", "typ": "JWT", "kid": "sso-rs-2019"}, claims("u-200", ["trader"]), "RS256"),
}

# API keys: gwk_<16 hex id>_<secret>. The store keeps HMAC-SHA256(pepper, key) only.
api_keys = [
    ("00000000000000a1", "risk-engine-prod", ["risk-engine"], "internal", "active", None),
    ("00000000000000a2", "reporting-old", ["reporting"], None, "revoked", None),
    ("00000000000000a3", "reporting-2025", ["reporting"], None, "active", "2026-01-01T00:00:00Z"),
    ("00000000000000a4", "partner-acme", ["risk-engine"], "partner-basic", "active", "2027-01-01T00:00:00Z"),
]
store = {"keys": []}
for key_id, owner, roles, plan, status, expires in api_keys:
    key = "gwk_%s_%s" % (key_id, b64(hashlib.sha256(key_id.encode() + b"golden-test-key").digest()))
    tokens["api-key-" + owner] = key
    entry = {"id": key_id, "hash": "hmac-sha256:" + hmac.new(PEPPER, key.encode(), hashlib.sha256).hexdigest(), "owner": owner,
             "roles": roles, "status": status, "created": "2025-06-01T00:00:00Z"}
    if plan: entry["plan"] = plan
    if expires: entry["expires"] = expires
    store["keys"].append(entry)
open("api-keys.json", "w").write(json.dumps(store, indent=2) + "\n")

for name, value in tokens.items():
    print("%s: %s" % (name, value))
