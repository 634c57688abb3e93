/*
** test_sandbox.c — the sandbox against every escape in the reference notes.
**
** Each hostile chunk must fail with its exact one-line error, stop quickly,
** and leave the sandbox usable for a normal call afterwards ("host
** unharmed"). Chunks are loaded with the name "t", so errors read "t:LINE: ".
** Module files live in a fresh directory under /tmp, removed at the end.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "chunk_cache.h"
#include "sandbox.h"
#include "test_util.h"
#include "test_locales.h"

/*
** Most sandboxes here run with 16 MiB and 10 million instructions so that
** the tests stay short on a loaded machine; each hostile chunk must stop
** within LIMIT seconds of processor time. The default limits are measured
** at the end.
*/
#define TEST_MEMORY ((size_t)16 << 20)
#define TEST_INSTRUCTIONS 10000000UL
/*
** The one-second limit of a runaway case, and the test sandboxes' bound on
** processor time (their budget's, 0.5 s), are for an optimised build on a
** quiet machine: CONFER_TIME_FACTOR (3 under the sanitizers, which make an
** allocation bomb 2-3x slower, as for tests/hostile) multiplies both, so a
** memory bomb meets the memory cap before the clock.
*/
static double time_factor = 1;
#define LIMIT (1.0 * time_factor)

static char err[1024];
static char dir[64];  /* the module directory */
static char path_text[256];

/* Processor time, not wall time: the bounds must hold on a loaded machine too. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads CODE as chunk NAME and calls it for NRESULTS results. Returns 0 or -1 (ERR set). */
static int run_named(sandbox *sb, const char *name, const char *code, int nresults) {
  err[0] = '\0';
  if (sandbox_loadstring(sb, code, strlen(code), name, err, sizeof err) != 0) return -1;
  return sandbox_pcall(sb, 0, nresults, err, sizeof err);
}

static int run(sandbox *sb, const char *code, int nresults) {
  return run_named(sb, "t", code, nresults);
}

/* The sandbox still answers a normal call, and its stack is back where it was. */
static void check_unharmed(sandbox *sb, int line) {
  lua_State *L = sandbox_state(sb);
  int top = lua_gettop(L);
  int ok = run(sb, "local t = {} for i = 1, 100 do t[i] = ('x'):rep(i) end return #t[100] + #t", 1) == 0 &&
           lua_tointeger(L, -1) == 200;
  if (!ok) fprintf(stderr, "  (unharmed check after line %d: %s)\n", line, err);
  CHECK(ok);
  if (ok) lua_pop(L, 1);
  CHECK(lua_gettop(L) == top);
}

/* CODE fails with exactly EXPECTED, within SECONDS, and harms nothing. */
/*
** 0 under CONFER_NO_TIME_LIMITS=1 (tests/valgrind.sh): processor time is not
** checked, and the sandboxes' own bound on it is out of reach, so a slow run
** ends each case as a fast one does.
*/
static int time_limits = 1;
#define NO_DEADLINE 1e6

/* The default limits (NULL), or with no time bound under CONFER_NO_TIME_LIMITS. */
static const sandbox_limits *default_limits(void) {
  static const sandbox_limits no_deadline = {0, 0, NO_DEADLINE};
  return time_limits ? NULL : &no_deadline;
}

#define CHECK_FAILS(sb, code, expected, seconds) check_fails(sb, code, expected, seconds, __LINE__)

static void check_fails(sandbox *sb, const char *code, const char *expected, double seconds, int line) {
  double start = now();
  int rc = run(sb, code, 0);
  double elapsed = now() - start;
  if (rc != -1 || strcmp(err, expected) != 0 || elapsed >= seconds)
    fprintf(stderr, "  (line %d: rc %d after %.3f s)\n", line, rc, elapsed);
  CHECK(rc == -1);
  CHECK_STR(err, expected);
  CHECK(!time_limits || elapsed < seconds);
  check_unharmed(sb, line);
}

/* CODE runs and returns true. */
#define CHECK_TRUE(sb, code) check_true(sb, code, __LINE__)

static void check_true(sandbox *sb, const char *code, int line) {
  lua_State *L = sandbox_state(sb);
  int ok = run(sb, code, 1) == 0;
  if (ok) {
    ok = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  if (!ok) fprintf(stderr, "  (line %d: %s)\n", line, err[0] ? err : "returned false");
  CHECK(ok);
}

static void write_file(const char *name, const char *content) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  fputs(content, f);
  fclose(f);
}

static int mkdir_p_sub(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return mkdir(path, 0700);
}

static void remove_file(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  remove(path);
}

static sandbox *new_sandbox(size_t memory, unsigned long instructions) {
  const char *path[] = {dir, "/nonexistent/confer-test", NULL};
  double budget_seconds = (double)instructions / 20e6;   /* generous: a memory bomb meets the cap first */
  sandbox_limits limits = {memory, instructions, time_limits ? budget_seconds * time_factor : NO_DEADLINE};
  sandbox *sb = sandbox_new(&limits, path, err, sizeof err);
  if (sb == NULL) {
    fprintf(stderr, "sandbox_new: %s\n", err);
    exit(1);
  }
  return sb;
}

/* host_call(f): calls F through a nested sandbox_pcall, raising its error. */
static int host_call(lua_State *L) {
  sandbox *sb = lua_touserdata(L, lua_upvalueindex(1));
  char nested[256];
  lua_settop(L, 1);
  if (sandbox_pcall(sb, 0, 0, nested, sizeof nested) != 0) return luaL_error(L, "%s", nested);
  return 0;
}

/* host_swallow(f): calls F through a nested sandbox_pcall and ignores any error. */
static int host_swallow(lua_State *L) {
  sandbox *sb = lua_touserdata(L, lua_upvalueindex(1));
  char nested[256];
  lua_settop(L, 1);
  lua_pushboolean(L, sandbox_pcall(sb, 0, 0, nested, sizeof nested) == 0);
  return 1;
}

static void add_host_function(sandbox *sb, const char *name, lua_CFunction f) {
  lua_State *L = sandbox_state(sb);
  sandbox_push_env(sb);
  lua_pushlightuserdata(L, sb);
  lua_pushcclosure(L, f, 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* The hook of the thread held in global NAME (a coroutine). */
static void check_thread_hooked(sandbox *sb, const char *name) {
  lua_State *L = sandbox_state(sb);
  sandbox_push_env(sb);
  lua_getfield(L, -1, name);
  lua_State *co = lua_tothread(L, -1);
  CHECK(co != NULL);
  if (co != NULL) {
    CHECK(lua_gethook(co) != NULL && lua_gethook(co) == lua_gethook(L));
    CHECK(lua_gethookmask(co) == LUA_MASKCOUNT);
    CHECK(lua_gethookcount(co) == 100);
  }
  lua_pop(L, 2);
}

static void test_budget(void) {
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  CHECK_FAILS(sb, "while true do end", "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local n = 0\nwhile true do\n  pcall(function()\n    while true do n = n + 1 end\n  end)\nend\n",
              "t:4: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "pcall(function() while true do end end)\nreturn 'escaped'",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "xpcall(function() while true do end end, function() while true do end end)",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local s = 0\nfor i = 1, 1e12 do\n  s = s + i\nend",
              "t:3: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local function f() return f() end\nreturn f()",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  sandbox_free(sb);
}

static void test_coroutines(void) {
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  /* created in an earlier call, resumed later: it has the hook too */
  CHECK(run_named(sb, "setup", "spinner = coroutine.create(function()\n  while true do end\nend)\n"
                  "wrapped = coroutine.wrap(function() while true do coroutine.yield() end end)\n"
                  "wrapped()\n"
                  , 0) == 0);
  check_thread_hooked(sb, "spinner");
  CHECK_FAILS(sb, "local ok, msg = coroutine.resume(spinner)\nreturn ok, msg, 'escaped'",
              "setup:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local f = coroutine.wrap(function()\n  while true do pcall(function() while true do end end) end\nend)\nf()",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local co = coroutine.create(function() while true do end end)\n"
              "while true do coroutine.resume(co) end",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_TRUE(sb, "return coroutine.resume(coroutine.create(function() return 1 end))");
  CHECK_TRUE(sb, "local f = coroutine.wrap(function(a) coroutine.yield(a + 1) end) return f(1) == 2");
  /* a thread the sandbox made, checked from C */
  CHECK(run(sb, "made = coroutine.create(print)", 0) == 0);
  check_thread_hooked(sb, "made");
  sandbox_free(sb);
}

static void test_nested_calls(void) {
  /* a single budget across host -> Lua -> host -> Lua */
  sandbox *sb = new_sandbox(0, 1000000);
  add_host_function(sb, "host_call", host_call);
  add_host_function(sb, "host_swallow", host_swallow);
  CHECK_TRUE(sb, "local function spin() for i = 1, 400000 do end end\nspin() host_call(spin) return true");
  CHECK_FAILS(sb, "local function spin() for i = 1, 400000 do end end\nspin() host_call(spin) host_call(spin)",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "host_swallow(function()\n  while true do end\nend)\nreturn 'escaped'",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "pcall(host_call, function()\n  while true do end\nend)\nreturn 'escaped'",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  sandbox_free(sb);
}

/*
** A memory error names the line that reached the cap, through the sandbox's
** pcall, xpcall, coroutine.resume and coroutine.wrap as well.
*/
static void test_memory(void) {
  sandbox *sb = new_sandbox(0, 0);
  CHECK_FAILS(sb, "local s = string.rep('x', 1e9)",
              "t:1: not enough memory (plugin memory cap of 32 MiB reached)", LIMIT);
  sandbox_free(sb);

  sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  CHECK_FAILS(sb, "local s = ('x'):rep(1e8)", "t:1: not enough memory (plugin memory cap of 16 MiB reached)",
              LIMIT);
  const char *capped = "t:2: not enough memory (plugin memory cap of 16 MiB reached)";
  CHECK_FAILS(sb, "local t = {}\nfor i = 1, 1e8 do t[i] = i end", capped, LIMIT);
  CHECK_FAILS(sb, "local s = 'x'\nwhile true do s = s .. s end", capped, LIMIT);
  CHECK_FAILS(sb, "local t = {}\nfor i = 1, 1e7 do t[i] = ('y'):rep(64) .. i end\nreturn table.concat(t)",
              capped, LIMIT);
  CHECK(sandbox_memory_used(sb) < ((size_t)1 << 20));
  const char *located = "'t:1: not enough memory (plugin memory cap of 16 MiB reached)'";
  char code[512];
  snprintf(code, sizeof code, "local ok, msg = pcall(string.rep, 'x', 1e9) return not ok and msg == %s",
           located);
  CHECK_TRUE(sb, code);
  snprintf(code, sizeof code, "local ok, msg = xpcall(function() local t = {} for i = 1, 1e8 do t[i] = i end end,"
           " function(m) return 'handled ' .. m end) return not ok and msg == %s", located);
  CHECK_TRUE(sb, code);
  snprintf(code, sizeof code, "local co = coroutine.create(function() return ('x'):rep(1e8) end)"
           " local ok, msg = coroutine.resume(co) return not ok and msg == %s", located);
  CHECK_TRUE(sb, code);
  snprintf(code, sizeof code, "local f = coroutine.wrap(function() local s = 'x' while true do s = s .. s end end)"
           " local ok, msg = pcall(f) return not ok and msg == %s", located);
  CHECK_TRUE(sb, code);
  sandbox_free(sb);

  sb = new_sandbox((size_t)3 << 20, TEST_INSTRUCTIONS);
  CHECK_FAILS(sb, "local s = string.rep('x', 4 * 1024 * 1024)",
              "t:1: not enough memory (plugin memory cap of 3 MiB reached)", LIMIT);
  sandbox_free(sb);

  char small_err[256];
  sandbox_limits tiny = {4096, 0, 0};
  CHECK(sandbox_new(&tiny, NULL, small_err, sizeof small_err) == NULL);
  CHECK_STR(small_err, "not enough memory (plugin memory cap of 4 KiB reached)");
}

/*
** A to-be-closed variable's __close runs after the message handler of the
** call's error, and is untrusted code like any other: it gets the cap, not
** the headroom the host keeps for reporting the error.
*/
static void test_close_after_error(void) {
  sandbox *sb = new_sandbox((size_t)2 << 20, TEST_INSTRUCTIONS);
  CHECK_FAILS(sb, "peak = 0\n"
              "local function fill() local t = {} while true do t[#t + 1] = ('z'):rep(1000) .. #t"
              " peak = math.max(peak, collectgarbage('count')) end end\n"
              "local guard <close> = setmetatable({}, {__close = function() pcall(fill) end})\n"
              "error('example')", "t:4: example", LIMIT);
  CHECK_TRUE(sb, "return peak > 1024 and peak <= 2048");
  sandbox_free(sb);
}

static void test_stack(void) {
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  CHECK_FAILS(sb, "local function f() return 1 + f() end\nreturn f()", "t:1: stack overflow", LIMIT);
  CHECK_FAILS(sb, "local t = setmetatable({}, {__index = function(t, k) return t[k] end})\nreturn t.x",
              "t:1: C stack overflow", LIMIT);
  CHECK_FAILS(sb, "local a, b = {}, {}\nsetmetatable(a, {__index = b}) setmetatable(b, {__index = a})\nreturn a.x",
              "t:3: '__index' chain too long; possible loop", LIMIT);
  sandbox_free(sb);
}

/*
** A position or count written as a float with a whole value (-1e6) is taken
** by utf8.offset and utf8.codepoint as the integer: it must be charged as
** that integer too. With no bound on time, only the charge can end these.
*/
static void test_float_positions_charged(void) {
  sandbox_limits limits = {TEST_MEMORY, 5000000UL, NO_DEADLINE};
  sandbox *sb = sandbox_new(&limits, NULL, err, sizeof err);
  CHECK(sb != NULL);
  if (sb == NULL) return;
  CHECK_FAILS(sb, "local s = ('x'):rep(1e6)\nfor i = 1, 100 do local n = utf8.offset(s, -1e6) end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local s = ('x'):rep(1e6)\nfor i = 1, 100 do local n = utf8.codepoint(s, 1, 1e5) end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_TRUE(sb, "return utf8.offset('abc', -1.0) == 3 and select('#', utf8.codepoint('abc', 1, 3.0)) == 3");
  sandbox_free(sb);
}

static void test_c_level_work(void) {
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  CHECK_FAILS(sb, "setmetatable({}, {__gc = function() while true do end end})",
              "t:1: setmetatable: __gc metamethods are not allowed in plugins", LIMIT);
  CHECK_FAILS(sb, "string.find(string.rep('a', 30), string.rep('a*', 30) .. 'b')",
              "t:1: pattern too complex for a plugin (more than 10 quantifiers)", LIMIT);
  /* within the bounds, yet minutes of backtracking for Lua's own matcher */
  CHECK_FAILS(sb, "local s = ('a'):rep(30)\nreturn s:find(('a*'):rep(10) .. 'b')",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "return string.find(('a'):rep(999999), 'a*b')",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "return string.gsub(('('):rep(999999), '%b()', '')",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local s = ('a'):rep(30)\nreturn s:match(('a-'):rep(11))",
              "t:2: pattern too complex for a plugin (more than 10 quantifiers)", LIMIT);
  CHECK_FAILS(sb, "return string.gsub('x', ('x'):rep(201), '')",
              "t:1: pattern too complex for a plugin (pattern over 200 bytes)", LIMIT);
  CHECK_FAILS(sb, "for w in string.gmatch(('x'):rep(1000001), 'x') do end",
              "t:1: pattern too complex for a plugin (subject over 1 MB)", LIMIT);
  CHECK_TRUE(sb, "return ('a'):rep(30):find(('a?'):rep(10)) == 1");
  CHECK_TRUE(sb, "return select(2, string.gsub(('*+-?'):rep(50), '[*+%-?]', '')) == 200");
  CHECK_TRUE(sb, "return string.match('2026-03-10', '^(%d+)-(%d+)-(%d+)$') == '2026'");
  CHECK_TRUE(sb, "return (('%*'):rep(90)):len() == 180 and ('ab'):find(('%*'):rep(20)) == nil");
  CHECK_FAILS(sb, "local s = string.rep('', 1e15)", "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "table.move({}, 1, 1e15, 2)", "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "return table.concat({}, '', 1, 1e15)", "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  /* reading a long string byte by byte, with no allocation for the memory charge to see */
  CHECK_FAILS(sb, "local s = ('x'):rep(1e6)\nwhile true do local n = utf8.len(s) end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local s = ('\\u{e9}'):rep(1e5)\nwhile true do local n = utf8.codepoint(s, 1, -1) end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local s = ('x'):rep(1e6)\nwhile true do local n = utf8.offset(s, -1e6) end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local s = (' '):rep(1e6) .. '1'\nwhile true do local n = tonumber(s) end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_TRUE(sb, "local s = 'caf\\u{e9}' return utf8.len(s) == 4 and utf8.codepoint(s, -2) == 233 and\n"
                 "utf8.offset(s, -1) == 4 and tonumber(' 12 ') == 12 and tonumber('ff', 16) == 255");
  CHECK_FAILS(sb, "return string.rep()", "t:1: bad argument #1 to 'rep' (string expected, got no value)", LIMIT);
  CHECK_FAILS(sb, "return table.concat({1, {}})",
              "t:1: invalid value (table) at index 2 in table for 'concat'", LIMIT);
  CHECK_TRUE(sb, "local t = {3, 1, 2} table.sort(t) table.insert(t, 1, 0) table.remove(t, 2)\n"
                 "return table.concat(t, ',') == '0,2,3' and select('#', table.unpack(t)) == 3");
  sandbox_free(sb);
}

static void test_environment(void) {
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  lua_State *L = sandbox_state(sb);
  CHECK_TRUE(sb, "return rawset == nil and debug == nil and io == nil and package == nil and dofile == nil\n"
                 "  and loadfile == nil and string.dump == nil and ('x').dump == nil and _G == nil");
  CHECK_TRUE(sb, "return os.execute == nil and os.getenv == nil and os.exit == nil and os.remove == nil\n"
                 "  and type(os.time()) == 'number' and type(os.clock()) == 'number' and #os.date('%Y') == 4");
  CHECK_TRUE(sb, "local o = load('return os')() return o == os and o.execute == nil");
  CHECK_TRUE(sb, "return load('return io')() == nil and load('return os', 'x', 'bt', {})() == nil");
  CHECK_TRUE(sb, "local f = load('x = 1', '=chunk', 'bt', {}) f() return x == nil");
  CHECK_TRUE(sb, "local f, msg = load('\\27LuaT\\0') return f == nil and msg == \"attempt to load a binary chunk (mode is 't')\"");
  CHECK_FAILS(sb, "assert(load('return +', '=mine'))", "t:1: mine:1: unexpected symbol near '+'", LIMIT);
  CHECK_TRUE(sb, "return type(collectgarbage('count')) == 'number'");
  CHECK_FAILS(sb, "collectgarbage('stop')",
              "t:1: bad argument #1 to 'collectgarbage' (only \"count\" is allowed in plugins)", LIMIT);
  CHECK_FAILS(sb, "collectgarbage()",
              "t:1: bad argument #1 to 'collectgarbage' (string expected, got no value)", LIMIT);
  CHECK_FAILS(sb, "os.execute('true')", "t:1: attempt to call a nil value (field 'execute')", LIMIT);
  CHECK_FAILS(sb, "io.open('/etc/passwd')", "t:1: attempt to index a nil value (global 'io')", LIMIT);

  /* the string metatable: hidden, and the methods' table out of reach */
  CHECK_TRUE(sb, "return getmetatable('') == false and ('abc'):upper() == 'ABC'");
  CHECK_TRUE(sb, "string.upper = function() return 'hacked' end string.len = nil\n"
                 "return ('abc'):upper() == 'ABC' and ('abc'):len() == 3 and string.upper('x') == 'hacked'");
  CHECK_FAILS(sb, "local mt = getmetatable('')\nmt.__index = {}", "t:2: attempt to index a boolean value (local 'mt')", LIMIT);
  CHECK_FAILS(sb, "setmetatable('', {})", "t:1: bad argument #1 to 'setmetatable' (table expected, got string)", LIMIT);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, "string");
  lua_getfield(L, -1, "upper");
  CHECK(lua_iscfunction(L, -1));
  lua_pop(L, 3);
  sandbox *other = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  CHECK_TRUE(other, "return string.upper('abc') == 'ABC' and string.len('abc') == 3");
  sandbox_free(other);

  /* protected metatables stay protected */
  CHECK_FAILS(sb, "local t = setmetatable({}, {__metatable = 'locked'})\nsetmetatable(t, {})",
              "t:2: cannot change a protected metatable", LIMIT);
  CHECK_TRUE(sb, "return getmetatable(setmetatable({}, {__metatable = 'locked'})) == 'locked'");
  sandbox_free(sb);
}

static void test_errors(void) {
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  CHECK_FAILS(sb, "error({})", "t:1: (error object is a table value)", LIMIT);
  CHECK_FAILS(sb, "error(setmetatable({}, {__tostring = function() while true do end end}))",
              "t:1: (error object is a table value)", LIMIT);
  CHECK_FAILS(sb, "error()", "t:1: (error object is a nil value)", LIMIT);
  CHECK_FAILS(sb, "\n\nerror('plain', 0)", "t:3: plain", LIMIT);
  CHECK_FAILS(sb, "error('first\\nsecond\\nstack traceback:\\n\\tx')", "t:1: first second", LIMIT);
  CHECK_FAILS(sb, "local x = nil\nreturn x.field", "t:2: attempt to index a nil value (local 'x')", LIMIT);
  CHECK_FAILS(sb, "error(42)", "t:1: 42", LIMIT);
  CHECK(run(sb, "return +", 0) == -1);
  CHECK_STR(err, "t:1: unexpected symbol near '+'");
  CHECK(sandbox_loadstring(sb, "\x1bLuaT", 5, "=bytes", err, sizeof err) == -1);
  CHECK_STR(err, "bytes: binary chunks are not allowed");
  CHECK(sandbox_loadstring(sb, "return 1", 8, "@named.lua", err, sizeof err) == 0);
  lua_pop(sandbox_state(sb), 1);
  check_unharmed(sb, __LINE__);
  sandbox_free(sb);
}

static void test_loadfile(void) {
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  lua_State *L = sandbox_state(sb);
  char path[256], expected[512];

  write_file("script.lua", "#!/usr/bin/env confer lua\nlocal x = 20\nreturn x + 22, io\n");
  snprintf(path, sizeof path, "%s/script.lua", dir);
  CHECK(sandbox_loadfile(sb, path, err, sizeof err) == 0);
  CHECK(sandbox_pcall(sb, 0, 2, err, sizeof err) == 0);
  CHECK(lua_tointeger(L, -2) == 42);
  CHECK(lua_isnil(L, -1));
  lua_pop(L, 2);

  write_file("broken.lua", "local x = 1\nx = = 2\n");
  snprintf(path, sizeof path, "%s/broken.lua", dir);
  CHECK(sandbox_loadfile(sb, path, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s:2: unexpected symbol near '='", path);
  CHECK_STR(err, expected);

  write_file("fails.lua", "\n\nlocal n = nil + 1\n");
  snprintf(path, sizeof path, "%s/fails.lua", dir);
  CHECK(sandbox_loadfile(sb, path, err, sizeof err) == 0);
  CHECK(sandbox_pcall(sb, 0, 0, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s:3: attempt to perform arithmetic on a nil value", path);
  CHECK_STR(err, expected);

  write_file("binary.luac", "\x1bLuaT\x00\x19\x93\r\n\x1a\n");
  snprintf(path, sizeof path, "%s/binary.luac", dir);
  CHECK(sandbox_loadfile(sb, path, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s: binary chunks are not allowed", path);
  CHECK_STR(err, expected);

  snprintf(path, sizeof path, "%s/missing.lua", dir);
  CHECK(sandbox_loadfile(sb, path, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s: cannot read (No such file or directory)", path);
  CHECK_STR(err, expected);

  CHECK(sandbox_loadfile(sb, dir, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s: cannot read (Is a directory)", dir);
  CHECK_STR(err, expected);

  snprintf(path, sizeof path, "%s/huge.lua", dir);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f != NULL) {
    for (int i = 0; i < 5 * 1024; i++) fprintf(f, "-- %1020d\n", i);
    fclose(f);
  }
  CHECK(sandbox_loadfile(sb, path, err, sizeof err) == -1);
  snprintf(expected, sizeof expected, "%s: cannot read (larger than 4 MiB)", path);
  CHECK_STR(err, expected);
  CHECK(lua_gettop(L) == 0);
  check_unharmed(sb, __LINE__);
  remove_file("huge.lua");
  remove_file("script.lua");
  remove_file("broken.lua");
  remove_file("fails.lua");
  remove_file("binary.luac");
  sandbox_free(sb);
}

/* A file loaded again is loaded from its compiled chunk; an edited one is compiled afresh. */
static void test_loadfile_kept(void) {
  char path[256], name[260], expected[512];
  const char *first = "\n\nlocal x = 20\nreturn x + 1, nil + x\n";
  write_file("kept.lua", first);
  snprintf(path, sizeof path, "%s/kept.lua", dir);
  snprintf(name, sizeof name, "@%s", path);
  size_t len;
  CHECK(chunk_cache_find(name, first, strlen(first), &len) == NULL);
  for (int round = 0; round < 2; round++) {   /* compiled, then from the cache, in a new sandbox */
    sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
    CHECK(sandbox_loadfile(sb, path, err, sizeof err) == 0);
    CHECK(chunk_cache_find(name, first, strlen(first), &len) != NULL && len > 0);
    CHECK(sandbox_pcall(sb, 0, 0, err, sizeof err) == -1);
    snprintf(expected, sizeof expected, "%s:4: attempt to perform arithmetic on a nil value", path);
    CHECK_STR(err, expected);   /* the kept chunk still names the file and the line */
    check_unharmed(sb, __LINE__);
    sandbox_free(sb);
  }
  /* Rewritten at once with the same length: the text differs, so it is compiled again. */
  write_file("kept.lua", "\n\nlocal x = 30\nreturn x + 1, x + x\n");
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  lua_State *L = sandbox_state(sb);
  CHECK(sandbox_loadfile(sb, path, err, sizeof err) == 0);
  CHECK(sandbox_pcall(sb, 0, 2, err, sizeof err) == 0);
  CHECK(lua_tointeger(L, -2) == 31 && lua_tointeger(L, -1) == 60);
  lua_pop(L, 2);
  sandbox_free(sb);
  remove_file("kept.lua");
}

static void test_require(void) {
  char expected[512];
  CHECK(mkdir_p_sub("util") == 0);
  write_file("util/strings.lua", "loads = (loads or 0) + 1\nlocal name, file = ...\n"
             "return {name = name, file = file, io = io, shout = function(s) return s:upper() end}\n");
  write_file("plain.lua", "value = 7\n");
  write_file("cmod.so", "\x7f" "ELF not really\n");
  write_file("circle_a.lua", "return require 'circle_b'\n");
  write_file("circle_b.lua", "return require 'circle_a'\n");
  write_file("bad.lua", "return +\n");
  write_file("boom.lua", "error('boom')\n");
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);

  CHECK_TRUE(sb, "local m = require 'util.strings'\n"
                 "return m.shout('a') == 'A' and m.name == 'util.strings' and m.io == nil and loads == 1");
  snprintf(expected, sizeof expected, "return require('util.strings').file == '%s/util/strings.lua'", dir);
  CHECK_TRUE(sb, expected);
  CHECK_TRUE(sb, "return require('util.strings') == require('util.strings') and loads == 1");
  CHECK_TRUE(sb, "return require('plain') == true and value == 7");
  snprintf(path_text, sizeof path_text, "%s, /nonexistent/confer-test", dir);
  snprintf(expected, sizeof expected, "t:1: module 'nothere' not found in the plugin path: %s", path_text);
  CHECK_FAILS(sb, "require 'nothere'", expected, LIMIT);
  snprintf(expected, sizeof expected, "t:1: module 'cmod' not found in the plugin path: %s", path_text);
  CHECK_FAILS(sb, "require 'cmod'", expected, LIMIT);
  snprintf(expected, sizeof expected, "t:1: module 'socket.core' not found in the plugin path: %s", path_text);
  CHECK_FAILS(sb, "require 'socket.core'", expected, LIMIT);
  CHECK_FAILS(sb, "require '../util/strings'",
              "t:1: module name '../util/strings' is not valid (letters, digits and _, separated by dots)", LIMIT);
  CHECK_FAILS(sb, "require 'cmod.so.'",
              "t:1: module name 'cmod.so.' is not valid (letters, digits and _, separated by dots)", LIMIT);
  snprintf(expected, sizeof expected, "%s/circle_b.lua:1: module 'circle_a' is required while it is loading (circular require)", dir);
  CHECK_FAILS(sb, "require 'circle_a'", expected, LIMIT);
  snprintf(expected, sizeof expected, "%s/bad.lua:1: unexpected symbol near '+'", dir);
  CHECK_FAILS(sb, "require 'bad'", expected, LIMIT);
  snprintf(expected, sizeof expected, "%s/boom.lua:1: boom", dir);
  CHECK_FAILS(sb, "require 'boom'", expected, LIMIT);
  CHECK_FAILS(sb, "require 'boom'", expected, LIMIT);  /* a failed module is not cached */
  sandbox_free(sb);

  const char *empty[] = {NULL};
  sb = sandbox_new(NULL, empty, err, sizeof err);
  CHECK(sb != NULL);
  if (sb != NULL) {
    CHECK_FAILS(sb, "require 'plain'", "t:1: module 'plain' not found in the plugin path: (empty)", LIMIT);
    sandbox_free(sb);
  }
  remove_file("util/strings.lua");
  remove_file("util");
  remove_file("plain.lua");
  remove_file("cmod.so");
  remove_file("circle_a.lua");
  remove_file("circle_b.lua");
  remove_file("bad.lua");
  remove_file("boom.lua");
}

/*
** The sandbox's own pattern matcher (counted against the budget) against
** Lua's string library, case by case: every result and every error message
** must be the same.
*/
static const char pattern_cases[] =
  "local cases = {\n"
  "  {'hello world', 'o', 1}, {'hello world', 'o', 6}, {'hello world', 'o', -3}, {'hello world', 'l+'},\n"
  "  {'hello world', '^h'}, {'hello world', '^w'}, {'hello world', 'd$'}, {'hello world', '(o)(r)'},\n"
  "  {'hello world', '()ll()'}, {'hello', ''}, {'', ''}, {'', 'a*'}, {'abc', '', 10}, {'abc', 'b', 0},\n"
  "  {'abc', 'b', -10}, {'  trim me  ', '^%s*(.-)%s*$'}, {'2026-03-10', '^(%d+)-(%d+)-(%d+)$'},\n"
  "  {'key = value', '(%w+)%s*=%s*(%w+)'}, {'THE (quick) fox', '%((%a+)%)'}, {'f(a(b)c)d', '%b()'},\n"
  "  {'THE (quick) fox', '%f[%a]%a+'}, {'hello', '(l)%1'}, {'a.b.c', '%.'}, {'a.b.c', '.', 1, true},\n"
  "  {'x+y', '+', 1, true}, {'x+y', '+'}, {'[x]', '[]]'}, {'a-b', '[a-]'}, {'a^b', '[%^]'},\n"
  "  {'abc', '[^a]+'}, {'one two  three', '%S+'}, {'\\195\\164x', '[\\128-\\255]+'},\n"
  "  {'abc', 'a?b?c?d?'}, {'aaa', 'a-'}, {'aaa', 'a-$'}, {'a,b,,c', '([^,]*)'}, {'x=1, y=22', '(%a)=(%d+)'},\n"
  "  {'abc', '%'}, {'abc', '[a'}, {'abc', '(a'}, {'abc', 'a)'}, {'abc', '%1'}, {'abc', '%b'},\n"
  "  {'abc', '%fa'}, {'abc', '(()'}, {'abc', '%g+'}, {'A1_b', '[%w_]+', 2}, {'aXb', '%u'}, {'a\\0b', '%z'},\n"
  "  {'a\\0b', '\\0'}, {'abab', '(ab)%1$'}, {'hello', '.-l', 1}, {'hello', 'l*', 3}, {'hello', '$'},\n"
  "}\n"
  "local function pack(ok, ...)\n"
  "  local t = table.pack(...)\n"
  "  local out = {tostring(ok)}\n"
  "  for i = 1, t.n do\n"
  "    out[#out + 1] = type(t[i]) == 'string' and string.format('%q', t[i]) or tostring(t[i])\n"
  "  end\n"
  "  return table.concat(out, ',')\n"
  "end\n"
  "local function all(s, p, init)\n"
  "  local got = {}\n"
  "  for a, b in string.gmatch(s, p, init) do got[#got + 1] = tostring(a) .. '/' .. tostring(b) end\n"
  "  return table.concat(got, ';')\n"
  "end\n"
  "local lines = {}\n"
  "for i, c in ipairs(cases) do\n"
  "  local s, p, init, plain = c[1], c[2], c[3], c[4]\n"
  "  lines[#lines + 1] = table.concat({i,\n"
  "    pack(pcall(string.find, s, p, init, plain)), pack(pcall(string.match, s, p, init)),\n"
  "    pack(pcall(all, s, p, init)), pack(pcall(string.gsub, s, p, '<%0>')),\n"
  "    pack(pcall(string.gsub, s, p, '%1')), pack(pcall(string.gsub, s, p, '%%', 1)),\n"
  "    pack(pcall(string.gsub, s, p, function(a) return a and a:upper() end)),\n"
  "    pack(pcall(string.gsub, s, p, {l = 'L', o = false})),\n"
  "    pack(pcall(string.gsub, s, p, function() return {} end)),\n"
  "    pack(pcall(string.gsub, s, p, '%9')), pack(pcall(string.gsub, s, p, '%x'))}, ' | ')\n"
  "end\n"
  "return table.concat(lines, '\\n')\n";

static void test_patterns_match_lua(void) {
  lua_State *plain = luaL_newstate();
  CHECK(plain != NULL);
  if (plain == NULL) return;
  luaL_openlibs(plain);
  int plain_ok = luaL_loadbuffer(plain, pattern_cases, sizeof pattern_cases - 1, "=t") == LUA_OK &&
                 lua_pcall(plain, 0, 1, 0) == LUA_OK;
  CHECK(plain_ok);
  sandbox *sb = new_sandbox(TEST_MEMORY, TEST_INSTRUCTIONS);
  CHECK(run(sb, pattern_cases, 1) == 0);
  const char *expected = lua_tostring(plain, -1);
  const char *got = lua_tostring(sandbox_state(sb), -1);
  CHECK(expected != NULL && strlen(expected) > 1000);
  CHECK_STR(got, expected);
  lua_close(plain);
  sandbox_free(sb);
}

/*
** Measures how long the default budget lets a busy loop run: about 0.2 s
** in a plain build and under the sanitizers alike.
*/
static void test_default_budget_time(void) {
  sandbox *sb = sandbox_new(default_limits(), NULL, err, sizeof err);
  CHECK(sb != NULL);
  if (sb == NULL) return;
  double start = now();
  CHECK(run(sb, "while true do end", 0) == -1);
  double elapsed = now() - start;
  printf("# a busy loop under the default budget stopped after %.3f s of processor time\n", elapsed);
  CHECK(!time_limits || elapsed < LIMIT);
  sandbox_free(sb);
}

/*
** Work the budget counts in more than instructions, under the default
** limits: coroutine switches (each a resume and a yield in C) and the
** pattern matcher's backtracking each end within a second, naming the line
** of the runaway (in the coroutine when it has one).
*/
static void test_default_budget_costly_steps(void) {
  sandbox *sb = sandbox_new(default_limits(), NULL, err, sizeof err);
  CHECK(sb != NULL);
  if (sb == NULL) return;
  CHECK_FAILS(sb, "local co = coroutine.wrap(function()\n  while true do coroutine.yield() end\nend)\n"
              "while true do pcall(co) end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local co = coroutine.create(function() while true do coroutine.yield() end end)\n"
              "while true do coroutine.resume(co) end",
              "t:1: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local s = ('a'):rep(5000)\nstring.find(s, '.-.-.-.-b')",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  /*
  ** The longest strings the memory cap allows, compared: one instruction, a
  ** millisecond each, so only the bound on processor time ends the loop
  ** (without it, under CONFER_NO_TIME_LIMITS, the budget would take hours).
  */
  if (!time_limits) {
    sandbox_free(sb);
    return;
  }
  CHECK_FAILS(sb, "local a, b = ('x'):rep(10e6) .. 'a', ('x'):rep(10e6) .. 'b'\nwhile a ~= b do end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local a, b = ('x'):rep(10e6) .. 'a', ('x'):rep(10e6) .. 'b'\nwhile a < b do end",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  /* table.sort compares in C: 2,000 references to a 10 MB string sorted for 9 s. */
  CHECK_FAILS(sb, "local s, t = ('x'):rep(10e6), {}\nfor i = 1, 2000 do t[i] = s end\ntable.sort(t)",
              "t:3: instruction budget exhausted (runaway loop?)", LIMIT);
  /* Each `and` walks the jump list so far: 40,000 of them compiled for 2.7 s. */
  CHECK_FAILS(sb, "local src = 'return ' .. ('x and '):rep(40000) .. 'x'\nlocal f = load(src)\nreturn f",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_FAILS(sb, "local src = 'return ' .. ('x or '):rep(40000) .. 'x'\n"
              "local f = load(function() local s = src; src = nil; return s end)\nreturn f",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  /* %q escapes each control byte with snprintf: 4 MB of zeros quoted in 0.35 s, one call. */
  CHECK_FAILS(sb, "local s = ('\\0'):rep(4e6)\nlocal q = string.format('%q', s)",
              "t:2: instruction budget exhausted (runaway loop?)", LIMIT);
  CHECK_TRUE(sb, "local t = {'b', 'c', 'a'}\ntable.sort(t)\nreturn table.concat(t) == 'abc' and "
             "load('return 1 + ...')(1) == 2 and string.format('%q', '\\0') == [[\"\\0\"]]");
  sandbox_free(sb);
}

/*
** The bound on processor time ends a call whose instructions are cheap to
** count but not to run, here simply with a budget too large to matter.
*/
static void test_time_bound(void) {
  sandbox_limits limits = {0, 4000000000UL, 0.05};
  sandbox *sb = sandbox_new(&limits, NULL, err, sizeof err);
  CHECK(sb != NULL);
  if (sb == NULL) return;
  CHECK_FAILS(sb, "local n = 0\nwhile true do n = n + 1 end",
              "t:2: instruction budget exhausted (runaway loop?)", 0.5);
  /* Comparing two long strings is one instruction: the clock must be read often enough to see it. */
  CHECK_FAILS(sb, "local a, b = ('x'):rep(2e6) .. 'a', ('x'):rep(2e6) .. 'b'\nwhile a ~= b do end",
              "t:2: instruction budget exhausted (runaway loop?)", 0.5);
  CHECK_TRUE(sb, "return true");
  sandbox_free(sb);
}

int main(void) {
  if (test_load_locales() != 0) return 1;
  const char *no_limits = getenv("CONFER_NO_TIME_LIMITS");
  time_limits = no_limits == NULL || strcmp(no_limits, "1") != 0;
  const char *factor = getenv("CONFER_TIME_FACTOR");
  if (factor != NULL && atof(factor) >= 1) time_factor = atof(factor);
  snprintf(dir, sizeof dir, "/tmp/confer-sandbox-XXXXXX");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  test_budget();
  test_coroutines();
  test_nested_calls();
  test_memory();
  test_close_after_error();
  test_stack();
  test_c_level_work();
  test_float_positions_charged();
  test_patterns_match_lua();
  test_environment();
  test_errors();
  test_loadfile();
  test_loadfile_kept();
  test_require();
  test_default_budget_time();
  test_default_budget_costly_steps();
  test_time_bound();
  rmdir(dir);
  return TEST_SUMMARY();
}
