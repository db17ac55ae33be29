#ifndef GATEWAY_COPENSSL_SHIM_H
#define GATEWAY_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/params.h>
#include <openssl/core_names.h>
#include <openssl/sha.h>
#include <string.h>

/* Macros and inline-only APIs Swift cannot import directly. */
static inline void gateway_openssl_free(void *pointer) { OPENSSL_free(pointer); }
static inline long gateway_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
static inline int gateway_rsa_pss_padding(void) { return RSA_PKCS1_PSS_PADDING; }
static inline int gateway_rsa_pss_saltlen_digest(void) { return RSA_PSS_SALTLEN_DIGEST; }

/* An HMAC context keyed once, to be copied per message (EVP_MAC_CTX_dup) instead of
   fetching the algorithm and digest on every call, which costs tens of microseconds
   in OpenSSL 3. The OSSL_PARAM array must live only for the init call. */
static inline EVP_MAC_CTX *gateway_hmac_context(const char *digest, const unsigned char *key, size_t key_length) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return NULL;
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    if (context == NULL) return NULL;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (EVP_MAC_init(context, key, key_length, params) != 1) {
        EVP_MAC_CTX_free(context);
        return NULL;
    }
    return context;
}
/* HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states computed once:
   a message then costs two SHA-256 finishes on copied plain structs, no allocation
   and no provider lookup, where EVP_MAC_CTX_dup allocates and dispatches per call.
   The low-level SHA-256 calls are deprecated in OpenSSL 3 but run the same
   assembly (SHA extensions where the CPU has them). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
typedef struct { SHA256_CTX inner; SHA256_CTX outer; } gateway_hmac_sha256_key;

static inline void gateway_hmac_sha256_key_init(gateway_hmac_sha256_key *state, const unsigned char *key, size_t key_length) {
    unsigned char block[SHA256_CBLOCK];
    unsigned char pad[SHA256_CBLOCK];
    memset(block, 0, sizeof block);
    if (key_length > SHA256_CBLOCK) {
        SHA256(key, key_length, block);
    } else if (key_length > 0) {
        memcpy(block, key, key_length);
    }
    for (size_t i = 0; i < SHA256_CBLOCK; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&state->inner);
    SHA256_Update(&state->inner, pad, SHA256_CBLOCK);
    for (size_t i = 0; i < SHA256_CBLOCK; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&state->outer);
    SHA256_Update(&state->outer, pad, SHA256_CBLOCK);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
}

static inline void gateway_hmac_sha256(const gateway_hmac_sha256_key *state, const unsigned char *message, size_t length,
                                       unsigned char out[SHA256_DIGEST_LENGTH]) {
    SHA256_CTX context = state->inner;
    unsigned char inner[SHA256_DIGEST_LENGTH];
    SHA256_Update(&context, message, length);
    SHA256_Final(inner, &context);
    context = state->outer;
    SHA256_Update(&context, inner, sizeof inner);
    SHA256_Final(out, &context);
    OPENSSL_cleanse(inner, sizeof inner);
    OPENSSL_cleanse(&context, sizeof context);
}
/* SHA-256 of one message on a stack context: no allocation (EVP_Digest allocates and
   frees an EVP_MD_CTX per call, twice the malloc traffic of a cached token lookup). */
static inline void gateway_sha256(const unsigned char *message, size_t length, unsigned char out[SHA256_DIGEST_LENGTH]) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, message, length);
    SHA256_Final(out, &context);
    OPENSSL_cleanse(&context, sizeof context);
}
#pragma GCC diagnostic pop

#endif
