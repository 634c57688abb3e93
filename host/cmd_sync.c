/*
** cmd_sync.c — `confer push ID --to URL` and `confer pull ID --from URL`:
** an offline chair's laptop and the authority's server exchange one
** conference's events.
**
** The laptop's store is the usual one (--db, $CONFER_DB or the default
** file); the other side is any store location, normally a postgresql:// URI.
** store_sync does the work: both chains verified, the events compared by seq
** and hash, and only events the destination lacks are copied, in one
** transaction. A conference changed on both sides is refused, naming the
** first event where they part; nothing is ever merged.
*/
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "store.h"

/*
** Opens the store at LOCATION, or the laptop's default store when LOCATION is
** NULL. The SOURCE side must exist: copying from a mistyped path must not
** leave an empty database there.
*/
static store *open_side(const char *location, int source, char *err, size_t errlen) {
  char path[PATH_MAX];
  store *st = NULL;
  if (store_default_path(location, path, sizeof path, err, errlen) != 0 ||
      (source ? store_open_existing : store_open)(path, &st, err, errlen) != 0)
    return NULL;
  return st;
}

/*
** Copies conference ID from FROM into TO while holding it in TO (store_claim),
** so that a session chairing it there is not changed under its feet: refused,
** naming who holds it, and nothing copied. A conference TO lacks cannot be
** held (the claim fails) and is copied unclaimed; a TO that cannot be read
** fails in store_sync. Returns what store_sync does.
*/
static long sync_claimed(store *from, store *to, const char *id, char *err, size_t errlen) {
  store_holder holder;
  char unclaimed[256];
  int held = store_claim(to, id, cli_actor(NULL), &holder, unclaimed, sizeof unclaimed);
  if (held > 0) {
    snprintf(err, errlen, _("sync.held"), id, holder.chair, holder.host, holder.since);
    return -1;
  }
  long copied = store_sync(from, to, id, err, errlen);
  if (held == 0) store_release(to, id);
  return copied;
}

/*
** The shared body of push (TO_REMOTE 1: laptop to URL) and pull (0: URL to
** laptop). OPTION is "--to" or "--from".
*/
static int sync_command(const char *command, const char *option, int to_remote, int argc,
                        char **argv) {
  static const struct option options[] = {
    {"db", required_argument, NULL, 'd'}, {"to", required_argument, NULL, 't'},
    {"from", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
  const char *db = NULL, *remote = NULL;
  int opt;
  optind = 1;
  opterr = 0;   /* our own one-line errors instead of getopt's */
  while ((opt = getopt_long(argc, argv, ":", options, NULL)) != -1) {
    if (opt == ':') return cli_usage_error(command, _("sync.needs_value"), argv[optind - 1]);
    if (opt == '?' || (opt == 't' && !to_remote) || (opt == 'f' && to_remote))
      return cli_usage_error(command, _("cli.unknown_option"), cli_refused_word(argc, argv));
    if (opt == 'd') db = optarg;
    else remote = optarg;
  }
  if (remote == NULL) return cli_usage_error(command, _("sync.needs_remote"), option);
  if (argc - optind != 1) return cli_usage_error(command, "%s", _("sync.needs_conference"));
  const char *id = argv[optind];
  char err[1024];
  store *laptop = open_side(db, to_remote, err, sizeof err);
  store *server = laptop != NULL ? open_side(remote, !to_remote, err, sizeof err) : NULL;
  long copied = -1;
  if (server != NULL)
    copied = to_remote ? sync_claimed(laptop, server, id, err, sizeof err)
                       : sync_claimed(server, laptop, id, err, sizeof err);
  store_close(server);
  store_close(laptop);
  if (copied < 0) return cli_fail("%s", err);
  if (copied == 0) printf(_("sync.in_step"), id);
  else printf(i18n_plural(to_remote ? "sync.pushed" : "sync.pulled", (unsigned long)copied),
              copied, id);
  putchar('\n');
  return 0;
}

int cmd_push(int argc, char **argv) {
  return sync_command("push", "--to", 1, argc, argv);
}

int cmd_pull(int argc, char **argv) {
  return sync_command("pull", "--from", 0, argc, argv);
}
