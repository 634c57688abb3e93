/*
** chunk_cache.c — compiled Lua chunks kept per process (see chunk_cache.h).
**
** A short list searched from the newest entry: a process reads a few dozen
** files at most. Each entry is one allocation: the name, the source and the
** compiled code one after the other.
*/
#include "chunk_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
  struct chunk *older;
  size_t name_len, source_len, len;
  char bytes[];   /* name, NUL, source, code */
} chunk;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static chunk *newest;
static size_t bytes_kept;

static const char *chunk_source(const chunk *c) { return c->bytes + c->name_len + 1; }

static int same_source(const chunk *c, const char *name, size_t name_len, const char *source,
                       size_t source_len) {
  return c->source_len == source_len && c->name_len == name_len &&
         memcmp(c->bytes, name, name_len) == 0 && memcmp(chunk_source(c), source, source_len) == 0;
}

const char *chunk_cache_find(const char *name, const char *source, size_t source_len, size_t *len) {
  size_t name_len = strlen(name);
  pthread_mutex_lock(&lock);
  const chunk *c = newest;
  while (c != NULL && !same_source(c, name, name_len, source, source_len)) c = c->older;
  pthread_mutex_unlock(&lock);
  if (c == NULL) return NULL;
  *len = c->len;
  return chunk_source(c) + c->source_len;
}

int chunk_cache_add(const char *name, const char *source, size_t source_len, const char *code,
                    size_t len) {
  size_t name_len = strlen(name), size = name_len + 1 + source_len + len;
  pthread_mutex_lock(&lock);
  int full = size > CHUNK_CACHE_MAX_BYTES || bytes_kept > CHUNK_CACHE_MAX_BYTES - size;
  if (!full) bytes_kept += size;
  pthread_mutex_unlock(&lock);
  if (full) return -1;
  chunk *c = malloc(sizeof *c + size);
  if (c == NULL) {
    pthread_mutex_lock(&lock);
    bytes_kept -= size;
    pthread_mutex_unlock(&lock);
    return -1;
  }
  c->name_len = name_len;
  c->source_len = source_len;
  c->len = len;
  memcpy(c->bytes, name, name_len + 1);
  memcpy(c->bytes + name_len + 1, source, source_len);
  memcpy(c->bytes + name_len + 1 + source_len, code, len);
  pthread_mutex_lock(&lock);
  c->older = newest;
  newest = c;
  pthread_mutex_unlock(&lock);
  return 0;
}

void chunk_cache_clear(void) {
  pthread_mutex_lock(&lock);
  while (newest != NULL) {
    chunk *c = newest;
    newest = c->older;
    free(c);
  }
  bytes_kept = 0;
  pthread_mutex_unlock(&lock);
}
