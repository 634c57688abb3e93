/*
** sha256.c — SHA-256 (FIPS 180-4) for the store's hash chain (see sha256.h).
**
** The buffering (sha256_update, sha256_final) is shared; the compression
** is one of two functions written from the standard's section 6.2.2: a
** portable C one, and an x86-64 one in the SHA-NI instructions, compiled
** for those instructions alone (the rest of the file, and of the program,
** runs on any x86-64). Which one runs is decided by CPUID at the first
** sha256_init and kept in an atomic, so threads need no lock: two threads
** that both find it undecided compute the same answer. Valgrind 3.19's
** CPUID does not report SHA (it cannot run those instructions), so under
** memcheck and callgrind the portable function runs.
*/
#include "sha256.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define SHA256_HAVE_SHANI 0
#endif

/* The round constants K0..K63 (FIPS 180-4, 4.2.2): cube roots of the first 64 primes. */
_Alignas(16) static const uint32_t round_constants[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* The initial hash value H(0) (FIPS 180-4, 5.3.3): square roots of the first 8 primes. */
static const uint32_t initial_state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* ------------------------------------------------------------- portable */

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static uint32_t load_be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The message schedule W0..W63 of one block (FIPS 180-4, 6.2.2 step 1). */
static void schedule(const unsigned char *block, uint32_t w[64]) {
  for (int t = 0; t < 16; t++) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
  }
}

/*
** One round (FIPS 180-4, 6.2.2 step 3) with the caller's W and the working
** variables named in their order for round T: instead of moving all eight
** along each round, the caller names them shifted by one, so the round writes
** only d (the new e) and h (the new a). Ch and
** Maj are written in forms of one operation fewer with the same values:
** Ch(e,f,g) = g ^ (e & (f ^ g)), Maj(a,b,c) = (a & b) | (c & (a | b)).
*/
#define ROUND(a, b, c, d, e, f, g, h, t)                                                        \
  do {                                                                                          \
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) +          \
                  round_constants[t] + w[t];                                                    \
    d += t1;                                                                                    \
    h = t1 + (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b)));              \
  } while (0)

/* The 64 rounds of one block on the working variables V (a..h). */
static void rounds(uint32_t v[8], const uint32_t w[64]) {
  uint32_t a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
  for (int t = 0; t < 64; t += 8) {
    ROUND(a, b, c, d, e, f, g, h, t);
    ROUND(h, a, b, c, d, e, f, g, t + 1);
    ROUND(g, h, a, b, c, d, e, f, t + 2);
    ROUND(f, g, h, a, b, c, d, e, t + 3);
    ROUND(e, f, g, h, a, b, c, d, t + 4);
    ROUND(d, e, f, g, h, a, b, c, t + 5);
    ROUND(c, d, e, f, g, h, a, b, t + 6);
    ROUND(b, c, d, e, f, g, h, a, t + 7);
  }
  v[0] = a, v[1] = b, v[2] = c, v[3] = d, v[4] = e, v[5] = f, v[6] = g, v[7] = h;
}

/* A sha256_blocks_fn in C, for any CPU. */
static void blocks_portable(uint32_t state[8], const unsigned char *blocks, size_t n) {
  for (; n > 0; n--, blocks += 64) {
    uint32_t w[64], v[8];
    schedule(blocks, w);
    memcpy(v, state, sizeof v);
    rounds(v, w);
    for (int i = 0; i < 8; i++) state[i] += v[i];
  }
}

/* ---------------------------------------------------------------- SHA-NI */

#if SHA256_HAVE_SHANI
#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/*
** The state lives in two registers in the order sha256rnds2 wants them, high
** word first: ABEF and CDGH. Each sha256rnds2 does two rounds with the two
** low words of W+K and returns the new ABEF; the old ABEF is then the new
** CDGH (C, D, G, H are B, A, F, E shifted on by two rounds). A
** sha256_blocks_fn for CPUs with SHA-NI, SSSE3 and SSE4.1.
*/
static SHANI_TARGET void blocks_shani(uint32_t state[8], const unsigned char *blocks, size_t n) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
  __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  for (; n > 0; n--, blocks += 64) {
    const __m128i abef_before = abef, cdgh_before = cdgh;
    __m128i w[4];  /* W[t..t+3], W[t+4..], W[t+8..], W[t+12..]: the low word first */
    for (int i = 0; i < 4; i++)
      w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16 * i)), byte_swap);
    for (int t = 0; t < 64; t += 4) {
      __m128i wk = _mm_add_epi32(w[0], _mm_load_si128((const __m128i *)&round_constants[t]));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
      if (t < 48) {
        /* W[t+16..t+19] = sigma1(W[t+14..]) + W[t+9..] + sigma0(W[t+1..]) + W[t..] */
        __m128i next = _mm_sha256msg1_epu32(w[0], w[1]);
        next = _mm_add_epi32(next, _mm_alignr_epi8(w[3], w[2], 4));
        next = _mm_sha256msg2_epu32(next, w[3]);
        w[0] = w[1], w[1] = w[2], w[2] = w[3], w[3] = next;
      } else {
        w[0] = w[1], w[1] = w[2], w[2] = w[3];
      }
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

/* CPUID: leaf 7 EBX bit 29 (SHA), leaf 1 ECX bits 9 (SSSE3) and 19 (SSE4.1). */
static int cpu_has_shani(void) {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  if (!(ecx & (1u << 9)) || !(ecx & (1u << 19))) return 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
  return (ebx & (1u << 29)) != 0;
}
#endif

/* ------------------------------------------------------------ the choice */

/* SHA256_AUTO until the first sha256_init (or sha256_use) decides. */
static _Atomic int chosen = SHA256_AUTO;

int sha256_available(sha256_impl impl) {
#if SHA256_HAVE_SHANI
  if (impl == SHA256_SHANI) return cpu_has_shani();
#else
  if (impl == SHA256_SHANI) return 0;
#endif
  return 1;
}

sha256_impl sha256_current(void) {
  int impl = atomic_load_explicit(&chosen, memory_order_relaxed);
  if (impl != SHA256_AUTO) return (sha256_impl)impl;
  int detected = sha256_available(SHA256_SHANI) ? SHA256_SHANI : SHA256_PORTABLE;
  /* A sha256_use meanwhile wins: the exchange fails and IMPL is what it set. */
  impl = SHA256_AUTO;
  if (atomic_compare_exchange_strong(&chosen, &impl, detected)) return (sha256_impl)detected;
  return (sha256_impl)impl;
}

int sha256_use(sha256_impl impl) {
  if (!sha256_available(impl)) return -1;
  atomic_store(&chosen, (int)impl);
  return 0;
}

/* ------------------------------------------------------------- hashing */

void sha256_init(sha256_ctx *ctx) {
  memcpy(ctx->state, initial_state, sizeof ctx->state);
  ctx->length = 0;
#if SHA256_HAVE_SHANI
  ctx->blocks = sha256_current() == SHA256_SHANI ? blocks_shani : blocks_portable;
#else
  ctx->blocks = blocks_portable;
#endif
}

void sha256_update(sha256_ctx *ctx, const void *data, size_t len) {
  if (len == 0) return;  /* DATA may then be NULL, which memcpy may not be given */
  const unsigned char *p = data;
  size_t used = (size_t)(ctx->length % 64);
  ctx->length += len;
  if (used > 0) {
    size_t take = 64 - used < len ? 64 - used : len;
    memcpy(ctx->pending + used, p, take);
    if (used + take < 64) return;
    ctx->blocks(ctx->state, ctx->pending, 1);
    p += take, len -= take;
  }
  if (len >= 64) {
    ctx->blocks(ctx->state, p, len / 64);
    p += len / 64 * 64, len %= 64;
  }
  if (len > 0) memcpy(ctx->pending, p, len);
}

/* Padding (FIPS 180-4, 5.1.1): a 1 bit, zeros, then the length in bits as 64 bits big-endian. */
void sha256_final(sha256_ctx *ctx, unsigned char out[SHA256_BYTES]) {
  size_t used = (size_t)(ctx->length % 64);
  uint64_t bits = ctx->length * 8;
  ctx->pending[used++] = 0x80;
  if (used > 56) {
    memset(ctx->pending + used, 0, 64 - used);
    ctx->blocks(ctx->state, ctx->pending, 1);
    used = 0;
  }
  memset(ctx->pending + used, 0, 56 - used);
  for (int i = 0; i < 8; i++) ctx->pending[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
  ctx->blocks(ctx->state, ctx->pending, 1);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (unsigned char)(ctx->state[i] >> 24);
    out[4 * i + 1] = (unsigned char)(ctx->state[i] >> 16);
    out[4 * i + 2] = (unsigned char)(ctx->state[i] >> 8);
    out[4 * i + 3] = (unsigned char)ctx->state[i];
  }
}

void sha256(const void *data, size_t len, unsigned char out[SHA256_BYTES]) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, data, len);
  sha256_final(&ctx, out);
}
