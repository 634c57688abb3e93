/*
** cmd_plugins.c — `confer plugins list` and `confer plugins check [ID|FILE ...]`.
**
** list prints "ID  NAME  FILE" for the plugin in use for each id (a user's
** copy wins over the shipped one). check prints one "FILE:LINE: problem" line
** per problem and nothing when every plugin is sound; with no argument it
** checks every plugin on the search path. Exit status: 0 sound, 1 problems,
** 2 usage error.
*/
#include <stdio.h>
#include <string.h>

#include "agenda.h"
#include "cli.h"

static int plugins_list(int argc, char **argv) {
  if (argc > 2) return cli_usage_error("plugins", _("plugins.list_no_arguments"), argv[2]);
  int broken = agenda_list(stdout);
  return broken == 0 ? 0 : 1;
}

static int plugins_check(int argc, char **argv) {
  for (int i = 2; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1] != '\0')
      return cli_usage_error("plugins", _("cli.unknown_option"), argv[i]);
  int problems = 0;
  if (argc == 2) {
    problems = agenda_check_all(stdout);
  } else {
    for (int i = 2; i < argc; i++) problems += agenda_check(argv[i], stdout);
  }
  cli_flush_stdout();   /* tells a lost report now, with its reason */
  return problems == 0 ? 0 : 1;
}

int cmd_plugins(int argc, char **argv) {
  if (argc < 2) return cli_usage_error("plugins", "%s", _("plugins.what_to_do"));
  if (strcmp(argv[1], "list") == 0) return plugins_list(argc, argv);
  if (strcmp(argv[1], "check") == 0) return plugins_check(argc, argv);
  return cli_usage_error("plugins", _("plugins.unknown_subcommand"), argv[1]);
}
