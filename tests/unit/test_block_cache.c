/*
** test_block_cache.c — host/block_cache.h: contents kept across every kind of
** resize (within a class, between classes, between small and large), a
** freed block served again for its class, blocks cut from slabs without
** overlap and always kept, the bound on what is kept once the slabs are
** used up, and clearing. Under AddressSanitizer and under memcheck (which
** tests/valgrind.sh runs this under) the cache keeps nothing and has no
** slabs, and the checks of reuse become checks that nothing is kept.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "block_cache.h"
#include "test_util.h"

#define KEEPS block_cache_keeps()

/* Whether a cache emptied by block_cache_clear holds nothing. */
static int is_empty(const block_cache *cache) {
  for (size_t c = 0; c < BLOCK_CACHE_CLASSES; c++)
    if (cache->free_blocks[c] != NULL || cache->loose_blocks[c] != NULL) return 0;
  return cache->bytes == 0 && cache->n_slabs == 0 && cache->slab_used == 0;
}

/* Blocks from different slabs or mallocs are different objects: compare their addresses as integers. */
static int by_address(const void *a, const void *b) {
  uintptr_t pa = (uintptr_t)*(char *const *)a, pb = (uintptr_t)*(char *const *)b;
  return (pa > pb) - (pa < pb);
}

/* Fills N bytes of P with a pattern drawn from SEED. */
static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed * 31 + i * 7);
}

/* Whether the first N bytes of P still hold fill's pattern for SEED. */
static int holds(const unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != (unsigned char)(seed * 31 + i * 7)) return 0;
  return 1;
}

/* Resizes a block through SIZES in turn, checking its contents each time. */
static void check_resizes(void) {
  static const size_t sizes[] = {1, 16, 17, 40, 256, 257, 4000, 300, 255, 8, 100000, 3, 64};
  block_cache cache = {0};
  unsigned char *p = NULL;
  size_t size = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    unsigned char *q = block_cache_resize(&cache, p, size, sizes[i]);
    CHECK(q != NULL);
    if (q == NULL) break;
    size_t kept = size < sizes[i] ? size : sizes[i];
    CHECK(holds(q, kept, (unsigned)i));
    fill(q, sizes[i], (unsigned)i + 1);
    p = q;
    size = sizes[i];
  }
  block_cache_free(&cache, p, size);
  CHECK(cache.bytes <= BLOCK_CACHE_BYTES);
  block_cache_clear(&cache);
  CHECK(is_empty(&cache));
}

/* Within a class a resize keeps the block; a freed block serves the next request of its class. */
static void check_reuse(void) {
  block_cache cache = {0};
  void *p = block_cache_resize(&cache, NULL, 0, 33);
  CHECK(p != NULL);
  CHECK(cache.n_slabs == (KEEPS ? 1u : 0u));
  CHECK(block_cache_resize(&cache, p, 33, 48) == p);   /* 33..48 is one class */
  block_cache_free(&cache, p, 48);
  CHECK(cache.bytes == 0);                             /* a slab's block is kept, out of the bound */
  void *again = block_cache_resize(&cache, NULL, 0, 40);
  CHECK((again == p) == KEEPS);
  void *other = block_cache_resize(&cache, NULL, 0, 200);   /* another class: not the kept one */
  CHECK(other != NULL && other != again);
  block_cache_free(&cache, again, 40);
  block_cache_free(&cache, other, 200);
  block_cache_free(&cache, NULL, 10);                      /* ignored */
  void *same_class = block_cache_resize(&cache, NULL, 0, 199);
  CHECK((same_class == other) == KEEPS);
  block_cache_free(&cache, same_class, 199);
  void *large = block_cache_resize(&cache, NULL, 0, BLOCK_CACHE_LARGEST + 1);
  block_cache_free(&cache, large, BLOCK_CACHE_LARGEST + 1);   /* large blocks are not kept */
  CHECK(cache.bytes == 0);
  block_cache_clear(&cache);
  CHECK(is_empty(&cache));
}

/*
** Blocks cut from slabs do not overlap; freed, they serve the same requests
** again without another slab; clearing gives the slabs back.
*/
static void check_slabs(void) {
  enum { SIZE = 32, N = 2 * BLOCK_CACHE_SLAB / SIZE };
  block_cache cache = {0};
  char **blocks = malloc(N * sizeof *blocks);
  CHECK(blocks != NULL);
  if (blocks == NULL) return;
  for (size_t i = 0; i < N; i++) {
    blocks[i] = block_cache_resize(&cache, NULL, 0, SIZE);
    CHECK(blocks[i] != NULL);
    if (blocks[i] != NULL) memset(blocks[i], (int)(i & 0xff), SIZE);
  }
  CHECK(cache.n_slabs == (KEEPS ? 2u : 0u));
  qsort(blocks, N, sizeof *blocks, by_address);
  size_t overlaps = 0;
  for (size_t i = 1; i < N; i++) overlaps += (uintptr_t)blocks[i] - (uintptr_t)blocks[i - 1] < SIZE;
  CHECK(overlaps == 0);
  for (size_t i = 0; i < N; i++) block_cache_free(&cache, blocks[i], SIZE);
  CHECK(cache.bytes == 0);
  for (size_t i = 0; i < N; i++) blocks[i] = block_cache_resize(&cache, NULL, 0, SIZE - 7);
  CHECK(cache.n_slabs == (KEEPS ? 2u : 0u));
  for (size_t i = 0; i < N; i++) block_cache_free(&cache, blocks[i], SIZE - 7);
  free(blocks);
  block_cache_clear(&cache);
  CHECK(is_empty(&cache));
}

/* Once the slabs are used up, freeing far more than the bound keeps no more than the bound. */
static void check_bound(void) {
  enum { N = (BLOCK_CACHE_SLABS * BLOCK_CACHE_SLAB + 2 * BLOCK_CACHE_BYTES) / 64 };
  block_cache cache = {0};
  void **blocks = malloc(N * sizeof *blocks);
  CHECK(blocks != NULL);
  if (blocks == NULL) return;
  for (size_t i = 0; i < N; i++) blocks[i] = block_cache_resize(&cache, NULL, 0, 64);
  CHECK(cache.n_slabs == (KEEPS ? (size_t)BLOCK_CACHE_SLABS : 0u));
  for (size_t i = 0; i < N; i++) block_cache_free(&cache, blocks[i], 64);
  CHECK(cache.bytes == (KEEPS ? (size_t)BLOCK_CACHE_BYTES : 0u));
  free(blocks);
  block_cache_clear(&cache);
  CHECK(is_empty(&cache));
}

int main(void) {
  check_resizes();
  check_reuse();
  check_slabs();
  check_bound();
  return TEST_SUMMARY();
}
