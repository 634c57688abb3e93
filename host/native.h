/*
** native.h — allow-listed calls into shared libraries through libffi.
**
** Contract. A plugin or script calls native.bind(LIBRARY, SYMBOL, SIGNATURE)
** and gets a Lua function, but only when the host's allow-list (the file
** native_config_path names; docs/native.md) has an entry with exactly that
** library path and signature (after whitespace normalisation) whose function
** name is SYMBOL. Without an allow-list nothing is allowed. A signature is a
** C declaration over the types void, int, unsigned, int64_t, uint64_t,
** double, size_t, const char * (a Lua string in) and char * followed by a
** size_t length (a bounded buffer out, at most NATIVE_BUFFER_MAX bytes). It is
** parsed into an ffi_cif once, at bind time; arguments are checked (count,
** type, range) at each call and mismatches are Lua errors at the caller's
** FILE:LINE. A native function that crashes takes the whole process with it:
** the allow-list is where that trust is granted.
*/
#ifndef CONFER_NATIVE_H
#define CONFER_NATIVE_H

#include <stddef.h>
#include "sandbox.h"

#define NATIVE_MAX_PARAMS 16
#define NATIVE_NAME_MAX 64
#define NATIVE_SIGNATURE_MAX 1024
#define NATIVE_BUFFER_MAX (1024 * 1024)

typedef enum native_type {
  NATIVE_VOID, NATIVE_INT, NATIVE_UNSIGNED, NATIVE_INT64, NATIVE_UINT64,
  NATIVE_DOUBLE, NATIVE_SIZE, NATIVE_STRING, NATIVE_BUFFER
} native_type;

/* A parsed declaration. TEXT is its normalised form, the one compared with the allow-list. */
typedef struct native_signature {
  char name[NATIVE_NAME_MAX];
  char text[NATIVE_SIGNATURE_MAX];
  native_type ret;
  int nparams;
  native_type params[NATIVE_MAX_PARAMS];
  char param_names[NATIVE_MAX_PARAMS][NATIVE_NAME_MAX];  /* "" when unnamed */
} native_signature;

/*
** Parses the C declaration DECL into SIG. Returns 0, or -1 with a message
** naming the offending token in ERR (e.g. "unknown type 'long'").
*/
int native_parse_signature(const char *decl, native_signature *sig, char *err, size_t errlen);

/* One allow-list entry: LIBRARY | SIGNATURE, from line LINE of the file. */
typedef struct native_entry {
  char *library;
  native_signature sig;
  int line;
} native_entry;

/* The allow-list; PRESENT is 0 when the file does not exist (nothing is allowed). */
typedef struct native_allowlist {
  char path[4096];
  int present;
  size_t n;
  native_entry *entries;
} native_allowlist;

/*
** Uses PATH as the allow-list instead of $XDG_CONFIG_HOME/confer/native.conf
** (`--native-conf F`); NULL restores the default. PATH is not copied: it
** must live as long as the process (main's argv does).
*/
void native_set_config(const char *path);

/*
** The allow-list's path into BUF; NULL if no home can be found (errno ENOENT)
** or the path does not fit (errno ENAMETOOLONG).
*/
const char *native_config_path(char *buf, size_t len);

/*
** Reads the allow-list at PATH into LIST (a missing file gives an empty list
** with PRESENT 0). Refuses a file that is not a regular file, not owned by
** the user, or writable by group or others, and any malformed line. Returns
** 0, or -1 with "PATH: reason" or "PATH:LINE: problem" in ERR and LIST empty.
*/
int native_allowlist_load(const char *path, native_allowlist *list, char *err, size_t errlen);

/* Frees the entries of LIST (not LIST itself). */
void native_allowlist_free(native_allowlist *list);

/*
** Verifies that ENTRY's library loads, its symbol resolves and its signature
** makes an ffi_cif. Returns 0, or -1 with the reason in ERR.
*/
int native_check_entry(const native_entry *entry, char *err, size_t errlen);

/* Installs the `native` table (native.bind) into SB's environment. */
void native_open(sandbox *sb);

#endif
