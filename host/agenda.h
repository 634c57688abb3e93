/*
** agenda.h — authority plugins: finding, loading and checking them.
**
** Contract. An agenda is one plugin file run in its own sandbox with the host
** API, returning a table that satisfies the plugin contract (docs/plugins.md),
** checked by the host-owned scripts/contract.lua. Plugins are searched by id
** in CONFER_PLUGIN_PATH (colon-separated), then $XDG_CONFIG_HOME/confer/plugins,
** then the shipped plugins/; the first file named ID.lua wins, so a user's
** copy overrides the shipped one. The validated agenda table is kept in the
** sandbox's registry; other modules reach it with agenda_push.
*/
#ifndef CONFER_AGENDA_H
#define CONFER_AGENDA_H

#include <stdio.h>
#include "i18n.h"
#include "sandbox.h"

typedef struct agenda agenda;

/*
** Builds the plugin search path. Returns 0, or -1 with one line naming
** CONFER_PLUGIN_PATH in ERR when one of its entries is longer than a path
** may be or it has more directories than the host keeps (32), the path then
** lacking that entry and those after it; or naming XDG_CONFIG_HOME (or HOME)
** when the user's plugin directory in it would be too long, the path then
** lacking that directory. main calls it before any command, so
** the problem is reported once and before anything is recorded.
*/
int agenda_search_path_init(char *err, size_t errlen);

/*
** The plugin search path as a NULL-terminated list (owned by this module),
** built by agenda_search_path_init (called here, unreported, if it was not).
*/
const char *const *agenda_search_path(void);

/*
** Finds the file for agenda ID into BUF. Returns 0; or -1 if no agenda has
** that id (the Signs of Safety base is a library the agendas require, not
** one), or -2 if a directory of the search path is too long to hold ID.lua,
** each with its one-line reason in ERR.
*/
int agenda_find(const char *id, char *buf, size_t len, char *err, size_t errlen);

/*
** Loads plugin ID (or a path ending in .lua) and validates it. Returns the
** agenda, or NULL with "FILE:LINE: problem" (the first problem) in ERR.
*/
agenda *agenda_load(const char *id_or_file, char *err, size_t errlen);

/*
** A new sandbox with the host API whose require searches the plugin path,
** then the shipped scripts/: what plugins and `confer lua` scripts run in.
** NULL with the reason in ERR on failure.
*/
sandbox *agenda_script_sandbox(char *err, size_t errlen);

/* Frees the agenda and its sandbox; NULL is a no-op. */
void agenda_free(agenda *ag);

/* The sandbox the plugin runs in (to call its hooks). */
sandbox *agenda_sandbox(agenda *ag);

/* Pushes the agenda table. */
void agenda_push(agenda *ag);

/* The plugin's id, display name and file. */
const char *agenda_id(const agenda *ag);
const char *agenda_name(const agenda *ag);
const char *agenda_file(const agenda *ag);

/* `confer plugins list`: one line per agenda id in use: "ID  NAME  FILE". */
int agenda_list(FILE *out);

/*
** `confer plugins check`: loads ID or FILE, validates it and writes one
** "FILE:LINE: problem" line per problem to OUT: the contract's, then each
** catalogue key it declares or its code gives confer.text or confer.plural
** as a literal that has no text, then what its practice checks do wrong.
** Returns the number of problems.
*/
int agenda_check(const char *id_or_file, FILE *out);

/*
** `confer plugins check` with no argument: agenda_check on every agenda file
** on the search path (a user's copy and the shipped one it shadows alike).
** Returns the total number of problems, or -1 if the files cannot be listed.
*/
int agenda_check_all(FILE *out);

/* The catalogue keys the plugins use, owning its strings (agenda_catalogue_keys). */
typedef struct agenda_keys {
  i18n_use *uses;
  size_t n, cap;
} agenda_keys;

/*
** For `confer locales check`: appends to KEYS every catalogue key the plugin
** files on the search path use (shadowed copies too). Each agenda's declared
** keys (contract.keys) come with "FILE:LINE"; so does each literal key given
** to confer.text or confer.plural in any plugin's source (the base module's
** too); any other key-shaped string literal in a source is a use without a
** place (a key picked at run time). A plugin that does not load is written
** to OUT as "FILE:LINE: problem". Returns the number of such problems, or -1
** when memory or the plugin directories fail (the reason written to OUT).
*/
int agenda_catalogue_keys(agenda_keys *keys, FILE *out);

/* Frees what KEYS holds and empties it. */
void agenda_keys_free(agenda_keys *keys);

#endif
