/*
** sandbox.c — a limited lua_State for untrusted plugins and scripts.
**
** Implements sandbox.h. The defences, each against an escape verified on
** Lua 5.4 (see /work/shared/reference/anchors-sandbox-repl.md §5):
**   - memory: a capped allocator; only growth is ever refused, and the host
**     gets a little headroom outside untrusted code so its own error handling
**     cannot fail for lack of memory;
**   - time: a count hook on every thread, installed at creation; once the
**     budget is spent it fires at every instruction, so pcall, xpcall and
**     coroutine.resume cannot swallow it; C functions whose work grows with
**     their arguments (string.rep, table.insert, ...) are charged for it
**     (table.insert and table.remove are the sandbox's own: see there);
**     so are table.sort's comparisons, string.format's %q escapes and
**     each slice of source handed to the compiler (see next_slice);
**     so are a coroutine switch and each step of the pattern matcher, which
**     cost far more than an instruction, and each byte of memory a call
**     allocates (building a string copies all of it); and since some
**     instruction may still cost more than the budget assumes (comparing
**     two long strings), the budget is also a bound on the thread's
**     processor time (0.75 s by default), watched every hundred
**     instructions (out_of_time): a comparison of the longest strings the
**     memory cap allows takes about a millisecond, so a loop of them ends
**     within a tenth of a second of the bound, inside the second a chair
**     may wait;
**   - reach: a fresh environment of allowed functions and private copies of
**     the libraries; load is text-only and bound to the sandbox; __gc is
**     refused (finalizers run with hooks off); patterns are bounded and
**     matched by the sandbox's own matcher, which counts its steps against
**     the budget (Lua's runs in C, out of the hook's reach); require finds
**     only NAME.lua in the search path;
**   - errors: a memory error carries no position in Lua, so the allocator
**     notes where untrusted code was when it refused growth, and the
**     sandbox's pcall and xpcall report it as "FILE:LINE: not enough memory
**     (plugin memory cap ...)". The string metatable is hidden, and
**     the table behind ("x"):method() is the host's own, unreachable by
**     scripts: it holds the same safe functions as the scripts' copy.
** Nothing is global: the sandbox is the allocator's user data, so every
** callback recovers it from its lua_State with lua_getallocf.
*/
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

#include "sandbox.h"
#include "block_cache.h"
#include "chunk_cache.h"
#include "i18n.h"
#include "utf8.h"

#define MIB ((size_t)1 << 20)
#define DEFAULT_MEMORY (32 * MIB)   /* a conference is kilobytes; a bomb must end within a second */
#define DEFAULT_INSTRUCTIONS 50000000UL  /* about 0.25 s of a busy loop */
#define DEFAULT_SECONDS 0.75              /* the default budget's bound on processor time */
#define RESUME_COST 100                   /* instructions a coroutine switch is charged as */
#define HOOK_PERIOD 100                   /* instructions between two budget checks */
#define WALK_PERIOD 1000                  /* instructions between two walks of a deep stack */
#define BYTES_PER_INSTRUCTION 16          /* memory growth charged to the budget as one instruction */
#define HOST_HEADROOM ((size_t)256 << 10) /* extra bytes the host may use outside scripts */
#define MAX_SOURCE_BYTES (4 * MIB)
#define MAX_PATTERN_BYTES 200
#define MAX_PATTERN_QUANTIFIERS 10
#define MAX_SUBJECT_BYTES ((size_t)1000000)
#define MAX_CALL_DEPTH 100000             /* Lua frames, checked once memory use is high */

#define BUDGET_MESSAGE _("sandbox.budget")
#define MODULES_KEY "confer.sandbox.modules"

struct sandbox {
  lua_State *L;
  size_t used;                /* bytes the state holds, as Lua sees them */
  size_t limit;               /* the cap for untrusted code */
  int strict;                 /* 1 while untrusted code may run: no headroom */
  int refused;                /* the allocator refused growth during this call */
  int depth;                  /* nesting of sandbox_pcall */
  int expired;                /* the budget of the current call is spent */
  unsigned long budget;       /* instructions per outermost sandbox_pcall */
  unsigned long remaining;    /* instructions left in the current call */
  double seconds;             /* processor time per outermost call */
  double deadline;            /* processor time (s) at which the current call ends, or */
  double started;             /* < 0 until first needed: then made from when it STARTED */
  double next_reading;        /* monotonic time before which the deadline cannot be reached */
  unsigned long since_walk;   /* instructions since the hook last walked the stack */
  char budget_error[256];     /* "FILE:LINE: instruction budget exhausted ..." */
  lua_State *running;         /* the thread running untrusted code, NULL outside calls */
  char refused_at[200];       /* "FILE:LINE: " of the last refusal, or "" if unknown */
  char busy_at[200];          /* "FILE:LINE: " the hook last saw with memory use high */
  char **search_path;         /* NULL-terminated copy, for require */
  block_cache blocks;         /* small blocks the state freed, for its next allocations */
};

static sandbox *sandbox_of (lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

static void set_error (char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error (char *err, size_t errlen, const char *fmt, ...) {
  if (errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/*
** Copies MSG into ERR as one line: a traceback someone appended is cut off,
** line breaks become spaces, and control characters '?' (utf8.h), so every
** caller can print it as it is.
*/
static void copy_one_line (char *err, size_t errlen, const char *msg) {
  const char *traceback = strstr(msg, "\nstack traceback:");
  size_t n = traceback != NULL ? (size_t)(traceback - msg) : strlen(msg);
  utf8_printable_copy(err, errlen, msg, n, 1);
}

/* The memory error, with where the cap was reached when that is known. */
static void set_memory_error (const sandbox *sb, char *err, size_t errlen) {
  if (sb->limit % MIB == 0)
    set_error(err, errlen, _("sandbox.memory_cap_mib"),
              sb->refused_at, sb->limit / MIB);
  else
    set_error(err, errlen, _("sandbox.memory_cap_kib"),
              sb->refused_at, (sb->limit + 1023) / 1024);
}

/*
** Writes "FILE:LINE: " for the innermost Lua function of L into BUF, or ""
** if there is none. Reads the call stack only: it allocates nothing, so the
** allocator may call it.
*/
static void locate (lua_State *L, char *buf, size_t len) {
  lua_Debug ar;
  buf[0] = '\0';
  for (int level = 0; lua_getstack(L, level, &ar); level++) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      snprintf(buf, len, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
}


/*
** {======================================================
** Memory
** =======================================================
*/

/*
** Notes a refused growth and where untrusted code was. The stack is read
** only for a new block (PTR NULL): growing the stack itself is a realloc,
** during which newer Lua releases hold its frames as offsets, unreadable.
** For other growth, the place the hook last saw with memory use high
** stands in: a bomb runs many instructions on its way to the cap.
*/
static void note_refusal (sandbox *sb, const void *ptr) {
  sb->refused = 1;
  if (!sb->strict || sb->running == NULL) return;
  if (ptr == NULL) locate(sb->running, sb->refused_at, sizeof sb->refused_at);
  else memcpy(sb->refused_at, sb->busy_at, sizeof sb->refused_at);
}

/*
** Charges GROWN bytes of new memory to the budget of the current call. An
** instruction that makes a string copies every byte of it, work the count
** hook cannot see: `s = s .. x` in a loop stays under the memory cap (each
** old string is garbage) while its copying grows with the square of its
** length, and would run on until the processor-time backstop. Only the
** budget is lowered here; the hook raises the error at its next check.
*/
static void charge_growth (sandbox *sb, size_t grown) {
  if (sb->depth == 0) return;  /* the host's own work, outside any call */
  size_t units = grown / BYTES_PER_INSTRUCTION;
  sb->remaining = units < sb->remaining ? sb->remaining - units : 0;
}

/*
** The lua_Alloc of every sandbox. When PTR is NULL, OSIZE is a type tag, not
** a size. Frees and shrinks never fail (Lua relies on it); growth fails once
** the cap is reached, which Lua reports as a memory error.
*/
static void *capped_alloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  sandbox *sb = ud;
  if (ptr == NULL) osize = 0;
  if (nsize == 0) {
    block_cache_free(&sb->blocks, ptr, osize);
    sb->used -= osize;
    return NULL;
  }
  if (nsize > osize) {
    size_t cap = sb->limit + (sb->strict ? 0 : HOST_HEADROOM);
    if (sb->used > cap || nsize - osize > cap - sb->used) {
      note_refusal(sb, ptr);
      return NULL;
    }
    charge_growth(sb, nsize - osize);
  }
  void *block = block_cache_resize(&sb->blocks, ptr, osize, nsize);
  if (block == NULL) {
    if (nsize > osize) return NULL;
    block = ptr;  /* a failed shrink keeps the old, larger block */
  }
  sb->used = sb->used - osize + nsize;
  return block;
}

/* }====================================================== */


/*
** {======================================================
** Instruction budget
** =======================================================
*/

static void count_hook (lua_State *L, lua_Debug *ar);

/* Raises the budget error again, and at every instruction from now on in L. */
static int raise_budget_error (lua_State *L, sandbox *sb) {
  if (lua_gethookcount(L) != 1) lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  lua_pushstring(L, sb->budget_error);
  return lua_error(L);
}

void sandbox_push_location (lua_State *L, int level) {
  lua_Debug ar;
  while (lua_getstack(L, level++, &ar)) {
    lua_getinfo(L, "Sl", &ar);
    if (ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

/*
** Ends the current call: from now on the hook raises "SOURCE:LINE: WHAT" at
** every instruction until the outermost sandbox_pcall returns.
*/
static void expire (sandbox *sb, const char *source, int line, const char *what) {
  sb->expired = 1;
  sb->remaining = 0;
  snprintf(sb->budget_error, sizeof sb->budget_error, "%s:%d: %s", source, line, what);
}

/* The processor time this thread has used, in seconds; 0 if the clock cannot be read. */
static double thread_seconds (void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A monotonic clock in seconds: read without a system call (vDSO); 0 if it cannot be read. */
static double monotonic_seconds (void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
** Whether the current call has used its processor time, asked at every
** budget check. The processor clock costs a system call; the monotonic one
** does not (vDSO). A thread cannot use processor time faster than time
** passes, so after a reading of the processor clock that leaves T seconds
** to the deadline, the deadline cannot come before the monotonic clock has
** moved on by T: until then only the monotonic clock is read. So a call
** within its allowance reads the processor clock once, at its first check
** (none if it ends before), and an instruction that costs far more than
** the budget assumes (comparing two long strings, which no hook sees) is
** still caught within one hook period of the deadline. The deadline is set
** at the first reading: the processor time then, less the time that has
** passed since the call started, plus the allowance; never later than a
** deadline read at the start would have been.
*/
static int out_of_time (sandbox *sb) {
  double now = monotonic_seconds();
  if (sb->deadline >= 0 && now < sb->next_reading) return 0;
  double used = thread_seconds();
  if (sb->deadline < 0) sb->deadline = used - (now - sb->started) + sb->seconds;
  if (used > sb->deadline) return 1;
  sb->next_reading = now + (sb->deadline - used);
  return 0;
}

/*
** Finds the innermost Lua function of L at LEVEL or above: sets *SOURCE
** and *LINE and returns 1, or returns 0 if there is none.
*/
static int innermost_lua (lua_State *L, int level, lua_Debug *ar, const char **source, int *line) {
  while (lua_getstack(L, level++, ar)) {
    lua_getinfo(L, "Sl", ar);
    if (ar->currentline > 0) {
      *source = ar->short_src;
      *line = ar->currentline;
      return 1;
    }
  }
  return 0;
}

/*
** Charges UNITS instructions' worth of work done by a C function (which the
** hook cannot see) to the budget, raising the budget error in L when it is
** spent. The error names the line where DOER, the thread the work was done
** for, stands (a coroutine L resumes), or else L's caller.
*/
static void charge_for (lua_State *L, lua_State *doer, lua_Unsigned units) {
  sandbox *sb = sandbox_of(L);
  if (sb->depth == 0) return;  /* no sandbox_pcall to catch an error */
  if (!sb->expired) {
    if (units < sb->remaining && !out_of_time(sb)) {
      sb->remaining -= (unsigned long)units;
      return;
    }
    lua_Debug ar;
    const char *source = "?";
    int line = 0;
    if (doer == L || !innermost_lua(doer, 0, &ar, &source, &line))
      innermost_lua(L, 1, &ar, &source, &line);
    expire(sb, source, line, BUDGET_MESSAGE);
  }
  raise_budget_error(L, sb);
}

static void charge (lua_State *L, lua_Unsigned units) {
  charge_for(L, L, units);
}

/*
** Whether L runs deeper than MAX_CALL_DEPTH Lua frames. Lua's own limit
** (a million stack slots) needs more memory than the default cap, so
** without this a runaway recursion would end as a memory error with no
** line. Walking the frames costs the depth, so it is done only once the
** state holds an eighth of its cap. Like the budget, it ends the call:
** an error raised in a hook would run a script's xpcall handler unhooked.
*/
static int too_deep (lua_State *L, const sandbox *sb) {
  lua_Debug ar;
  return sb->used > sb->limit / 8 && lua_getstack(L, MAX_CALL_DEPTH, &ar);
}

/*
** The count hook of every thread. Threads run at HOOK_PERIOD, except after
** the budget is spent, when they run at 1 so that no instruction runs
** without the error being raised again; a thread left at 1 by an earlier
** call is put back to HOOK_PERIOD here. With memory use high, it notes
** where the script is, for a refusal that cannot read the stack, and
** looks for a runaway recursion: walks of the stack that cost its depth,
** so made only every WALK_PERIOD instructions, not at every check.
*/
static void count_hook (lua_State *L, lua_Debug *ar) {
  sandbox *sb = sandbox_of(L);
  if (sb->depth == 0) return;  /* no sandbox_pcall to catch an error */
  if (!sb->expired) {
    unsigned long spent = (unsigned long)lua_gethookcount(L);
    if (spent < sb->remaining && !out_of_time(sb)) {
      sb->remaining -= spent;
      if (spent != HOOK_PERIOD) lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_PERIOD);
      sb->since_walk += spent;
      if (sb->since_walk < WALK_PERIOD) return;
      sb->since_walk = 0;
      if (sb->used > sb->limit / 2) locate(L, sb->busy_at, sizeof sb->busy_at);
      if (!too_deep(L, sb)) return;
      lua_getinfo(L, "Sl", ar);
      expire(sb, ar->short_src, ar->currentline, _("sandbox.stack_overflow"));
    } else {
      lua_getinfo(L, "Sl", ar);
      expire(sb, ar->short_src, ar->currentline, BUDGET_MESSAGE);
    }
  }
  raise_budget_error(L, sb);
}

/* Gives the new thread CO the hook (coroutines copy it anyway; this does not rely on that). */
static void arm_thread (lua_State *co, const sandbox *sb) {
  lua_sethook(co, count_hook, LUA_MASKCOUNT, sb->expired ? 1 : HOOK_PERIOD);
}

/* }====================================================== */


/*
** {======================================================
** Functions given to scripts in place of the standard ones
** =======================================================
*/

/* setmetatable, refusing __gc: finalizers run with hooks off, out of the budget's reach. */
static int sandbox_setmetatable (lua_State *L) {
  int type = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table");
  if (type == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "%s", _("sandbox.no_gc"));
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "%s", _("sandbox.protected_metatable"));
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/*
** The compiler runs in C, out of the hook's sight, and some sources cost it
** far more than their length: `x and x and ... x` walks the whole list of
** pending jumps at each `and`, so its time grows with the square of the
** terms (100,000 of them, 600 kB, compiled for 17 s). So every source is
** handed to lua_load in slices of LOAD_SLICE bytes, each charged to the
** budget, whose check also reads the processor-time bound: a source the
** compiler chews on is stopped within a slice of the deadline (a slice of
** the worst such source takes a few hundredths of a second by then).
*/
#define LOAD_SLICE 4096
#define BYTES_COMPILED_PER_INSTRUCTION 1

typedef struct load_slices {
  const char *next;   /* the rest of the current piece */
  size_t left;        /* its length */
  int reader;         /* stack index of the script's reader function, or 0 */
  int piece;          /* stack index where the reader's current piece is kept */
} load_slices;

/* Moves to the reader function's next piece, kept at stack index PIECE; 0 at its end. */
static int next_piece (lua_State *L, load_slices *ls) {
  luaL_checkstack(L, 2, "too many nested functions");
  lua_pushvalue(L, ls->reader);
  lua_call(L, 0, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  if (!lua_isstring(L, -1)) luaL_error(L, "reader function must return a string");
  lua_replace(L, ls->piece);
  ls->next = lua_tolstring(L, ls->piece, &ls->left);
  return ls->left > 0;
}

/* The lua_Reader of every load: the next slice, charged; NULL at the end. */
static const char *next_slice (lua_State *L, void *ud, size_t *size) {
  load_slices *ls = ud;
  if (ls->left == 0 && (ls->reader == 0 || !next_piece(L, ls))) return NULL;
  *size = ls->left < LOAD_SLICE ? ls->left : LOAD_SLICE;
  charge(L, *size / BYTES_COMPILED_PER_INSTRUCTION + 1);
  const char *slice = ls->next;
  ls->next += *size;
  ls->left -= *size;
  return slice;
}

/*
** load, text only, compiled in charged slices (see next_slice) and bound to
** the sandbox's environment unless a table is given as ENV. Upvalue: the
** environment.
*/
static int sandbox_load (lua_State *L) {
  int type = lua_type(L, 1);
  luaL_argexpected(L, type == LUA_TSTRING || type == LUA_TNUMBER || type == LUA_TFUNCTION, 1,
                   "string or function");
  load_slices ls = {NULL, 0, 0, 0};
  const char *chunkname;
  if (type == LUA_TFUNCTION) {
    chunkname = luaL_optstring(L, 2, "=(load)");
    lua_settop(L, 4);
    lua_pushnil(L);
    ls.reader = 1;
    ls.piece = 5;
  } else {
    ls.next = luaL_checklstring(L, 1, &ls.left);
    chunkname = luaL_optstring(L, 2, ls.next);
    lua_settop(L, 4);
  }
  if (lua_load(L, next_slice, &ls, chunkname, "t") != LUA_OK) {
    luaL_pushfail(L);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushvalue(L, lua_istable(L, 4) ? 4 : lua_upvalueindex(1));
  if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
  return 1;
}

/*
** The message handler the sandbox's xpcall gives Lua: the script's own
** handler (upvalue 1), except once the call is ending. The budget error is
** raised inside the hook, where hooks are off: a script's handler called
** then would run with no budget at all.
*/
static int xpcall_handler (lua_State *L) {
  if (sandbox_of(L)->expired) return 1;  /* the error object, untouched */
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/*
** Whether the value at INDEX, from a call that ended with STATUS, is the
** error of the memory cap. Lua raises it with LUA_ERRMEM, but functions
** that pass errors on (coroutine.wrap, call_original) raise it again as a
** plain "not enough memory".
*/
static int is_cap_error (lua_State *L, int index, int status) {
  sandbox *sb = sandbox_of(L);
  if (!sb->refused) return 0;
  if (status == LUA_ERRMEM) return 1;
  const char *msg = lua_type(L, index) == LUA_TSTRING ? lua_tostring(L, index) : NULL;
  return msg != NULL && strcmp(msg, "not enough memory") == 0;
}

/*
** Replaces the error at INDEX by "FILE:LINE: not enough memory (plugin
** memory cap ...)" if it is the cap's: Lua's own message says nowhere.
*/
static void locate_cap_error (lua_State *L, int index, int status) {
  if (!is_cap_error(L, index, status)) return;
  sandbox *sb = sandbox_of(L);
  char msg[320];
  set_memory_error(sb, msg, sizeof msg);
  index = lua_absindex(L, index);
  int saved = sb->strict;
  sb->strict = 0;  /* the host's headroom: the message must not fail for lack of memory */
  lua_pushstring(L, msg);
  sb->strict = saved;
  lua_replace(L, index);
}

/* Finishes pcall or xpcall, directly or after a yield: true and the results, or false and the error. */
static int finish_xpcall (lua_State *L, int status, lua_KContext extra) {
  if (status != LUA_OK && status != LUA_YIELD) {
    locate_cap_error(L, -1, status);
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - (int)extra;
}

/* xpcall(f, msgh, ...), with the script's handler behind xpcall_handler; yieldable. */
static int sandbox_xpcall (lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, xpcall_handler, 1);
  lua_replace(L, 2);
  lua_pushboolean(L, 1);  /* the first result if there is no error */
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);    /* true, f below f's arguments */
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_xpcall);
  return finish_xpcall(L, status, 2);
}

/* pcall(f, ...), as Lua's, but with the memory cap's error located; yieldable. */
static int script_pcall (lua_State *L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);  /* the first result if there is no error */
  lua_insert(L, 1);
  int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_xpcall);
  return finish_xpcall(L, status, 0);
}

/* collectgarbage("count") only: scripts must not stop or drive the collector. */
static int sandbox_collectgarbage (lua_State *L) {
  const char *option = luaL_checkstring(L, 1);
  luaL_argcheck(L, strcmp(option, "count") == 0, 1, _("sandbox.collectgarbage_count"));
  int kib = lua_gc(L, LUA_GCCOUNT);
  int rest = lua_gc(L, LUA_GCCOUNTB);
  lua_pushnumber(L, (lua_Number)kib + (lua_Number)rest / 1024);
  return 1;
}

/* coroutine.create, arming the new thread's hook. */
static int sandbox_cocreate (lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  arm_thread(co, sandbox_of(L));
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  return 1;
}

/*
** Counts the quantifiers * + - ? of pattern P that can make the matcher
** backtrack: a %-escape and the inside of a [set] are not quantifiers.
*/
static int count_quantifiers (const char *p, size_t len) {
  int count = 0;
  size_t i = 0;
  while (i < len) {
    char c = p[i++];
    if (c == '%') {
      i++;
    } else if (c == '[') {
      if (i < len && p[i] == '^') i++;
      if (i < len && p[i] == ']') i++;  /* a leading ] is a member */
      while (i < len && p[i] != ']') i += (p[i] == '%') ? 2 : 1;
      i++;
    } else if (c == '*' || c == '+' || c == '-' || c == '?') {
      count++;
    }
  }
  return count;
}

/*
** Raises the error at the top (of a call to a standard function that ended
** with STATUS) again as the script's own: located in the calling script,
** and naming the function as the script called it (called from C, the
** standard one would say '?').
*/
static int raise_as_callers (lua_State *L, int status) {
  if (status == LUA_ERRMEM || sandbox_of(L)->expired || lua_type(L, -1) != LUA_TSTRING)
    return lua_error(L);
  lua_Debug ar;
  const char *name = NULL;
  if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar)) name = ar.name;
  const char *msg = lua_tostring(L, -1);
  luaL_where(L, 1);
  if (name != NULL) {
    lua_pushfstring(L, "to '%s'", name);
    luaL_gsub(L, msg, "to '?'", lua_tostring(L, -1));
    lua_remove(L, -2);
  } else {
    lua_pushvalue(L, -2);
  }
  lua_concat(L, 2);
  return lua_error(L);
}

/* Calls the standard function in upvalue 1 with the arguments on the stack, protected. */
static int pcall_original (lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  return lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
}

/*
** Calls the standard function in upvalue 1 with this call's arguments and
** returns its results; its errors are raised as raise_as_callers says.
*/
static int call_original (lua_State *L) {
  int status = pcall_original(L);
  if (status == LUA_OK) return lua_gettop(L);
  return raise_as_callers(L, status);
}

/*
** Calls the standard resume or wrapped function in upvalue 1 with this
** call's arguments, with CO (the thread it resumes, if known) noted as the
** running one meanwhile: the allocator reads the running thread's stack.
*/
static int resume_noting (lua_State *L, lua_State *co) {
  sandbox *sb = sandbox_of(L);
  lua_State *caller = sb->running;
  charge_for(L, co != NULL ? co : L, RESUME_COST);  /* may raise: before running changes */
  if (co != NULL && caller != NULL) sb->running = co;
  int status = pcall_original(L);
  sb->running = caller;
  if (status == LUA_OK) return lua_gettop(L);
  locate_cap_error(L, -1, status);
  return raise_as_callers(L, status);
}

/* coroutine.resume(co, ...), noting CO as running; a failure for the cap is located. */
static int script_resume (lua_State *L) {
  int n = resume_noting(L, lua_tothread(L, 1));
  if (n >= 2 && !lua_toboolean(L, 1)) locate_cap_error(L, 2, LUA_ERRRUN);
  return n;
}

/* A function made by coroutine.wrap. Upvalues: the standard one, its thread. */
static int call_wrapped (lua_State *L) {
  return resume_noting(L, lua_tothread(L, lua_upvalueindex(2)));
}

/*
** coroutine.wrap: the standard one's function, with its thread's hook armed,
** behind call_wrapped.
*/
static int sandbox_cowrap (lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 1, 1);
  if (lua_getupvalue(L, -1, 1) == NULL) lua_pushnil(L);
  lua_State *co = lua_tothread(L, -1);
  if (co != NULL) arm_thread(co, sandbox_of(L));
  lua_pushcclosure(L, call_wrapped, 2);
  return 1;
}

/*
** The work of C functions that loop as many times as their arguments say,
** out of the hook's sight: string.rep("", 1e15) or table.move({}, 1, 1e15, 2)
** would otherwise spin in C for hours under a budget counted in Lua
** instructions. Each is an estimate in loop iterations, charged before the
** function runs; bad arguments are left to the function itself.
*/
static lua_Unsigned integer_arg (lua_State *L, int index, lua_Integer fallback) {
  lua_Integer n = fallback;
  if (lua_isinteger(L, index)) {
    n = lua_tointeger(L, index);
  } else if (lua_type(L, index) == LUA_TNUMBER) {
    lua_Number x = lua_tonumber(L, index);
    n = x >= 0x1p62 ? ((lua_Integer)1 << 62) : x > 0 ? (lua_Integer)x : 0;
  }
  return n > 0 ? (lua_Unsigned)n : 0;
}

static lua_Unsigned table_length (lua_State *L, int index) {
  return lua_type(L, index) == LUA_TTABLE ? (lua_Unsigned)lua_rawlen(L, index) : 0;
}

/*
** A position in a string (string.find's start, utf8.len's i and j) made
** 0-based and clipped (lstrlib's posrelat).
*/
static size_t start_index (lua_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos - 1;
  if (pos == 0 || pos < -(lua_Integer)len) return 0;
  return len + (size_t)pos;
}

static lua_Unsigned span (lua_Unsigned first, lua_Unsigned last) {
  return last >= first ? last - first + 1 : 1;
}

/*
** string.rep(s, n [, sep]): empty pieces loop N times for nothing; otherwise
** the result is allocated first, so a count beyond the memory cap costs no
** work at all, and a smaller one a copy per piece.
*/
static lua_Unsigned cost_rep (lua_State *L) {
  size_t len = 0, seplen = 0;
  if (lua_type(L, 1) == LUA_TSTRING) lua_tolstring(L, 1, &len);
  if (lua_type(L, 3) == LUA_TSTRING) lua_tolstring(L, 3, &seplen);
  lua_Unsigned n = integer_arg(L, 2, 0);
  if (len + seplen == 0) return n;
  return n <= sandbox_of(L)->limit ? n / 64 : 0;
}

static lua_Unsigned cost_concat (lua_State *L) {  /* table.concat(t [, sep [, i [, j]]]) */
  lua_Unsigned last = lua_isnoneornil(L, 4) ? table_length(L, 1) : integer_arg(L, 4, 0);
  return span(integer_arg(L, 3, 1), last);
}

static lua_Unsigned cost_unpack (lua_State *L) {  /* table.unpack(t [, i [, j]]) */
  lua_Unsigned last = lua_isnoneornil(L, 3) ? table_length(L, 1) : integer_arg(L, 3, 0);
  return span(integer_arg(L, 2, 1), last);
}

static lua_Unsigned cost_move (lua_State *L) {  /* table.move(a1, f, e, t [, a2]) */
  return span(integer_arg(L, 2, 0), integer_arg(L, 3, 0));
}

static lua_Unsigned cost_sort (lua_State *L) {  /* n log n comparisons */
  lua_Unsigned n = table_length(L, 1), cost = n;
  for (lua_Unsigned m = n; m > 1; m >>= 1) cost += n;
  return cost;
}

/*
** The functions that read a string byte by byte without making anything
** (utf8.len, utf8.codepoint, utf8.offset, tonumber): decoding a byte costs
** about an instruction. Without a charge, `utf8.len` of a
** long string in a loop ran for seconds between two budget checks.
*/
#define BYTES_READ_PER_INSTRUCTION 1

/*
** Argument INDEX as the function will take it (luaL_checkinteger: an
** integer, or a float or numeral with an integer value, such as -1e6), or
** FALLBACK when it is none of those.
*/
static lua_Integer whole_arg (lua_State *L, int index, lua_Integer fallback) {
  int exact = 0;
  lua_Integer n = lua_tointegerx(L, index, &exact);
  return exact ? n : fallback;
}

/* The bytes from argument I to argument J (their defaults when absent) of the string argument 1. */
static lua_Unsigned bytes_read (lua_State *L, int i, lua_Integer i_default, int j, lua_Integer j_default) {
  size_t len = 0;
  if (lua_type(L, 1) != LUA_TSTRING) return 1;
  lua_tolstring(L, 1, &len);
  lua_Integer first = whole_arg(L, i, i_default);
  lua_Integer last = whole_arg(L, j, j_default);
  lua_Unsigned from = start_index(first, len), to = start_index(last, len);
  if (len > 0 && to >= len) to = len - 1;
  return span(from, to) / BYTES_READ_PER_INSTRUCTION;
}

static lua_Unsigned cost_utf8_len (lua_State *L) {  /* utf8.len(s [, i [, j [, lax]]]) */
  return bytes_read(L, 2, 1, 3, -1);
}

static lua_Unsigned cost_codepoint (lua_State *L) {  /* utf8.codepoint(s [, i [, j [, lax]]]) */
  return bytes_read(L, 2, 1, 3, whole_arg(L, 2, 1));
}

static lua_Unsigned cost_offset (lua_State *L) {  /* utf8.offset(s, n [, i]): up to |n| characters */
  size_t len = 0;
  if (lua_type(L, 1) == LUA_TSTRING) lua_tolstring(L, 1, &len);
  lua_Integer whole = whole_arg(L, 2, 0);
  lua_Unsigned n = whole < 0 ? (lua_Unsigned)0 - (lua_Unsigned)whole : (lua_Unsigned)whole;
  return (n < len ? n : len) + 1;
}

static lua_Unsigned cost_tonumber (lua_State *L) {  /* tonumber(s [, base]) */
  size_t len = 0;
  if (lua_type(L, 1) == LUA_TSTRING) lua_tolstring(L, 1, &len);
  return len / BYTES_READ_PER_INSTRUCTION + 1;
}

/*
** string.format with %q escapes each control byte with a call to snprintf,
** some 16 instructions' worth: a 4 MB string of zero bytes took 0.35 s in
** one call. A format holding "%q" is charged for every string argument as
** if each were quoted.
*/
#define ESCAPE_COST 16

static lua_Unsigned cost_format (lua_State *L) {  /* string.format(fmt, ...) */
  const char *fmt = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : "";
  if (strstr(fmt, "%q") == NULL) return 1;
  lua_Unsigned cost = 1;
  for (int i = 2; i <= lua_gettop(L); i++) {
    size_t len = 0;
    if (lua_type(L, i) != LUA_TSTRING) continue;
    const unsigned char *s = (const unsigned char *)lua_tolstring(L, i, &len);
    for (size_t k = 0; k < len; k++) cost += iscntrl(s[k]) ? ESCAPE_COST : 1;
  }
  return cost;
}

typedef lua_Unsigned (*cost_function)(lua_State *L);

static const struct metered {
  const char *library, *name;
  cost_function cost;
} metered_functions[] = {
  {"string", "rep", cost_rep},       {"table", "concat", cost_concat},
  {"table", "unpack", cost_unpack},  {"table", "move", cost_move},
  {"table", "sort", cost_sort},
  {"utf8", "len", cost_utf8_len},    {"utf8", "codepoint", cost_codepoint},
  {"utf8", "offset", cost_offset},   {LUA_GNAME, "tonumber", cost_tonumber},
  {"string", "format", cost_format},
};

/*
** table.sort without a comparator compares with `<` inside C, where no hook
** sees it, and comparing two long strings reads both: a table of 2,000
** references to one 10 MB string sorted for 9 s. It is given this
** comparator instead, which does the same and charges each comparison.
*/
#define BYTES_COMPARED_PER_INSTRUCTION 64

static int charged_less (lua_State *L) {
  size_t la = 0, lb = 0;
  if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING) {
    lua_tolstring(L, 1, &la);
    lua_tolstring(L, 2, &lb);
  }
  charge(L, (la < lb ? la : lb) / BYTES_COMPARED_PER_INSTRUCTION + 1);
  lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
  return 1;
}

/* A metered C function. Upvalues: the standard function, its index in metered_functions. */
static int metered_call (lua_State *L) {
  const struct metered *m = &metered_functions[lua_tointeger(L, lua_upvalueindex(2))];
  charge(L, m->cost(L));
  if (m->cost == cost_sort && lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    lua_pushcfunction(L, charged_less);
  }
  return call_original(L);
}

/*
** table.insert and table.remove, as ltablib.c's but charged for the
** elements they shift. The length they shift by is the table's __len, which
** a script may make anything (a billion, with no element behind it): the
** standard ones read it inside C and shift that far out of the hook's sight,
** and charging before the call would have to ask __len a second time, when
** it may answer otherwise. So the length is asked once, here, and charged.
*/
static lua_Integer length_to_shift (lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  return luaL_len(L, 1);
}

/* Charges a shift of the elements between LOW and HIGH: HIGH - LOW of them, if HIGH is above. */
static void charge_shift (lua_State *L, lua_Integer low, lua_Integer high) {
  if (high > low) charge(L, (lua_Unsigned)high - (lua_Unsigned)low);
}

/* table.insert(t, [pos,] v) */
static int table_insert (lua_State *L) {
  lua_Integer end = luaL_intop(+, length_to_shift(L), 1);  /* the first empty element */
  lua_Integer pos = end;
  if (lua_gettop(L) == 3) {
    pos = luaL_checkinteger(L, 2);
    luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)end, 2, "position out of bounds");
    charge_shift(L, pos, end);
    for (lua_Integer i = end; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
  } else if (lua_gettop(L) != 2) {
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);
  return 0;
}

/* table.remove(t [, pos]) */
static int table_remove (lua_State *L) {
  lua_Integer size = length_to_shift(L);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size)
    luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
  charge_shift(L, pos, size);
  lua_geti(L, 1, pos);
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Pattern matching under the budget
** =======================================================
*/

/*
** Lua's pattern language, matched by backtracking as lstrlib.c does, but
** counting its steps and charging them to the instruction budget: the
** standard matcher runs in C where the hook never fires, and its
** backtracking is exponential in the quantifiers ('a*' ten times against
** 30 letters runs for minutes). Results and error messages are those of
** Lua 5.4's string library (test_sandbox.c compares them case by case).
*/

#define ESCAPE '%'
#define CAPTURE_UNFINISHED (-1)
#define CAPTURE_POSITION (-2)
#define MATCH_MAX_DEPTH 200  /* recursion of the matcher, as lstrlib's MAXCCALLS */
#define MAX_CAPTURES 32      /* as lstrlib.c's LUA_MAXCAPTURES */
#define STEPS_PER_CHARGE 256
#define STEP_COST 4          /* instructions a step is charged as: a step costs about that */

typedef struct match_state {
  const char *src_init, *src_end, *p_end;
  lua_State *L;
  int depth_left;
  int steps;                 /* steps since the last charge */
  int level;                 /* captures open or closed */
  struct {
    const char *init;
    ptrdiff_t len;
  } capture[MAX_CAPTURES];
} match_state;

static const char *match (match_state *ms, const char *s, const char *p);

static void prepare_state (match_state *ms, lua_State *L, const char *s, size_t ls,
                           const char *p, size_t lp) {
  ms->L = L;
  ms->src_init = s;
  ms->src_end = s + ls;
  ms->p_end = p + lp;
  ms->steps = 0;
}

static void restart_state (match_state *ms) {
  ms->level = 0;
  ms->depth_left = MATCH_MAX_DEPTH;
}

static void step (match_state *ms) {
  if (++ms->steps == STEPS_PER_CHARGE) {
    ms->steps = 0;
    charge(ms->L, STEPS_PER_CHARGE * STEP_COST);
  }
}

static int capture_to_close (match_state *ms) {
  for (int level = ms->level - 1; level >= 0; level--)
    if (ms->capture[level].len == CAPTURE_UNFINISHED) return level;
  return luaL_error(ms->L, "invalid pattern capture");
}

static int check_capture (match_state *ms, int digit) {
  int l = digit - '1';
  if (l < 0 || l >= ms->level || ms->capture[l].len == CAPTURE_UNFINISHED)
    return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
  return l;
}

/* The end of the single-character class starting at P. */
static const char *class_end (match_state *ms, const char *p) {
  switch (*p++) {
    case ESCAPE:
      if (p == ms->p_end) luaL_error(ms->L, "malformed pattern (ends with '%%')");
      return p + 1;
    case '[':
      if (*p == '^') p++;
      do {  /* the first character is a member even if it is ']' */
        if (p == ms->p_end) luaL_error(ms->L, "malformed pattern (missing ']')");
        if (*(p++) == ESCAPE && p < ms->p_end) p++;
      } while (*p != ']');
      return p + 1;
    default:
      return p;
  }
}

static int match_class (int c, int class) {
  int res;
  switch (tolower(class)) {
    case 'a': res = isalpha(c); break;
    case 'c': res = iscntrl(c); break;
    case 'd': res = isdigit(c); break;
    case 'g': res = isgraph(c); break;
    case 'l': res = islower(c); break;
    case 'p': res = ispunct(c); break;
    case 's': res = isspace(c); break;
    case 'u': res = isupper(c); break;
    case 'w': res = isalnum(c); break;
    case 'x': res = isxdigit(c); break;
    case 'z': res = (c == 0); break;  /* deprecated, still in 5.4 */
    default: return class == c;
  }
  return isupper(class) ? !res : res;
}

/* Whether C is in the set [P..END], P at '[' and END at ']'. */
static int match_set (int c, const char *p, const char *end) {
  int found = 1;
  if (*(p + 1) == '^') {
    found = 0;
    p++;
  }
  while (++p < end) {
    if (*p == ESCAPE) {
      p++;
      if (match_class(c, (unsigned char)*p)) return found;
    } else if (*(p + 1) == '-' && p + 2 < end) {
      p += 2;
      if ((unsigned char)*(p - 2) <= c && c <= (unsigned char)*p) return found;
    } else if ((unsigned char)*p == c) {
      return found;
    }
  }
  return !found;
}

static int single_match (match_state *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->src_end) return 0;
  int c = (unsigned char)*s;
  switch (*p) {
    case '.': return 1;
    case ESCAPE: return match_class(c, (unsigned char)*(p + 1));
    case '[': return match_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
  }
}

static const char *match_balance (match_state *ms, const char *s, const char *p) {
  if (p >= ms->p_end - 1) luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->src_end || *s != *p) return NULL;
  int open = *p, close = *(p + 1), depth = 1;
  while (++s < ms->src_end) {
    step(ms);
    if (*s == close) {
      if (--depth == 0) return s + 1;
    } else if (*s == open) {
      depth++;
    }
  }
  return NULL;
}

static const char *max_expand (match_state *ms, const char *s, const char *p, const char *ep) {
  ptrdiff_t i = 0;
  while (single_match(ms, s + i, p, ep)) {
    i++;
    step(ms);
  }
  for (; i >= 0; i--) {  /* the longest repetition first */
    const char *res = match(ms, s + i, ep + 1);
    if (res != NULL) return res;
  }
  return NULL;
}

static const char *min_expand (match_state *ms, const char *s, const char *p, const char *ep) {
  for (;;) {
    const char *res = match(ms, s, ep + 1);
    if (res != NULL) return res;
    if (!single_match(ms, s, p, ep)) return NULL;
    s++;
  }
}

static const char *start_capture (match_state *ms, const char *s, const char *p, ptrdiff_t what) {
  if (ms->level >= MAX_CAPTURES) luaL_error(ms->L, "too many captures");
  ms->capture[ms->level].init = s;
  ms->capture[ms->level].len = what;
  ms->level++;
  const char *res = match(ms, s, p);
  if (res == NULL) ms->level--;
  return res;
}

static const char *end_capture (match_state *ms, const char *s, const char *p) {
  int l = capture_to_close(ms);
  ms->capture[l].len = s - ms->capture[l].init;
  const char *res = match(ms, s, p);
  if (res == NULL) ms->capture[l].len = CAPTURE_UNFINISHED;
  return res;
}

static const char *match_capture (match_state *ms, const char *s, int digit) {
  int l = check_capture(ms, digit);
  size_t len = (size_t)ms->capture[l].len;
  if ((size_t)(ms->src_end - s) >= len && memcmp(ms->capture[l].init, s, len) == 0) return s + len;
  return NULL;
}

/* %f[set]: a frontier, where the previous character is not in SET and this one is. */
static const char *match_frontier (match_state *ms, const char *s, const char *p) {
  if (*p != '[') luaL_error(ms->L, "missing '[' after '%%f' in pattern");
  const char *ep = class_end(ms, p);
  int previous = (s == ms->src_init) ? '\0' : (unsigned char)*(s - 1);
  int current = (s < ms->src_end) ? (unsigned char)*s : '\0';
  if (!match_set(previous, p, ep - 1) && match_set(current, p, ep - 1)) return ep;
  return NULL;
}

/* Matches pattern P at S; returns the end of the match or NULL. */
static const char *match_here (match_state *ms, const char *s, const char *p) {
  for (;;) {
    step(ms);
    if (p == ms->p_end) return s;
    if (*p == '(')
      return p[1] == ')' ? start_capture(ms, s, p + 2, CAPTURE_POSITION)
                         : start_capture(ms, s, p + 1, CAPTURE_UNFINISHED);
    if (*p == ')') return end_capture(ms, s, p + 1);
    if (*p == '$' && p + 1 == ms->p_end) return s == ms->src_end ? s : NULL;
    if (*p == ESCAPE && p[1] == 'b') {
      if ((s = match_balance(ms, s, p + 2)) == NULL) return NULL;
      p += 4;
      continue;
    }
    if (*p == ESCAPE && p[1] == 'f') {
      if ((p = match_frontier(ms, s, p + 2)) == NULL) return NULL;
      continue;
    }
    if (*p == ESCAPE && p[1] >= '0' && p[1] <= '9') {
      if ((s = match_capture(ms, s, (unsigned char)p[1])) == NULL) return NULL;
      p += 2;
      continue;
    }
    const char *ep = class_end(ms, p);
    if (!single_match(ms, s, p, ep)) {
      if (*ep == '*' || *ep == '?' || *ep == '-') {  /* zero repetitions are fine */
        p = ep + 1;
        continue;
      }
      return NULL;
    }
    switch (*ep) {
      case '?': {
        const char *res = match(ms, s + 1, ep + 1);
        if (res != NULL) return res;
        p = ep + 1;
        continue;
      }
      case '+': return max_expand(ms, s + 1, p, ep);
      case '*': return max_expand(ms, s, p, ep);
      case '-': return min_expand(ms, s, p, ep);
      default:
        s++;
        p = ep;
        continue;
    }
  }
}

static const char *match (match_state *ms, const char *s, const char *p) {
  if (ms->depth_left-- == 0) luaL_error(ms->L, "pattern too complex");
  s = match_here(ms, s, p);
  ms->depth_left++;
  return s;
}

static void push_one_capture (match_state *ms, int i, const char *s, const char *e) {
  if (i >= ms->level) {
    if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(ms->L, s, (size_t)(e - s));  /* no captures: the whole match */
  } else if (ms->capture[i].len == CAPTURE_UNFINISHED) {
    luaL_error(ms->L, "unfinished capture");
  } else if (ms->capture[i].len == CAPTURE_POSITION) {
    lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
  } else {
    lua_pushlstring(ms->L, ms->capture[i].init, (size_t)ms->capture[i].len);
  }
}

/* Pushes the captures (or the whole match S..E if there are none and S is given). */
static int push_captures (match_state *ms, const char *s, const char *e) {
  int n = (ms->level == 0 && s != NULL) ? 1 : ms->level;
  luaL_checkstack(ms->L, n, "too many captures");
  for (int i = 0; i < n; i++) push_one_capture(ms, i, s, e);
  return n;
}

static int has_specials (const char *p, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (strchr("^$*+?.([%-", p[i]) != NULL && p[i] != '\0') return 1;
  return 0;
}

static const char *find_plain (const char *s, size_t ls, const char *p, size_t lp) {
  if (lp == 0) return s;
  if (lp > ls) return NULL;
  const char *last = s + (ls - lp);
  for (const char *q = s; q <= last; q++) {
    q = memchr(q, p[0], (size_t)(last - q) + 1);
    if (q == NULL) return NULL;
    if (memcmp(q + 1, p + 1, lp - 1) == 0) return q;
  }
  return NULL;
}

/*
** The checks every pattern function makes first: the bounds, and the
** subject's length charged to the budget (a scan may touch all of it).
*/
static void check_pattern_call (lua_State *L, size_t subject_len, const char *p, size_t lp) {
  if (subject_len > MAX_SUBJECT_BYTES)
    luaL_error(L, "%s", _("sandbox.pattern_subject"));
  if (lp > MAX_PATTERN_BYTES)
    luaL_error(L, _("sandbox.pattern_length"), MAX_PATTERN_BYTES);
  if (count_quantifiers(p, lp) > MAX_PATTERN_QUANTIFIERS)
    luaL_error(L, _("sandbox.pattern_quantifiers"),
               MAX_PATTERN_QUANTIFIERS);
  charge(L, subject_len);
}

static int find_or_match (lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  lua_Integer init_arg = luaL_optinteger(L, 3, 1);
  check_pattern_call(L, ls, p, lp);
  size_t init = start_index(init_arg, ls);
  if (init > ls) {
    luaL_pushfail(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
    const char *found = find_plain(s + init, ls - init, p, lp);
    if (found == NULL) {
      luaL_pushfail(L);
      return 1;
    }
    lua_pushinteger(L, (found - s) + 1);
    lua_pushinteger(L, (lua_Integer)((found - s) + lp));
    return 2;
  }
  match_state ms;
  int anchor = (*p == '^');
  if (anchor) {
    p++;
    lp--;
  }
  prepare_state(&ms, L, s, ls, p, lp);
  const char *start = s + init;
  do {
    restart_state(&ms);
    const char *e = match(&ms, start, p);
    if (e != NULL) {
      if (!find) return push_captures(&ms, start, e);
      lua_pushinteger(L, (start - s) + 1);
      lua_pushinteger(L, e - s);
      return push_captures(&ms, NULL, NULL) + 2;
    }
  } while (start++ < ms.src_end && !anchor);
  luaL_pushfail(L);
  return 1;
}

static int pattern_find (lua_State *L) {
  return find_or_match(L, 1);
}

static int pattern_match (lua_State *L) {
  return find_or_match(L, 0);
}

typedef struct gmatch_state {
  const char *src, *p, *lastmatch;
  match_state ms;
} gmatch_state;

/* The iterator of gmatch. Upvalues: the subject, the pattern, the state. */
static int gmatch_next (lua_State *L) {
  gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));
  gm->ms.L = L;  /* the iterator may run in another coroutine */
  for (const char *src = gm->src; src <= gm->ms.src_end; src++) {
    restart_state(&gm->ms);
    const char *e = match(&gm->ms, src, gm->p);
    if (e != NULL && e != gm->lastmatch) {
      gm->src = gm->lastmatch = e;
      return push_captures(&gm->ms, src, e);
    }
  }
  return 0;
}

static int pattern_gmatch (lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(luaL_optinteger(L, 3, 1), ls);
  check_pattern_call(L, ls, p, lp);
  lua_settop(L, 2);
  gmatch_state *gm = lua_newuserdatauv(L, sizeof *gm, 0);
  if (init > ls) init = ls + 1;  /* start after the end: no match */
  prepare_state(&gm->ms, L, s, ls, p, lp);
  gm->src = s + init;
  gm->p = p;
  gm->lastmatch = NULL;
  lua_pushcclosure(L, gmatch_next, 3);
  return 1;
}

/* Adds the replacement string (argument 3) for the match S..E, expanding %0-%9 and %%. */
static void add_replacement_string (match_state *ms, luaL_Buffer *b, const char *s, const char *e) {
  lua_State *L = ms->L;
  size_t l;
  const char *news = lua_tolstring(L, 3, &l);
  const char *p;
  while ((p = memchr(news, ESCAPE, l)) != NULL) {
    luaL_addlstring(b, news, (size_t)(p - news));
    p++;
    if (*p == ESCAPE) {
      luaL_addchar(b, *p);
    } else if (*p == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (*p >= '1' && *p <= '9') {
      push_one_capture(ms, *p - '1', s, e);
      luaL_tolstring(L, -1, NULL);
      lua_remove(L, -2);
      luaL_addvalue(b);
    } else {
      luaL_error(L, "invalid use of '%c' in replacement string", ESCAPE);
    }
    l -= (size_t)(p + 1 - news);
    news = p + 1;
  }
  luaL_addlstring(b, news, l);
}

/* Adds the replacement for the match S..E; returns whether it changed the text. */
static int add_replacement (match_state *ms, luaL_Buffer *b, const char *s, const char *e, int type) {
  lua_State *L = ms->L;
  if (type == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(ms, s, e);
    lua_call(L, n, 1);
  } else if (type == LUA_TTABLE) {
    push_one_capture(ms, 0, s, e);
    lua_gettable(L, 3);
  } else {
    add_replacement_string(ms, b, s, e);
    return 1;
  }
  if (!lua_toboolean(L, -1)) {  /* nil or false: keep the original text */
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return 0;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  luaL_addvalue(b);
  return 1;
}

static int pattern_gsub (lua_State *L) {
  size_t ls, lp;
  const char *src = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  int type = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
                   type == LUA_TTABLE, 3, "string/function/table");
  check_pattern_call(L, ls, p, lp);
  const char *lastmatch = NULL;
  lua_Integer n = 0;
  int changed = 0;
  int anchor = (*p == '^');
  if (anchor) {
    p++;
    lp--;
  }
  match_state ms;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  prepare_state(&ms, L, src, ls, p, lp);
  while (n < max_n) {
    restart_state(&ms);
    const char *e = match(&ms, src, p);
    if (e != NULL && e != lastmatch) {
      n++;
      changed = add_replacement(&ms, &b, src, e, type) | changed;
      src = lastmatch = e;
    } else if (src < ms.src_end) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchor) break;
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

/* }====================================================== */

/*
** {======================================================
** Loading text chunks
** =======================================================
*/

static void push_env (lua_State *L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
}

/*
** Loads CODE (MODE "t": text, "b": a chunk this process compiled and
** chunk_cache kept) as a chunk named CHUNKNAME, bound to the sandbox's
** environment, and pushes it. Returns 0, or -1 with the one-line error in ERR.
*/
static int load_chunk (sandbox *sb, const char *code, size_t len, const char *chunkname,
                       const char *mode, char *err, size_t errlen) {
  lua_State *L = sb->L;
  int saved = sb->strict;
  sb->strict = 1;
  load_slices ls = {code, len, 0, 0};
  int status = lua_load(L, next_slice, &ls, chunkname, mode);
  sb->strict = saved;
  if (status != LUA_OK) {
    if (status == LUA_ERRMEM) set_memory_error(sb, err, errlen);
    else copy_one_line(err, errlen, lua_tostring(L, -1));
    lua_pop(L, 1);
    return -1;
  }
  push_env(L);
  if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1);
  return 0;
}

/* Compiles CODE as a text chunk (see load_chunk); a binary chunk is refused, naming SHOWN. */
static int load_text (sandbox *sb, const char *code, size_t len, const char *chunkname,
                      const char *shown, char *err, size_t errlen) {
  if (len > 0 && code[0] == LUA_SIGNATURE[0]) {
    set_error(err, errlen, _("sandbox.binary_chunk"), shown);
    return -1;
  }
  return load_chunk(sb, code, len, chunkname, "t", err, errlen);
}

/* lua_dump's writer: appends to a growing buffer. */
typedef struct dump_buffer {
  char *data;
  size_t len, cap;
} dump_buffer;

static int dump_writer (lua_State *L, const void *p, size_t size, void *ud) {
  (void)L;
  dump_buffer *b = ud;
  if (b->len + size > b->cap) {
    size_t cap = b->cap != 0 ? b->cap : 16 * 1024;
    while (cap < b->len + size) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (grown == NULL) return 1;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, size);
  b->len += size;
  return 0;
}

/* Keeps the function on top of the stack, just compiled from SOURCE as NAME, in chunk_cache. */
static void keep_compiled (lua_State *L, const char *name, const char *source, size_t len) {
  dump_buffer b = {NULL, 0, 0};
  if (lua_dump(L, dump_writer, &b, 0) == 0 && b.len > 0) chunk_cache_add(name, source, len, b.data, b.len);
  free(b.data);
}

/*
** Reads the file PATH into a malloc'd buffer, at most MAX_SOURCE_BYTES.
** Returns it (*LEN bytes) or NULL with "PATH: cannot read (reason)" in ERR.
*/
static char *read_source (const char *path, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    set_error(err, errlen, _("sandbox.cannot_read"), path, strerror(errno));
    return NULL;
  }
  char *buf = NULL;
  size_t size = 0, capacity = 0;
  int out_of_memory = 0;
  for (;;) {
    if (size == capacity) {
      if (capacity > MAX_SOURCE_BYTES) break;
      size_t bigger = capacity != 0 ? capacity * 2 : 64 * 1024;
      char *p = realloc(buf, bigger);
      if (p == NULL) {
        out_of_memory = 1;
        break;
      }
      buf = p;
      capacity = bigger;
    }
    size_t n = fread(buf + size, 1, capacity - size, f);
    if (n == 0) break;  /* end of file or error */
    size += n;
  }
  const char *problem = out_of_memory ? _("host.out_of_memory")
                        : ferror(f) ? strerror(errno)
                        : size > MAX_SOURCE_BYTES ? _("sandbox.too_large") : NULL;
  fclose(f);
  if (problem != NULL) {
    set_error(err, errlen, _("sandbox.cannot_read"), path, problem);
    free(buf);
    return NULL;
  }
  *len = size;
  return buf;
}

/*
** Loads the file PATH as a text chunk "@PATH". A first line starting with
** '#' (a shebang) is skipped, keeping its newline so line numbers hold.
*/
static int load_file (sandbox *sb, const char *path, char *err, size_t errlen) {
  size_t len;
  char *code = read_source(path, &len, err, errlen);
  if (code == NULL) return -1;
  size_t start = 0;
  if (len >= 3 && memcmp(code, "\xEF\xBB\xBF", 3) == 0) start = 3;  /* UTF-8 byte order mark */
  if (start < len && code[start] == '#')
    while (start < len && code[start] != '\n') start++;
  size_t namelen = strlen(path) + 2;
  char *chunkname = malloc(namelen);
  int status = -1;
  if (chunkname == NULL) {
    set_error(err, errlen, _("sandbox.cannot_read_memory"), path);
  } else {
    snprintf(chunkname, namelen, "@%s", path);
    size_t compiled_len;
    const char *compiled = chunk_cache_find(chunkname, code + start, len - start, &compiled_len);
    if (compiled != NULL) {
      status = load_chunk(sb, compiled, compiled_len, chunkname, "b", err, errlen);
    } else {
      status = load_text(sb, code + start, len - start, chunkname, path, err, errlen);
      if (status == 0) keep_compiled(sb->L, chunkname, code + start, len - start);
    }
  }
  free(chunkname);
  free(code);
  return status;
}

/* }====================================================== */


/*
** {======================================================
** require
** =======================================================
*/

static int is_name_char (char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* NAME matches [A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*: no path can be smuggled in. */
static int valid_module_name (const char *name, size_t len) {
  const char *p = name;
  for (;;) {
    if (!is_name_char(*p)) return 0;
    while (is_name_char(*p)) p++;
    if (*p == '\0') return p == name + len;   /* not a zero byte within it */
    if (*p++ != '.') return 0;
  }
}

/* Finds NAME.lua (dots as /) in the search path into PATH. Returns 1 if found. */
static int find_module (const sandbox *sb, const char *name, char *path, size_t len) {
  for (char **dir = sb->search_path; *dir != NULL; dir++) {
    int n = snprintf(path, len, "%s/%s.lua", *dir, name);
    if (n < 0 || (size_t)n >= len) continue;
    char *file = path + strlen(*dir) + 1;
    for (char *p = file; *p != '\0'; p++)
      if (*p == '.' && strcmp(p, ".lua") != 0) *p = '/';
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
      fclose(f);
      return 1;
    }
  }
  return 0;
}

static int module_not_found (lua_State *L, const sandbox *sb, const char *name) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (char **dir = sb->search_path; *dir != NULL; dir++) {
    if (dir != sb->search_path) luaL_addstring(&b, ", ");
    luaL_addstring(&b, *dir);
  }
  if (sb->search_path[0] == NULL) luaL_addstring(&b, "(empty)");
  luaL_pushresult(&b);
  return luaL_error(L, _("sandbox.module_not_found"), name, lua_tostring(L, -1));
}

/*
** require NAME: the module's value, loaded once per sandbox from NAME.lua in
** the search path and cached in the registry (out of scripts' reach).
*/
static int sandbox_require (lua_State *L) {
  sandbox *sb = sandbox_of(L);
  size_t len;
  const char *name = luaL_checklstring(L, 1, &len);
  if (!valid_module_name(name, len)) {
    char shown[128];
    utf8_printable_copy(shown, sizeof shown, name, len, 1);
    return luaL_error(L, _("sandbox.module_name"), shown);
  }
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
  int cached = lua_getfield(L, 2, name);
  if (cached == LUA_TLIGHTUSERDATA)
    return luaL_error(L, _("sandbox.circular_require"), name);
  if (cached != LUA_TNIL) return 1;
  lua_pop(L, 1);
  char path[PATH_MAX], err[1024];
  if (!find_module(sb, name, path, sizeof path)) return module_not_found(L, sb, name);
  if (load_file(sb, path, err, sizeof err) != 0) {
    lua_pushstring(L, err);  /* already "PATH:LINE: message" */
    return lua_error(L);
  }
  lua_pushlightuserdata(L, sb);  /* marks NAME as loading */
  lua_setfield(L, 2, name);
  lua_pushvalue(L, 1);
  lua_pushstring(L, path);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    lua_pushnil(L);
    lua_setfield(L, 2, name);
    return lua_error(L);
  }
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, name);
  return 1;
}

/* }====================================================== */


/*
** {======================================================
** Building the environment
** =======================================================
*/

/* Copies the fields NAMES (NULL-terminated) of the table at FROM into the table at TO. */
static void copy_fields (lua_State *L, int from, int to, const char *const *names) {
  for (; *names != NULL; names++) {
    lua_getfield(L, from, *names);
    lua_setfield(L, to, *names);
  }
}

/* Pushes a shallow copy of the table at INDEX. */
static void push_copy (lua_State *L, int index) {
  index = lua_absindex(L, index);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -4);
  }
}

/* Replaces field NAME of the table at INDEX by F with the old value as upvalue 1. */
static void wrap_field (lua_State *L, int index, const char *name, lua_CFunction f) {
  index = lua_absindex(L, index);
  lua_getfield(L, index, name);
  lua_pushcclosure(L, f, 1);
  lua_setfield(L, index, name);
}

/* Opens the standard library OPEN and leaves its table on the stack. */
static int open_library (lua_State *L, const char *name, lua_CFunction open) {
  luaL_requiref(L, name, open, 0);
  return lua_gettop(L);
}

/*
** Makes the host's string library (the __index of every string) safe: no
** dump, patterns matched under the budget; and hides the string metatable.
*/
static void harden_strings (lua_State *L, int string) {
  static const luaL_Reg patterns[] = {
    {"find", pattern_find}, {"match", pattern_match}, {"gmatch", pattern_gmatch},
    {"gsub", pattern_gsub}, {NULL, NULL},
  };
  lua_pushnil(L);
  lua_setfield(L, string, "dump");
  lua_pushvalue(L, string);
  luaL_setfuncs(L, patterns, 0);
  lua_pop(L, 1);
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
}

/* Meters the functions of metered_functions in the libraries at the stack indices given. */
static void meter_functions (lua_State *L, int base, int string, int table, int utf8) {
  lua_pushcfunction(L, table_insert);
  lua_setfield(L, table, "insert");
  lua_pushcfunction(L, table_remove);
  lua_setfield(L, table, "remove");
  for (size_t i = 0; i < sizeof metered_functions / sizeof metered_functions[0]; i++) {
    const char *name = metered_functions[i].library;
    int lib = strcmp(name, "string") == 0 ? string : strcmp(name, "table") == 0 ? table
            : strcmp(name, "utf8") == 0 ? utf8 : base;
    lua_getfield(L, lib, metered_functions[i].name);
    lua_pushinteger(L, (lua_Integer)i);
    lua_pushcclosure(L, metered_call, 2);
    lua_setfield(L, lib, metered_functions[i].name);
  }
}

/*
** Builds the environment and makes it the state's globals table, so that
** even a chunk loaded without our loaders is bound to it. Runs protected.
*/
static int open_sandbox (lua_State *L) {
  static const char *const base_names[] = {
    "assert", "error", "ipairs", "next", "pairs", "select", "tonumber",
    "tostring", "type", "print", "rawequal", "rawget", "rawlen", "getmetatable", "_VERSION", NULL,
  };
  static const char *const os_names[] = {"time", "date", "clock", NULL};
  int base = open_library(L, LUA_GNAME, luaopen_base);
  int string = open_library(L, LUA_STRLIBNAME, luaopen_string);
  int table = open_library(L, LUA_TABLIBNAME, luaopen_table);
  int math = open_library(L, LUA_MATHLIBNAME, luaopen_math);
  int utf8 = open_library(L, LUA_UTF8LIBNAME, luaopen_utf8);
  int coroutine = open_library(L, LUA_COLIBNAME, luaopen_coroutine);
  int os = open_library(L, LUA_OSLIBNAME, luaopen_os);
  harden_strings(L, string);
  meter_functions(L, base, string, table, utf8);
  lua_newtable(L);
  int env = lua_gettop(L);

  copy_fields(L, base, env, base_names);
  lua_pushcfunction(L, sandbox_setmetatable);
  lua_setfield(L, env, "setmetatable");
  lua_pushcfunction(L, sandbox_xpcall);
  lua_setfield(L, env, "xpcall");
  lua_pushcfunction(L, script_pcall);
  lua_setfield(L, env, "pcall");
  lua_pushvalue(L, env);
  lua_pushcclosure(L, sandbox_load, 1);
  lua_setfield(L, env, "load");
  lua_pushcfunction(L, sandbox_require);
  lua_setfield(L, env, "require");
  lua_pushcfunction(L, sandbox_collectgarbage);
  lua_setfield(L, env, "collectgarbage");

  push_copy(L, string);
  lua_setfield(L, env, "string");
  push_copy(L, table);
  lua_setfield(L, env, "table");
  push_copy(L, math);
  lua_setfield(L, env, "math");
  push_copy(L, utf8);
  lua_setfield(L, env, "utf8");
  push_copy(L, coroutine);
  lua_pushcfunction(L, sandbox_cocreate);
  lua_setfield(L, -2, "create");
  wrap_field(L, -1, "wrap", sandbox_cowrap);
  wrap_field(L, -1, "resume", script_resume);
  lua_setfield(L, env, "coroutine");
  lua_newtable(L);
  copy_fields(L, os, lua_gettop(L), os_names);
  lua_setfield(L, env, "os");

  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, MODULES_KEY);
  lua_pushvalue(L, env);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  return 0;
}

/* }====================================================== */


/*
** {======================================================
** The public interface
** =======================================================
*/

static void free_search_path (char **path) {
  if (path == NULL) return;
  for (char **p = path; *p != NULL; p++) free(*p);
  free(path);
}

static char **copy_search_path (const char *const *search_path) {
  size_t n = 0;
  while (search_path != NULL && search_path[n] != NULL) n++;
  char **copy = calloc(n + 1, sizeof *copy);
  if (copy == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    copy[i] = strdup(search_path[i]);
    if (copy[i] == NULL) {
      free_search_path(copy);
      return NULL;
    }
  }
  return copy;
}

/*
** How many times as long as on a chair's machine this run takes for the
** sandbox's work, for the bound on processor time: the same limit must end
** the same runaway (a memory bomb at the cap, not the clock), and let the
** same heavy but honest call finish. AddressSanitizer makes allocation
** about three times as slow; valgrind's tools make everything twenty to a
** hundred times as slow, and a bound of 3 s there lets the heaviest honest
** calls (a record rendered, about 10 ms natively) finish under them.
*/
static double run_slowdown (void) {
#if defined(__SANITIZE_ADDRESS__)
  return 3;
#elif defined(HAVE_VALGRIND_H)
  return RUNNING_ON_VALGRIND ? 4 : 1;
#else
  return 1;
#endif
}

sandbox *sandbox_new (const sandbox_limits *limits, const char *const *search_path,
                      char *err, size_t errlen) {
  sandbox *sb = calloc(1, sizeof *sb);
  if (sb == NULL || (sb->search_path = copy_search_path(search_path)) == NULL) {
    set_error(err, errlen, "%s", _("sandbox.cannot_create"));
    free(sb);
    return NULL;
  }
  sb->limit = limits != NULL && limits->memory_bytes != 0 ? limits->memory_bytes : DEFAULT_MEMORY;
  sb->budget = limits != NULL && limits->instructions != 0 ? limits->instructions
                                                            : DEFAULT_INSTRUCTIONS;
  sb->seconds = limits != NULL && limits->seconds > 0
                    ? limits->seconds
                    : (double)sb->budget * DEFAULT_SECONDS / DEFAULT_INSTRUCTIONS * run_slowdown();
  sb->L = lua_newstate(capped_alloc, sb);
  if (sb->L == NULL) {
    set_memory_error(sb, err, errlen);
    sandbox_free(sb);
    return NULL;
  }
  lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, HOOK_PERIOD);  /* before any script runs */
  lua_pushcfunction(sb->L, open_sandbox);
  sb->strict = 1;
  int status = lua_pcall(sb->L, 0, 0, 0);
  sb->strict = 0;
  if (status != LUA_OK) {
    if (status == LUA_ERRMEM) set_memory_error(sb, err, errlen);
    else copy_one_line(err, errlen, lua_tostring(sb->L, -1));
    sandbox_free(sb);
    return NULL;
  }
  return sb;
}

void sandbox_free (sandbox *sb) {
  if (sb == NULL) return;
  if (sb->L != NULL) lua_close(sb->L);
  block_cache_clear(&sb->blocks);
  free_search_path(sb->search_path);
  free(sb);
}

lua_State *sandbox_state (sandbox *sb) {
  return sb->L;
}

void sandbox_push_env (sandbox *sb) {
  push_env(sb->L);
}

int sandbox_loadfile (sandbox *sb, const char *path, char *err, size_t errlen) {
  return load_file(sb, path, err, errlen);
}

int sandbox_loadstring (sandbox *sb, const char *code, size_t len, const char *name,
                        char *err, size_t errlen) {
  const char *shown = (name[0] == '=' || name[0] == '@') ? name + 1 : name;
  size_t namelen = strlen(shown) + 2;
  char *chunkname = malloc(namelen);
  if (chunkname == NULL) {
    set_error(err, errlen, _("sandbox.cannot_load_memory"), shown);
    return -1;
  }
  if (name[0] == '=' || name[0] == '@') snprintf(chunkname, namelen, "%s", name);
  else snprintf(chunkname, namelen, "=%s", name);
  int status = load_text(sb, code, len, chunkname, shown, err, errlen);
  free(chunkname);
  return status;
}

/*
** Makes the error object at index 1 a string "FILE:LINE: message" located
** in the script (never in a C function), never calling an untrusted
** __tostring.
*/
static void locate_error_object (lua_State *L) {
  int type = lua_type(L, 1);
  int is_text = type == LUA_TSTRING || type == LUA_TNUMBER;
  if (is_text) {
    const char *msg = lua_tostring(L, 1), *p = msg;
    while (*p != '\0' && *p != ':' && *p != '\n') p++;
    if (p != msg && *p == ':' && p[1] >= '0' && p[1] <= '9') {
      p++;
      while (*p >= '0' && *p <= '9') p++;
      if (p[0] == ':' && p[1] == ' ') return;  /* already "FILE:LINE: " */
    }
  }
  sandbox_push_location(L, 1);
  if (is_text) lua_pushvalue(L, 1);
  else lua_pushfstring(L, _("sandbox.error_object"), luaL_typename(L, 1));
  lua_concat(L, 2);
}

/*
** The message handler of sandbox_pcall (locate_error_object), with the
** host's headroom so that reporting does not fail for lack of memory. The
** cap is back when it returns: the scripts' __close handlers run after it.
*/
static int message_handler (lua_State *L) {
  sandbox *sb = sandbox_of(L);
  int saved = sb->strict;
  sb->strict = 0;
  locate_error_object(L);
  sb->strict = saved;
  return 1;
}

static void start_budget (sandbox *sb) {
  sb->remaining = sb->budget;
  sb->deadline = -1;
  sb->started = monotonic_seconds();
  sb->since_walk = 0;
  sb->expired = 0;
  sb->refused = 0;
  sb->refused_at[0] = '\0';
  sb->busy_at[0] = '\0';
  lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, HOOK_PERIOD);
}

static int ends_with (const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Writes the error of a failed call (its object at the top of the stack) into ERR. */
static void report_failure (sandbox *sb, int status, char *err, size_t errlen) {
  const char *msg = lua_tostring(sb->L, -1);
  if (sb->expired)
    copy_one_line(err, errlen, sb->budget_error);
  else if (status == LUA_ERRMEM || (sb->refused && msg != NULL && ends_with(msg, "not enough memory")))
    set_memory_error(sb, err, errlen);
  else if (msg != NULL)
    copy_one_line(err, errlen, msg);
  else
    set_error(err, errlen, _("sandbox.error_object"), luaL_typename(sb->L, -1));
}

int sandbox_pcall (sandbox *sb, int nargs, int nresults, char *err, size_t errlen) {
  lua_State *L = sb->L;
  int handler = lua_gettop(L) - nargs;
  lua_pushcfunction(L, message_handler);
  lua_insert(L, handler);
  int outermost = sb->depth == 0;
  if (outermost) start_budget(sb);
  sb->depth++;
  int saved_strict = sb->strict;
  lua_State *saved_running = sb->running;
  sb->strict = 1;
  sb->running = L;
  int status = lua_pcall(L, nargs, nresults, handler);
  sb->strict = saved_strict;
  sb->running = saved_running;
  sb->depth--;
  if (status == LUA_OK && !(outermost && sb->expired)) {
    lua_remove(L, handler);
    return 0;
  }
  if (status == LUA_OK) lua_pushnil(L);  /* the budget error was swallowed: report it anyway */
  report_failure(sb, status, err, errlen);
  lua_settop(L, handler - 1);
  if (outermost && sb->refused) lua_gc(L, LUA_GCCOLLECT);  /* the bomb's debris, now */
  return -1;
}

size_t sandbox_memory_used (const sandbox *sb) {
  return sb->used;
}

/* }====================================================== */
