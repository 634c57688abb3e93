/*
** po.c — reading GNU gettext PO files (see po.h).
**
** One pass over the file held in memory, a line at a time. The file's bytes
** are decoded where they lie: a string literal's decoded form is never longer
** than its quoted form, and the quotes, keywords and newlines between strings
** are dropped, so the write position never overtakes the read position. Each
** string of an entry ends with a NUL just after it, the entries follow one
** another from the start of the block, and the strings stay valid as long as
** the block (po_read_kept hands it over; po_read frees it). Reading costs no
** allocation but the file's one. An entry is handed on when the next one
** starts (or a comment follows it, or the file ends).
*/
#include "po.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define PO_FILE_MAX (16 * 1024 * 1024)   /* a catalogue is a few hundred KiB at most */
#define HIGH_BITS 0x8080808080808080u   /* the top bit of each byte of a word */

typedef struct reader {
  const char *path;
  char *err;
  size_t errlen;
  size_t line;
  const char *nul;     /* the file's first NUL byte, or its end */
  char *out;           /* where the next decoded byte goes, never past the byte being read */
  char *entry;         /* where the entry's first string begins */
  const char *file_end;
  const char *backslash;   /* see next_backslash */
  char *ctxt, *id, *plural, *str[PO_MAX_FORMS];   /* the entry's strings, or NULL */
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

/* Appends the N bytes at S, which lie at or after the write position, to the entry's strings. */
static void push_bytes(reader *r, const char *s, size_t n) {
  memmove(r->out, s, n);
  r->out += n;
}

static void push_byte(reader *r, char c) {
  *r->out++ = c;
}

static void entry_reset(reader *r) {
  r->ctxt = r->id = r->plural = NULL;
  r->nforms = 0;
  r->nfields = 0;
  r->open = 0;
}

/* Starts a new field of the entry (ending the previous one) at the write position; returns it. */
static char *field_start(reader *r) {
  if (r->nfields++ > 0) push_byte(r, '\0');
  else r->entry = r->out;
  r->open = 1;
  return r->out;
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

/* 1 if the LEN bytes at S are all ASCII: 32 bytes at a time, then 8, then the last 8 again. */
static int is_ascii(const unsigned char *s, size_t len) {
  uint64_t w[4], seen = 0;
  size_t n = 0;
  for (; n + sizeof w <= len && (seen & HIGH_BITS) == 0; n += sizeof w) {
    memcpy(w, s + n, sizeof w);
    seen = w[0] | w[1] | w[2] | w[3];
  }
  for (; n + 8 <= len; n += 8) {
    memcpy(w, s + n, 8);
    seen |= w[0];
  }
  if (len >= 8) memcpy(w, s + len - 8, 8);   /* the bytes left over, within a word that overlaps */
  else for (w[0] = 0; n < len; n++) w[0] |= s[n];
  return ((seen | w[0]) & HIGH_BITS) == 0;
}

/* 1 if the LEN bytes at S are UTF-8; plain ASCII, most of a catalogue, is skipped a block at a time. */
static int valid_utf8(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  if (is_ascii(p, len)) return 1;
  while (p < end) {
    uint64_t eight;
    if (end - p >= 8 && (memcpy(&eight, p, 8), (eight & HIGH_BITS) == 0)) {
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
    if (simple[i] == c) {
      push_byte(r, simple[i + 1]);
      return 0;
    }
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
  push_byte(r, (char)value);
  return 0;
}

/*
** The first backslash at or after S in the file, or the file's end. Most
** strings have none, so the file is searched again only once S has passed
** the last backslash found (decoding never writes ahead of S).
*/
static const char *next_backslash(reader *r, const char *s) {
  if (r->backslash < s) {
    r->backslash = memchr(s, '\\', (size_t)(r->file_end - s));
    if (r->backslash == NULL) r->backslash = r->file_end;
  }
  return r->backslash;
}

/* Appends the string literal at *P (its opening quote) and returns after its closing one. */
static int push_string(reader *r, const char **p, const char *end) {
  const char *s = *p + 1;
  while (s < end && *s != '"') {
    /* The plain bytes up to the next quote or backslash, found and copied at once. */
    const char *quote = memchr(s, '"', (size_t)(end - s));
    const char *stop = quote != NULL ? quote : end;
    const char *backslash = next_backslash(r, s);
    if (backslash < stop) stop = backslash;
    push_bytes(r, s, (size_t)(stop - s));
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
  if (r->id == NULL && r->ctxt == NULL) return 0;
  if (r->nforms == 0) {
    r->line = r->id_line;
    return fail(r, "missing msgstr");
  }
  push_byte(r, '\0');
  po_message m;
  m.msgctxt = r->ctxt;
  m.msgid = r->id;
  m.msgid_plural = r->plural;
  m.nforms = r->nforms;
  for (int i = 0; i < r->nforms; i++) m.msgstr[i] = r->str[i];
  m.fuzzy = r->fuzzy;
  m.line = r->id_line;
  if (!valid_utf8(r->entry, (size_t)(r->out - r->entry))) {   /* every string at once: the NULs between them are ASCII */
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
    if (r->plural == NULL) return fail(r, "msgstr[%ld] without msgid_plural", n);
    if (n >= PO_MAX_FORMS) return fail(r, "too many plural forms");
    if (n != r->nforms) return fail(r, "msgstr[%ld] out of order: msgstr[%d] expected", n, r->nforms);
    index = (int)n;
    p = after + 1;
  } else {
    if (r->id == NULL) return fail(r, "msgstr without msgid");
    if (r->plural != NULL) return fail(r, "msgstr[0] expected: the entry has msgid_plural");
    if (r->nforms > 0) return fail(r, "msgstr given twice");
  }
  r->str[index] = field_start(r);
  r->nforms = index + 1;
  return read_string(r, p, end, indexed ? "msgstr[N]" : "msgstr");
}

/* One line that starts with a keyword. */
static int read_keyword(reader *r, const char *p, const char *end, po_message_fn fn, void *ctx) {
  const char *word = p;
  if (end - p >= 3 && memcmp(p, "msg", 3) == 0) p += 3;   /* how every keyword begins, taken at once */
  while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_')) p++;
  size_t n = (size_t)(p - word);
  int is_ctxt = n == 7 && memcmp(word, "msgctxt", 7) == 0;
  int is_id = n == 5 && memcmp(word, "msgid", 5) == 0;
  if ((is_ctxt || is_id) && r->nforms > 0) {
    int status = emit(r, fn, ctx);
    if (status != 0) return status;
  }
  if (is_ctxt || is_id) {
    if (r->id != NULL) return fail(r, "missing msgstr");
    if (is_ctxt && r->ctxt != NULL) return fail(r, "msgctxt given twice");
    if (r->ctxt == NULL) {   /* the first keyword of an entry takes the flags before it */
      r->fuzzy = r->next_fuzzy;
      r->next_fuzzy = 0;
    }
    r->id_line = r->line;   /* msgid's line; msgctxt's while the entry has no msgid */
    *(is_ctxt ? &r->ctxt : &r->id) = field_start(r);
    return read_string(r, p, end, is_ctxt ? "msgctxt" : "msgid");
  }
  if (n == 12 && memcmp(word, "msgid_plural", 12) == 0) {
    if (r->id == NULL || r->plural != NULL || r->nforms > 0) return fail(r, "msgid_plural out of place");
    r->plural = field_start(r);
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
  if (r->nul < end) return fail(r, "a NUL byte in the file");
  if (*p == '#') {
    if (r->nforms == 0 && (r->id != NULL || r->ctxt != NULL)) {
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

/* Sets ERR to "PATH: why" after a failed system call; returns -1. */
static int fail_errno(const char *path, char *err, size_t errlen) {
  snprintf(err, errlen, "%s: %s", path, strerror(errno));
  return -1;
}

/* Reads all of FD into *DATA (NUL-ended; SIZE_HINT the bytes expected) and *SIZE. Returns 0, or -1 with ERR set. */
static int read_all(int fd, const char *path, size_t size_hint, char **data, size_t *size, char *err,
                    size_t errlen) {
  size_t cap = size_hint + 1, len = 0;   /* one spare byte, so the read that meets the end is the second */
  char *buf = malloc(cap + 1);
  while (buf != NULL) {
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      free(buf);
      return fail_errno(path, err, errlen);
    }
    len += (size_t)n;
    if (n == 0 || len >= PO_FILE_MAX) break;
    if (len < cap) continue;
    char *grown = realloc(buf, cap * 2 + 1);
    if (grown == NULL) free(buf);
    buf = grown;
    cap *= 2;
  }
  if (buf == NULL) {
    snprintf(err, errlen, "%s: out of memory", path);
    return -1;
  }
  if (len >= PO_FILE_MAX) {
    free(buf);
    snprintf(err, errlen, "%s: too large for a catalogue", path);
    return -1;
  }
  buf[len] = '\0';
  *data = buf;
  *size = len;
  return 0;
}

/* Reads PATH whole into *DATA (NUL-ended) and *SIZE, sized once from the file's length. Returns 0, or -1 with ERR set. */
static int slurp(const char *path, char **data, size_t *size, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail_errno(path, err, errlen);
  struct stat st;
  size_t hint = 64 * 1024;   /* a pipe or a device tells no length */
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size < PO_FILE_MAX)
    hint = (size_t)st.st_size;
  int status = read_all(fd, path, hint, data, size, err, errlen);
  close(fd);
  return status;
}

/* Reads the DATA (SIZE bytes, NUL-ended) of PATH, decoding its strings in place. */
static int parse(const char *path, char *data, size_t size, po_message_fn fn, void *ctx, char *err,
                 size_t errlen) {
  reader r = {.path = path, .err = err, .errlen = errlen, .out = data, .file_end = data + size, .backslash = data};
  /* Decoding writes NULs behind the line being read: look for the file's own once, before. */
  r.nul = memchr(data, '\0', size);
  if (r.nul == NULL) r.nul = data + size;
  entry_reset(&r);
  int status = 0;
  for (char *p = data, *end = data + size; status == 0 && p < end;) {
    char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    r.line++;
    status = read_line(&r, p, eol, fn, ctx);
    p = eol + 1;
  }
  if (status == 0) status = emit(&r, fn, ctx);
  return status;
}

int po_read_kept(const char *path, po_message_fn fn, void *ctx, char **block, char *err, size_t errlen) {
  size_t size;
  *block = NULL;
  if (slurp(path, block, &size, err, errlen) != 0) return -1;
  return parse(path, *block, size, fn, ctx, err, errlen);
}

int po_read(const char *path, po_message_fn fn, void *ctx, char *err, size_t errlen) {
  char *block;
  int status = po_read_kept(path, fn, ctx, &block, err, errlen);
  free(block);
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
