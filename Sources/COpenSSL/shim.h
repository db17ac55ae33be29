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
#endif
