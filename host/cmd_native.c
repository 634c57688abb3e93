/*
** cmd_native.c — `confer native check [--native-conf F]`.
**
** Reads the allow-list (refusing one others can write), then for each entry
** loads the library, resolves the symbol and prepares the call, printing
** "ok  LIBRARY | SIGNATURE" or "FILE:LINE: LIBRARY: reason". Without an
** allow-list it says that nothing is allowed. Exit status: 0 every entry
** sound, 1 a failure (each one named), 2 usage error.
*/
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "native.h"

/* Checks every entry of LIST; returns how many failed. */
static int check_entries(const native_allowlist *list) {
  int failed = 0;
  for (size_t i = 0; i < list->n; i++) {
    const native_entry *e = &list->entries[i];
    char err[1024];
    if (native_check_entry(e, err, sizeof err) == 0) {
      printf("ok  %s | %s\n", e->library, e->sig.text);
    } else {
      printf("%s:%d: %s\n", list->path, e->line, err);
      failed++;
    }
  }
  cli_flush_stdout();   /* tells a lost report now, with its reason */
  return failed;
}

static int native_check(void) {
  char path[PATH_MAX], err[1024];
  native_allowlist list;
  if (native_config_path(path, sizeof path) == NULL)
    return cli_fail("%s", errno == ENAMETOOLONG ? _("native.path_too_long") : _("native.no_home"));
  if (native_allowlist_load(path, &list, err, sizeof err) != 0) return cli_fail("%s", err);
  if (!list.present) {
    printf(_("native.no_allowlist"), path);
    putchar('\n');
    return 0;
  }
  int failed = check_entries(&list);
  size_t total = list.n;
  native_allowlist_free(&list);
  if (failed > 0) return cli_fail(i18n_plural("native.entries_failed", total), failed, total);
  return 0;
}

int cmd_native(int argc, char **argv) {
  static const struct option options[] = {
    {"native-conf", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0},
  };
  int opt;
  opterr = 0;
  optind = 1;
  while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    if (opt == 'c') native_set_config(optarg);
    else if (opt == ':') return cli_usage_error("native", "%s", _("native.conf_needs_file"));
    else return cli_usage_error("native", _("cli.unknown_option"), cli_refused_word(argc, argv));
  }
  if (optind >= argc) return cli_usage_error("native", "%s", _("native.what_to_do"));
  if (strcmp(argv[optind], "check") != 0)
    return cli_usage_error("native", _("native.unknown_subcommand"), argv[optind]);
  if (optind + 1 < argc) return cli_usage_error("native", _("native.check_no_arguments"), argv[optind + 1]);
  return native_check();
}
