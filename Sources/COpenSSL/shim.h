#ifndef GATEWAY_COPENSSL_SHIM_H
#define GATEWAY_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>

/* Macros and inline-only APIs Swift cannot import directly. */
static inline void gateway_openssl_free(void *pointer) { OPENSSL_free(pointer); }
static inline long gateway_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
#endif
