/*
** cmd_locales.c — `confer locales check [--dir DIR]`: are the catalogues whole?
**
** The work is i18n_check_plugins's, given the catalogue keys the plugins on
** the search path use (agenda_catalogue_keys); this file parses the command
** line and turns the number of problems into the exit status (0 none, 1 some,
** 2 usage error).
*/
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "agenda.h"
#include "cli.h"
#include "i18n.h"
#include "paths.h"

int cmd_locales(int argc, char **argv) {
  if (argc < 2) return cli_usage_error("locales", "%s", _("locales.which_action"));
  if (strcmp(argv[1], "check") != 0)
    return cli_usage_error("locales", _("locales.unknown_action"), argv[1]);
  static const struct option options[] = {
    {"dir", required_argument, NULL, 'd'},
    {NULL, 0, NULL, 0},
  };
  const char *dir = NULL;
  int opt;
  optind = 1;
  opterr = 0;   /* our own one-line errors instead of getopt's */
  while ((opt = getopt_long(argc - 1, argv + 1, ":d:", options, NULL)) != -1) {
    if (opt == 'd') dir = optarg;
    else if (opt == ':') return cli_usage_error("locales", _("cli.needs_value"), argv[optind]);
    /* getopt ran on argv + 1 and has stepped past the bad word: argv[optind] is it. */
    else return cli_usage_error("locales", _("cli.unknown_option"), argv[optind]);
  }
  if (optind < argc - 1)
    return cli_usage_error("locales", _("cli.unexpected_argument"), argv[optind + 1]);
  char locales[PATH_MAX];
  if (dir == NULL) {
    if (paths_join(locales, sizeof locales, paths_data_dir(), "locales") == NULL)
      return cli_fail("%s", _("cli.data_dir_too_long"));
    dir = locales;
  }
  agenda_keys keys = {NULL, 0, 0};
  int problems = agenda_catalogue_keys(&keys, stdout);
  if (problems >= 0) problems = i18n_check_plugins(dir, keys.uses, keys.n, "plugins.po", problems, stdout);
  agenda_keys_free(&keys);
  if (cli_flush_stdout() != 0) return 1;
  return problems == 0 ? 0 : 1;
}
