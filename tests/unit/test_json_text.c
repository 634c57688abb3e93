/*
** test_json_text.c — json_text_sorted (host/json_text.c) writes exactly what
** jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS) writes: for fixed
** values with every escape, key order, integer extreme and real, for
** strings that are not UTF-8 (both refuse), for a text that outgrows the
** caller's buffer, and for 3000 random nested values compared byte for byte.
*/
#include "json_text.h"
#include "test_util.h"

#include <stdint.h>
#include <stdlib.h>

static const size_t FLAGS = JSON_COMPACT | JSON_SORT_KEYS;

/* 1 if json_text_sorted and json_dumps agree on V (both refusing counts as agreeing). */
static int agrees(const json_t *v, size_t buf_len) {
  char buf[64];
  json_text t;
  json_text_init(&t, buf, buf_len < sizeof buf ? buf_len : sizeof buf);
  int rc = json_text_sorted(&t, v);
  char *expected = json_dumps(v, FLAGS);
  int same = expected == NULL ? rc != 0 && t.len == 0 && t.data[0] == '\0'
                              : rc == 0 && strlen(expected) == t.len && memcmp(expected, t.data, t.len) == 0;
  if (!same) fprintf(stderr, "  jansson: %s\n  ours:    %s\n", expected ? expected : "(refused)", t.data);
  free(expected);
  json_text_free(&t);
  return same;
}

/* Checks V and releases it. */
static void check_value(json_t *v) {
  CHECK(v != NULL);
  CHECK(agrees(v, 64));
  json_decref(v);
}

static void fixed_values(void) {
  check_value(json_pack("{ss si sb sn sf}", "text", "W3 recorded", "score", -7, "live", 1, "gone",
                        "ratio", 0.1));
  check_value(json_pack("{s[ss]s{}s[]}", "b", "x", "y", "a", "c"));
  check_value(json_pack("{sI sI sf sf}", "max", (json_int_t)INT64_MAX, "min", (json_int_t)INT64_MIN,
                        "big", 1e300, "whole", 3.0));
  check_value(json_pack("{ss}", "escapes", "quote \" back \\ slash / tab \t nl \n cr \r bs \b ff \f "
                        "bell \a unit \x1f del \x7f"));
  check_value(json_pack("{ss}", "utf8", "Siân Łukasz Zoë 日本 😀"));
  check_value(json_pack("{ss s{ss} s{ss}}", "Z", "last", "a", "ab", "x", "aa", "ab", "y"));
  json_t *nul = json_object();
  json_object_set_new(nul, "with nul", json_stringn("a\0b", 3));
  json_object_setn_new(nul, "k\0ey", 4, json_integer(1));
  json_object_setn_new(nul, "k", 1, json_integer(2));
  check_value(nul);
  json_t *bad = json_object();
  json_object_set_new(bad, "bad", json_stringn_nocheck("\xc3\x28", 2));
  CHECK(agrees(bad, 64));
  char buf[8];
  json_text t;
  json_text_init(&t, buf, sizeof buf);
  CHECK(json_text_sorted(&t, bad) == -1);
  CHECK_STR(t.data, "");
  json_t *scalar = json_string("alone");
  CHECK(json_text_sorted(&t, scalar) == -1);   /* as json_dumps without JSON_ENCODE_ANY */
  CHECK(json_dumps(scalar, FLAGS) == NULL);
  json_decref(scalar);
  json_decref(bad);
  json_text_free(&t);
}

/* Grows past a tiny buffer, and is reused for a shorter text afterwards. */
static void outgrowing(void) {
  char buf[4];
  json_text t;
  json_text_init(&t, buf, sizeof buf);
  json_t *v = json_pack("{ss}", "text", "longer than four bytes");
  CHECK(json_text_sorted(&t, v) == 0);
  CHECK_STR(t.data, "{\"text\":\"longer than four bytes\"}");
  CHECK(t.data != buf);
  json_decref(v);
  v = json_pack("[i]", 1);
  CHECK(json_text_sorted(&t, v) == 0);
  CHECK_STR(t.data, "[1]");
  json_decref(v);
  json_text_free(&t);
}

/* xorshift: the same values on every run. */
static uint64_t state = 0x9E3779B97F4A7C15u;
static unsigned next(unsigned n) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (unsigned)(state % n);
}

/* A random string: ASCII, control characters, quotes, multi-byte UTF-8 and sometimes a NUL. */
static json_t *random_string(void) {
  static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\t", "\n", "\x01", "\x1f",
                                       "\x7f", "é", "Ł", "€", "😀", "W3", "|", ""};
  char text[64];
  size_t len = 0, n = next(8);
  for (size_t i = 0; i < n; i++) {
    if (next(40) == 0) {
      text[len++] = '\0';
      continue;
    }
    const char *p = pieces[next(sizeof pieces / sizeof pieces[0])];
    memcpy(text + len, p, strlen(p));
    len += strlen(p);
  }
  return json_stringn(text, len);
}

static json_t *random_value(int depth) {
  switch (depth > 3 ? 2 + next(5) : next(7)) {
  case 0: {
    json_t *o = json_object();
    for (unsigned i = next(6); i > 0; i--) {
      json_t *k = random_string();
      json_object_setn_new(o, json_string_value(k), json_string_length(k), random_value(depth + 1));
      json_decref(k);
    }
    return o;
  }
  case 1: {
    json_t *a = json_array();
    for (unsigned i = next(5); i > 0; i--) json_array_append_new(a, random_value(depth + 1));
    return a;
  }
  case 2: return random_string();
  case 3: return json_integer((json_int_t)next(2000000) - 1000000);
  case 4: return json_real((double)next(100000) / (1 + next(999)));
  case 5: return next(2) ? json_true() : json_false();
  default: return json_null();
  }
}

static void random_values(void) {
  int agreed = 0;
  for (int i = 0; i < 3000; i++) {
    json_t *v = json_object();
    json_object_set_new(v, "value", random_value(0));
    agreed += agrees(v, 1 + next(64));
    json_decref(v);
  }
  CHECK(agreed == 3000);
}

int main(void) {
  fixed_values();
  outgrowing();
  random_values();
  return TEST_SUMMARY();
}
