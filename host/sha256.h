/*
** sha256.h — SHA-256 (FIPS 180-4) for the store's hash chain.
**
** Contract. Every event the store appends is hashed (store.c event_digest),
** so hashing is on the path of every conference written. This module gives
** the same digests as any SHA-256 (libsodium's crypto_hash_sha256 included,
** which the store used before: existing chains verify unchanged) with two
** compression functions: a portable C one, and on x86-64 one using the CPU's
** SHA extensions (SHA-NI), several times faster. The faster is chosen once,
** at the first sha256_init, from CPUID; a context keeps the one it started
** with. Contexts hold no allocation and may be copied; each is used by one
** thread at a time, and any number of threads may hash at once.
*/
#ifndef CONFER_SHA256_H
#define CONFER_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* A digest's length in bytes. */
#define SHA256_BYTES 32

/* One compression function: hashes N 64-byte BLOCKS into the eight words of STATE. */
typedef void sha256_blocks_fn(uint32_t state[8], const unsigned char *blocks, size_t n);

/* A hash in progress. The fields are this module's own: use only the functions below. */
typedef struct sha256_ctx {
  uint32_t state[8];
  uint64_t length;             /* bytes given to sha256_update so far */
  unsigned char pending[64];   /* the last length % 64 of them, not yet compressed */
  sha256_blocks_fn *blocks;    /* the compression function chosen at sha256_init */
} sha256_ctx;

/* Starts a hash in CTX with the process's compression function (see above). */
void sha256_init(sha256_ctx *ctx);

/* Adds the LEN bytes at DATA (which may be NULL when LEN is 0) to the hash in CTX. */
void sha256_update(sha256_ctx *ctx, const void *data, size_t len);

/* Ends the hash in CTX and writes its digest to OUT; CTX must be initialised again to reuse it. */
void sha256_final(sha256_ctx *ctx, unsigned char out[SHA256_BYTES]);

/* The digest of the LEN bytes at DATA into OUT: init, update and final in one. */
void sha256(const void *data, size_t len, unsigned char out[SHA256_BYTES]);

/* The compression functions sha256_init can choose between. */
typedef enum sha256_impl {
  SHA256_AUTO,      /* the fastest this CPU has (the default) */
  SHA256_PORTABLE,  /* C, for any CPU */
  SHA256_SHANI      /* x86-64 SHA extensions */
} sha256_impl;

/* Whether this CPU (and this build) can run IMPL; SHA256_AUTO and SHA256_PORTABLE always can. */
int sha256_available(sha256_impl impl);

/*
** For tests and benchmarks: makes every later sha256_init use IMPL
** (SHA256_AUTO chooses again from CPUID). Returns 0, or -1 and changes
** nothing when the CPU cannot run IMPL. Call it while no other thread
** starts a hash: a context started meanwhile may have either function (the
** digest is the same).
*/
int sha256_use(sha256_impl impl);

/* The implementation sha256_init now uses: SHA256_PORTABLE or SHA256_SHANI, never SHA256_AUTO. */
sha256_impl sha256_current(void);

#endif
