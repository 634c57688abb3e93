/*
** json_text.h — JSON text as the record stores it: compact, keys sorted.
**
** Contract. json_text_sorted() writes a jansson value byte for byte as
** json_dumps(VALUE, JSON_COMPACT | JSON_SORT_KEYS) does (the escapes, the
** key order, the numbers; a string that is not UTF-8 is refused as jansson
** refuses it), but into a buffer the caller owns and may reuse, without
** jansson's allocations per object and per call. Every event's payload is
** written this way before it is hashed and stored (host/store.c), and so is
** the state `confer simulate --count` digests, so the text must never
** differ from jansson's: tests/unit/test_json_text.c compares the two.
*/
#ifndef CONFER_JSON_TEXT_H
#define CONFER_JSON_TEXT_H

#include <stddef.h>
#include <jansson.h>

/* A growing text: starts in the caller's BUF (json_text_init), moves to the heap when it outgrows it. */
typedef struct json_text {
  char *data;       /* NUL-terminated once json_text_sorted returns 0 */
  size_t len, cap;
  char *own;        /* the heap copy, or NULL while DATA is the caller's buffer */
} json_text;

/* Starts T empty in BUF (LEN bytes, at least 1), which must outlive T. */
void json_text_init(json_text *t, char *buf, size_t len);

/*
** Replaces T's text with VALUE's. Returns 0, or -1 when out of memory or
** when jansson would refuse VALUE (a string that is not UTF-8, a NaN or an
** infinity); T's text is then empty.
*/
int json_text_sorted(json_text *t, const json_t *value);

/* Frees what T allocated (not the caller's buffer); T may be reused after json_text_init. */
void json_text_free(json_text *t);

#endif
