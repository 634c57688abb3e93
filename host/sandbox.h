/*
** sandbox.h — a limited lua_State for untrusted plugins and scripts.
**
** Contract. A sandbox is one lua_State with: a capped allocator; a count hook
** installed before any script runs that stops a call when its instruction
** budget (or its processor time) is spent (re-armed so pcall cannot
** swallow it); an environment table
** holding only base functions that cannot reach the host (no io, os beyond
** time/date/clock, debug, package, dofile, loadfile, string.dump, rawset,
** collectgarbage beyond "count"); `load` forced to text chunks bound to the
** sandbox environment; setmetatable refusing __gc; pattern functions bounded;
** `require` resolving NAME only to NAME.lua (dots as /) in the search path,
** text only, never C modules. Each sandbox gets its own copies of the library
** tables, so a script cannot change them for the host or another script.
** Every call into Lua goes through sandbox_pcall and every error comes back as
** one line "FILE:LINE: message" (or the budget/memory message).
*/
#ifndef CONFER_SANDBOX_H
#define CONFER_SANDBOX_H

#include <stddef.h>
#include <lua.h>

typedef struct sandbox sandbox;

typedef struct sandbox_limits {
  size_t memory_bytes;         /* allocator cap for the whole state; 0 = default 32 MiB */
  unsigned long instructions;  /* budget per sandbox_pcall; 0 = default 50 million */
  double seconds;              /* processor time per sandbox_pcall, a backstop for work that
                                  costs more than its instructions; 0 = in proportion to
                                  the instructions (0.75 s for the default budget; 3 times
                                  as long under AddressSanitizer, 4 under valgrind) */
} sandbox_limits;

/*
** Creates a sandbox. SEARCH_PATH is a NULL-terminated list of directories
** for require (copied). Returns NULL on failure with the reason in ERR.
*/
sandbox *sandbox_new(const sandbox_limits *limits, const char *const *search_path,
                     char *err, size_t errlen);

/* Closes the state and frees the sandbox; NULL is a no-op. */
void sandbox_free(sandbox *sb);

/* The state, for the host's own bindings (api.c). */
lua_State *sandbox_state(sandbox *sb);

/* Pushes the sandbox's environment table (where the host adds its API). */
void sandbox_push_env(sandbox *sb);

/*
** Loads the text file PATH (chunk name "@PATH", environment = the sandbox's)
** and pushes the function. Returns 0, or -1 with "PATH:LINE: message" in ERR
** (or "PATH: cannot read (reason)").
*/
int sandbox_loadfile(sandbox *sb, const char *path, char *err, size_t errlen);

/* As sandbox_loadfile, for text in memory; NAME is the chunk name shown in errors. */
int sandbox_loadstring(sandbox *sb, const char *code, size_t len, const char *name,
                       char *err, size_t errlen);

/*
** Calls the function below NARGS arguments on the stack, protected and under
** the instruction budget and memory cap. Returns 0 with NRESULTS results
** pushed, or -1 with nothing pushed and the one-line error in ERR:
** "FILE:LINE: message", "FILE:LINE: instruction budget exhausted (runaway
** loop?)", or "not enough memory (plugin memory cap of N MiB reached)".
*/
int sandbox_pcall(sandbox *sb, int nargs, int nresults, char *err, size_t errlen);

/*
** Pushes "FILE:LINE: " for the innermost Lua function of L at LEVEL or
** above (C functions have no line), or "" if there is none: what a message
** handler of the host's own puts before an error that does not say where.
*/
void sandbox_push_location(lua_State *L, int level);

/* Bytes the state holds now (for tests and benchmarks). */
size_t sandbox_memory_used(const sandbox *sb);

#endif
