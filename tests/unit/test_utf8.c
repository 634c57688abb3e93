/*
** test_utf8.c — utf8.c: well-formed sequences, control characters, and the
** text the host shows with each control character and stray byte as '?'.
*/
#include <stdlib.h>

#include "test_util.h"
#include "utf8.h"

static size_t sequence(const char *s, size_t avail, uint32_t *cp) {
  return utf8_sequence((const unsigned char *)s, avail, cp);
}

static void test_sequences(void) {
  uint32_t cp = 0;
  CHECK(sequence("A", 1, &cp) == 1 && cp == 'A');
  CHECK(sequence("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9);            /* é */
  CHECK(sequence("\xE2\x80\x94", 3, &cp) == 3 && cp == 0x2014);      /* em dash */
  CHECK(sequence("\xF0\x9F\x99\x82", 4, &cp) == 4 && cp == 0x1F642);
  CHECK(sequence("\xC2\x9B", 2, &cp) == 2 && cp == 0x9B);            /* C1 CSI: UTF-8, a control */
  CHECK(sequence("\xC3\xA9", 1, &cp) == 0);                          /* cut short */
  CHECK(sequence("\x9B", 1, &cp) == 0);                              /* a stray continuation byte */
  CHECK(sequence("\xC0\x80", 2, &cp) == 0);                          /* overlong NUL */
  CHECK(sequence("\xE0\x80\xAF", 3, &cp) == 0);                      /* overlong '/' */
  CHECK(sequence("\xED\xA0\x80", 3, &cp) == 0);                      /* a surrogate */
  CHECK(sequence("\xF4\x90\x80\x80", 4, &cp) == 0);                  /* past U+10FFFF */
  CHECK(sequence("\xC3(", 2, &cp) == 0);                             /* no continuation */
  CHECK(sequence("", 0, &cp) == 0);
}

static void test_controls(void) {
  CHECK(utf8_is_control(0) && utf8_is_control(0x1B) && utf8_is_control('\t'));
  CHECK(utf8_is_control(0x7F) && utf8_is_control(0x80) && utf8_is_control(0x9F));
  CHECK(!utf8_is_control(' ') && !utf8_is_control('~') && !utf8_is_control(0xA0));
  CHECK(!utf8_is_control(0xE9) && !utf8_is_control(0x202E));
}

static void test_bidi_controls(void) {
  for (uint32_t cp = 0x202A; cp <= 0x202E; cp++) CHECK(utf8_is_bidi_control(cp));   /* LRE..RLO */
  for (uint32_t cp = 0x2066; cp <= 0x2069; cp++) CHECK(utf8_is_bidi_control(cp));   /* LRI..PDI */
  CHECK(!utf8_is_bidi_control(0x2029) && !utf8_is_bidi_control(0x202F));   /* the neighbours */
  CHECK(!utf8_is_bidi_control(0x2065) && !utf8_is_bidi_control(0x206A));
  CHECK(!utf8_is_bidi_control(0x200E) && !utf8_is_bidi_control(0x200F));   /* LRM, RLM */
  CHECK(!utf8_is_bidi_control(0x061C));                                    /* ALM */
  CHECK(!utf8_is_bidi_control(0x0627) && !utf8_is_bidi_control(0x05D0));   /* alef, Hebrew alef */
  CHECK(!utf8_is_bidi_control('A') && !utf8_is_bidi_control(0));
}

static const char *copy(const char *src, size_t dstlen, int one_line) {
  static char dst[256];
  utf8_printable_copy(dst, dstlen, src, strlen(src), one_line);
  return dst;
}

static void test_copy(void) {
  /* An OSC that retitles the window, a CSI that clears the screen, C1 CSI, DEL, a stray byte. */
  CHECK_STR(copy("a\x1b]0;title\x07" "b", 256, 0), "a?]0;title?b");
  CHECK_STR(copy("\x1b[2J\xC2\x9B" "2J\x7f\x9b!", 256, 0), "?[2J?2J?" "?!");
  CHECK_STR(copy("caf\xC3\xA9 \xE2\x80\x94 Ynys M\xC3\xB4n", 256, 0),
            "caf\xC3\xA9 \xE2\x80\x94 Ynys M\xC3\xB4n");
  CHECK_STR(copy("one\ntwo\tthree\rfour", 256, 0), "one\ntwo\tthree?four");
  CHECK_STR(copy("one\ntwo\tthree\rfour", 256, 1), "one two three four");
  /* On one line (an error echoing words) a bidi override shows as '?': RLO, LRI, PDI and PDF. */
  CHECK_STR(copy("\xE2\x80\xAE" "cba \xE2\x81\xA6" "x\xE2\x81\xA9\xE2\x80\xAC", 256, 1), "?cba ?x??");
  /* Elsewhere it is kept (old records that hold one still show as stored), as are the marks. */
  CHECK_STR(copy("\xE2\x80\xAE" "cba", 256, 0), "\xE2\x80\xAE" "cba");
  CHECK_STR(copy("\xE2\x80\x8F\xD8\xA7 \xE2\x80\x8E", 256, 1), "\xE2\x80\x8F\xD8\xA7 \xE2\x80\x8E");
  /* Cut where it fits: "caf" and the terminator fill 4 bytes; é is left out whole. */
  CHECK_STR(copy("caf\xC3\xA9", 4, 0), "caf");
  CHECK_STR(copy("caf\xC3\xA9", 5, 0), "caf");
  CHECK_STR(copy("caf\xC3\xA9", 6, 0), "caf\xC3\xA9");
  CHECK_STR(copy("abc", 1, 0), "");
  char untouched = 'x';
  CHECK(utf8_printable_copy(&untouched, 0, "abc", 3, 0) == 0 && untouched == 'x');
  char dst[16];
  CHECK(utf8_printable_copy(dst, sizeof dst, "a\x1b" "b", 3, 0) == 3);
  /* Bytes past LEN are not read, even a terminator-less buffer's. */
  CHECK(utf8_printable_copy(dst, sizeof dst, "ab\x1b", 2, 0) == 2 && strcmp(dst, "ab") == 0);
}

/* Every position of a 20-byte text, in and across the 8-byte words the scan reads at once. */
static void test_unprintable_at(void) {
  static const unsigned char bad[] = {0x00, 0x01, 0x1B, 0x1F, 0x7F, 0x80, 0x9B, 0xBF, 0xC0, 0xF5, 0xFF};
  char text[20];
  for (size_t at = 0; at < sizeof text; at++) {
    for (size_t b = 0; b < sizeof bad; b++) {
      memset(text, ' ', sizeof text);
      text[sizeof text - 1] = '~';   /* the printable ASCII bounds, 0x20 and 0x7E */
      text[at] = (char)bad[b];
      size_t got = utf8_unprintable_at(text, sizeof text);
      if (got != at) fprintf(stderr, "byte 0x%02X at %zu: found at %zu\n", bad[b], at, got);
      CHECK(got == at);
    }
    /* Newline, tab and a well-formed letter are printable; a C1 control is not. */
    memset(text, 'a', sizeof text);
    text[at] = '\n';
    CHECK(utf8_unprintable_at(text, sizeof text) == sizeof text);
    text[at] = '\t';
    CHECK(utf8_unprintable_at(text, sizeof text) == sizeof text);
    if (at + 1 < sizeof text) {
      memcpy(text + at, "\xC3\xA9", 2);
      CHECK(utf8_unprintable_at(text, sizeof text) == sizeof text);
      memcpy(text + at, "\xC2\x9B", 2);
      CHECK(utf8_unprintable_at(text, sizeof text) == at);
    }
  }
  CHECK(utf8_unprintable_at("", 0) == 0);
  CHECK(utf8_unprintable_at("ab\r", 2) == 2);   /* past LEN is not read */
  CHECK(utf8_unprintable_at("abcdefgh\xC3", 9) == 8);   /* a letter cut short */
}

/* A prefix ends between characters: before a two-, three- or four-byte letter MAX would cut. */
static void test_prefix_length(void) {
  const char *s = "ab\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";   /* "ab", e acute, euro, an emoji */
  size_t len = strlen(s);
  static const size_t want[] = {0, 1, 2, 2, 4, 4, 4, 7, 7, 7, 7, 11};
  for (size_t max = 0; max <= len; max++) {
    size_t got = utf8_prefix_length(s, len, max);
    if (got != want[max]) fprintf(stderr, "prefix of at most %zu: %zu, not %zu\n", max, got, want[max]);
    CHECK(got == want[max]);
  }
  CHECK(utf8_prefix_length(s, len, 40) == len);
  CHECK(utf8_prefix_length("", 0, 0) == 0);
}

static void test_write(void) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  CHECK(out != NULL);
  if (out == NULL) return;
  const char s[] = "Exa\x1b[31mmple\xC2\x9B\n\xC3\xA9\xff\t.";
  utf8_printable_write(out, s, sizeof s - 1);
  utf8_printable_write(out, "\x1b", 1);
  CHECK(fclose(out) == 0);
  CHECK_STR(text, "Exa?[31mmple?\n\xC3\xA9?\t.?");
  free(text);
}

int main(void) {
  test_sequences();
  test_controls();
  test_bidi_controls();
  test_copy();
  test_unprintable_at();
  test_prefix_length();
  test_write();
  return TEST_SUMMARY();
}
