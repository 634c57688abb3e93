/*
** cmd_lua.c — `confer lua FILE [ARGS]`: runs a script in the sandbox with the
** host API, for authorities' own tooling and for the Lua tests.
**
** The script sees its arguments in the global `arg` (arg[0] = FILE) and may
** require plugins and shipped scripts by name. A failure is reported as the
** sandbox's one-line "FILE:LINE: message" and exit status 1.
*/
#include <stdio.h>

#include "agenda.h"
#include "cli.h"
#include "i18n.h"
#include "sandbox.h"

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
  if (argc < 2) return cli_usage_error("lua", "%s", _("cli.lua_needs_file"));
  char err[1024];
  sandbox *sb = agenda_script_sandbox(err, sizeof err);
  if (sb == NULL) return cli_fail("%s", err);
  set_arguments(sb, argc, argv);
  int status = 0;
  if (sandbox_loadfile(sb, argv[1], err, sizeof err) != 0 ||
      sandbox_pcall(sb, 0, 0, err, sizeof err) != 0)
    status = cli_fail("%s", err);
  sandbox_free(sb);
  return status;
}
