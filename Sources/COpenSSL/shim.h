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

/* Macros and inline-only APIs Swift cannot import directly. */
static inline void gateway_openssl_free(void *pointer) { OPENSSL_free(pointer); }
static inline long gateway_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
static inline int gateway_rsa_pss_padding(void) { return RSA_PKCS1_PSS_PADDING; }
static inline int gateway_rsa_pss_saltlen_digest(void) { return RSA_PSS_SALTLEN_DIGEST; }
#endif
