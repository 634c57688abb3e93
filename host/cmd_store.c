/*
** cmd_store.c — the commands that read and open the record without a
** session: `confer new`, `confer list`, `confer history`, `confer verify`.
**
** Each parses its options with getopt_long, checks its arguments before the
** database is opened (a usage error changes nothing and exits 2), then hands
** the work to host/store. The words around the store's lines come from
** locales/en_GB/store.po.
*/
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "agenda.h"
#include "calendar.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"

/* The options any of these commands may take; each command says which it accepts. */
typedef struct store_options {
  const char *db, *authority, *type, *date, *chair, *child;
} store_options;

enum { OPT_DB = 1, OPT_AUTHORITY, OPT_TYPE, OPT_DATE, OPT_CHAIR, OPT_CHILD };

/*
** Parses the options of COMMAND into OPT, accepting only those named in
** ALLOWED (a string of OPT_* codes). Returns 0 with optind at the first
** operand, or the usage error's exit status.
*/
static int parse_options(const char *command, int argc, char **argv, const char *allowed,
                         store_options *opt) {
  static const struct option options[] = {
    {"db", required_argument, NULL, OPT_DB},       {"authority", required_argument, NULL, OPT_AUTHORITY},
    {"type", required_argument, NULL, OPT_TYPE},   {"date", required_argument, NULL, OPT_DATE},
    {"chair", required_argument, NULL, OPT_CHAIR}, {"child", required_argument, NULL, OPT_CHILD},
    {NULL, 0, NULL, 0}};
  memset(opt, 0, sizeof *opt);
  optind = 1;
  opterr = 0;   /* our own one-line errors instead of getopt's */
  int code;
  while ((code = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    if (code == ':') return cli_usage_error(command, _("store.option_needs_value"), argv[optind - 1]);
    if (code == '?' || strchr(allowed, code) == NULL)
      return cli_usage_error(command, _("cli.unknown_option"), cli_refused_word(argc, argv));
    const char **slot[] = {NULL, &opt->db, &opt->authority, &opt->type, &opt->date,
                           &opt->chair, &opt->child};
    *slot[code] = optarg;
  }
  return 0;
}

/* Checks `confer new`'s options: 0 when they are good, else the usage error's status. */
static int check_new_options(const store_options *opt) {
  char file[PATH_MAX], err[PATH_MAX];
  calendar_day day;
  if (opt->authority == NULL) return cli_usage_error("new", "%s", _("store.new.authority_needed"));
  if (opt->type == NULL) return cli_usage_error("new", "%s", _("store.new.type_needed"));
  if (opt->date == NULL) return cli_usage_error("new", "%s", _("store.new.date_needed"));
  int found = agenda_find(opt->authority, file, sizeof file, err, sizeof err);
  if (found == -2) return cli_fail("%s", err);
  if (found != 0) return cli_usage_error("new", _("store.new.unknown_authority"), opt->authority);
  if (strcmp(opt->type, "initial") != 0 && strcmp(opt->type, "review") != 0)
    return cli_usage_error("new", _("store.new.bad_type"), opt->type);
  if (calendar_parse(opt->date, &day) != 0)
    return cli_usage_error("new", _("store.new.bad_date"), opt->date);
  return 0;
}

int cmd_new(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_AUTHORITY, OPT_TYPE, OPT_DATE, OPT_CHAIR, 0};
  store_options opt;
  int status = parse_options("new", argc, argv, allowed, &opt);
  if (status == 0 && optind < argc)
    status = cli_usage_error("new", _("store.unexpected_argument"), argv[optind]);
  if (status == 0) status = check_new_options(&opt);
  if (status != 0) return status;
  store *st = cli_open_store(opt.db);
  if (st == NULL) return 1;
  model_conference *conf;
  char err[1024];
  if (store_create_conference(st, opt.authority, opt.type, opt.date, cli_actor(opt.chair),
                              &conf, err, sizeof err) != 0) {
    status = cli_fail("%s", err);
  } else {
    printf("%s\n", conf->id);
    model_free(conf);
  }
  store_close(st);
  return status;
}

int cmd_list(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, 0};
  store_options opt;
  int status = parse_options("list", argc, argv, allowed, &opt);
  if (status == 0 && optind < argc)
    status = cli_usage_error("list", _("store.unexpected_argument"), argv[optind]);
  if (status != 0) return status;
  store *st = cli_open_store(opt.db);
  if (st == NULL) return 1;
  char err[1024];
  printf("%s\n", _("store.list.header"));
  if (store_list(st, stdout, err, sizeof err) != 0) status = cli_fail("%s", err);
  store_close(st);
  return status;
}

int cmd_history(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, OPT_CHILD, 0};
  store_options opt;
  int status = parse_options("history", argc, argv, allowed, &opt);
  int operands = argc - optind;
  if (status == 0 && !((opt.child == NULL && operands == 1) ||
                       (opt.child != NULL && operands == 0)))
    status = cli_usage_error("history", "%s", _("store.history.one_of"));
  if (status != 0) return status;
  store *st = cli_open_store(opt.db);
  if (st == NULL) return 1;
  char err[1024];
  int rc = opt.child != NULL ? store_child_history(st, opt.child, stdout, err, sizeof err)
                             : store_history(st, argv[optind], stdout, err, sizeof err);
  if (rc != 0) status = cli_fail("%s", err);
  store_close(st);
  return status;
}

int cmd_verify(int argc, char **argv) {
  static const char allowed[] = {OPT_DB, 0};
  store_options opt;
  int status = parse_options("verify", argc, argv, allowed, &opt);
  if (status == 0 && argc - optind > 1)
    status = cli_usage_error("verify", _("store.unexpected_argument"), argv[optind + 1]);
  if (status != 0) return status;
  store *st = cli_open_store(opt.db);
  if (st == NULL) return 1;
  char err[1024];
  int broken = optind < argc ? store_verify_one(st, argv[optind], stdout, err, sizeof err)
                             : store_verify(st, stdout, err, sizeof err);
  store_close(st);
  if (broken < 0) return cli_fail("%s", err);
  if (broken == 0) {
    printf("%s\n", _("store.verify.sound"));
    return 0;
  }
  printf(i18n_plural("store.verify.broken", (unsigned long)broken), broken);
  putchar('\n');
  return 1;
}
