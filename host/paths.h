/*
** paths.h — where confer finds its data and keeps the user's files.
**
** Contract. Shipped data (plugins/, scripts/, locales/) comes from
** CONFER_DATA_DIR if set, else the source tree when the binary runs from its
** build tree, else the installed share/confer. User files follow the XDG base
** directories: plugins in $XDG_CONFIG_HOME/confer/plugins, the database in
** $XDG_DATA_HOME/confer, history in $XDG_STATE_HOME/confer (each falling back
** under $HOME as the XDG specification says). Returned strings are owned by
** this module and live until exit.
*/
#ifndef CONFER_PATHS_H
#define CONFER_PATHS_H

#include <stddef.h>

/*
** The directory holding plugins/, scripts/ and locales/; NULL when
** CONFER_DATA_DIR is PATH_MAX bytes or longer (main refuses to start then).
*/
const char *paths_data_dir(void);

/* DIR/NAME in BUF; returns BUF, or NULL if it does not fit or DIR is NULL. */
char *paths_join(char *buf, size_t len, const char *dir, const char *name);

/*
** $XDG_<KIND>_HOME/confer, with KIND "CONFIG", "DATA" or "STATE" (fallbacks
** ~/.config, ~/.local/share, ~/.local/state). Written into BUF; NULL if no
** home can be found (errno ENOENT) or it does not fit (errno ENAMETOOLONG).
*/
char *paths_user_dir(const char *kind, char *buf, size_t len);

/* The variable paths_user_dir(KIND) starts from: "XDG_<KIND>_HOME" when set to an absolute path, else "HOME". */
const char *paths_user_dir_variable(const char *kind);

/*
** Creates DIR and its missing parents with mode 0700 (existing ones are left
** as they are). Returns 0, or -1 with errno set.
*/
int paths_make_private_dir(const char *dir);

#endif
