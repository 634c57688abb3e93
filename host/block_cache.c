/*
** block_cache.c — small blocks kept for reuse by one allocator (see block_cache.h).
**
** A kept block's first bytes link it to the next of its class. A block is
** always at least its class's size, so any block of a class serves any
** request of that class. Blocks cut from slabs and blocks from malloc are
** kept on separate lists, so clearing walks only the few from malloc and
** frees the slabs whole.
*/
#include "block_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define KEEP_BYTES 0
#define MAX_SLABS 0
#else
#define KEEP_BYTES BLOCK_CACHE_BYTES
#define MAX_SLABS BLOCK_CACHE_SLABS
#endif

/*
** Under memcheck the cache keeps nothing either, or memcheck would see a
** freed block's reuse as a live one's. Only memcheck answers GET_VBITS (1:
** done), so under callgrind, whose counts should be of the real allocator,
** the cache works as natively. Natively the request is a few instructions
** that yield 0; it is made only where a slab would be cut or a malloc'd
** block kept, never on the paths that reuse a block.
*/
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define HAVE_MEMCHECK_H 1
#endif
#endif

static int under_memcheck(void) {
#ifdef HAVE_MEMCHECK_H
  char byte = 0, bits;
  return VALGRIND_GET_VBITS(&byte, &bits, 1) == 1;
#else
  return 0;
#endif
}

int block_cache_keeps(void) { return MAX_SLABS > 0 && !under_memcheck(); }

typedef struct kept_block {
  struct kept_block *next;
} kept_block;

static int is_small(size_t size) { return size <= BLOCK_CACHE_LARGEST; }
static size_t class_of(size_t size) { return (size - 1) / BLOCK_CACHE_STEP; }
static size_t class_bytes(size_t class) { return (class + 1) * BLOCK_CACHE_STEP; }

static void push(void **list, void *ptr) {
  kept_block *block = ptr;
  block->next = *list;
  *list = block;
}

static void *pop(void **list) {
  kept_block *block = *list;
  *list = block->next;
  return block;
}

/* Whether PTR was cut from one of the cache's slabs. */
static int in_slab(const block_cache *cache, const void *ptr) {
  for (size_t i = 0; i < cache->n_slabs; i++)
    if ((uintptr_t)ptr - (uintptr_t)cache->slabs[i] < BLOCK_CACHE_SLAB) return 1;
  return 0;
}

/* SIZE bytes cut from the newest slab (a new one when it is full), or NULL past the last slab. */
static void *cut(block_cache *cache, size_t size) {
  if (cache->n_slabs == 0 || cache->slab_used + size > BLOCK_CACHE_SLAB) {
    if (cache->n_slabs == MAX_SLABS || under_memcheck()) return NULL;
    char *slab = malloc(BLOCK_CACHE_SLAB);
    if (slab == NULL) return NULL;
    cache->slabs[cache->n_slabs++] = slab;
    cache->slab_used = 0;
  }
  void *block = cache->slabs[cache->n_slabs - 1] + cache->slab_used;
  cache->slab_used += size;
  return block;
}

/* A block for a request of class CLASS: a kept one, else one cut from a slab, else from malloc. */
static void *take(block_cache *cache, size_t class) {
  if (cache->free_blocks[class] != NULL) return pop(&cache->free_blocks[class]);
  if (cache->loose_blocks[class] != NULL) {
    cache->bytes -= class_bytes(class);
    return pop(&cache->loose_blocks[class]);
  }
  void *block = cut(cache, class_bytes(class));
  return block != NULL ? block : malloc(class_bytes(class));
}

void block_cache_free(block_cache *cache, void *ptr, size_t size) {
  if (ptr == NULL) return;
  if (!is_small(size)) {
    free(ptr);
    return;
  }
  size_t class = class_of(size);
  if (in_slab(cache, ptr)) {
    push(&cache->free_blocks[class], ptr);
  } else if (cache->bytes + class_bytes(class) <= KEEP_BYTES && !under_memcheck()) {
    push(&cache->loose_blocks[class], ptr);
    cache->bytes += class_bytes(class);
  } else {
    free(ptr);
  }
}

void *block_cache_resize(block_cache *cache, void *ptr, size_t osize, size_t nsize) {
  if (ptr == NULL) osize = 0;
  int was_small = ptr != NULL && is_small(osize);
  if (!is_small(nsize) && !was_small) return realloc(ptr, nsize);
  if (was_small && is_small(nsize) && class_of(osize) == class_of(nsize)) return ptr;
  void *block = is_small(nsize) ? take(cache, class_of(nsize)) : malloc(nsize);
  if (block == NULL) return NULL;
  if (ptr != NULL) {
    memcpy(block, ptr, osize < nsize ? osize : nsize);
    block_cache_free(cache, ptr, osize);
  }
  return block;
}

void block_cache_clear(block_cache *cache) {
  for (size_t class = 0; class < BLOCK_CACHE_CLASSES; class++) {
    while (cache->loose_blocks[class] != NULL) free(pop(&cache->loose_blocks[class]));
    cache->free_blocks[class] = NULL;
  }
  for (size_t i = 0; i < cache->n_slabs; i++) free(cache->slabs[i]);
  cache->n_slabs = 0;
  cache->slab_used = 0;
  cache->bytes = 0;
}
