/*
** block_cache.c — small blocks kept for reuse by one allocator (see block_cache.h).
**
** A kept block's first bytes link it to the next of its class. A block is
** always at least its class's size, so any block of a class serves any
** request of that class.
*/
#include "block_cache.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define KEEP_BYTES 0
#else
#define KEEP_BYTES BLOCK_CACHE_BYTES
#endif

typedef struct kept_block {
  struct kept_block *next;
} kept_block;

static int is_small(size_t size) { return size <= BLOCK_CACHE_LARGEST; }
static size_t class_of(size_t size) { return (size - 1) / BLOCK_CACHE_STEP; }
static size_t class_bytes(size_t class) { return (class + 1) * BLOCK_CACHE_STEP; }

/* A block for a request of class CLASS: a kept one, else a new one of the class's size. */
static void *take(block_cache *cache, size_t class) {
  kept_block *block = cache->free_blocks[class];
  if (block == NULL) return malloc(class_bytes(class));
  cache->free_blocks[class] = block->next;
  cache->bytes -= class_bytes(class);
  return block;
}

void block_cache_free(block_cache *cache, void *ptr, size_t size) {
  if (ptr == NULL) return;
  if (!is_small(size) || cache->bytes + class_bytes(class_of(size)) > KEEP_BYTES) {
    free(ptr);
    return;
  }
  kept_block *block = ptr;
  size_t class = class_of(size);
  block->next = cache->free_blocks[class];
  cache->free_blocks[class] = block;
  cache->bytes += class_bytes(class);
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
  for (size_t class = 0; class < BLOCK_CACHE_LARGEST / BLOCK_CACHE_STEP; class++) {
    while (cache->free_blocks[class] != NULL) {
      kept_block *block = cache->free_blocks[class];
      cache->free_blocks[class] = block->next;
      free(block);
    }
  }
  cache->bytes = 0;
}
