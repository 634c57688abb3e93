/*
** i18n.h — message catalogues: every word a user sees, by key.
**
** Contract. Catalogues are GNU gettext PO files (read by po.h):
** every .po file in LOCALES_DIR/<lang>/ (host.po for the host's words, plugins.po for
** the shipped plugins'; msgid = a key such as "repl.recorded", msgstr = the
** text, printf-style where the key's comment says so). en_GB is always
** loaded and is the fallback for a key missing in the chosen language; a
** key missing everywhere comes back as the key itself, so nothing is ever
** blank. Plugin directories bring catalogues of their own (i18n_add_dir, which
** main calls for each directory of the search path; i18n_add_catalogue adds one file).
** The language is chosen once per process: --lang, else CONFER_LANG, else
** LANG ("cy_GB.UTF-8" -> "cy"), else en_GB.
** This module calls nothing else in the host.
*/
#ifndef CONFER_I18N_H
#define CONFER_I18N_H

#include <stddef.h>
#include <stdio.h>

/*
** Loads en_GB and LANG (NULL: from the environment as above) from
** LOCALES_DIR. Returns 0, or -1 with "FILE:LINE: problem" in ERR when a
** catalogue does not parse (a missing non-English catalogue is not an error:
** en_GB is used).
*/
int i18n_init(const char *locales_dir, const char *lang, char *err, size_t errlen);

/*
** Adds the catalogues a plugin directory brings: the PO files in LOCALES_DIR/en_GB and
** in LOCALES_DIR/<the chosen language> (a missing directory adds nothing).
** Keys already loaded keep their texts: a plugin adds words, never replaces
** the shipped ones. `confer locales check` reads these en_GB catalogues too.
** Returns 0, or -1 with "FILE:LINE: problem" in ERR.
*/
int i18n_add_dir(const char *locales_dir, char *err, size_t errlen);

/* Adds the entries of one more PO file for language LANG ("en_GB", "cy", ...). */
int i18n_add_catalogue(const char *path, const char *lang, char *err, size_t errlen);

/* The chosen language code ("en_GB", "cy", "pl"). */
const char *i18n_language(void);

/* The text for KEY in the chosen language, else en_GB, else KEY. Never NULL. */
const char *i18n_text(const char *key);

/* The plural form for N of KEY (a PO entry with msgid_plural), with the language's plural rule. */
const char *i18n_plural(const char *key, unsigned long n);

/*
** The date YEAR-MONTH-MDAY (WEEKDAY 1 = Monday .. 7 = Sunday) as people write
** it in the chosen language, from the catalogue: "date.format" is a pattern
** such as "{weekday} {day} {month} {year}" (any order, any words between),
** "date.weekday.N" and "date.month.N" the names ("Tuesday 3 March 2026",
** "wtorek, 3 marca 2026"). Writes at most SIZE bytes to BUF, always
** terminated; returns the length the whole date needs, as snprintf does.
*/
size_t i18n_date(int year, int month, int mday, int weekday, char *buf, size_t size);

/* Shorthand used across the host: _("repl.recorded") is the catalogue text for that key. */
#define _(key) i18n_text(key)

/* Frees every catalogue. */
void i18n_free(void);

/*
** `confer locales check`: writes one line per problem to OUT (a catalogue that
** does not parse, with FILE:LINE; each key used in KEYS_USED missing from a
** catalogue; each catalogue key not in KEYS_USED), returns the number of
** problems. KEYS_USED is a NULL-terminated list, or NULL to take en_GB as
** the keys in use; every other language is compared with en_GB (keys
** missing within the files its SCOPE lists, keys en_GB lacks, different printf
** conversions). A last line totals it: "locales: N catalogues, M keys, no problems".
*/
int i18n_check(const char *locales_dir, const char *const *keys_used, FILE *out);

/* One catalogue key a plugin uses: WHERE is "FILE:LINE" where it is used, or NULL for a
** key-shaped string a plugin's source only mentions (counted as used, never reported as missing). */
typedef struct i18n_use {
  const char *key;
  const char *where;
} i18n_use;

/* 1 if a use before USES[I] has the same key and place: each is reported once. */
int i18n_use_seen_before(const i18n_use *uses, size_t i);

/*
** i18n_check (KEYS_USED NULL) plus the plugins' keys: each of the N USES with a
** WHERE that en_GB has no text for is "WHERE: missing key 'K'" (once per place),
** and each en_GB key in the file named PLUGIN_FILE ("plugins.po") that none of
** USES names is "PATH: unused key 'K' (no plugin uses it)". PROBLEMS_BEFORE
** problems the caller has written to OUT already count in the total line.
** Returns the number of problems, PROBLEMS_BEFORE included.
*/
int i18n_check_plugins(const char *locales_dir, const i18n_use *uses, size_t n,
                       const char *plugin_file, int problems_before, FILE *out);

#endif
