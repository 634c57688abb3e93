/*
** utf8.c — UTF-8 sequences, control characters, and text made safe to show.
** See utf8.h.
*/
#include "utf8.h"

#include <string.h>

/* Length in bytes of the UTF-8 sequence led by C, or 0 if C cannot lead one. */
static size_t lead_length(unsigned char c) {
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c >= 0xE0 && c <= 0xEF) return 3;
  if (c >= 0xF0 && c <= 0xF4) return 4;
  return 0;
}

size_t utf8_sequence(const unsigned char *s, size_t avail, uint32_t *cp) {
  static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
  size_t n = avail > 0 ? lead_length(s[0]) : 0;
  if (n == 0 || n > avail) return 0;
  uint32_t value = s[0] & lead_mask[n];
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    value = (value << 6) | (s[i] & 0x3F);
  }
  /* Overlong forms, surrogates and values past Unicode are not UTF-8. */
  if (value < least[n] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return n;
}

size_t utf8_prefix_length(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return max;
}

int utf8_is_control(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int utf8_is_bidi_control(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
** How the character at S (AVAIL bytes readable) is shown: its length in
** *N and its replacement character, or 0 when it is shown as it is.
*/
static char replacement(const unsigned char *s, size_t avail, int one_line, size_t *n) {
  uint32_t cp;
  if (*s >= 0x20 && *s < 0x7F) {   /* printable ASCII, most of any text */
    *n = 1;
    return 0;
  }
  *n = utf8_sequence(s, avail, &cp);
  if (*n == 0) {
    *n = 1;
    return '?';
  }
  if (cp == '\n' || cp == '\t' || (cp == '\r' && one_line)) return one_line ? ' ' : 0;
  /* A line of confer's own (an error echoing words) must read as written. */
  if (one_line && utf8_is_bidi_control(cp)) return '?';
  return utf8_is_control(cp) ? '?' : 0;
}

/*
** 1 if any of the 8 bytes of W is not printable ASCII: below 0x20, DEL, or
** 0x80 and up. (x - 0x20) & ~x has a byte's high bit set where that byte is
** below 0x20 (for the first such byte exactly, which is all "any" needs);
** DEL is a zero byte of W ^ 0x7F..., found the same way.
*/
static int word_has_unprintable(uint64_t w) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  uint64_t del = w ^ (ones * 0x7F);
  return (((w - ones * 0x20) & ~w) | ((del - ones) & ~del) | w) & highs ? 1 : 0;
}

size_t utf8_unprintable_at(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t at = 0, n;
  for (;;) {
    /* Catalogues are read at every start: printable ASCII, most of any text, 8 bytes at a time. */
    uint64_t w;
    while (len - at >= 8 && (memcpy(&w, p + at, 8), !word_has_unprintable(w))) at += 8;
    while (at < len && p[at] >= 0x20 && p[at] < 0x7F) at++;
    if (at == len) return at;
    if (replacement(p + at, len - at, 0, &n)) return at;
    at += n;
  }
}

size_t utf8_printable_copy(char *dst, size_t dstlen, const char *src, size_t len, int one_line) {
  if (dstlen == 0) return 0;
  const unsigned char *s = (const unsigned char *)src;
  size_t in = 0, out = 0, n;
  while (in < len) {
    char shown = replacement(s + in, len - in, one_line, &n);
    size_t width = shown ? 1 : n;
    if (out + width >= dstlen) break;
    if (shown) dst[out] = shown;
    else for (size_t i = 0; i < n; i++) dst[out + i] = (char)s[in + i];
    out += width;
    in += n;
  }
  dst[out] = '\0';
  return out;
}

void utf8_printable_write(FILE *out, const char *s, size_t len) {
  size_t at, n;
  while ((at = utf8_unprintable_at(s, len)) < len) {
    fwrite(s, 1, at, out);
    fputc(replacement((const unsigned char *)s + at, len - at, 0, &n), out);
    s += at + n;
    len -= at + n;
  }
  fwrite(s, 1, len, out);
}
