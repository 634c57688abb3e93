/*
** native.c — allow-listed calls into shared libraries through libffi.
**
** Three parts: a small tokenizer and parser turning a C declaration into a
** native_signature (and its normalised text); the allow-list file, checked
** for ownership and permissions before it is believed; and native.bind,
** which refuses anything the allow-list does not name, then dlopens the
** library, prepares the ffi_cif once and returns a closure that checks and
** converts its Lua arguments at every call. Libraries are closed when the
** last function bound from them is collected.
*/
#define _GNU_SOURCE   /* dl_iterate_phdr: is a symbol in code or in data? (is_code) */
#include "native.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ffi.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "i18n.h"
#include "paths.h"

/* ** {====== Signatures ====== */

#define MAX_TOKENS 128
#define TOKEN_MAX 64

typedef struct tokens {
  int n;
  char text[MAX_TOKENS][TOKEN_MAX];
} tokens;

static int is_ident_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_ident(int c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/* Splits DECL into identifiers and the punctuation * ( ) , ; and "...". */
static int tokenize(const char *decl, tokens *t, char *err, size_t errlen) {
  t->n = 0;
  for (const char *p = decl; *p != '\0';) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') { p++; continue; }
    size_t len = 0;
    if (is_ident_start((unsigned char)*p)) {
      while (is_ident((unsigned char)p[len])) len++;
    } else if (strncmp(p, "...", 3) == 0) {
      len = 3;
    } else if (strchr("*(),;", *p) != NULL) {
      len = 1;
    } else {
      snprintf(err, errlen, _("native.unexpected_character"), *p);
      return -1;
    }
    if (t->n == MAX_TOKENS || len >= TOKEN_MAX) {
      snprintf(err, errlen, "%s", _("native.declaration_too_long"));
      return -1;
    }
    memcpy(t->text[t->n], p, len);
    t->text[t->n++][len] = '\0';
    p += len;
  }
  return 0;
}

typedef struct parser {
  const tokens *t;
  int at;
  char *err;
  size_t errlen;
} parser;

static const char *peek(const parser *ps) { return ps->at < ps->t->n ? ps->t->text[ps->at] : ""; }
static int accept(parser *ps, const char *token) {
  if (strcmp(peek(ps), token) != 0) return 0;
  ps->at++;
  return 1;
}

static int fail(parser *ps, const char *fmt, const char *token) {
  snprintf(ps->err, ps->errlen, fmt, token);
  return -1;
}

/* A pointer after a type that may not have one: "int *", "const char **", "void *". */
static int refuse_pointer(parser *ps, const char *type) {
  if (strcmp(peek(ps), "*") != 0) return 0;
  char what[TOKEN_MAX + 16];
  snprintf(what, sizeof what, "%s*", type);
  return fail(ps, _("native.pointer_type"), what);
}

/* Parses one type into *TYPE. */
static int parse_type(parser *ps, native_type *type) {
  static const struct { const char *name; native_type type; } plain[] = {
    {"void", NATIVE_VOID},     {"int", NATIVE_INT},       {"int64_t", NATIVE_INT64},
    {"uint64_t", NATIVE_UINT64}, {"double", NATIVE_DOUBLE}, {"size_t", NATIVE_SIZE},
  };
  const char *word = peek(ps);
  if (accept(ps, "const")) {
    if (!accept(ps, "char")) return fail(ps, _("native.unsupported_const"), peek(ps));
    if (!accept(ps, "*")) return fail(ps, "%s", _("native.unsupported_const_char"));
    *type = NATIVE_STRING;
    return refuse_pointer(ps, "const char *");
  }
  if (accept(ps, "char")) {
    if (!accept(ps, "*")) return fail(ps, "%s", _("native.unsupported_char"));
    *type = NATIVE_BUFFER;
    return refuse_pointer(ps, "char *");
  }
  if (accept(ps, "unsigned")) {
    accept(ps, "int");
    *type = NATIVE_UNSIGNED;
    return refuse_pointer(ps, "unsigned ");
  }
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
    if (accept(ps, plain[i].name)) {
      char shown[TOKEN_MAX + 1];
      snprintf(shown, sizeof shown, "%s ", plain[i].name);
      *type = plain[i].type;
      return refuse_pointer(ps, shown);
    }
  }
  if (strcmp(word, "struct") == 0 || strcmp(word, "union") == 0 || strcmp(word, "enum") == 0)
    return fail(ps, _("native.types_not_supported"), word);
  if (strcmp(word, "...") == 0) return fail(ps, "%s", _("native.no_varargs"));
  if (*word == '\0') return fail(ps, "%s", _("native.type_missing"));
  return fail(ps, _("native.unknown_type"), word);
}

/* An identifier that is not a type word, or "" when the next token is punctuation. */
static int parse_name(parser *ps, char *name, int required) {
  static const char *const keywords[] = {"void", "int", "unsigned", "int64_t", "uint64_t", "double",
                                         "size_t", "const", "char", "struct", "union", "enum", NULL};
  const char *word = peek(ps);
  name[0] = '\0';
  if (!is_ident_start((unsigned char)word[0])) {
    return required ? fail(ps, _("native.name_missing"), word) : 0;
  }
  for (const char *const *k = keywords; *k != NULL; k++)
    if (strcmp(word, *k) == 0) return fail(ps, _("native.keyword_as_name"), word);
  snprintf(name, NATIVE_NAME_MAX, "%s", word);
  ps->at++;
  return 0;
}

static int parse_params(parser *ps, native_signature *sig) {
  sig->nparams = 0;
  if (accept(ps, ")")) return 0;
  if (strcmp(peek(ps), "void") == 0 && ps->at + 1 < ps->t->n &&
      strcmp(ps->t->text[ps->at + 1], ")") == 0) {
    ps->at += 2;
    return 0;
  }
  for (;;) {
    if (sig->nparams == NATIVE_MAX_PARAMS) return fail(ps, _("native.too_many_parameters"), "16");
    native_type type;
    if (parse_type(ps, &type) != 0) return -1;
    if (type == NATIVE_VOID) return fail(ps, "%s", _("native.void_parameter"));
    if (parse_name(ps, sig->param_names[sig->nparams], 0) != 0) return -1;
    sig->params[sig->nparams++] = type;
    if (accept(ps, ")")) return 0;
    if (!accept(ps, ",")) return fail(ps, _("native.expected_comma"), peek(ps));
  }
}

/* Every char * must be followed by its size_t length. */
static int check_buffers(parser *ps, const native_signature *sig) {
  for (int i = 0; i < sig->nparams; i++) {
    if (sig->params[i] == NATIVE_BUFFER && (i + 1 == sig->nparams || sig->params[i + 1] != NATIVE_SIZE)) {
      const char *name = sig->param_names[i][0] != '\0' ? sig->param_names[i] : "char *";
      return fail(ps, _("native.buffer_without_length"), name);
    }
  }
  return 0;
}

/* The conventional spacing: "int f(const char *s, size_t n)". */
static int normalise(const tokens *t, char *out, size_t len) {
  size_t used = 0;
  out[0] = '\0';
  for (int i = 0; i < t->n; i++) {
    const char *tok = t->text[i];
    if (strcmp(tok, ";") == 0) break;
    int space = i > 0 && strcmp(tok, ",") != 0 && strcmp(tok, ")") != 0 && strcmp(tok, "(") != 0 &&
                strcmp(t->text[i - 1], "(") != 0 && strcmp(t->text[i - 1], "*") != 0;
    if (i > 0 && strcmp(tok, "*") == 0 && strcmp(t->text[i - 1], "*") == 0) space = 0;
    int n = snprintf(out + used, len - used, "%s%s", space ? " " : "", tok);
    if (n < 0 || (size_t)n >= len - used) return -1;
    used += (size_t)n;
  }
  return 0;
}

int native_parse_signature(const char *decl, native_signature *sig, char *err, size_t errlen) {
  tokens *t = malloc(sizeof *t);
  if (t == NULL) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return -1;
  }
  memset(sig, 0, sizeof *sig);
  parser ps = {.t = t, .at = 0, .err = err, .errlen = errlen};
  int rc = tokenize(decl, t, err, errlen);
  if (rc == 0) rc = parse_type(&ps, &sig->ret);
  if (rc == 0 && (sig->ret == NATIVE_STRING || sig->ret == NATIVE_BUFFER))
    rc = fail(&ps, _("native.string_return"),
              sig->ret == NATIVE_STRING ? "const char *" : "char *");
  if (rc == 0) rc = parse_name(&ps, sig->name, 1);
  if (rc == 0 && !accept(&ps, "(")) rc = fail(&ps, _("native.expected_paren"), peek(&ps));
  if (rc == 0) rc = parse_params(&ps, sig);
  if (rc == 0) accept(&ps, ";");
  if (rc == 0 && ps.at < t->n) rc = fail(&ps, _("native.after_parameters"), peek(&ps));
  if (rc == 0) rc = check_buffers(&ps, sig);
  if (rc == 0 && normalise(t, sig->text, sizeof sig->text) != 0) {
    snprintf(err, errlen, "%s", _("native.declaration_too_long"));
    rc = -1;
  }
  free(t);
  return rc;
}

/* }====== */

/* ** {====== The allow-list ====== */

static const char *config_override;

void native_set_config(const char *path) { config_override = path; }

const char *native_config_path(char *buf, size_t len) {
  if (config_override != NULL) {
    if (strlen(config_override) < len) return strcpy(buf, config_override);
    errno = ENAMETOOLONG;
    return NULL;
  }
  char dir[PATH_MAX];
  if (paths_user_dir("CONFIG", dir, sizeof dir) == NULL) return NULL;
  if (paths_join(buf, len, dir, "native.conf") != NULL) return buf;
  errno = ENAMETOOLONG;
  return NULL;
}

void native_allowlist_free(native_allowlist *list) {
  for (size_t i = 0; i < list->n; i++) free(list->entries[i].library);
  free(list->entries);
  list->entries = NULL;
  list->n = 0;
}

/* The file must be the user's own and writable by nobody else: a plugin cannot have written it. */
static int check_owner(FILE *f, const char *path, char *err, size_t errlen) {
  struct stat st;
  if (fstat(fileno(f), &st) != 0) {
    snprintf(err, errlen, _("native.cannot_read"), path, strerror(errno));
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen, _("native.not_regular"), path);
    return -1;
  }
  if (st.st_uid != geteuid()) {
    snprintf(err, errlen, _("native.not_owned"), path,
             (long)st.st_uid, (long)geteuid());
    return -1;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    snprintf(err, errlen, _("native.writable"), path, path);
    return -1;
  }
  return 0;
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  s[n] = '\0';
  return s;
}

/* Adds "LIBRARY | SIGNATURE" (comment already cut) from line LINE; blank lines add nothing. */
static int add_line(native_allowlist *list, char *text, int line, char *err, size_t errlen) {
  char *content = trim(text), problem[512];
  if (*content == '\0') return 0;
  char *bar = strchr(content, '|');
  if (bar == NULL) {
    snprintf(err, errlen, _("native.no_bar"), list->path, line);
    return -1;
  }
  *bar = '\0';
  char *library = trim(content);
  if (library[0] != '/') {
    snprintf(err, errlen, _("native.not_absolute"), list->path, line, library);
    return -1;
  }
  native_entry entry = {.line = line};
  if (native_parse_signature(bar + 1, &entry.sig, problem, sizeof problem) != 0) {
    snprintf(err, errlen, "%s:%d: %s", list->path, line, problem);
    return -1;
  }
  /* One C function has one signature: a second one for it is a mistake either way round. */
  for (size_t i = 0; i < list->n; i++) {
    const native_entry *e = &list->entries[i];
    if (strcmp(e->library, library) == 0 && strcmp(e->sig.name, entry.sig.name) == 0) {
      snprintf(err, errlen, _("native.listed_twice"), list->path, line, entry.sig.name, e->line);
      return -1;
    }
  }
  native_entry *grown = realloc(list->entries, (list->n + 1) * sizeof *grown);
  entry.library = strdup(library);
  if (grown != NULL) list->entries = grown;
  if (grown == NULL || entry.library == NULL) {
    free(entry.library);
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return -1;
  }
  list->entries[list->n++] = entry;
  return 0;
}

static int read_lines(FILE *f, native_allowlist *list, char *err, size_t errlen) {
  char *line = NULL;
  size_t cap = 0;
  int number = 0, rc = 0;
  errno = 0;
  ssize_t got;
  while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
    number++;
    /* What follows a zero byte would be silently cut from the entry. */
    if (memchr(line, '\0', (size_t)got) != NULL) {
      snprintf(err, errlen, _("native.zero_byte_in_line"), list->path, number);
      rc = -1;
      break;
    }
    char *hash = strchr(line, '#');
    if (hash != NULL) *hash = '\0';
    rc = add_line(list, line, number, err, errlen);
  }
  if (rc == 0 && ferror(f)) {
    snprintf(err, errlen, _("native.cannot_read"), list->path, strerror(errno));
    rc = -1;
  }
  free(line);
  return rc;
}

int native_allowlist_load(const char *path, native_allowlist *list, char *err, size_t errlen) {
  memset(list, 0, sizeof *list);
  if (strlen(path) >= sizeof list->path) {
    snprintf(err, errlen, "%s", _("native.path_too_long"));
    return -1;
  }
  strcpy(list->path, path);
  /* Not blocking: a FIFO there would otherwise hold the open until someone writes to it. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
  if (f == NULL) {
    int saved = errno;
    if (fd >= 0) close(fd);
    if (saved == ENOENT) return 0;
    snprintf(err, errlen, _("native.cannot_read"), path, strerror(saved));
    return -1;
  }
  list->present = 1;
  int rc = check_owner(f, path, err, errlen);
  if (rc == 0) rc = read_lines(f, list, err, errlen);
  fclose(f);
  if (rc != 0) native_allowlist_free(list);
  return rc;
}

/* }====== */

/* ** {====== Binding ====== */

static ffi_type *ffi_type_of(native_type type) {
  switch (type) {
  case NATIVE_VOID: return &ffi_type_void;
  case NATIVE_INT: return &ffi_type_sint;
  case NATIVE_UNSIGNED: return &ffi_type_uint;
  case NATIVE_INT64: return &ffi_type_sint64;
  case NATIVE_UINT64: return &ffi_type_uint64;
  case NATIVE_DOUBLE: return &ffi_type_double;
  case NATIVE_SIZE: return sizeof(size_t) == 8 ? &ffi_type_uint64 : &ffi_type_uint32;
  case NATIVE_STRING: case NATIVE_BUFFER: return &ffi_type_pointer;
  }
  return &ffi_type_void;
}

/* A bound function: the upvalue of its closure. Never moves (full userdata). */
typedef struct binding {
  native_signature sig;
  void *library;
  void (*fn)(void);
  int nlua;                              /* arguments the Lua caller passes */
  ffi_cif cif;
  ffi_type *types[NATIVE_MAX_PARAMS];
} binding;

static const char binding_meta[] = "confer.native.binding";

static int prepare_cif(binding *b, char *err, size_t errlen) {
  b->nlua = 0;
  for (int i = 0; i < b->sig.nparams; i++) {
    b->types[i] = ffi_type_of(b->sig.params[i]);
    if (b->sig.params[i] != NATIVE_BUFFER) b->nlua++;
  }
  if (ffi_prep_cif(&b->cif, FFI_DEFAULT_ABI, (unsigned)b->sig.nparams, ffi_type_of(b->sig.ret),
                   b->types) != FFI_OK) {
    snprintf(err, errlen, _("native.ffi_prepare"), b->sig.text);
    return -1;
  }
  return 0;
}

/*
** 0 when PATH and every directory above it are owned by root or this user
** and writable by nobody else (a sticky directory, like /tmp, excepted: no
** one else may replace what is in it). Otherwise -1 with the reason: anyone
** who could replace the file could run code as the chair.
*/
static int path_trusted(const char *library, const char *path, char *err, size_t errlen) {
  char walk[PATH_MAX];
  snprintf(walk, sizeof walk, "%s", path);
  for (int is_file = 1;; is_file = 0) {
    struct stat st;
    if (stat(walk, &st) != 0) return 0;   /* dlopen says why it cannot be loaded */
    int others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (is_file || !(st.st_mode & S_ISVTX));
    if ((st.st_uid != 0 && st.st_uid != geteuid()) || others_write) {
      snprintf(err, errlen, _("native.library_untrusted"), library, walk);
      return -1;
    }
    char *slash = strrchr(walk, '/');
    if (slash == NULL || strcmp(walk, "/") == 0) return 0;
    slash[slash == walk ? 1 : 0] = '\0';   /* "/usr/lib" -> "/usr", "/usr" -> "/" */
  }
}

/* The library as named and, when it is reached through links, as resolved: both must be trusted. */
static int library_trusted(const char *library, char *err, size_t errlen) {
  char resolved[PATH_MAX];
  if (strlen(library) >= PATH_MAX) return 0;   /* dlopen refuses it */
  if (path_trusted(library, library, err, errlen) != 0) return -1;
  return realpath(library, resolved) == NULL ? 0 : path_trusted(library, resolved, err, errlen);
}

/* dl_iterate_phdr's callback: is ((void **)DATA)[0] in an executable segment? */
static int find_segment(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  uintptr_t at = (uintptr_t)((void **)data)[0];
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t start = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && at >= start && at - start < ph->p_memsz) {
      ((void **)data)[1] = (ph->p_flags & PF_X) ? data : NULL;
      return 1;
    }
  }
  return 0;
}

/* 1 when SYMBOL is in code: calling a variable's address would jump into its data. */
static int is_code(void *symbol) {
  void *probe[2] = {symbol, NULL};
  dl_iterate_phdr(find_segment, probe);
  return probe[1] != NULL;
}

/* dlopen + dlsym into B; -1 with the reason in ERR. */
static int resolve(binding *b, const char *library, char *err, size_t errlen) {
  if (library_trusted(library, err, errlen) != 0) return -1;
  b->library = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (b->library == NULL) {
    snprintf(err, errlen, _("native.cannot_load"), library, dlerror());
    return -1;
  }
  void *symbol = dlsym(b->library, b->sig.name);
  if (symbol == NULL) {
    snprintf(err, errlen, _("native.no_symbol"), library, b->sig.name);
    return -1;
  }
  if (!is_code(symbol)) {
    snprintf(err, errlen, _("native.not_a_function"), library, b->sig.name);
    return -1;
  }
  /* POSIX guarantees a data pointer from dlsym converts to a function pointer. */
  memcpy(&b->fn, &symbol, sizeof b->fn);
  return 0;
}

int native_check_entry(const native_entry *entry, char *err, size_t errlen) {
  binding *b = calloc(1, sizeof *b);
  if (b == NULL) {
    snprintf(err, errlen, "%s", _("host.out_of_memory"));
    return -1;
  }
  b->sig = entry->sig;
  int rc = resolve(b, entry->library, err, errlen);
  if (rc == 0) rc = prepare_cif(b, err, errlen);
  if (b->library != NULL) dlclose(b->library);
  free(b);
  return rc;
}

/* Finds LIBRARY + SIG in the allow-list; -1 with why it is refused in ERR. */
static int allowed(const char *library, const native_signature *sig, char *err, size_t errlen) {
  char path[PATH_MAX];
  native_allowlist list;
  if (native_config_path(path, sizeof path) == NULL) {
    snprintf(err, errlen, "%s",
             errno == ENAMETOOLONG ? _("native.path_too_long") : _("native.no_allow_list_home"));
    return -1;
  }
  if (native_allowlist_load(path, &list, err, errlen) != 0) return -1;
  const native_entry *same_library = NULL, *same_symbol = NULL;
  for (size_t i = 0; i < list.n; i++) {
    const native_entry *e = &list.entries[i];
    if (strcmp(e->library, library) != 0) continue;
    same_library = e;
    if (strcmp(e->sig.name, sig->name) != 0) continue;
    same_symbol = e;
    if (strcmp(e->sig.text, sig->text) == 0) {
      native_allowlist_free(&list);
      return 0;
    }
  }
  if (!list.present)
    snprintf(err, errlen, _("native.no_allow_list"), path);
  else if (same_library == NULL)
    snprintf(err, errlen, _("native.library_not_allowed"), library, path);
  else if (same_symbol == NULL)
    snprintf(err, errlen, _("native.symbol_not_allowed"), sig->name, library, path);
  else
    snprintf(err, errlen, _("native.signature_differs"), sig->text,
             same_symbol->sig.text, path, same_symbol->line);
  native_allowlist_free(&list);
  return -1;
}

static int binding_gc(lua_State *L) {
  binding *b = luaL_checkudata(L, 1, binding_meta);
  if (b->library != NULL) dlclose(b->library);
  b->library = NULL;
  return 0;
}

static int call_bound(lua_State *L);

/* native.bind(LIBRARY, SYMBOL, SIGNATURE) -> function */
static int native_bind(lua_State *L) {
  const char *library = luaL_checkstring(L, 1);
  const char *symbol = luaL_checkstring(L, 2);
  const char *decl = luaL_checkstring(L, 3);
  char problem[8192];  /* two signatures and a path always fit */
  binding *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, binding_meta);
  int rc = native_parse_signature(decl, &b->sig, problem, sizeof problem);
  const char *what = _("native.refused_bad_signature");
  if (rc == 0 && strcmp(symbol, b->sig.name) != 0) {
    snprintf(problem, sizeof problem, _("native.symbol_mismatch"), symbol,
             b->sig.name);
    what = _("native.refused");
    rc = -1;
  }
  if (rc == 0 && (rc = allowed(library, &b->sig, problem, sizeof problem)) != 0)
    what = _("native.refused");
  if (rc == 0 && (rc = resolve(b, library, problem, sizeof problem)) != 0) what = "";
  if (rc == 0 && (rc = prepare_cif(b, problem, sizeof problem)) != 0) what = "";
  if (rc != 0) return luaL_error(L, "native.bind(%s, %s): %s%s", library, symbol, what, problem);
  lua_pushcclosure(L, call_bound, 1);
  return 1;
}

/* ** {------ Calls ------ */

typedef union slot {
  int i;
  unsigned u;
  int64_t i64;
  uint64_t u64;
  double d;
  size_t z;
  const char *s;
  char *b;
} slot;

static int arg_error(lua_State *L, const binding *b, int param, int arg, const char *fmt, ...) {
  char detail[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  const char *name = b->sig.param_names[param];
  return luaL_error(L, _("native.bad_argument"), b->sig.name, arg, *name ? " (" : "", name,
                    *name ? ")" : "", detail);
}

static lua_Integer check_integer(lua_State *L, const binding *b, int param, int arg) {
  if (lua_isinteger(L, arg)) return lua_tointeger(L, arg);   /* the common case: one check */
  int isnum = 0;
  lua_Integer v = lua_tointegerx(L, arg, &isnum);
  if (lua_type(L, arg) != LUA_TNUMBER)
    arg_error(L, b, param, arg, _("native.integer_expected"), luaL_typename(L, arg));
  if (!isnum) arg_error(L, b, param, arg, _("native.not_integral"));
  return v;
}

static void check_range(lua_State *L, const binding *b, int param, int arg, lua_Integer v,
                        lua_Integer min, lua_Integer max, const char *type) {
  if (v < min || v > max)
    arg_error(L, b, param, arg, _("native.out_of_range"), (long long)v, type,
              (long long)min, (long long)max);
}

/* Converts Lua argument ARG for parameter PARAM into SLOT. */
static void convert(lua_State *L, const binding *b, int param, int arg, slot *out) {
  switch (b->sig.params[param]) {
  case NATIVE_INT: {
    lua_Integer v = check_integer(L, b, param, arg);
    check_range(L, b, param, arg, v, INT_MIN, INT_MAX, "int");
    out->i = (int)v;
    break;
  }
  case NATIVE_UNSIGNED: {
    lua_Integer v = check_integer(L, b, param, arg);
    check_range(L, b, param, arg, v, 0, UINT_MAX, "unsigned");
    out->u = (unsigned)v;
    break;
  }
  case NATIVE_INT64: out->i64 = check_integer(L, b, param, arg); break;
  case NATIVE_UINT64: case NATIVE_SIZE: {
    lua_Integer v = check_integer(L, b, param, arg);
    check_range(L, b, param, arg, v, 0, LUA_MAXINTEGER,
                b->sig.params[param] == NATIVE_SIZE ? "size_t" : "uint64_t");
    if (b->sig.params[param] == NATIVE_SIZE) out->z = (size_t)v;
    else out->u64 = (uint64_t)v;
    break;
  }
  case NATIVE_DOUBLE:
    if (lua_type(L, arg) != LUA_TNUMBER)
      arg_error(L, b, param, arg, _("native.number_expected"), luaL_typename(L, arg));
    out->d = (double)lua_tonumber(L, arg);
    break;
  case NATIVE_STRING: {
    size_t len;
    if (lua_type(L, arg) != LUA_TSTRING)
      arg_error(L, b, param, arg, _("native.string_expected"), luaL_typename(L, arg));
    out->s = lua_tolstring(L, arg, &len);
    if (memchr(out->s, '\0', len) != NULL) arg_error(L, b, param, arg, _("native.zero_byte"));
    break;
  }
  case NATIVE_VOID: case NATIVE_BUFFER: break;  /* the parser admits neither here */
  }
}

/* A zeroed buffer of the size Lua argument ARG asks for, kept on the stack until the results. */
static char *new_buffer(lua_State *L, const binding *b, int param, int arg, size_t *size) {
  lua_Integer v = check_integer(L, b, param + 1, arg);
  check_range(L, b, param + 1, arg, v, 0, LUA_MAXINTEGER, "size_t");
  if (v > NATIVE_BUFFER_MAX)
    arg_error(L, b, param + 1, arg, _("native.oversized_buffer"), (long long)v,
              NATIVE_BUFFER_MAX);
  *size = (size_t)v;
  char *buf = lua_newuserdatauv(L, *size + 1, 0);
  memset(buf, 0, *size + 1);
  return buf;
}

static void push_unsigned64(lua_State *L, uint64_t v) {
  /* Above LUA_MAXINTEGER a Lua integer would turn negative; a float is the honest approximation. */
  if (v <= (uint64_t)LUA_MAXINTEGER) lua_pushinteger(L, (lua_Integer)v);
  else lua_pushnumber(L, (lua_Number)v);
}

static void push_result(lua_State *L, native_type type, const void *ret) {
  union { ffi_arg a; ffi_sarg s; int64_t i64; uint64_t u64; double d; } r;
  memcpy(&r, ret, sizeof r);
  switch (type) {
  case NATIVE_INT: lua_pushinteger(L, (int)r.s); break;
  case NATIVE_UNSIGNED: lua_pushinteger(L, (unsigned)r.a); break;
  case NATIVE_INT64: lua_pushinteger(L, r.i64); break;
  case NATIVE_UINT64: push_unsigned64(L, r.u64); break;
  case NATIVE_SIZE: push_unsigned64(L, sizeof(size_t) == 8 ? r.u64 : (uint64_t)(uint32_t)r.a); break;
  case NATIVE_DOUBLE: lua_pushnumber(L, r.d); break;
  default: break;
  }
}

static int call_bound(lua_State *L) {
  const binding *b = lua_touserdata(L, lua_upvalueindex(1));
  int given = lua_gettop(L);
  if (given != b->nlua)
    return luaL_error(L, i18n_plural("native.expected_arguments", (unsigned long)b->nlua),
                      b->sig.name, b->nlua, given);
  slot slots[NATIVE_MAX_PARAMS];
  void *values[NATIVE_MAX_PARAMS];
  char *buffers[NATIVE_MAX_PARAMS];
  size_t sizes[NATIVE_MAX_PARAMS];
  int nbuffers = 0;
  for (int p = 0, arg = 1; p < b->sig.nparams; p++, arg++) {
    values[p] = &slots[p];
    if (b->sig.params[p] == NATIVE_BUFFER) {
      slots[p].b = buffers[nbuffers] = new_buffer(L, b, p, arg, &sizes[nbuffers]);
      slots[p + 1].z = sizes[nbuffers++];
      values[p + 1] = &slots[p + 1];
      p++;
    } else {
      convert(L, b, p, arg, &slots[p]);
    }
  }
  union { ffi_arg a; int64_t i64; double d; } ret = {0};
  ffi_call((ffi_cif *)&b->cif, b->fn, &ret, values);
  int nresults = 0;
  if (b->sig.ret != NATIVE_VOID) {
    push_result(L, b->sig.ret, &ret);
    nresults++;
  }
  if (nbuffers > 0) luaL_checkstack(L, nbuffers, _("native.too_many_buffers"));
  for (int i = 0; i < nbuffers; i++) lua_pushlstring(L, buffers[i], strnlen(buffers[i], sizes[i]));
  return nresults + nbuffers;
}

/* }------ */

void native_open(sandbox *sb) {
  static const luaL_Reg functions[] = {{"bind", native_bind}, {NULL, NULL}};
  lua_State *L = sandbox_state(sb);
  if (luaL_newmetatable(L, binding_meta)) {
    lua_pushcfunction(L, binding_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "native function");
    lua_setfield(L, -2, "__metatable");
  }
  lua_pop(L, 1);
  sandbox_push_env(sb);
  luaL_newlib(L, functions);
  lua_setfield(L, -2, "native");
  lua_pop(L, 1);
}

/* }====== */
