/*
** test_sha256.c — host/sha256.h: the FIPS 180-4 test vectors, and for each
** compression function this CPU can run (portable always; SHA-NI when CPUID
** has it, else reported as not run) every length 0..1100 against libsodium's
** crypto_hash_sha256, and streamed input cut at many points equal to one-shot.
*/
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "test_util.h"

#define LONGEST 1100

/* The digest as lowercase hex (65 bytes with the NUL). */
static void to_hex(const unsigned char digest[SHA256_BYTES], char hex[2 * SHA256_BYTES + 1]) {
  sodium_bin2hex(hex, 2 * SHA256_BYTES + 1, digest, SHA256_BYTES);
}

static void check_vector(const char *text, const char *expected) {
  unsigned char digest[SHA256_BYTES];
  char hex[2 * SHA256_BYTES + 1];
  sha256(text, strlen(text), digest);
  to_hex(digest, hex);
  CHECK_STR(hex, expected);
}

/* FIPS 180-4's examples (csrc.nist.gov "SHA256.pdf", "SHA2_Additional.pdf"). */
static void check_fips_vectors(void) {
  check_vector("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  check_vector("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  check_vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* One million 'a', given 1000 at a time. */
  char thousand[1000];
  memset(thousand, 'a', sizeof thousand);
  sha256_ctx ctx;
  sha256_init(&ctx);
  for (int i = 0; i < 1000; i++) sha256_update(&ctx, thousand, sizeof thousand);
  unsigned char digest[SHA256_BYTES];
  char hex[2 * SHA256_BYTES + 1];
  sha256_final(&ctx, digest);
  to_hex(digest, hex);
  CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Every length 0..LONGEST of MESSAGE against libsodium; returns how many differed. */
static int count_lengths_unlike_libsodium(const unsigned char *message) {
  int differ = 0;
  for (size_t len = 0; len <= LONGEST; len++) {
    unsigned char ours[SHA256_BYTES], theirs[SHA256_BYTES];
    sha256(message, len, ours);
    crypto_hash_sha256(theirs, message, len);
    if (memcmp(ours, theirs, SHA256_BYTES) != 0) {
      if (differ == 0) fprintf(stderr, "first length unlike libsodium's: %zu\n", len);
      differ++;
    }
  }
  return differ;
}

/* MESSAGE's first LEN bytes given in pieces of STEP bytes (the last shorter) into OUT. */
static void hash_in_steps(const unsigned char *message, size_t len, size_t step,
                          unsigned char out[SHA256_BYTES]) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  for (size_t at = 0; at < len; at += step)
    sha256_update(&ctx, message + at, len - at < step ? len - at : step);
  sha256_final(&ctx, out);
}

/* MESSAGE's first LEN bytes split once at SPLIT, with an empty update between, into OUT. */
static void hash_split(const unsigned char *message, size_t len, size_t split,
                       unsigned char out[SHA256_BYTES]) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, message, split);
  sha256_update(&ctx, NULL, 0);
  sha256_update(&ctx, message + split, len - split);
  sha256_final(&ctx, out);
}

/*
** Streaming equals one-shot: 1-byte updates, steps that straddle the 64-byte
** blocks (7, 63, 65, 100) and every single split of lengths around one, two
** and several blocks. Returns how many digests differed.
*/
static int count_streams_unlike_one_shot(const unsigned char *message) {
  static const size_t steps[] = {1, 7, 63, 64, 65, 100};
  static const size_t lengths[] = {0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 129, 300, LONGEST};
  int differ = 0;
  for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
    size_t len = lengths[l];
    unsigned char whole[SHA256_BYTES], streamed[SHA256_BYTES];
    sha256(message, len, whole);
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
      hash_in_steps(message, len, steps[s], streamed);
      differ += memcmp(whole, streamed, SHA256_BYTES) != 0;
    }
    for (size_t split = 0; split <= len && len <= 300; split++) {
      hash_split(message, len, split, streamed);
      differ += memcmp(whole, streamed, SHA256_BYTES) != 0;
    }
  }
  return differ;
}

/* Runs every check with IMPL; prints whether it ran. */
static void check_impl(sha256_impl impl, const char *name, const unsigned char *message) {
  if (sha256_use(impl) != 0) {
    printf("%s: not run (this CPU lacks it)\n", name);
    CHECK(impl == SHA256_SHANI);
    return;
  }
  CHECK(sha256_current() == impl);
  check_fips_vectors();
  CHECK(count_lengths_unlike_libsodium(message) == 0);
  CHECK(count_streams_unlike_one_shot(message) == 0);
  printf("%s: run\n", name);
}

int main(void) {
  if (sodium_init() < 0) return 1;
  /* Bytes of every value, in an order that repeats only after the longest length. */
  unsigned char message[LONGEST];
  for (size_t i = 0; i < sizeof message; i++) message[i] = (unsigned char)(i * 131 + i / 256);

  /* The default is the fastest this CPU has. */
  sha256_impl chosen = sha256_current();
  CHECK(chosen == (sha256_available(SHA256_SHANI) ? SHA256_SHANI : SHA256_PORTABLE));
  check_impl(SHA256_PORTABLE, "portable", message);
  check_impl(SHA256_SHANI, "SHA-NI", message);

  /* SHA256_AUTO chooses from CPUID again. */
  CHECK(sha256_use(SHA256_AUTO) == 0);
  CHECK(sha256_current() == chosen);
  return TEST_SUMMARY();
}
