/*
** test_native.c — native: signature parsing, the allow-list file, and
** native.bind from a sandbox against tests/native/testlib.c.
**
** The test library's path comes from $CONFER_NATIVE_TESTLIB (set by ctest).
** Allow-lists are written into a fresh directory under /tmp, removed at the
** end. Chunks are loaded with the name "t", so Lua errors read "t:LINE: ".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "native.h"
#include "sandbox.h"
#include "test_util.h"
#include "test_locales.h"

static char err[2048];
static char dir[64], conf[128];
static const char *lib;

/* ** {====== Signatures ====== */

/* The normalised text of DECL, or "error: MESSAGE". */
static const char *parse(const char *decl) {
  static char out[2200];
  native_signature sig;
  if (native_parse_signature(decl, &sig, err, sizeof err) != 0) snprintf(out, sizeof out, "error: %s", err);
  else snprintf(out, sizeof out, "%s", sig.text);
  return out;
}

static void test_signatures(void) {
  native_signature sig;
  CHECK(native_parse_signature("int export_record(const char *dir, const char *id, const char *json, "
                               "char *err, size_t errlen)", &sig, err, sizeof err) == 0);
  CHECK_STR(sig.name, "export_record");
  CHECK(sig.ret == NATIVE_INT && sig.nparams == 5);
  CHECK(sig.params[0] == NATIVE_STRING && sig.params[3] == NATIVE_BUFFER && sig.params[4] == NATIVE_SIZE);
  CHECK_STR(sig.param_names[2], "json");
  CHECK(native_parse_signature("double f(int, unsigned int, int64_t, uint64_t, double, size_t)", &sig,
                               err, sizeof err) == 0);
  CHECK(sig.ret == NATIVE_DOUBLE && sig.nparams == 6 && sig.params[1] == NATIVE_UNSIGNED &&
        sig.params[2] == NATIVE_INT64 && sig.params[3] == NATIVE_UINT64 && sig.param_names[0][0] == '\0');

  /* Whitespace does not matter; the normal form is the conventional spacing. */
  CHECK_STR(parse("  int   f ( const  char*s,char *\tb ,size_t  n ) ; "),
            "int f(const char *s, char *b, size_t n)");
  CHECK_STR(parse("void g(void)"), "void g(void)");
  CHECK_STR(parse("void g()"), "void g()");

  CHECK_STR(parse("int f(struct rec *r)"), "error: 'struct' types are not supported");
  CHECK_STR(parse("int f(long x)"), "error: unknown type 'long'");
  CHECK_STR(parse("int f(const char **names)"),
            "error: pointer type 'const char **' is not supported (only const char * and char * with a size_t length)");
  CHECK_STR(parse("int f(char **out, size_t n)"),
            "error: pointer type 'char **' is not supported (only const char * and char * with a size_t length)");
  CHECK_STR(parse("int f(int *p)"),
            "error: pointer type 'int *' is not supported (only const char * and char * with a size_t length)");
  CHECK_STR(parse("int printf(const char *fmt, ...)"), "error: varargs ('...') are not supported");
  CHECK_STR(parse("int f(char *out)"), "error: 'out' (a char * buffer) must be followed by its size_t length");
  CHECK_STR(parse("int f(char *out, int n)"), "error: 'out' (a char * buffer) must be followed by its size_t length");
  CHECK_STR(parse("const char *name(void)"),
            "error: return type 'const char *' is not supported (strings come back through a char * buffer)");
  CHECK_STR(parse("int (int x)"), "error: the function name is missing before '('");
  CHECK_STR(parse("int f int x"), "error: expected '(' after the function name but found 'int'");
  CHECK_STR(parse("int f(int x"), "error: expected ',' or ')' but found ''");
  CHECK_STR(parse("int f(int x) const"), "error: unexpected 'const' after the parameter list");
  CHECK_STR(parse("int f(void x)"), "error: a parameter cannot be 'void'");
  CHECK_STR(parse("int f(int x[4])"), "error: unexpected character '['");
  CHECK_STR(parse("int f(const int x)"), "error: unsupported type 'const int' (only const char *)");
  CHECK_STR(parse("int f(char c)"), "error: unsupported type 'char' (only char * with a size_t length)");
  CHECK_STR(parse(""), "error: a type is missing at the end");
}

/* }====== */

/* ** {====== The allow-list ====== */

static void write_conf(const char *text, mode_t mode) {
  FILE *f = fopen(conf, "w");
  if (f == NULL) {
    perror(conf);
    exit(1);
  }
  fputs(text, f);
  fclose(f);
  chmod(conf, mode);
}

/* Loads CONF: the entry count, or -1 with ERR. */
static int load(void) {
  native_allowlist list;
  if (native_allowlist_load(conf, &list, err, sizeof err) != 0) return -1;
  int n = list.present ? (int)list.n : -2;
  native_allowlist_free(&list);
  return n;
}

static void test_allowlist(void) {
  char text[2048], expected[2200];
  unlink(conf);
  CHECK(load() == -2);  /* no file: present 0, nothing allowed */

  snprintf(text, sizeof text,
           "# the test library\n"
           "\n"
           "%s | int t_int(int x)   # trailing comment\n"
           "  %s|double   t_double(double x);\n", lib, lib);
  write_conf(text, 0600);
  native_allowlist list;
  CHECK(native_allowlist_load(conf, &list, err, sizeof err) == 0);
  CHECK(list.present == 1 && list.n == 2);
  if (list.n == 2) {
    CHECK_STR(list.entries[0].library, lib);
    CHECK_STR(list.entries[1].sig.text, "double t_double(double x)");
    CHECK(list.entries[1].line == 4);
    CHECK(native_check_entry(&list.entries[0], err, sizeof err) == 0);
  }
  native_allowlist_free(&list);

  write_conf(text, 0620);
  CHECK(load() == -1);
  snprintf(expected, sizeof expected, "%s: not trusted: writable by group or others (chmod go-w %s)", conf, conf);
  CHECK_STR(err, expected);
  write_conf(text, 0602);
  CHECK(load() == -1);
  CHECK_STR(err, expected);

  write_conf("libfoo.so | int f(int x)\n", 0600);
  CHECK(load() == -1);
  snprintf(expected, sizeof expected, "%s:1: library path 'libfoo.so' is not absolute", conf);
  CHECK_STR(err, expected);

  write_conf("# ok\n/lib/libfoo.so int f(int x)\n", 0600);
  CHECK(load() == -1);
  snprintf(expected, sizeof expected, "%s:2: expected 'LIBRARY-PATH | SIGNATURE'", conf);
  CHECK_STR(err, expected);

  write_conf("/lib/libfoo.so | int f(long x)\n", 0600);
  CHECK(load() == -1);
  snprintf(expected, sizeof expected, "%s:1: unknown type 'long'", conf);
  CHECK_STR(err, expected);

  /* A directory is not an allow-list. */
  char sub[160];
  snprintf(sub, sizeof sub, "%s/sub", dir);
  mkdir(sub, 0700);
  native_allowlist l2;
  CHECK(native_allowlist_load(sub, &l2, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s: not trusted: not a regular file", sub);
  CHECK_STR(err, expected);
  rmdir(sub);

  /* Entries that do not load or resolve are named by native_check_entry. */
  native_entry missing = {.library = "/nonexistent/libnothing.so", .line = 1};
  CHECK(native_parse_signature("int f(int x)", &missing.sig, err, sizeof err) == 0);
  CHECK(native_check_entry(&missing, err, sizeof err) == -1);
  CHECK(strncmp(err, "cannot load /nonexistent/libnothing.so (", 40) == 0);
  native_entry nosym = {.library = (char *)lib, .line = 1};
  CHECK(native_parse_signature("int t_absent(int x)", &nosym.sig, err, sizeof err) == 0);
  CHECK(native_check_entry(&nosym, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s has no symbol 't_absent'", lib);
  CHECK_STR(err, expected);
}

/* }====== */

/* ** {====== native.bind ====== */

static sandbox *sb;

/* Runs CODE (chunk "t"); returns its one string result, or "error: ERR". */
static const char *run(const char *code) {
  static char out[2200];
  lua_State *L = sandbox_state(sb);
  if (sandbox_loadstring(sb, code, strlen(code), "=t", err, sizeof err) != 0 ||
      sandbox_pcall(sb, 0, 1, err, sizeof err) != 0) {
    snprintf(out, sizeof out, "error: %s", err);
    return out;
  }
  snprintf(out, sizeof out, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : luaL_typename(L, -1));
  lua_pop(L, 1);
  return out;
}

/* Runs the chunk "local lib = LIB\n" .. BODY. */
static const char *run_lib(const char *body) {
  static char code[4096];
  snprintf(code, sizeof code, "local lib = '%s'\n%s", lib, body);
  return run(code);
}

static const char allowed_signatures[] =
  "int t_int(int x)\n"
  "unsigned t_unsigned(unsigned x)\n"
  "int64_t t_int64(int64_t x)\n"
  "uint64_t t_uint64(uint64_t x)\n"
  "double t_double(double x)\n"
  "size_t t_size(size_t x)\n"
  "size_t t_strlen(const char *s)\n"
  "void t_void(void)\n"
  "int t_void_calls(void)\n"
  "int t_buffer(const char *prefix, int n, char *out, size_t outlen)\n"
  "double t_mixed(int a, unsigned b, int64_t c, uint64_t d, double e, size_t f, const char *g)\n"
  "void t_two(const char *s, char *a, size_t alen, char *b, size_t blen)\n"
  "int t_absent(int x)\n"
  "int t_data(void)\n";

static void write_allowlist(void) {
  char text[4096];
  size_t used = 0;
  for (const char *line = allowed_signatures; *line != '\0';) {
    const char *end = strchr(line, '\n');
    used += (size_t)snprintf(text + used, sizeof text - used, "%s | %.*s\n", lib, (int)(end - line), line);
    line = end + 1;
  }
  snprintf(text + used, sizeof text - used, "/nonexistent/libnothing.so | int f(int x)\n");
  write_conf(text, 0600);
}

static void test_round_trips(void) {
  CHECK_STR(run_lib("return tostring(native.bind(lib, 't_int', 'int t_int(int x)')(41))"), "42");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_int', 'int t_int(int x)')\n"
                    "return f(-2147483648) .. ' ' .. f(2147483646)"), "-2147483647 2147483647");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_unsigned', 'unsigned t_unsigned(unsigned x)')\n"
                    "return f(4294967295) .. ' ' .. f(0)"), "4294967294 4294967295");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_int64', 'int64_t t_int64(int64_t x)')\n"
                    "return f(math.mininteger + 1) == math.mininteger and tostring(f(0))"), "-1");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_uint64', 'uint64_t t_uint64(uint64_t x)')\n"
                    "return f(21) .. ' ' .. math.type(f(1 << 62)) .. ' ' .. math.type(f(math.maxinteger))"),
            "42 float float");
  CHECK_STR(run_lib("return tostring(native.bind(lib, 't_double', 'double t_double(double x)')(5))"), "2.5");
  CHECK_STR(run_lib("return native.bind(lib, 't_size', 'size_t t_size(size_t x)')(32) .. ''"), "42");
  CHECK_STR(run_lib("return native.bind(lib, 't_strlen', 'size_t t_strlen(const char *s)')('Siân') .. ''"), "5");
  CHECK_STR(run_lib("local v = native.bind(lib, 't_void', 'void t_void(void)')\n"
                    "local n = native.bind(lib, 't_void_calls', 'int t_void_calls(void)')\n"
                    "local before = n(); local r = select('#', v()); v()\n"
                    "return r .. ' ' .. (n() - before)"), "0 2");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_buffer', 'int t_buffer(const char *prefix, int n, char *out, size_t outlen)')\n"
                    "local a, s = f('case', 12, 64)\n"
                    "local b, t = f('case', 12, 4)\n"
                    "local c, u = f('x', 1, 0)\n"
                    "return a .. '|' .. s .. '|' .. b .. '|' .. t .. '|' .. c .. '|' .. u .. '|'"),
            "7|case:12|7|cas|3||");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_mixed', "
                    "'double t_mixed(int a, unsigned b, int64_t c, uint64_t d, double e, size_t f, const char *g)')\n"
                    "return tostring(f(-1, 2, -3, 4, 0.5, 6, 'abc'))"), "11.5");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_two', 'void t_two(const char *s, char *a, size_t alen, char *b, size_t blen)')\n"
                    "local a, b = f('Zoë test', 32, 5)\n"
                    "return a .. '|' .. b"), "Zoë test|ZOë");
  /* Whitespace differs from the allow-list's; the normal forms match. */
  CHECK_STR(run_lib("return tostring(native.bind(lib, 't_int', ' int  t_int ( int x ) ; ')(1))"), "2");
}

static void test_refusals(void) {
  char expected[2400];
  snprintf(expected, sizeof expected, "error: t:3: native.bind(/nonexistent/libother.so, t_int): refused: "
           "library /nonexistent/libother.so is not in the allow-list %s", conf);
  CHECK_STR(run_lib("\nreturn native.bind('/nonexistent/libother.so', 't_int', 'int t_int(int x)')"), expected);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_bench): refused: "
           "symbol 't_bench' of %s is not in the allow-list %s", lib, lib, conf);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_bench', 'int t_bench(const char *s, int n)')"), expected);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_int): refused: "
           "signature 'int t_int(int64_t x)' differs from the allow-list's 'int t_int(int x)' (%s:1)", lib, conf);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_int', 'int t_int(int64_t x)')"), expected);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_int): refused: "
           "signature 'int t_int(int y)' differs from the allow-list's 'int t_int(int x)' (%s:1)", lib, conf);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_int', 'int t_int(int y)')"), expected);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_int): refused: bad signature: "
           "unknown type 'long'", lib);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_int', 'int t_int(long x)')"), expected);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_int): refused: bad signature: "
           "'struct' types are not supported", lib);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_int', 'int t_int(struct s *x)')"), expected);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_uint): refused: "
           "symbol 't_uint' is not the signature's function name 't_int'", lib);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_uint', 'int t_int(int x)')"), expected);
  CHECK_STR(run("return native.bind('/nonexistent/libnothing.so', 'f', 'int f(int x)')"),
            "error: t:1: native.bind(/nonexistent/libnothing.so, f): cannot load /nonexistent/libnothing.so "
            "(/nonexistent/libnothing.so: cannot open shared object file: No such file or directory)");
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_absent): %s has no symbol 't_absent'", lib, lib);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_absent', 'int t_absent(int x)')"), expected);
  /* A variable bound as a function: calling it would jump into its data. */
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_data): %s: 't_data' is not a function", lib, lib);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_data', 'int t_data(void)')"), expected);
  CHECK_STR(run("return native.bind(1, 2)"), "error: t:1: bad argument #3 to 'bind' (string expected, got no value)");

  /* Calls: count, types, ranges, buffers. */
  const char *bind_int = "local f = native.bind(lib, 't_int', 'int t_int(int x)')\n";
  char code[1024];
  static const struct { const char *call, *error; } calls[] = {
    {"f()", "t_int: expected 1 argument, got 0"},
    {"f(1, 2)", "t_int: expected 1 argument, got 2"},
    {"f('1')", "t_int: bad argument #1 (x): integer expected, got string"},
    {"f(1.5)", "t_int: bad argument #1 (x): number has no integer representation"},
    {"f(2147483648)", "t_int: bad argument #1 (x): 2147483648 is out of range for int (-2147483648..2147483647)"},
    {"f(-2147483649)", "t_int: bad argument #1 (x): -2147483649 is out of range for int (-2147483648..2147483647)"},
  };
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
    snprintf(code, sizeof code, "%sreturn %s", bind_int, calls[i].call);
    snprintf(expected, sizeof expected, "error: t:3: %s", calls[i].error);
    CHECK_STR(run_lib(code), expected);
  }
  CHECK_STR(run_lib("local f = native.bind(lib, 't_unsigned', 'unsigned t_unsigned(unsigned x)')\nreturn f(-1)"),
            "error: t:3: t_unsigned: bad argument #1 (x): -1 is out of range for unsigned (0..4294967295)");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_uint64', 'uint64_t t_uint64(uint64_t x)')\nreturn f(-1)"),
            "error: t:3: t_uint64: bad argument #1 (x): -1 is out of range for uint64_t (0..9223372036854775807)");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_size', 'size_t t_size(size_t x)')\nreturn f(-5)"),
            "error: t:3: t_size: bad argument #1 (x): -5 is out of range for size_t (0..9223372036854775807)");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_double', 'double t_double(double x)')\nreturn f('2')"),
            "error: t:3: t_double: bad argument #1 (x): number expected, got string");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_strlen', 'size_t t_strlen(const char *s)')\nreturn f(12)"),
            "error: t:3: t_strlen: bad argument #1 (s): string expected, got number");
  CHECK_STR(run_lib("local f = native.bind(lib, 't_strlen', 'size_t t_strlen(const char *s)')\nreturn f('a\\0b')"),
            "error: t:3: t_strlen: bad argument #1 (s): string contains a zero byte");
  const char *bind_buffer = "local f = native.bind(lib, 't_buffer', 'int t_buffer(const char *prefix, int n, char *out, size_t outlen)')\n";
  snprintf(code, sizeof code, "%sreturn f('x', 1, 1048577)", bind_buffer);
  CHECK_STR(run_lib(code), "error: t:3: t_buffer: bad argument #3 (outlen): oversized buffer (1048577 bytes; at most 1048576)");
  snprintf(code, sizeof code, "%sreturn f('x', 1, -1)", bind_buffer);
  CHECK_STR(run_lib(code), "error: t:3: t_buffer: bad argument #3 (outlen): -1 is out of range for size_t (0..9223372036854775807)");
  snprintf(code, sizeof code, "%sreturn f('x', 1)", bind_buffer);
  CHECK_STR(run_lib(code), "error: t:3: t_buffer: expected 3 arguments, got 2");
  snprintf(code, sizeof code, "%slocal r, s = f('x', 1, 1048576) return #s .. ''", bind_buffer);
  CHECK_STR(run_lib(code), "3");

  /* The host is unharmed: a normal call still works. */
  CHECK_STR(run_lib("return tostring(native.bind(lib, 't_int', 'int t_int(int x)')(1))"), "2");
}

static void test_without_allowlist(void) {
  char expected[2400];
  unlink(conf);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_int): refused: "
           "no allow-list at %s, so no native calls are allowed", lib, conf);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_int', 'int t_int(int x)')"), expected);
  write_allowlist();
  chmod(conf, 0666);
  snprintf(expected, sizeof expected, "error: t:3: native.bind(%s, t_int): refused: "
           "%s: not trusted: writable by group or others (chmod go-w %s)", lib, conf, conf);
  CHECK_STR(run_lib("\nreturn native.bind(lib, 't_int', 'int t_int(int x)')"), expected);
}

/* }====== */

int main(void) {
  if (test_load_locales() != 0) return 1;
  lib = getenv("CONFER_NATIVE_TESTLIB");
  if (lib == NULL || lib[0] != '/') {
    fprintf(stderr, "test_native: set CONFER_NATIVE_TESTLIB to the test library's absolute path\n");
    return 1;
  }
  snprintf(dir, sizeof dir, "/tmp/confer-native-XXXXXX");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(conf, sizeof conf, "%s/native.conf", dir);
  native_set_config(conf);
  test_signatures();
  test_allowlist();

  const char *const path[] = {NULL};
  sb = sandbox_new(NULL, path, err, sizeof err);
  if (sb == NULL) {
    fprintf(stderr, "sandbox_new: %s\n", err);
    return 1;
  }
  native_open(sb);
  write_allowlist();
  test_round_trips();
  test_refusals();
  test_without_allowlist();
  sandbox_free(sb);

  unlink(conf);
  rmdir(dir);
  native_set_config(NULL);
  return TEST_SUMMARY();
}
