/*
** i18n.c — message catalogues: every word a user sees, by key.
**
** Catalogues are GNU gettext PO files read by po.c. Each language
** is a hash table of keys (msgid) to texts (msgstr, or msgstr[i] for plural
** entries) so that a lookup costs one hash and a probe or two: the REPL and
** the help screens look up many texts. Each PO file carries its own plural
** rule (the header's Plural-Forms), compiled once by a small evaluator that
** knows only the operators gettext's rules need, so a catalogue can bring the
** rule of its language without the host knowing it.
**
** Keys and texts are not copied: they point into the block each file was
** read into and decoded in place (po_read_kept), which the language keeps
** with the file and frees with it, so a catalogue costs one allocation for
** its text however many entries it has.
**
** The same reading code serves the lookups (one global pair of languages:
** the chosen one and en_GB) and `confer locales check` (every language under
** a directory, read afresh and compared with en_GB).
*/
#include "i18n.h"
#include "po.h"
#include "utf8.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------------
** Plural rules
** --------------------------------------------------------------------- */

#define PLURAL_MAX_NODES 96
#define PLURAL_MAX_DEPTH 32
#define PLURAL_MAX_FORMS PO_MAX_FORMS

/* One node of a compiled plural expression; children are node indices. */
typedef struct plural_node {
  char op;              /* 'n', 'k' (constant), '?', or an operator below */
  unsigned long value;  /* the constant of a 'k' node */
  int a, b, c;          /* operands; c only for '?' */
} plural_node;

/*
** Operators as one char each: '|' ||, '&' &&, '=' ==, '!' !=, '<', 'l' <=,
** '>', 'g' >=, '%', '+', '-'.
*/
typedef struct plural_rule {
  plural_node nodes[PLURAL_MAX_NODES];
  int count;            /* 0: the default rule n != 1 */
  int root;
  int nplurals;
} plural_rule;

typedef struct plural_parser {
  const char *p;
  plural_rule *rule;
  int depth;
  char error[64];       /* the first problem; empty while there is none */
} plural_parser;

/* Records the first problem of the parse; returns -1 for the caller to return. */
static int plural_fail(plural_parser *ps, const char *problem) {
  if (ps->error[0] == '\0') {
    if (strcmp(problem, "unexpected") == 0 && *ps->p == '\0') problem = "unexpected end";
    if (strcmp(problem, "unexpected") == 0) snprintf(ps->error, sizeof ps->error, "unexpected '%c'", *ps->p);
    else snprintf(ps->error, sizeof ps->error, "%s", problem);
  }
  return -1;
}

static void plural_skip_space(plural_parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n') ps->p++;
}

/* Consumes TOKEN (one or two characters) if it comes next. */
static int plural_accept(plural_parser *ps, const char *token) {
  plural_skip_space(ps);
  if (ps->p[0] != token[0] || (token[1] != '\0' && ps->p[1] != token[1])) return 0;
  ps->p += token[1] != '\0' ? 2 : 1;
  return 1;
}

static int plural_add(plural_parser *ps, char op, unsigned long value, int a, int b, int c) {
  plural_rule *r = ps->rule;
  if (r->count >= PLURAL_MAX_NODES) {
    return plural_fail(ps, "expression too long");
  }
  r->nodes[r->count] = (plural_node){op, value, a, b, c};
  return r->count++;
}

static int plural_ternary(plural_parser *ps);

/* primary: n | integer | ( ternary ) */
static int plural_primary(plural_parser *ps) {
  plural_skip_space(ps);
  if (*ps->p == 'n' && !isalnum((unsigned char)ps->p[1]) && ps->p[1] != '_') {
    ps->p++;
    return plural_add(ps, 'n', 0, -1, -1, -1);
  }
  if (isdigit((unsigned char)*ps->p)) {
    unsigned long value = 0;
    while (isdigit((unsigned char)*ps->p)) {
      unsigned digit = (unsigned)(*ps->p++ - '0');
      if (value > (ULONG_MAX - digit) / 10) {
        return plural_fail(ps, "number too large");
      }
      value = value * 10 + digit;
    }
    return plural_add(ps, 'k', value, -1, -1, -1);
  }
  if (plural_accept(ps, "(")) {
    int inner = plural_ternary(ps);
    if (inner < 0) return -1;
    if (!plural_accept(ps, ")")) {
      return plural_fail(ps, "')' expected");
    }
    return inner;
  }
  return plural_fail(ps, "unexpected");
}

/* A binary level: operands from NEXT joined by any of OPS (token, op). */
typedef struct plural_op { const char *token; char op; } plural_op;

static int plural_binary(plural_parser *ps, int (*next)(plural_parser *),
                         const plural_op *ops, size_t nops) {
  int left = next(ps);
  while (left >= 0) {
    size_t i = 0;
    while (i < nops && !plural_accept(ps, ops[i].token)) i++;
    if (i == nops) break;
    int right = next(ps);
    if (right < 0) return -1;
    if (ops[i].op == '%' && ps->rule->nodes[right].op == 'k' && ps->rule->nodes[right].value == 0) {
      return plural_fail(ps, "remainder by zero");
    }
    left = plural_add(ps, ops[i].op, 0, left, right, -1);
  }
  return left;
}

static int plural_remainder(plural_parser *ps) {
  static const plural_op ops[] = {{"%", '%'}};
  return plural_binary(ps, plural_primary, ops, 1);
}
static int plural_additive(plural_parser *ps) {
  static const plural_op ops[] = {{"+", '+'}, {"-", '-'}};
  return plural_binary(ps, plural_remainder, ops, 2);
}
static int plural_relational(plural_parser *ps) {
  /* Two-character tokens first so "<=" is not read as "<". */
  static const plural_op ops[] = {{"<=", 'l'}, {">=", 'g'}, {"<", '<'}, {">", '>'}};
  return plural_binary(ps, plural_additive, ops, 4);
}
static int plural_equality(plural_parser *ps) {
  static const plural_op ops[] = {{"==", '='}, {"!=", '!'}};
  return plural_binary(ps, plural_relational, ops, 2);
}
static int plural_and(plural_parser *ps) {
  static const plural_op ops[] = {{"&&", '&'}};
  return plural_binary(ps, plural_equality, ops, 1);
}
static int plural_or(plural_parser *ps) {
  static const plural_op ops[] = {{"||", '|'}};
  return plural_binary(ps, plural_and, ops, 1);
}

/* ternary: or [ ? ternary : ternary ] — right associative, depth-limited. */
static int plural_ternary(plural_parser *ps) {
  if (++ps->depth > PLURAL_MAX_DEPTH) {
    return plural_fail(ps, "expression nested too deeply");
  }
  int cond = plural_or(ps);
  if (cond >= 0 && plural_accept(ps, "?")) {
    int yes = plural_ternary(ps);
    if (yes < 0) return -1;
    if (!plural_accept(ps, ":")) {
      return plural_fail(ps, "':' expected");
    }
    int no = plural_ternary(ps);
    if (no < 0) return -1;
    cond = plural_add(ps, '?', 0, cond, yes, no);
  }
  ps->depth--;
  return cond;
}

/* Evaluates node I for N; a remainder by a zero that only N produces gives 0. */
static unsigned long plural_eval(const plural_rule *r, int i, unsigned long n) {
  const plural_node *x = &r->nodes[i];
  switch (x->op) {
    case 'n': return n;
    case 'k': return x->value;
    case '?': return plural_eval(r, x->a, n) ? plural_eval(r, x->b, n) : plural_eval(r, x->c, n);
    case '|': return plural_eval(r, x->a, n) || plural_eval(r, x->b, n);
    case '&': return plural_eval(r, x->a, n) && plural_eval(r, x->b, n);
    default: break;
  }
  unsigned long a = plural_eval(r, x->a, n), b = plural_eval(r, x->b, n);
  switch (x->op) {
    case '=': return a == b;
    case '!': return a != b;
    case '<': return a < b;
    case 'l': return a <= b;
    case '>': return a > b;
    case 'g': return a >= b;
    case '%': return b == 0 ? 0 : a % b;
    case '+': return a + b;
    default: return a - b;
  }
}

/* The form index for N; out-of-range results take form 0, as GNU gettext does. */
static int plural_index(const plural_rule *r, unsigned long n) {
  unsigned long index = r->count == 0 ? (n != 1) : plural_eval(r, r->root, n);
  return index < (unsigned long)r->nplurals ? (int)index : 0;
}

static void plural_default(plural_rule *r) {
  r->count = 0;
  r->root = -1;
  r->nplurals = 2;
}

/*
** Compiles a Plural-Forms value ("nplurals=3; plural=(n==1 ? 0 : 2);") into
** R. Returns 0, or -1 with the problem in PROBLEM and the default rule
** n != 1 in R.
*/
static int plural_compile(const char *forms, plural_rule *r, char *problem, size_t len) {
  plural_default(r);
  const char *np = strstr(forms, "nplurals=");
  const char *pl = strstr(forms, "plural=");
  char *end = NULL;
  long nplurals = np != NULL ? strtol(np + 9, &end, 10) : 0;
  plural_parser ps = {pl != NULL ? pl + 7 : "", r, 0, ""};
  if (np == NULL) plural_fail(&ps, "no nplurals");
  else if (pl == NULL) plural_fail(&ps, "no plural expression");
  else if (end == np + 9 || nplurals < 1 || nplurals > PLURAL_MAX_FORMS) plural_fail(&ps, "nplurals must be 1 to 16");
  int root = ps.error[0] == '\0' ? plural_ternary(&ps) : -1;
  plural_skip_space(&ps);
  if (root >= 0 && *ps.p != ';' && *ps.p != '\0') plural_fail(&ps, "unexpected");
  if (ps.error[0] != '\0') {
    snprintf(problem, len, "%s", ps.error);
    plural_default(r);
    return -1;
  }
  r->root = root;
  r->nplurals = (int)nplurals;
  return 0;
}

/* ------------------------------------------------------------------------
** Languages: catalogue files and a hash table of entries
** --------------------------------------------------------------------- */

typedef struct entry {
  const char *key;
  const char *text;     /* form 0; form i + 1 follows form i's NUL (see entry_form) */
  int nforms;
  int plural;           /* 1 if the entry has msgid_plural */
  size_t file;          /* index into the language's files */
  size_t hash;          /* hash_key(key), so growing the table rehashes no string */
  int unfit;            /* a translation whose printf conversions are not en_GB's: not used */
} entry;

typedef struct catalogue_file {
  char *path;
  char *block;                /* the file's decoded text, which its entries point into */
  const char *header;         /* its header's text in BLOCK, or NULL */
  plural_rule rule;
  char rule_problem[64];      /* empty, or why Plural-Forms fell back to n != 1 */
} catalogue_file;

/*
** Entries stay in the order they were read, so `locales check` reports in
** file order; the hash table maps keys to them.
*/
typedef struct language {
  char code[32];
  catalogue_file *files;
  size_t nfiles, files_room;
  entry *entries;
  size_t count, room;
  size_t *slots;        /* entry index + 1, 0 empty; open addressing */
  size_t capacity;      /* a power of two, at least twice count */
  size_t shipped;       /* the first entries, from the host's own catalogues */
  const struct language *host; /* while set, a key among HOST's shipped entries is not read */
} language;

/*
** Eight bytes of the key at a time, each word mixed in by a multiplication
** (which carries its bits only upwards), then the high half folded onto the
** low bits the table uses: a key costs a strlen and a few steps, not a
** multiplication per byte.
*/
static size_t hash_key(const char *key) {
  const uint64_t mix = 0x9e3779b97f4a7c15u;
  size_t len = strlen(key), n = 0;
  uint64_t h = len * mix, word = 0;
  for (; n + 8 <= len; n += 8) {
    memcpy(&word, key + n, 8);
    h = (h ^ word) * mix;
  }
  if (n < len) {
    if (len >= 8) memcpy(&word, key + len - 8, 8);   /* the last bytes, in a word overlapping the one before */
    else for (word = 0; n < len; n++) word = word << 8 | (unsigned char)key[n];
    h = (h ^ word) * mix;
  }
  return (size_t)(h ^ h >> 32);
}

/* 1 if entry E is KEY, whose hash is HASH: the hashes first, so a probe past another key compares no string. */
static int entry_is(const entry *e, const char *key, size_t hash) {
  return e->hash == hash && strcmp(e->key, key) == 0;
}

/* The slot holding KEY (of hash HASH), or the empty slot where it would go. Needs capacity > 0. */
static size_t *language_slot(const language *lang, size_t *slots, size_t capacity, const char *key,
                             size_t hash) {
  size_t i = hash & (capacity - 1);
  while (slots[i] != 0 && !entry_is(&lang->entries[slots[i] - 1], key, hash)) i = (i + 1) & (capacity - 1);
  return &slots[i];
}

/* Puts entry I back in SLOTS (CAPACITY of them, I's key not among them yet) by its stored hash. */
static void slot_entry(const language *lang, size_t *slots, size_t capacity, size_t i) {
  size_t at = lang->entries[i].hash & (capacity - 1);
  while (slots[at] != 0) at = (at + 1) & (capacity - 1);
  slots[at] = i + 1;
}

/* Form I of E (I < e->nforms): the forms lie one after another, each ended by a NUL. */
static const char *entry_form(const entry *e, int i) {
  const char *form = e->text;
  while (i-- > 0) form += strlen(form) + 1;
  return form;
}

static const entry *language_find(const language *lang, const char *key) {
  if (lang->capacity == 0) return NULL;
  size_t slot = *language_slot(lang, lang->slots, lang->capacity, key, hash_key(key));
  return slot != 0 ? &lang->entries[slot - 1] : NULL;
}

/* Makes room for one more entry. Returns 0, or -1 when memory runs out. */
static int language_reserve(language *lang) {
  if (lang->count == lang->room) {
    size_t room = lang->room ? lang->room * 4 : 64;
    entry *entries = realloc(lang->entries, room * sizeof *entries);
    if (entries == NULL) return -1;
    lang->entries = entries;
    lang->room = room;
  }
  if ((lang->count + 1) * 2 <= lang->capacity) return 0;
  size_t capacity = lang->capacity ? lang->capacity * 4 : 128;
  size_t *slots = calloc(capacity, sizeof *slots);
  if (slots == NULL) return -1;
  for (size_t i = 0; i < lang->count; i++) slot_entry(lang, slots, capacity, i);
  free(lang->slots);
  lang->slots = slots;
  lang->capacity = capacity;
  return 0;
}

static void file_free(catalogue_file *cf) {
  free(cf->path);
  free(cf->block);
}

static void language_clear(language *lang) {
  for (size_t i = 0; i < lang->nfiles; i++) file_free(&lang->files[i]);
  free(lang->entries);
  free(lang->slots);
  free(lang->files);
  memset(lang, 0, sizeof *lang);
}

/* Takes LANG back to its first COUNT entries and NFILES files (a file that did not read). */
static void language_truncate(language *lang, size_t count, size_t nfiles) {
  lang->count = count;
  while (lang->nfiles > nfiles) file_free(&lang->files[--lang->nfiles]);
  if (lang->capacity == 0) return;
  memset(lang->slots, 0, lang->capacity * sizeof *lang->slots);
  for (size_t i = 0; i < lang->count; i++) slot_entry(lang, lang->slots, lang->capacity, i);
}

static char *copy_string(const char *s) {
  size_t len = strlen(s) + 1;
  char *copy = malloc(len);
  if (copy != NULL) memcpy(copy, s, len);
  return copy;
}

/*
** Adds KEY with TEXT (NFORMS forms laid out as entry_form reads them) from
** file FILE; neither is copied, so both must live as long as the entry. A key
** already present stays as it is (the first catalogue read wins) and
** *DUPLICATE is set to its entry. Returns 0, or -1 when memory runs out.
*/
static int language_add(language *lang, const char *key, const char *text, int nforms, int plural,
                        size_t file, const entry **duplicate) {
  *duplicate = NULL;
  if (language_reserve(lang) != 0) return -1;
  size_t hash = hash_key(key);
  size_t *slot = language_slot(lang, lang->slots, lang->capacity, key, hash);
  if (*slot != 0) {
    *duplicate = &lang->entries[*slot - 1];
    return 0;
  }
  lang->entries[lang->count++] = (entry){key, text, nforms, plural, file, hash, 0};
  *slot = lang->count;
  return 0;
}

/* ------------------------------------------------------------------------
** Reading one PO file into a language
** --------------------------------------------------------------------- */

/* Reports a key defined twice in one language (only `locales check` listens). */
typedef void (*duplicate_fn)(void *ctx, const language *lang, const entry *first, const char *path);

/* One file being read into a language (the context of add_message). */
typedef struct file_read {
  language *lang;
  size_t index;          /* the file's place in lang->files */
  const char *path;
  duplicate_fn on_duplicate;
  void *ctx;
  char *err;
  size_t errlen;
  int header_seen;       /* a second header would replace the first's plural rule */
} file_read;

/*
** Sets the plural rule of LANG's file INDEX from FORMS, its Plural-Forms. The
** files of a language mostly give the same rule: the previous file's is
** copied rather than compiled again.
*/
static void file_rule(language *lang, size_t index, const char *forms) {
  catalogue_file *cf = &lang->files[index];
  const catalogue_file *previous = index > 0 ? &lang->files[index - 1] : NULL;
  char previous_forms[256];
  if (previous != NULL && previous->header != NULL &&
      po_header_field(previous->header, "Plural-Forms", previous_forms, sizeof previous_forms) != NULL &&
      strcmp(previous_forms, forms) == 0) {
    cf->rule = previous->rule;
    memcpy(cf->rule_problem, previous->rule_problem, sizeof cf->rule_problem);
    return;
  }
  plural_compile(forms, &cf->rule, cf->rule_problem, sizeof cf->rule_problem);
}

/*
** 1 if a plugin's catalogue is being read into LANG and KEY is one of the
** host's: the host prints its texts as printf formats with its own
** arguments, so a plugin's text for one (in a language whose shipped
** catalogues lack it) is not taken.
*/
static int is_host_key(const language *lang, const char *key) {
  if (lang->host == NULL) return 0;
  const entry *e = language_find(lang->host, key);
  return e != NULL && (size_t)(e - lang->host->entries) < lang->host->shipped;
}

/*
** Adds one message of the file to the language. The header brings the
** file's plural rule; fuzzy, untranslated (or partly translated) and
** msgctxt entries are not used. A key twice in one file is an error, as
** msgfmt has it; a key another file already gave keeps its first text.
*/
static int add_message(void *ctx, const po_message *m) {
  file_read *fr = ctx;
  catalogue_file *cf = &fr->lang->files[fr->index];
  if (m->msgid[0] == '\0' && m->msgctxt == NULL) {
    if (fr->header_seen++) {
      snprintf(fr->err, fr->errlen, "%s:%zu: duplicate message definition", fr->path, m->line);
      return -1;
    }
    cf->header = m->msgstr[0];
    char forms[256];
    if (po_header_field(cf->header, "Plural-Forms", forms, sizeof forms) != NULL) file_rule(fr->lang, fr->index, forms);
    return 0;
  }
  if (m->fuzzy || m->msgctxt != NULL) return 0;
  for (int i = 0; i < m->nforms; i++)
    if (m->msgstr[i][0] == '\0') return 0;
  if (is_host_key(fr->lang, m->msgid)) return 0;
  /* Texts are printed as they are: an escape sequence in a plugin's catalogue must not reach the terminal. */
  for (int i = 0; i < m->nforms; i++) {
    size_t len = strlen(m->msgstr[i]), at = utf8_unprintable_at(m->msgstr[i], len);
    if (at < len) {
      char key[128];
      utf8_printable_copy(key, sizeof key, m->msgid, strlen(m->msgid), 1);
      snprintf(fr->err, fr->errlen, "%s:%zu: the text of '%s' has a control character or a "
               "byte that is not UTF-8 (byte %zu)", fr->path, m->line, key, at + 1);
      return -1;
    }
  }
  const entry *dup;
  if (language_add(fr->lang, m->msgid, m->msgstr[0], m->nforms, m->msgid_plural != NULL, fr->index,
                   &dup) != 0) {
    snprintf(fr->err, fr->errlen, "%s: out of memory", fr->path);
    return -1;
  }
  if (dup != NULL && dup->file == fr->index) {
    snprintf(fr->err, fr->errlen, "%s:%zu: duplicate message definition", fr->path, m->line);
    return -1;
  }
  if (dup != NULL && fr->on_duplicate != NULL) fr->on_duplicate(fr->ctx, fr->lang, dup, fr->path);
  return 0;
}

/* po_read's callback when a file is only checked: every message is acceptable. */
static int ignore_message(void *ctx, const po_message *m) {
  (void)ctx, (void)m;
  return 0;
}

/* Makes room for one more file; the room doubles, as a file's plural rule is a few KiB to copy. */
static int language_reserve_file(language *lang) {
  if (lang->nfiles < lang->files_room) return 0;
  size_t room = lang->files_room ? lang->files_room * 2 : 16;
  catalogue_file *files = realloc(lang->files, room * sizeof *files);
  if (files == NULL) return -1;
  lang->files = files;
  lang->files_room = room;
  return 0;
}

/*
** Reads PATH and adds its entries to LANG. Returns 0, or -1 with the problem
** in ERR and LANG as it was: any problem rejects the whole file, so no
** language shows some of a file's texts and silently misses others.
*/
static int language_read(language *lang, const char *path, char *err, size_t errlen,
                         duplicate_fn on_duplicate, void *ctx) {
  if (language_reserve_file(lang) != 0) {
    snprintf(err, errlen, "%s: out of memory", path);
    return -1;
  }
  catalogue_file *cf = &lang->files[lang->nfiles];
  cf->rule_problem[0] = '\0';
  cf->block = NULL;
  cf->header = NULL;
  plural_default(&cf->rule);
  if ((cf->path = copy_string(path)) == NULL) {
    snprintf(err, errlen, "%s: out of memory", path);
    return -1;
  }
  size_t count = lang->count, nfiles = lang->nfiles++;
  file_read fr = {lang, nfiles, path, on_duplicate, ctx, err, errlen, 0};
  if (po_read_kept(path, add_message, &fr, &cf->block, err, errlen) == 0) return 0;
  language_truncate(lang, count, nfiles);
  return -1;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_po_name(const struct dirent *d) {
  size_t len = strlen(d->d_name);
  return d->d_name[0] != '.' && len > 3 && strcmp(d->d_name + len - 3, ".po") == 0;
}

/*
** Says in ERR that a path under LOCALES_DIR does not fit and returns -1: cut short it would
** name another directory. Only the start of the directory is named, so the reason always shows.
*/
static int dir_too_long(const char *locales_dir, char *err, size_t errlen) {
  snprintf(err, errlen, "%.64s...: %s", locales_dir, strerror(ENAMETOOLONG));
  return -1;
}

/*
** Reads every .po file of DIR into LANG in name order. A missing DIR is no error.
** Returns 0, or -1 with the first problem in ERR. With CONTINUE_ON_ERROR,
** reads the rest too and calls ON_ERROR for each problem (the check).
*/
typedef void (*error_fn)(void *ctx, const char *problem);

static int language_read_dir(language *lang, const char *dir, char *err, size_t errlen,
                             error_fn on_error, duplicate_fn on_duplicate, void *ctx) {
  struct dirent **names;
  int n = scandir(dir, &names, is_po_name, by_name);
  if (n < 0) {
    if (errno == ENOENT) return 0;
    snprintf(err, errlen, "%s: %s", dir, strerror(errno));
    if (on_error != NULL) on_error(ctx, err);
    return -1;
  }
  int status = 0;
  for (int i = 0; i < n; i++) {
    char path[PATH_MAX];
    if (status == 0 || on_error != NULL) {
      if (snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name) >= (int)sizeof path) {
        status = dir_too_long(dir, err, errlen);
        if (on_error != NULL) on_error(ctx, err);
      } else if (language_read(lang, path, err, errlen, on_duplicate, ctx) != 0) {
        status = -1;
        if (on_error != NULL) on_error(ctx, err);
      }
    }
    free(names[i]);
  }
  free(names);
  return status;
}

/* ------------------------------------------------------------------------
** The process's catalogues and lookups
** --------------------------------------------------------------------- */

static language english;      /* en_GB, always loaded */
static language chosen;       /* the chosen language when it is not en_GB */

static void mark_unfit(language *lang);
static int have_chosen;

/* 1 if CODE is a plausible locale name, so it cannot walk out of LOCALES_DIR. */
static int valid_code(const char *code) {
  if (code[0] == '\0' || strlen(code) >= sizeof chosen.code) return 0;
  for (const char *p = code; *p; p++)
    if (!isalnum((unsigned char)*p) && strchr("_-.@", *p) == NULL) return 0;
  return code[0] != '.';
}

static int is_directory(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
** Picks the directory of CODE under DIR into OUT: the code without its
** ".codeset" and "@modifier", then its language part; "en_GB" when neither
** exists or CODE is C/POSIX.
*/
static void choose_language(const char *dir, const char *code, char out[32]) {
  char full[32], path[PATH_MAX];
  snprintf(out, 32, "en_GB");
  snprintf(full, sizeof full, "%.*s", (int)strcspn(code, ".@"), code);
  if (full[0] == '\0' || strcmp(full, "C") == 0 || strcmp(full, "POSIX") == 0) return;
  const char *candidates[2] = {full, NULL};
  char part[32];
  snprintf(part, sizeof part, "%.*s", (int)strcspn(full, "_-"), full);
  if (strcmp(part, full) != 0) candidates[1] = part;
  for (int i = 0; i < 2 && candidates[i] != NULL; i++) {
    if (snprintf(path, sizeof path, "%s/%s", dir, candidates[i]) < (int)sizeof path &&
        is_directory(path)) {
      snprintf(out, 32, "%s", candidates[i]);
      return;
    }
  }
}

int i18n_init(const char *locales_dir, const char *lang, char *err, size_t errlen) {
  i18n_free();
  const char *code = lang;
  if (code == NULL) code = getenv("CONFER_LANG");
  if (code != NULL && code[0] != '\0' && !valid_code(code)) {
    snprintf(err, errlen, "'%s' is not a language code (such as en_GB or cy)", code);
    return -1;
  }
  if (code == NULL || code[0] == '\0') {
    code = getenv("LANG");
    if (code == NULL || !valid_code(code)) code = "C";
  }
  char picked[32], path[PATH_MAX];
  choose_language(locales_dir, code, picked);
  snprintf(english.code, sizeof english.code, "en_GB");
  char chosen_path[PATH_MAX];
  /* Both checked before anything is read: cut short either would name another directory. */
  if (snprintf(path, sizeof path, "%s/en_GB", locales_dir) >= (int)sizeof path ||
      snprintf(chosen_path, sizeof chosen_path, "%s/%s", locales_dir, picked) >= (int)sizeof chosen_path)
    return dir_too_long(locales_dir, err, errlen);
  if (language_read_dir(&english, path, err, errlen, NULL, NULL, NULL) != 0) {
    i18n_free();
    return -1;
  }
  english.shipped = english.count;
  if (strcmp(picked, "en_GB") == 0) return 0;
  snprintf(chosen.code, sizeof chosen.code, "%s", picked);
  have_chosen = 1;
  if (language_read_dir(&chosen, chosen_path, err, errlen, NULL, NULL, NULL) != 0) {
    i18n_free();
    return -1;
  }
  mark_unfit(&chosen);
  return 0;
}

/* The plugin directories' en_GB catalogues i18n_add_dir added, for the check. */
static char **extra_dirs;
static int n_extra_dirs;

int i18n_add_dir(const char *locales_dir, char *err, size_t errlen) {
  char path[PATH_MAX], chosen_path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/en_GB", locales_dir) >= (int)sizeof path)
    return dir_too_long(locales_dir, err, errlen);
  if (!is_directory(path)) return 0;
  /* Checked before anything is read, so a refusal adds nothing. */
  if (have_chosen &&
      snprintf(chosen_path, sizeof chosen_path, "%s/%s", locales_dir, chosen.code) >= (int)sizeof chosen_path)
    return dir_too_long(locales_dir, err, errlen);
  char **grown = realloc(extra_dirs, (size_t)(n_extra_dirs + 1) * sizeof *grown);
  char *copy = grown != NULL ? copy_string(path) : NULL;
  if (grown != NULL) extra_dirs = grown;
  if (copy == NULL) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return -1;
  }
  extra_dirs[n_extra_dirs++] = copy;
  if (language_read_dir(&english, path, err, errlen, NULL, NULL, NULL) != 0) return -1;
  if (!have_chosen) return 0;
  chosen.host = &english;
  int rc = language_read_dir(&chosen, chosen_path, err, errlen, NULL, NULL, NULL);
  chosen.host = NULL;
  mark_unfit(&chosen);
  return rc;
}

int i18n_add_catalogue(const char *path, const char *lang, char *err, size_t errlen) {
  language *target = NULL;
  if (strcmp(lang, "en_GB") == 0) target = &english;
  else if (have_chosen && strcmp(lang, chosen.code) == 0) target = &chosen;
  if (target == NULL) {
    /* A language nobody reads now: still check that it parses. */
    return po_read(path, ignore_message, NULL, err, errlen) != 0 ? -1 : 0;
  }
  snprintf(target->code, sizeof target->code, "%s", lang);
  int rc = language_read(target, path, err, errlen, NULL, NULL);
  if (have_chosen) mark_unfit(&chosen);   /* an English text added may be the one a translation must fit */
  return rc;
}

const char *i18n_language(void) {
  return have_chosen ? chosen.code : "en_GB";
}

const char *i18n_text(const char *key) {
  const entry *e = have_chosen ? language_find(&chosen, key) : NULL;
  if (e == NULL || e->unfit) e = language_find(&english, key);
  return e != NULL ? e->text : key;
}

/* The form of E for N under the rule of the file E came from in LANG. */
static const char *entry_plural(const language *lang, const entry *e, unsigned long n) {
  if (!e->plural) return e->text;
  int index = plural_index(&lang->files[e->file].rule, n);
  return entry_form(e, index < e->nforms ? index : 0);
}

const char *i18n_plural(const char *key, unsigned long n) {
  const entry *e = have_chosen ? language_find(&chosen, key) : NULL;
  if (e != NULL && !e->unfit) return entry_plural(&chosen, e, n);
  e = language_find(&english, key);
  return e != NULL ? entry_plural(&english, e, n) : key;
}

/* Appends S to BUF (SIZE bytes) at offset AT, always terminated; returns the new offset. */
static size_t append(char *buf, size_t size, size_t at, const char *s, size_t len) {
  if (at < size) {
    size_t room = size - at - 1;
    memcpy(buf + at, s, len < room ? len : room);
    buf[at + (len < room ? len : room)] = '\0';
  }
  return at + len;
}

size_t i18n_date(int year, int month, int mday, int weekday, char *buf, size_t size) {
  char key[32], day[16], yyyy[16];
  snprintf(day, sizeof day, "%d", mday);
  snprintf(yyyy, sizeof yyyy, "%d", year);
  if (size > 0) buf[0] = '\0';
  size_t at = 0;
  /* Braced names rather than printf conversions, so a language may put the parts in its own order. */
  for (const char *p = i18n_text("date.format"); *p != '\0';) {
    const char *value = NULL;
    size_t skip = 0;
    if (strncmp(p, "{weekday}", 9) == 0) {
      snprintf(key, sizeof key, "date.weekday.%d", weekday);
      value = i18n_text(key), skip = 9;
    } else if (strncmp(p, "{month}", 7) == 0) {
      snprintf(key, sizeof key, "date.month.%d", month);
      value = i18n_text(key), skip = 7;
    } else if (strncmp(p, "{day}", 5) == 0) {
      value = day, skip = 5;
    } else if (strncmp(p, "{year}", 6) == 0) {
      value = yyyy, skip = 6;
    }
    if (value != NULL) {
      at = append(buf, size, at, value, strlen(value));
      p += skip;
    } else {
      at = append(buf, size, at, p, 1);
      p++;
    }
  }
  return at;
}

void i18n_free(void) {
  for (int i = 0; i < n_extra_dirs; i++) free(extra_dirs[i]);
  free(extra_dirs);
  extra_dirs = NULL;
  n_extra_dirs = 0;
  language_clear(&english);
  language_clear(&chosen);
  have_chosen = 0;
}

/* ------------------------------------------------------------------------
** `confer locales check`
** --------------------------------------------------------------------- */

typedef struct checker {
  FILE *out;
  int problems;
  size_t catalogues;
} checker;

static void check_problem(void *ctx, const char *problem) {
  checker *ck = ctx;
  fprintf(ck->out, "%s\n", problem);
  ck->problems++;
}

static void check_duplicate(void *ctx, const language *lang, const entry *first, const char *path) {
  checker *ck = ctx;
  fprintf(ck->out, _("locales.check.duplicate"), path, first->key, lang->files[first->file].path);
  fputc('\n', ck->out);
  ck->problems++;
}

/* The file name part of PATH. */
static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/*
** The printf conversions of TEXT ("%s", "%lu", "%1$s" ...) joined by spaces
** into OUT, flags, width and precision left out: they change the look, not
** which arguments printf reads. A '*' stays ("%.*s" is "%*s"): it reads an
** int, so a translation's "%s" for it would take that int for a string.
*/
static void conversions(const char *text, char *out, size_t outlen) {
  size_t used = 0;
  out[0] = '\0';
  for (const char *p = text; (p = strchr(p, '%')) != NULL;) {
    p++;
    if (*p == '%') { p++; continue; }
    char spec[24];
    size_t n = 0;
    spec[n++] = '%';
    const char *q = p;
    while (isdigit((unsigned char)*q)) q++;
    if (*q == '$') {   /* a positional argument keeps its number */
      while (p <= q && n < 8) spec[n++] = *p++;
    }
    while (*p && strchr("-+ #0'", *p)) p++;
    for (; isdigit((unsigned char)*p) || *p == '.' || *p == '*'; p++)
      if (*p == '*' && n < 8) spec[n++] = '*';
    while (*p && strchr("hlLqjzt", *p) && n < sizeof spec - 2) spec[n++] = *p++;
    if (*p != '\0') spec[n++] = *p++;
    spec[n] = '\0';
    int w = snprintf(out + used, outlen - used, "%s%s", used ? " " : "", spec);
    if (w < 0 || (size_t)w >= outlen - used) return;
    used += (size_t)w;
  }
}

/* 1 if the conversions C of a translated form fit REF: equal, or a prefix for a plural form. */
static int conversions_fit(const char *c, const char *ref, int prefix_ok) {
  if (strcmp(c, ref) == 0) return 1;
  size_t len = strlen(c);
  return prefix_ok && (len == 0 || (strncmp(c, ref, len) == 0 && ref[len] == ' '));
}

/*
** 1 if every form of E, a translation of REF, has conversions that fit REF's;
** else 0 with the first that does not in GOT and REF's in WANT (256 bytes each).
*/
static int forms_fit(const entry *e, const entry *ref, char *got, char *want) {
  conversions(entry_form(ref, ref->nforms - 1), want, 256);
  for (int i = 0; i < e->nforms; i++) {
    conversions(entry_form(e, i), got, 256);
    if (!conversions_fit(got, want, e->plural)) return 0;
  }
  return 1;
}

/*
** Marks LANG's texts whose conversions do not fit en_GB's. The host prints
** its texts as printf formats with en_GB's arguments, so such a text (a
** translator's slip that `locales check` names) would read an argument as
** what it is not, and crash: the English text is used in its place.
*/
static void mark_unfit(language *lang) {
  char got[256], want[256];
  for (size_t i = 0; i < lang->count; i++) {
    entry *e = &lang->entries[i];
    const entry *ref = language_find(&english, e->key);
    e->unfit = ref != NULL && !forms_fit(e, ref, got, want);
  }
}

static void check_conversions(checker *ck, const language *lang, const entry *e, const entry *ref) {
  char want[256], got[256];
  if (forms_fit(e, ref, got, want)) return;
  fprintf(ck->out, _("locales.check.conversions"), lang->files[e->file].path, e->key, got, want);
  fputc('\n', ck->out);
  ck->problems++;
}

/* Reads DIR/SCOPE into a NULL-terminated list of file names; NULL if there is none. */
static char **read_scope(checker *ck, const char *dir, const language *english_ref) {
  char path[PATH_MAX], *line = NULL;
  size_t cap = 0;
  if (snprintf(path, sizeof path, "%s/SCOPE", dir) >= (int)sizeof path) return NULL;
  FILE *f = fopen(path, "r");
  if (f == NULL) return NULL;
  char **names = calloc(1, sizeof *names);
  size_t count = 0;
  int lineno = 0, out_of_memory = names == NULL;
  /* Whole lines of any length: a long comment cut in two would be read as a file name. */
  while (!out_of_memory && getline(&line, &cap, f) >= 0) {
    lineno++;
    char *name = line + strspn(line, " \t");
    name[strcspn(name, " \t\r\n#")] = '\0';
    if (name[0] == '\0') continue;
    int known = 0;
    for (size_t i = 0; i < english_ref->nfiles; i++) known |= strcmp(base_name(english_ref->files[i].path), name) == 0;
    if (!known) {
      fprintf(ck->out, _("locales.check.no_catalogue"), path, lineno, name);
      fputc('\n', ck->out);
      ck->problems++;
    }
    char **grown = realloc(names, (count + 2) * sizeof *names);
    if (grown != NULL) names = grown;
    if (grown == NULL || (names[count] = copy_string(name)) == NULL) out_of_memory = 1;
    else names[++count] = NULL;
  }
  /* getline stops at the end, or on a read error or out of memory (errno says which). */
  int read_error = !out_of_memory && !feof(f) ? errno : 0;
  free(line);
  fclose(f);
  if (out_of_memory || read_error != 0) {
    fprintf(ck->out, "%s: %s\n", path, out_of_memory ? _("host.out_of_memory") : strerror(read_error));
    ck->problems++;
  }
  return names;
}

static void free_scope(char **names) {
  if (names == NULL) return;
  for (char **p = names; *p; p++) free(*p);
  free(names);
}

static int in_scope(char *const *scope, const char *file) {
  if (scope == NULL) return 1;
  for (char *const *p = scope; *p; p++) if (strcmp(*p, base_name(file)) == 0) return 1;
  return 0;
}

static void check_rules(checker *ck, const language *lang) {
  for (size_t i = 0; i < lang->nfiles; i++) {
    if (lang->files[i].rule_problem[0] == '\0') continue;
    fprintf(ck->out, _("locales.check.plural_rule"), lang->files[i].path, lang->files[i].rule_problem);
    fputc('\n', ck->out);
    ck->problems++;
  }
}

/* Compares LANG (read from DIR) with en_GB: missing, unused and mismatched keys. */
static void check_language(checker *ck, const char *dir, const language *lang, const language *ref) {
  char **scope = read_scope(ck, dir, ref);
  for (size_t i = 0; i < ref->count; i++) {
    const entry *want = &ref->entries[i];
    if (!in_scope(scope, ref->files[want->file].path)) continue;
    const entry *have = language_find(lang, want->key);
    if (have != NULL) check_conversions(ck, lang, have, want);
    else {
      fprintf(ck->out, _("locales.check.missing_key"), dir, base_name(ref->files[want->file].path), want->key);
      fputc('\n', ck->out);
      ck->problems++;
    }
  }
  for (size_t i = 0; i < lang->count; i++) {
    const entry *have = &lang->entries[i];
    if (language_find(ref, have->key) != NULL) continue;
    fprintf(ck->out, _("locales.check.not_in_english"), lang->files[have->file].path, have->key);
    fputc('\n', ck->out);
    ck->problems++;
  }
  free_scope(scope);
}

/* Checks KEYS_USED against en_GB in both directions. */
static void check_keys_used(checker *ck, const language *ref, const char *const *keys_used) {
  language used = {0};
  for (const char *const *k = keys_used; *k != NULL; k++) {
    const entry *dup;
    if (language_add(&used, *k, "", 1, 0, 0, &dup) != 0) {
      fprintf(ck->out, "locales: %s\n", _("host.out_of_memory"));
      ck->problems++;
      break;
    }
    if (dup == NULL && language_find(ref, *k) == NULL) {
      fprintf(ck->out, _("locales.check.missing_in_english"), *k);
      fputc('\n', ck->out);
      ck->problems++;
    }
  }
  for (size_t i = 0; i < ref->count; i++) {
    const entry *e = &ref->entries[i];
    if (language_find(&used, e->key) != NULL) continue;
    fprintf(ck->out, _("locales.check.unused_by_sources"), ref->files[e->file].path, e->key);
    fputc('\n', ck->out);
    ck->problems++;
  }
  language_clear(&used);
}

static int is_language_dir(const struct dirent *d) {
  return d->d_name[0] != '.';
}

/* Reads and compares every other language directory under LOCALES_DIR. */
static void check_other_languages(checker *ck, const char *locales_dir, const language *ref) {
  struct dirent **names;
  int n = scandir(locales_dir, &names, is_language_dir, by_name);
  if (n < 0) {
    fprintf(ck->out, "%s: %s\n", locales_dir, strerror(errno));
    ck->problems++;
    return;
  }
  for (int i = 0; i < n; i++) {
    char dir[PATH_MAX], err[600];
    if (strcmp(names[i]->d_name, "en_GB") != 0 &&
        snprintf(dir, sizeof dir, "%s/%s", locales_dir, names[i]->d_name) < (int)sizeof dir &&
        is_directory(dir)) {
      language lang = {0};
      snprintf(lang.code, sizeof lang.code, "%.31s", names[i]->d_name);
      language_read_dir(&lang, dir, err, sizeof err, check_problem, check_duplicate, ck);
      ck->catalogues += lang.nfiles;
      check_rules(ck, &lang);
      check_language(ck, dir, &lang, ref);
      language_clear(&lang);
    }
    free(names[i]);
  }
  free(names);
}

int i18n_use_seen_before(const i18n_use *uses, size_t i) {
  for (size_t j = 0; j < i; j++)
    if (uses[j].where != NULL && strcmp(uses[j].where, uses[i].where) == 0 &&
        strcmp(uses[j].key, uses[i].key) == 0)
      return 1;
  return 0;
}

/*
** Checks the plugins' USES against en_GB: a key used at a place without text
** is missing there; a key of en_GB's PLUGIN_FILE no use names is unused.
*/
static void check_plugin_uses(checker *ck, const language *ref, const i18n_use *uses, size_t n,
                              const char *plugin_file) {
  language used = {0};
  for (size_t i = 0; i < n; i++) {
    const entry *dup;
    if (language_add(&used, uses[i].key, "", 1, 0, 0, &dup) != 0) {
      fprintf(ck->out, "locales: %s\n", _("host.out_of_memory"));
      ck->problems++;
      language_clear(&used);
      return;
    }
    if (uses[i].where != NULL && language_find(ref, uses[i].key) == NULL && !i18n_use_seen_before(uses, i)) {
      fprintf(ck->out, _("locales.check.plugin_missing_key"), uses[i].where, uses[i].key);
      fputc('\n', ck->out);
      ck->problems++;
    }
  }
  for (size_t i = 0; i < ref->count; i++) {
    const entry *e = &ref->entries[i];
    const char *path = ref->files[e->file].path;
    if (strcmp(base_name(path), plugin_file) != 0 || language_find(&used, e->key) != NULL) continue;
    fprintf(ck->out, _("locales.check.unused_by_plugins"), path, e->key);
    fputc('\n', ck->out);
    ck->problems++;
  }
  language_clear(&used);
}

/* The last line of the check: "locales: 3 catalogues, 1 key, no problems", each count in its plural form. */
static void print_total(FILE *out, size_t catalogues, size_t keys, int problems) {
  char files[64], entries[64], found[64];
  snprintf(files, sizeof files, i18n_plural("locales.check.catalogues", catalogues), catalogues);
  snprintf(entries, sizeof entries, i18n_plural("locales.check.keys", keys), keys);
  if (problems == 0) {
    fprintf(out, _("locales.check.total"), files, entries);
  } else {
    snprintf(found, sizeof found, i18n_plural("locales.check.problems", (unsigned long)problems), problems);
    fprintf(out, _("locales.check.total_problems"), files, entries, found);
  }
  fputc('\n', out);
}

/*
** The check of i18n_check, with the plugins' USES when PLUGIN_FILE is not
** NULL, counting PROBLEMS_BEFORE problems already written to OUT.
*/
static int check_all(const char *locales_dir, const char *const *keys_used, const i18n_use *uses,
                     size_t nuses, const char *plugin_file, int problems_before, FILE *out) {
  checker ck = {out, problems_before, 0};
  language ref = {0};
  char dir[PATH_MAX], err[600];
  snprintf(ref.code, sizeof ref.code, "en_GB");
  if (snprintf(dir, sizeof dir, "%s/en_GB", locales_dir) >= (int)sizeof dir) {
    fprintf(out, _("locales.check.path_too_long"), locales_dir);
    fputc('\n', out);
    return problems_before + 1;
  }
  if (!is_directory(dir)) {
    fprintf(out, _("locales.check.no_english"), dir);
    fputc('\n', out);
    ck.problems++;
  }
  language_read_dir(&ref, dir, err, sizeof err, check_problem, check_duplicate, &ck);
  for (int i = 0; i < n_extra_dirs; i++)   /* plugin directories' own words (i18n_add_dir) */
    language_read_dir(&ref, extra_dirs[i], err, sizeof err, check_problem, NULL, &ck);
  ck.catalogues += ref.nfiles;
  check_rules(&ck, &ref);
  if (keys_used != NULL) check_keys_used(&ck, &ref, keys_used);
  /* Without en_GB every plugin key would be missing: the line above says it once. */
  if (plugin_file != NULL && ref.nfiles > 0) check_plugin_uses(&ck, &ref, uses, nuses, plugin_file);
  check_other_languages(&ck, locales_dir, &ref);
  print_total(out, ck.catalogues, ref.count, ck.problems);
  language_clear(&ref);
  return ck.problems;
}

int i18n_check(const char *locales_dir, const char *const *keys_used, FILE *out) {
  return check_all(locales_dir, keys_used, NULL, 0, NULL, 0, out);
}

int i18n_check_plugins(const char *locales_dir, const i18n_use *uses, size_t n,
                       const char *plugin_file, int problems_before, FILE *out) {
  return check_all(locales_dir, NULL, uses, n, plugin_file, problems_before, out);
}
