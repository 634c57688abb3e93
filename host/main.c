/*
** main.c — the confer command line: global options and dispatch.
**
** Every command lives in its own cmd_*.c (or repl.c) behind the signature in
** cli.h; this file only picks the language, finds the command and reports
** unknown ones. Exit status: 0 success, 1 failure, 2 usage error.
*/
#include <errno.h>
#include <locale.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "agenda.h"
#include "chunk_cache.h"
#include "cli.h"
#include "i18n.h"
#include "native.h"
#include "paths.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
  {"help", cmd_help},       {"plugins", cmd_plugins}, {"lua", cmd_lua},
  {"new", cmd_new},         {"list", cmd_list},       {"history", cmd_history},
  {"verify", cmd_verify},   {"run", cmd_run},         {"demo", cmd_demo},
  {"locales", cmd_locales}, {"native", cmd_native},
  {"simulate", cmd_simulate}, {"train", cmd_train},  {"debrief", cmd_debrief},
  {"check", cmd_check},
  {"board", cmd_board},
  {"record", cmd_record},   {"chart", cmd_chart},
  {"report", cmd_report},
  {"push", cmd_push},       {"pull", cmd_pull},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name) {
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

/*
** A global option `--NAME V` (or --NAME=V) may stand anywhere on the line: it
** is taken out here so every command sees only its own options. Returns the
** new argc, or -1 if the option has no value.
*/
static int take_global_option(int argc, char **argv, const char *name, const char **value) {
  size_t len = strlen(name);
  int out = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], name) == 0) {
      if (i + 1 >= argc) return -1;
      *value = argv[++i];
    } else if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') {
      *value = argv[i] + len + 1;
    } else {
      argv[out++] = argv[i];
    }
  }
  argv[out] = NULL;
  return out;
}

int cmd_help(int argc, char **argv) {
  if (argc > 2) return cli_usage_error("help", "%s", _("cli.too_many_arguments"));
  if (argc == 2) {
    if (find_command(argv[1]) == NULL)
      return cli_usage_error("help", _("cli.unknown_command"), argv[1]);
    char key[96];
    snprintf(key, sizeof key, "summary.%s", argv[1]);
    printf("%s\n%s\n", cli_usage(argv[1]), _(key));
    return 0;
  }
  printf("%s\n\n", _("cli.usage"));
  for (size_t i = 0; i < N_COMMANDS; i++) {
    char key[96];
    snprintf(key, sizeof key, "summary.%s", commands[i].name);
    printf("  %-9s %s\n", commands[i].name, _(key));
  }
  return 0;
}

static int run(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "%s\n", _("cli.usage"));
    return 2;
  }
  const char *name = argv[1];
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf(_("cli.version"), CONFER_VERSION);
    putchar('\n');
    return 0;
  }
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) return cmd_help(1, argv + 1);
  const command *cmd = find_command(name);
  if (cmd == NULL) {
    cli_fail(name[0] == '-' ? _("cli.unknown_option") : _("cli.unknown_command"), name);
    fprintf(stderr, "%s\n", _("cli.usage"));
    return 2;
  }
  return cmd->run(argc - 1, argv + 1);
}

/*
** The words plugin directories bring: the PO files in DIR/locales/LANG beside
** their plugins. The search path is built here, first, so that a
** CONFER_PLUGIN_PATH the host cannot use fails every command in one line.
*/
static int add_plugin_catalogues(char *err, size_t errlen) {
  if (agenda_search_path_init(err, errlen) != 0) return -1;
  for (const char *const *dir = agenda_search_path(); *dir != NULL; dir++) {
    char path[PATH_MAX];
    if (paths_join(path, sizeof path, *dir, "locales") != NULL && i18n_add_dir(path, err, errlen) != 0)
      return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  /* UTF-8 names (Siân, Zoë, Łukasz) need the character type of the user's locale in libedit. */
  setlocale(LC_CTYPE, "");
  const char *lang = NULL, *native_conf = NULL;
  argc = take_global_option(argc, argv, "--lang", &lang);
  int native_argc = argc < 0 ? argc : take_global_option(argc, argv, "--native-conf", &native_conf);
  native_set_config(native_conf);
  char locales[PATH_MAX], err[512] = "the data directory's path is too long";
  /* Before the catalogues are read, so in the system's words. */
  const char *data_dir = paths_data_dir();
  if (data_dir == NULL) snprintf(err, sizeof err, "CONFER_DATA_DIR: %s", strerror(ENAMETOOLONG));
  if (paths_join(locales, sizeof locales, data_dir, "locales") == NULL ||
      i18n_init(locales, lang, err, sizeof err) != 0 || add_plugin_catalogues(err, sizeof err) != 0) {
    cli_fail("%s", err);
    i18n_free();
    return 1;
  }
  int status = argc < 0 ? (fprintf(stderr, "confer: %s\n", _("cli.lang_needs_code")), 2)
               : native_argc < 0 ? (fprintf(stderr, "confer: %s\n", _("native.conf_needs_file")), 2)
                                 : run(native_argc, argv);
  /* `confer history 1 > history.txt` on a full disk must not pass for a whole history. */
  status = cli_close_stdout(status);
  chunk_cache_clear();
  i18n_free();
  return status;
}
