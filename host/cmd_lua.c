/*
** cmd_lua.c — `confer lua FILE [ARGS]`: runs a script in the sandbox with the
** host API, for authorities' own tooling and for the Lua tests.
**
** The script sees its arguments in the global `arg` (arg[0] = FILE) and may
** require plugins and shipped scripts by name. A failure is reported as the
** sandbox's one-line "FILE:LINE: message" and exit status 1.
*/
#include <limits.h>
#include <stdio.h>

#include "agenda.h"
#include "api.h"
#include "cli.h"
#include "paths.h"
#include "sandbox.h"

#define MAX_SEARCH_DIRS 64

/* The plugin search path followed by the shipped scripts/ directory, NULL-terminated in DIRS. */
static void script_search_path(char *scripts, size_t len, const char **dirs) {
  const char *const *plugins = agenda_search_path();
  size_t n = 0;
  while (plugins[n] != NULL && n + 2 < MAX_SEARCH_DIRS) {
    dirs[n] = plugins[n];
    n++;
  }
  if (paths_join(scripts, len, paths_data_dir(), "scripts") != NULL) dirs[n++] = scripts;
  dirs[n] = NULL;
}

/* Sets the global `arg` as lua.c does: arg[0] is the script, arg[1..] its arguments. */
static void set_arguments(sandbox *sb, int argc, char **argv) {
  lua_State *L = sandbox_state(sb);
  sandbox_push_env(sb);
  lua_createtable(L, argc - 2, 1);
  for (int i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setfield(L, -2, "arg");
  lua_pop(L, 1);
}

int cmd_lua(int argc, char **argv) {
  if (argc < 2) return cli_usage_error("lua", "a script FILE is needed");
  char err[1024], scripts[PATH_MAX];
  const char *dirs[MAX_SEARCH_DIRS];
  script_search_path(scripts, sizeof scripts, dirs);
  sandbox *sb = sandbox_new(NULL, dirs, err, sizeof err);
  if (sb == NULL) return cli_fail("%s", err);
  api_open(sb);
  set_arguments(sb, argc, argv);
  int status = 0;
  if (sandbox_loadfile(sb, argv[1], err, sizeof err) != 0 ||
      sandbox_pcall(sb, 0, 0, err, sizeof err) != 0)
    status = cli_fail("%s", err);
  sandbox_free(sb);
  return status;
}
