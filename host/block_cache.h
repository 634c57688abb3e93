/*
** block_cache.h — small blocks kept for reuse by one Lua state's allocator.
**
** Contract. A Lua state allocates and frees small blocks (strings, table
** parts, closures) in bursts: building a conference's items for a check,
** then collecting them, and at lua_close every block it holds. Going to
** malloc and free for each was a tenth of `confer plugins check`. A
** block_cache serves blocks of up to BLOCK_CACHE_LARGEST bytes in classes of
** BLOCK_CACHE_STEP bytes: a freed block of a class is kept for the next
** request of that class; a new one is cut from a slab of BLOCK_CACHE_SLAB
** bytes, at most BLOCK_CACHE_SLABS slabs a cache; past them, small blocks
** come from malloc, and of those freed BLOCK_CACHE_BYTES in all are kept and
** the rest given back. A block cut from a slab is always kept (it cannot go
** back alone): so a cache holds, beyond what its state uses, at most its
** slabs and BLOCK_CACHE_BYTES. Anything larger than BLOCK_CACHE_LARGEST goes
** to malloc, realloc and free as before. Callers always pass a block's size
** as it was asked for (Lua's allocator contract does). A cache belongs to one
** state (no locking), starts zeroed, and block_cache_clear gives everything
** back at once (the slabs whole). Under AddressSanitizer, and under
** valgrind's memcheck (asked at run time), it keeps nothing and has no slabs,
** so a use after free is still caught.
*/
#ifndef CONFER_BLOCK_CACHE_H
#define CONFER_BLOCK_CACHE_H

#include <stddef.h>

#define BLOCK_CACHE_STEP 16
#define BLOCK_CACHE_LARGEST 256
#define BLOCK_CACHE_BYTES (256 * 1024)
#define BLOCK_CACHE_SLAB (64 * 1024)
#define BLOCK_CACHE_SLABS 8
#define BLOCK_CACHE_CLASSES (BLOCK_CACHE_LARGEST / BLOCK_CACHE_STEP)

typedef struct block_cache {
  void *free_blocks[BLOCK_CACHE_CLASSES];   /* per class, blocks cut from a slab, linked through them */
  void *loose_blocks[BLOCK_CACHE_CLASSES];  /* per class, kept blocks that came from malloc */
  size_t bytes;                             /* held in loose_blocks, all classes */
  char *slabs[BLOCK_CACHE_SLABS];
  size_t n_slabs;
  size_t slab_used;                         /* bytes already cut from the newest slab */
} block_cache;

/*
** Resizes PTR (a block of OSIZE bytes from this cache, or NULL) to NSIZE > 0
** bytes, keeping its contents up to the smaller size: the block (perhaps
** PTR itself), or NULL with PTR unchanged when memory ran out.
*/
void *block_cache_resize(block_cache *cache, void *ptr, size_t osize, size_t nsize);

/* Gives back PTR, a block of SIZE bytes from this cache (NULL is ignored). */
void block_cache_free(block_cache *cache, void *ptr, size_t size);

/* 1 if caches keep blocks in this process; 0 under AddressSanitizer or memcheck. */
int block_cache_keeps(void);

/* Frees every block and slab the cache holds; it can be used again afterwards. */
void block_cache_clear(block_cache *cache);

#endif
