/*
** block_cache.h — small blocks kept for reuse by one Lua state's allocator.
**
** Contract. A Lua state allocates and frees small blocks (strings, table
** parts, closures) in bursts: building a conference's items for a check,
** then collecting them. glibc keeps only seven freed blocks of a size at
** hand, so a burst went through its slower bins. A block_cache keeps freed
** blocks of up to BLOCK_CACHE_LARGEST bytes in classes of BLOCK_CACHE_STEP
** bytes, BLOCK_CACHE_BYTES in all, for the next allocation of that class;
** anything larger, or past the bound, goes to malloc, realloc and free as
** before. Callers always pass a block's size as it was asked for (Lua's
** allocator contract does). A cache belongs to one state (no locking) and
** is emptied by block_cache_clear. Under AddressSanitizer it keeps nothing,
** so a use after free is still caught.
*/
#ifndef CONFER_BLOCK_CACHE_H
#define CONFER_BLOCK_CACHE_H

#include <stddef.h>

#define BLOCK_CACHE_STEP 16
#define BLOCK_CACHE_LARGEST 256
#define BLOCK_CACHE_BYTES (256 * 1024)

typedef struct block_cache {
  void *free_blocks[BLOCK_CACHE_LARGEST / BLOCK_CACHE_STEP];   /* per class, linked through the blocks */
  size_t bytes;                                                /* held in all classes */
} block_cache;

/*
** Resizes PTR (a block of OSIZE bytes from this cache, or NULL) to NSIZE > 0
** bytes, keeping its contents up to the smaller size: the block (perhaps
** PTR itself), or NULL with PTR unchanged when memory ran out.
*/
void *block_cache_resize(block_cache *cache, void *ptr, size_t osize, size_t nsize);

/* Gives back PTR, a block of SIZE bytes from this cache (NULL is ignored). */
void block_cache_free(block_cache *cache, void *ptr, size_t size);

/* Frees every block the cache holds; it can be used again afterwards. */
void block_cache_clear(block_cache *cache);

#endif
