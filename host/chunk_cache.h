/*
** chunk_cache.h — compiled Lua chunks of the sources a process has already read.
**
** Contract. `confer plugins check` loads the Signs of Safety base twice and
** the contract once for every authority, and compiling them was half its
** work. The sandbox reads a file, compiles it from its text (text only:
** binary chunks from anywhere else are refused), dumps the compiled function
** here, and loads later copies of the same text from that dump. An entry is
** keyed by the chunk name and the whole source text, compared byte for byte:
** an edited file, however quickly rewritten, is compiled afresh. Entries live
** until chunk_cache_clear; the cache is shared by every thread (a mutex) and
** bounded (CHUNK_CACHE_MAX_BYTES: past it nothing more is kept and loads
** compile as before). This module calls nothing else in the host.
*/
#ifndef CONFER_CHUNK_CACHE_H
#define CONFER_CHUNK_CACHE_H

#include <stddef.h>

#define CHUNK_CACHE_MAX_BYTES (8 * 1024 * 1024)

/*
** The compiled chunk kept for NAME with exactly the SOURCE_LEN bytes of
** SOURCE (*LEN bytes, valid until chunk_cache_clear), or NULL.
*/
const char *chunk_cache_find(const char *name, const char *source, size_t source_len, size_t *len);

/*
** Keeps copies of SOURCE and of the LEN bytes of CODE (lua_dump's output of
** SOURCE compiled as NAME). Returns 0, or -1 when they were not kept (out of
** memory or the cache full), which only costs a later compilation.
*/
int chunk_cache_add(const char *name, const char *source, size_t source_len, const char *code,
                    size_t len);

/* Frees every entry (at exit, so leak checkers see a clean process). */
void chunk_cache_clear(void);

#endif
