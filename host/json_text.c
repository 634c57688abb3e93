/*
** json_text.c — JSON text as the record stores it (see json_text.h).
**
** jansson's json_dumps with JSON_SORT_KEYS allocates a key array per object
** and grows its output a few bytes at a time; every append writes one such
** text and `simulate --count` digests a whole conference, so this writer
** keeps jansson's rules (dump.c, utf.c of jansson 2.14) and drops the
** allocations. Reals are rare in a record and are formatted by jansson itself.
*/
#include "json_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define MAX_DEPTH 2048        /* as jansson's parser: deeper values are refused */
#define STACK_KEYS 32         /* objects with more keys sort a heap array */

typedef struct key {
  const char *text;
  size_t len;
  const json_t *value;
} key;

void json_text_init(json_text *t, char *buf, size_t len) {
  *t = (json_text){.data = buf, .cap = len};
  buf[0] = '\0';
}

void json_text_free(json_text *t) {
  free(t->own);
  t->own = NULL;
}

/* Moves T to a larger heap buffer with room for N more bytes and the NUL; -1 when out of memory. */
static int grow(json_text *t, size_t n) {
  size_t cap = t->cap * 2 > t->len + n + 1 ? t->cap * 2 : t->len + n + 1;
  char *grown = t->own != NULL ? realloc(t->own, cap) : malloc(cap);
  if (grown == NULL) return -1;
  if (t->own == NULL) memcpy(grown, t->data, t->len);
  t->own = t->data = grown;
  t->cap = cap;
  return 0;
}

/* Makes room for N more bytes and the NUL; -1 when out of memory. Every byte written comes here. */
static inline int reserve(json_text *t, size_t n) {
  return t->len + n < t->cap ? 0 : grow(t, n);
}

static int put(json_text *t, const char *s, size_t n) {
  if (reserve(t, n) != 0) return -1;
  memcpy(t->data + t->len, s, n);
  t->len += n;
  return 0;
}

static int put_char(json_text *t, char c) {
  if (reserve(t, 1) != 0) return -1;
  t->data[t->len++] = c;
  return 0;
}

/*
** 1 for the bytes a string holds as they are: printable ASCII but the quote
** and the backslash. Written texts are mostly these, so one lookup a byte.
*/
static const unsigned char PLAIN[256] = {
#define SIXTEEN(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
  SIXTEEN(0), SIXTEEN(0),                           /* 0x00-0x1F: controls */
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x20-0x2F: '"' is 0x22 */
  SIXTEEN(1), SIXTEEN(1),                           /* 0x30-0x4F */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* 0x50-0x5F: '\\' is 0x5C */
  SIXTEEN(1), SIXTEEN(1),                           /* 0x60-0x7F */
  SIXTEEN(0), SIXTEEN(0), SIXTEEN(0), SIXTEEN(0),   /* 0x80-0xFF: UTF-8, checked apart */
  SIXTEEN(0), SIXTEEN(0), SIXTEEN(0), SIXTEEN(0)
#undef SIXTEEN
};

/* S (N bytes) as a JSON string: quotes, and jansson's escapes. */
static int put_string(json_text *t, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  if (put_char(t, '"') != 0) return -1;
  while (p < end) {
    const unsigned char *run = p;   /* bytes that need no escape are copied together */
    for (;;) {
      while (p < end && PLAIN[*p]) p++;   /* plain ASCII */
      uint32_t cp;   /* what jansson accepts as UTF-8 is utf8_sequence's well-formed UTF-8 */
      size_t len = p < end && *p >= 0x80 ? utf8_sequence(p, (size_t)(end - p), &cp) : 0;
      if (len == 0) break;
      p += len;
    }
    if (p > run && put(t, (const char *)run, (size_t)(p - run)) != 0) return -1;
    if (p == end) break;
    char escape[6] = {'\\', 0};
    size_t used = 2;
    switch (*p) {
    case '"': escape[1] = '"'; break;
    case '\\': escape[1] = '\\'; break;
    case '\b': escape[1] = 'b'; break;
    case '\f': escape[1] = 'f'; break;
    case '\n': escape[1] = 'n'; break;
    case '\r': escape[1] = 'r'; break;
    case '\t': escape[1] = 't'; break;
    default:
      if (*p >= 0x20) return -1;   /* not UTF-8: jansson refuses the whole value */
      memcpy(escape + 1, "u00", 3);
      escape[4] = hex[*p >> 4];
      escape[5] = hex[*p & 0x0F];
      used = 6;
    }
    if (put(t, escape, used) != 0) return -1;
    p++;
  }
  return put_char(t, '"');
}

static int put_integer(json_text *t, json_int_t value) {
  char digits[24];
  size_t n = 0;
  unsigned long long magnitude = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
  do digits[n++] = (char)('0' + magnitude % 10); while ((magnitude /= 10) > 0);
  if (value < 0) digits[n++] = '-';
  if (reserve(t, n) != 0) return -1;
  while (n > 0) t->data[t->len++] = digits[--n];
  return 0;
}

/* A real as jansson writes it (its precision and its ".0"): rare, so jansson does it. */
static int put_real(json_text *t, const json_t *value) {
  char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
  int rc = text != NULL ? put(t, text, strlen(text)) : -1;
  free(text);
  return rc;
}

/* jansson's key order: bytes compared as unsigned, a prefix first. */
static int key_before(const key *a, const key *b) {
  int c = memcmp(a->text, b->text, a->len < b->len ? a->len : b->len);
  return c < 0 || (c == 0 && a->len < b->len);
}

static int compare_keys(const void *a, const void *b) {
  return key_before(a, b) ? -1 : key_before(b, a) ? 1 : 0;
}

static void sort_keys(key *keys, size_t n) {
  if (n > STACK_KEYS) {
    qsort(keys, n, sizeof *keys, compare_keys);
    return;
  }
  for (size_t i = 1; i < n; i++) {   /* a payload has a handful of keys */
    key k = keys[i];
    size_t j = i;
    for (; j > 0 && key_before(&k, &keys[j - 1]); j--) keys[j] = keys[j - 1];
    keys[j] = k;
  }
}

static int put_value(json_text *t, const json_t *value, int depth);

static int put_object(json_text *t, const json_t *object, int depth) {
  key stack[STACK_KEYS];
  size_t n = json_object_size(object), i = 0;
  key *keys = n <= STACK_KEYS ? stack : malloc(n * sizeof *keys);
  if (keys == NULL) return -1;
  for (void *it = json_object_iter((json_t *)object); it != NULL && i < n;
       it = json_object_iter_next((json_t *)object, it), i++)
    keys[i] = (key){json_object_iter_key(it), json_object_iter_key_len(it), json_object_iter_value(it)};
  sort_keys(keys, i);
  int rc = put_char(t, '{');
  for (size_t k = 0; rc == 0 && k < i; k++) {
    if (k > 0) rc = put_char(t, ',');
    if (rc == 0) rc = put_string(t, keys[k].text, keys[k].len);
    if (rc == 0) rc = put_char(t, ':');
    if (rc == 0) rc = put_value(t, keys[k].value, depth + 1);
  }
  if (keys != stack) free(keys);
  return rc == 0 ? put_char(t, '}') : -1;
}

static int put_value(json_text *t, const json_t *value, int depth) {
  if (depth > MAX_DEPTH) return -1;
  switch (json_typeof(value)) {
  case JSON_OBJECT: return put_object(t, value, depth);
  case JSON_ARRAY: {
    if (put_char(t, '[') != 0) return -1;
    for (size_t i = 0; i < json_array_size(value); i++)
      if ((i > 0 && put_char(t, ',') != 0) || put_value(t, json_array_get(value, i), depth + 1) != 0)
        return -1;
    return put_char(t, ']');
  }
  case JSON_STRING: return put_string(t, json_string_value(value), json_string_length(value));
  case JSON_INTEGER: return put_integer(t, json_integer_value(value));
  case JSON_REAL: return put_real(t, value);
  case JSON_TRUE: return put(t, "true", 4);
  case JSON_FALSE: return put(t, "false", 5);
  case JSON_NULL: return put(t, "null", 4);
  }
  return -1;
}

int json_text_sorted(json_text *t, const json_t *value) {
  t->len = 0;
  /* json_dumps takes only an object or an array without JSON_ENCODE_ANY. */
  int rc = json_is_object(value) || json_is_array(value) ? put_value(t, value, 0) : -1;
  if (rc != 0) t->len = 0;
  t->data[t->len] = '\0';
  return rc;
}
