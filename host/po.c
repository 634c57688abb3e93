/*
** po.c — reading GNU gettext PO files (see po.h).
**
** One pass over the file held in memory, a line at a time. The strings of
** the entry being read go into one growing buffer, each ended by a NUL, so an
** entry costs no allocation once the buffer has grown to the longest entry;
** a continuation line can only extend the last of them. An entry is handed
** on when the next one starts (or a comment follows it, or the file ends).
*/
#include "po.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PO_FILE_MAX (16 * 1024 * 1024)   /* a catalogue is a few hundred KiB at most */
#define ABSENT SIZE_MAX

typedef struct reader {
  const char *path;
  char *err;
  size_t errlen;
  size_t line;
  char *text;          /* the entry's strings, each NUL-ended, in the order read */
  size_t len, cap;
  size_t ctxt, id, plural, str[PO_MAX_FORMS];   /* offsets into text, or ABSENT */
  int nforms;
  int nfields;         /* strings begun in this entry */
  int fuzzy, next_fuzzy;
  size_t id_line;
  int open;            /* a field is open: a string line continues it */
} reader;

/* Sets ERR to "FILE:LINE: problem"; returns -1. */
static int fail(reader *r, const char *format, ...) {
  char problem[256];
  va_list ap;
  va_start(ap, format);
  vsnprintf(problem, sizeof problem, format, ap);
  va_end(ap);
  snprintf(r->err, r->errlen, "%s:%zu: %s", r->path, r->line, problem);
  return -1;
}

/* Appends the N bytes at S to the entry's strings. */
static int push_bytes(reader *r, const char *s, size_t n) {
  if (n == 0) return 0;   /* an empty run before an escape, when TEXT may still be NULL */
  if (r->len + n > r->cap) {
    size_t cap = r->cap != 0 ? r->cap : 1024;
    while (cap < r->len + n) cap *= 2;
    char *grown = realloc(r->text, cap);
    if (grown == NULL) return fail(r, "out of memory");
    r->text = grown;
    r->cap = cap;
  }
  memcpy(r->text + r->len, s, n);
  r->len += n;
  return 0;
}

static int push_byte(reader *r, char c) {
  return push_bytes(r, &c, 1);
}

static void entry_reset(reader *r) {
  r->len = 0;
  r->ctxt = r->id = r->plural = ABSENT;
  r->nforms = 0;
  r->nfields = 0;
  r->open = 0;
}

/* Starts a new field of the entry (ending the previous one); returns its offset in *AT. */
static int field_start(reader *r, size_t *at) {
  if (r->nfields++ > 0 && push_byte(r, '\0') != 0) return -1;
  *at = r->len;
  r->open = 1;
  return 0;
}

/* The length of the valid UTF-8 sequence at S (before END), or 0 if it is not one. */
static size_t utf8_length(const unsigned char *s, const unsigned char *end) {
  if (s[0] < 0x80) return 1;
  /* 80..C1 continue or overlong a sequence and F5..FF go past U+10FFFF: they begin none. */
  size_t n = s[0] >= 0xf5 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
  if (n == 0 || (size_t)(end - s) < n) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) return 0;
  if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))) return 0;
  return n;
}

/* 1 if the LEN bytes at S are UTF-8; plain ASCII, most of a catalogue, is skipped eight bytes at a time. */
static int valid_utf8(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    uint64_t eight;
    if (end - p >= 8 && (memcpy(&eight, p, 8), (eight & 0x8080808080808080u) == 0)) {
      p += 8;
      continue;
    }
    size_t n = utf8_length(p, end);
    if (n == 0) return 0;
    p += n;
  }
  return 1;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes the escape after the backslash at *P (before END) and appends it. */
static int push_escape(reader *r, const char **p, const char *end) {
  static const char simple[] = "n\nt\tr\ra\ab\bf\fv\v\\\\\"\"''??";
  char c = *(*p)++;
  for (size_t i = 0; simple[i] != '\0'; i += 2)
    if (simple[i] == c) return push_byte(r, simple[i + 1]);
  unsigned value = 0;
  int digits = 0;
  if (c >= '0' && c <= '7') {
    value = (unsigned)(c - '0');
    for (digits = 1; digits < 3 && *p < end && **p >= '0' && **p <= '7'; digits++)
      value = value * 8 + (unsigned)(*(*p)++ - '0');
  } else if (c == 'x') {
    /* Every hex digit belongs to the escape, as in C; past 0xff it is refused, not cut short. */
    for (; *p < end && hex_value(**p) >= 0; digits++)
      if (value <= 0xff) value = value * 16 + (unsigned)hex_value(*(*p)++);
      else (*p)++;
  }
  if (digits == 0 || value == 0 || value > 0xff) return fail(r, "invalid control sequence");
  return push_byte(r, (char)value);
}

/* Appends the string literal at *P (its opening quote) and returns after its closing one. */
static int push_string(reader *r, const char **p, const char *end) {
  const char *s = *p + 1;
  while (s < end && *s != '"') {
    /* The plain bytes up to the next quote or backslash, found and copied at once. */
    const char *quote = memchr(s, '"', (size_t)(end - s));
    const char *stop = quote != NULL ? quote : end;
    const char *backslash = memchr(s, '\\', (size_t)(stop - s));
    if (backslash != NULL) stop = backslash;
    if (push_bytes(r, s, (size_t)(stop - s)) != 0) return -1;
    s = stop;
    if (s < end && *s == '\\') {
      if (++s == end) break;
      if (push_escape(r, &s, end) != 0) return -1;
    }
  }
  if (s == end) return fail(r, "end-of-line within string");
  *p = s + 1;
  return 0;
}

static int is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static const char *skip_blanks(const char *p, const char *end) {
  while (p < end && is_blank(*p)) p++;
  return p;
}

/* A string literal (then nothing) must follow a keyword or fill a continuation line. */
static int read_string(reader *r, const char *p, const char *end, const char *after) {
  p = skip_blanks(p, end);
  if (p == end || *p != '"') return fail(r, "a string in double quotes expected after %s", after);
  if (push_string(r, &p, end) != 0) return -1;
  if (skip_blanks(p, end) != end) return fail(r, "unexpected text after the string");
  return 0;
}

/* 0 if the header's Content-Type names no charset or UTF-8; else -1 with ERR set. */
static int check_charset(reader *r, const char *header) {
  char type[128];
  if (po_header_field(header, "Content-Type", type, sizeof type) == NULL) return 0;
  const char *cs = strstr(type, "charset=");
  if (cs == NULL || strcasecmp(cs + 8, "UTF-8") == 0 || strcasecmp(cs + 8, "UTF8") == 0) return 0;
  snprintf(r->err, r->errlen, "%s: charset must be UTF-8, not %s", r->path, cs + 8);
  return -1;
}

/* Hands the entry read so far to FN (if there is one) and starts afresh. */
static int emit(reader *r, po_message_fn fn, void *ctx) {
  if (r->id == ABSENT && r->ctxt == ABSENT) return 0;
  if (r->nforms == 0) {
    r->line = r->id_line;
    return fail(r, "missing msgstr");
  }
  if (push_byte(r, '\0') != 0) return -1;
  po_message m;
  m.msgctxt = r->ctxt != ABSENT ? r->text + r->ctxt : NULL;
  m.msgid = r->text + r->id;
  m.msgid_plural = r->plural != ABSENT ? r->text + r->plural : NULL;
  m.nforms = r->nforms;
  for (int i = 0; i < r->nforms; i++) m.msgstr[i] = r->text + r->str[i];
  m.fuzzy = r->fuzzy;
  m.line = r->id_line;
  if (!valid_utf8(r->text, r->len)) {   /* every string at once: the NULs between them are ASCII */
    r->line = r->id_line;
    return fail(r, "invalid multibyte sequence (the file must be UTF-8)");
  }
  if (m.msgid[0] == '\0' && m.msgctxt == NULL && check_charset(r, m.msgstr[0]) != 0) return -1;
  entry_reset(r);
  return fn(ctx, &m);
}

/* "#, fuzzy, c-format": notes the fuzzy flag for the entry that follows. */
static void read_flags(reader *r, const char *p, const char *end) {
  while (p < end) {
    while (p < end && (is_blank(*p) || *p == ',')) p++;
    const char *word = p;
    while (p < end && !is_blank(*p) && *p != ',') p++;
    if (p - word == 5 && memcmp(word, "fuzzy", 5) == 0) r->next_fuzzy = 1;
  }
}

/* msgstr or msgstr[N]: one more translated form of the entry. */
static int read_msgstr(reader *r, const char *p, const char *end, int indexed) {
  int index = 0;
  if (indexed) {
    char *after;
    long n = strtol(p + 1, &after, 10);
    if (after == p + 1 || after >= end || *after != ']' || n < 0) return fail(r, "syntax error");
    if (r->plural == ABSENT) return fail(r, "msgstr[%ld] without msgid_plural", n);
    if (n >= PO_MAX_FORMS) return fail(r, "too many plural forms");
    if (n != r->nforms) return fail(r, "msgstr[%ld] out of order: msgstr[%d] expected", n, r->nforms);
    index = (int)n;
    p = after + 1;
  } else {
    if (r->id == ABSENT) return fail(r, "msgstr without msgid");
    if (r->plural != ABSENT) return fail(r, "msgstr[0] expected: the entry has msgid_plural");
    if (r->nforms > 0) return fail(r, "msgstr given twice");
  }
  if (field_start(r, &r->str[index]) != 0) return -1;
  r->nforms = index + 1;
  return read_string(r, p, end, indexed ? "msgstr[N]" : "msgstr");
}

/* One line that starts with a keyword. */
static int read_keyword(reader *r, const char *p, const char *end, po_message_fn fn, void *ctx) {
  const char *word = p;
  while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_')) p++;
  size_t n = (size_t)(p - word);
  int is_ctxt = n == 7 && memcmp(word, "msgctxt", 7) == 0;
  int is_id = n == 5 && memcmp(word, "msgid", 5) == 0;
  if ((is_ctxt || is_id) && r->nforms > 0) {
    int status = emit(r, fn, ctx);
    if (status != 0) return status;
  }
  if (is_ctxt || is_id) {
    if (r->id != ABSENT) return fail(r, "missing msgstr");
    if (is_ctxt && r->ctxt != ABSENT) return fail(r, "msgctxt given twice");
    if (r->ctxt == ABSENT) {   /* the first keyword of an entry takes the flags before it */
      r->fuzzy = r->next_fuzzy;
      r->next_fuzzy = 0;
    }
    r->id_line = r->line;   /* msgid's line; msgctxt's while the entry has no msgid */
    if (field_start(r, is_ctxt ? &r->ctxt : &r->id) != 0) return -1;
    return read_string(r, p, end, is_ctxt ? "msgctxt" : "msgid");
  }
  if (n == 12 && memcmp(word, "msgid_plural", 12) == 0) {
    if (r->id == ABSENT || r->plural != ABSENT || r->nforms > 0) return fail(r, "msgid_plural out of place");
    if (field_start(r, &r->plural) != 0) return -1;
    return read_string(r, p, end, "msgid_plural");
  }
  if (n == 6 && memcmp(word, "msgstr", 6) == 0) {
    const char *bracket = skip_blanks(p, end);   /* msgfmt reads "msgstr [0]" too */
    if (bracket < end && *bracket == '[') return read_msgstr(r, bracket, end, 1);
    return read_msgstr(r, p, end, 0);
  }
  if (n == 0) return fail(r, "syntax error");
  while (p < end && !is_blank(*p)) p++;
  return fail(r, "keyword \"%.*s\" unknown", (int)(p - word), word);
}

/* One line of the file, without its newline. */
static int read_line(reader *r, const char *p, const char *end, po_message_fn fn, void *ctx) {
  p = skip_blanks(p, end);
  if (p == end) return 0;
  if (memchr(p, '\0', (size_t)(end - p)) != NULL) return fail(r, "a NUL byte in the file");
  if (*p == '#') {
    if (r->nforms == 0 && (r->id != ABSENT || r->ctxt != ABSENT)) {
      r->line = r->id_line;   /* a comment cannot come between an entry's keywords and its msgstr */
      return fail(r, "missing msgstr");
    }
    if (r->nforms > 0) {
      int status = emit(r, fn, ctx);
      if (status != 0) return status;
    }
    r->open = 0;
    if (end - p > 1 && p[1] == ',') read_flags(r, p + 2, end);
    return 0;
  }
  if (*p == '"') {
    if (!r->open) return fail(r, "a string outside any msgid or msgstr");
    return read_string(r, p, end, "");
  }
  return read_keyword(r, p, end, fn, ctx);
}

/* Reads PATH whole into *DATA (NUL-ended) and *SIZE. Returns 0, or -1 with ERR set. */
static int slurp(const char *path, char **data, size_t *size, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 64 * 1024, len = 0;
  char *buf = malloc(cap + 1);
  while (buf != NULL) {
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap || cap >= PO_FILE_MAX) break;
    char *grown = realloc(buf, cap * 2 + 1);
    if (grown == NULL) free(buf);
    buf = grown;
    cap *= 2;
  }
  int failed = buf == NULL || ferror(f) || len >= PO_FILE_MAX;
  if (buf == NULL) snprintf(err, errlen, "%s: out of memory", path);
  else if (ferror(f)) snprintf(err, errlen, "%s: %s", path, strerror(errno));
  else if (len >= PO_FILE_MAX) snprintf(err, errlen, "%s: too large for a catalogue", path);
  fclose(f);
  if (failed) {
    free(buf);
    return -1;
  }
  buf[len] = '\0';
  *data = buf;
  *size = len;
  return 0;
}

int po_read(const char *path, po_message_fn fn, void *ctx, char *err, size_t errlen) {
  char *data;
  size_t size;
  if (slurp(path, &data, &size, err, errlen) != 0) return -1;
  reader r = {.path = path, .err = err, .errlen = errlen};
  entry_reset(&r);
  int status = 0;
  for (const char *p = data, *end = data + size; status == 0 && p < end;) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    r.line++;
    status = read_line(&r, p, eol, fn, ctx);
    p = eol + 1;
  }
  if (status == 0) status = emit(&r, fn, ctx);
  free(r.text);
  free(data);
  return status;
}

char *po_header_field(const char *header, const char *name, char *buf, size_t size) {
  size_t n = strlen(name);
  for (const char *line = header; *line != '\0';) {
    size_t len = strcspn(line, "\n");
    if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
      const char *value = line + n + 1;
      while (*value == ' ' || *value == '\t') value++;
      size_t vlen = len - (size_t)(value - line);
      if (vlen >= size) return NULL;
      memcpy(buf, value, vlen);
      buf[vlen] = '\0';
      return buf;
    }
    line += len + (line[len] == '\n');
  }
  return NULL;
}
