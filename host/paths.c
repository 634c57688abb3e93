/*
** paths.c — where confer finds its data and keeps the user's files.
**
** The binary is usable straight from its build tree (tests and the README's
** demo run it there), so it recognises that case by comparing its own
** location with the build directory CMake compiled in.
*/
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char data_dir[PATH_MAX];

/* The built-in directories always fit, so only CONFER_DATA_DIR can be too long. */
_Static_assert(sizeof CONFER_SOURCE_DIR <= PATH_MAX && sizeof CONFER_DATA_INSTALL <= PATH_MAX,
               "the source or install directory is longer than PATH_MAX");

/* 1 if the running executable lives in DIR or below it. */
static int running_below(const char *dir) {
  char exe[PATH_MAX], real_dir[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0 || realpath(dir, real_dir) == NULL) return 0;
  exe[n] = '\0';
  size_t len = strlen(real_dir);
  return strncmp(exe, real_dir, len) == 0 && exe[len] == '/';
}

const char *paths_data_dir(void) {
  if (data_dir[0] != '\0') return data_dir;
  const char *env = getenv("CONFER_DATA_DIR");
  const char *dir = CONFER_DATA_INSTALL;
  if (env != NULL && env[0] != '\0') dir = env;
  else if (running_below(CONFER_BINARY_DIR)) dir = CONFER_SOURCE_DIR;
  /* Cut short it would name another directory. */
  if (strlen(dir) >= sizeof data_dir) return NULL;
  snprintf(data_dir, sizeof data_dir, "%s", dir);
  return data_dir;
}

char *paths_join(char *buf, size_t len, const char *dir, const char *name) {
  if (dir == NULL) return NULL;
  int n = snprintf(buf, len, "%s/%s", dir, name);
  return (n < 0 || (size_t)n >= len) ? NULL : buf;
}

/* Where each kind of the user's files lives: $VAR/confer, else ~/FALLBACK/confer. */
static const struct user_base { const char *kind, *var, *fallback; } user_bases[] = {
  {"CONFIG", "XDG_CONFIG_HOME", ".config"},
  {"DATA", "XDG_DATA_HOME", ".local/share"},
  {"STATE", "XDG_STATE_HOME", ".local/state"},
};

/* 1 if the XDG variable VAR is set and usable: the specification says a relative value must be ignored. */
static int xdg_usable(const char *var) {
  const char *base = getenv(var);
  return base != NULL && base[0] == '/';
}

const char *paths_user_dir_variable(const char *kind) {
  for (size_t i = 0; i < sizeof user_bases / sizeof user_bases[0]; i++)
    if (strcmp(kind, user_bases[i].kind) == 0) return xdg_usable(user_bases[i].var) ? user_bases[i].var : "HOME";
  return "HOME";
}

char *paths_user_dir(const char *kind, char *buf, size_t len) {
  for (size_t i = 0; i < sizeof user_bases / sizeof user_bases[0]; i++) {
    const struct user_base *base = &user_bases[i];
    if (strcmp(kind, base->kind) != 0) continue;
    int n;
    if (xdg_usable(base->var)) n = snprintf(buf, len, "%s/confer", getenv(base->var));
    else {
      const char *home = getenv("HOME");
      if (home == NULL || home[0] == '\0') {
        errno = ENOENT;
        return NULL;
      }
      n = snprintf(buf, len, "%s/%s/confer", home, base->fallback);
    }
    if (n >= 0 && (size_t)n < len) return buf;
    errno = ENAMETOOLONG;
    return NULL;
  }
  errno = ENOENT;
  return NULL;
}

int paths_make_private_dir(const char *dir) {
  char path[PATH_MAX];
  /* The scan below starts after the first byte: "" would send it past its end. */
  if (dir[0] == '\0') {
    errno = ENOENT;
    return -1;
  }
  if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *p = path + 1; ; p++) {
    if (*p != '/' && *p != '\0') continue;
    char saved = *p;
    *p = '\0';
    if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
    *p = saved;
    if (saved == '\0') break;
  }
  struct stat st;
  if (stat(path, &st) != 0) return -1;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}
