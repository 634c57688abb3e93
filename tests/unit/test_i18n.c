/*
** test_i18n.c — the message catalogues: lookups, fallback, language choice,
** plural rules (en_GB, cy, pl, a catalogue's own, a broken one), broken PO
** files reported with FILE:LINE, and `locales check`'s exact report.
** Fixtures are in tests/i18n/.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "test_util.h"
#include "test_locales.h"

#define FIXTURES CONFER_SOURCE_DIR "/tests/i18n"

static char err[600];

/* Loads FIXTURES/SET for LANG; returns i18n_init's status. */
static int load(const char *set, const char *lang) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/%s", FIXTURES, set);
  err[0] = '\0';
  return i18n_init(dir, lang, err, sizeof err);
}

static void test_english(void) {
  CHECK(load("good", "en_GB") == 0);
  CHECK_STR(err, "");
  CHECK_STR(i18n_language(), "en_GB");
  CHECK_STR(i18n_text("greet"), "Hello");
  CHECK_STR(_("fmt"), "%s has %d");
  CHECK_STR(i18n_text("only.english"), "English only");
  /* A key missing everywhere comes back as itself; so does a fuzzy one. */
  CHECK_STR(i18n_text("no.such.key"), "no.such.key");
  CHECK_STR(i18n_text("fuzzy.key"), "fuzzy.key");
  CHECK_STR(i18n_plural("items", 0), "%lu items");
  CHECK_STR(i18n_plural("items", 1), "%lu item");
  CHECK_STR(i18n_plural("items", 2), "%lu items");
  CHECK_STR(i18n_plural("no.such.key", 2), "no.such.key");
  /* A singular entry asked for a plural gives its one text. */
  CHECK_STR(i18n_plural("greet", 5), "Hello");
  i18n_free();
  CHECK_STR(i18n_text("greet"), "greet");
}

static void test_welsh(void) {
  CHECK(load("good", "cy") == 0);
  CHECK_STR(i18n_language(), "cy");
  CHECK_STR(i18n_text("greet"), "Shwmae");
  CHECK_STR(i18n_text("fmt"), "Mae gan %s %d");
  /* Welsh does not cover extra.po: English fills in. */
  CHECK_STR(i18n_text("only.english"), "English only");
  /* Fuzzy in Welsh and English alike: not translated anywhere. */
  CHECK_STR(i18n_text("fuzzy.key"), "fuzzy.key");
  CHECK_STR(i18n_text("old.key"), "old.key");
  static const struct { unsigned long n; const char *form; } welsh[] = {
    {0, "cy0 %lu"}, {1, "cy1 %lu"}, {2, "cy2 %lu"}, {3, "cy3 %lu"}, {6, "cy4 %lu"},
    {7, "cy5 %lu"}, {4, "cy5 %lu"}, {100, "cy5 %lu"},
  };
  for (size_t i = 0; i < sizeof welsh / sizeof welsh[0]; i++)
    CHECK_STR(i18n_plural("items", welsh[i].n), welsh[i].form);
  i18n_free();
}

static void test_polish(void) {
  CHECK(load("good", "pl_PL.UTF-8") == 0);
  CHECK_STR(i18n_language(), "pl");
  CHECK_STR(i18n_text("greet"), "Cześć");
  static const struct { unsigned long n; const char *form; } polish[] = {
    {1, "pl0 %lu"}, {2, "pl1 %lu"}, {5, "pl2 %lu"}, {22, "pl1 %lu"}, {25, "pl2 %lu"},
    {112, "pl2 %lu"}, {12, "pl2 %lu"}, {0, "pl2 %lu"}, {104, "pl1 %lu"},
  };
  for (size_t i = 0; i < sizeof polish / sizeof polish[0]; i++)
    CHECK_STR(i18n_plural("items", polish[i].n), polish[i].form);
  i18n_free();
}

static void test_language_choice(void) {
  static const struct { const char *asked, *chosen; } cases[] = {
    {"cy_GB.UTF-8", "cy"}, {"cy", "cy"}, {"pl_PL@euro", "pl"}, {"en_GB.UTF-8", "en_GB"},
    {"en", "en_GB"}, {"C", "en_GB"}, {"POSIX", "en_GB"}, {"fr_FR.UTF-8", "en_GB"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK(load("good", cases[i].asked) == 0);
    CHECK_STR(i18n_language(), cases[i].chosen);
    i18n_free();
  }
  /* NULL: CONFER_LANG, else LANG, else en_GB. */
  setenv("LANG", "cy_GB.UTF-8", 1);
  unsetenv("CONFER_LANG");
  CHECK(load("good", NULL) == 0);
  CHECK_STR(i18n_language(), "cy");
  setenv("CONFER_LANG", "pl", 1);
  CHECK(load("good", NULL) == 0);
  CHECK_STR(i18n_language(), "pl");
  setenv("CONFER_LANG", "", 1);
  unsetenv("LANG");
  CHECK(load("good", NULL) == 0);
  CHECK_STR(i18n_language(), "en_GB");
  unsetenv("CONFER_LANG");
  i18n_free();
  /* A code that could leave the locales directory is refused. */
  CHECK(load("good", "../good/cy") == -1);
  CHECK_STR(err, "'../good/cy' is not a language code (such as en_GB or cy)");
  CHECK_STR(i18n_text("greet"), "greet");
  /* A directory without catalogues is no error: every key is itself. */
  CHECK(load("nosuch", "cy") == 0);
  CHECK_STR(i18n_language(), "en_GB");
  CHECK_STR(i18n_text("greet"), "greet");
  i18n_free();
}

static void test_broken(void) {
  CHECK(load("broken", "en_GB") == -1);
  CHECK_STR(err, FIXTURES "/broken/en_GB/host.po:8: end-of-line within string");
  CHECK_STR(i18n_text("greet"), "greet");
  CHECK(load("garbled", "en_GB") == -1);
  CHECK_STR(err, FIXTURES "/garbled/en_GB/host.po:9: keyword \"mgsid\" unknown");
  CHECK_STR(i18n_text("greet"), "greet");
  /* Texts are printed as they are, so only UTF-8 catalogues are read. */
  CHECK(load("latin1", "en_GB") == -1);
  CHECK_STR(err, FIXTURES "/latin1/en_GB/host.po: charset must be UTF-8, not ISO-8859-1");
  CHECK_STR(i18n_text("greet"), "greet");
  i18n_free();
}

static void test_bad_rule(void) {
  /* The rule does not parse: n != 1 stands in. */
  CHECK(load("badrule", "en_GB") == 0);
  CHECK_STR(i18n_plural("items", 1), "%lu item");
  CHECK_STR(i18n_plural("items", 0), "%lu items");
  CHECK_STR(i18n_plural("items", 7), "%lu items");
  i18n_free();
}

static void test_add_catalogue(void) {
  CHECK(load("good", "cy") == 0);
  CHECK(i18n_add_catalogue(FIXTURES "/check/en_GB/family.po", "en_GB", err, sizeof err) == 0);
  CHECK_STR(i18n_text("fam.one"), "One");
  CHECK_STR(i18n_plural("fam.count", 1), "one worry");
  /* Welsh family.po, with its own six-form rule. */
  CHECK(i18n_add_catalogue(FIXTURES "/check/cy/family.po", "cy", err, sizeof err) == 0);
  CHECK_STR(i18n_plural("fam.count", 2), "%lu bryder");
  /* A language not in use is only checked. */
  CHECK(i18n_add_catalogue(FIXTURES "/good/pl/host.po", "pl", err, sizeof err) == 0);
  CHECK_STR(i18n_text("greet"), "Shwmae");
  CHECK(i18n_add_catalogue(FIXTURES "/broken/en_GB/host.po", "en_GB", err, sizeof err) == -1);
  CHECK_STR(err, FIXTURES "/broken/en_GB/host.po:8: end-of-line within string");
  CHECK(i18n_add_catalogue(FIXTURES "/none.po", "en_GB", err, sizeof err) == -1);
  CHECK_STR(err, FIXTURES "/none.po: No such file or directory");
  CHECK_STR(i18n_text("greet"), "Shwmae");
  i18n_free();
}

/* Writes TEXT to PATH for a test catalogue. */
static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
}

/*
** A file that fails after many good entries (enough to grow the hash
** table) adds nothing: its keys, its plural rule and its place among the
** files go; what earlier files gave stays, and a later file reads as if the
** failed one had never been tried.
*/
static void test_rollback(void) {
  char dir[] = "/tmp/confer-test-i18n.XXXXXX", bad[600], good[600];
  if (mkdtemp(dir) == NULL) {
    perror(dir);
    exit(1);
  }
  snprintf(bad, sizeof bad, "%s/bad.po", dir);
  snprintf(good, sizeof good, "%s/good.po", dir);
  char text[16384] = "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=1; plural=0;\\n\"\n";
  for (int i = 0; i < 200; i++) {
    size_t len = strlen(text);
    snprintf(text + len, sizeof text - len, "msgid \"roll.%d\"\nmsgstr \"Rolled %d\"\n", i, i);
  }
  strcat(text, "msgid \"roll.0\"\nmsgstr \"again\"\n");   /* line 403 */
  write_file(bad, text);
  write_file(good, "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n != 1;\\n\"\n"
                   "msgid \"roll.5\"\nmsgstr \"Five\"\n"
                   "msgid \"roll.n\"\nmsgid_plural \"roll.n\"\nmsgstr[0] \"one\"\nmsgstr[1] \"many\"\n");
  CHECK(load("good", "cy") == 0);
  CHECK(i18n_add_catalogue(FIXTURES "/check/cy/family.po", "cy", err, sizeof err) == 0);
  char want[700];
  snprintf(want, sizeof want, "%s:403: duplicate message definition", bad);
  CHECK(i18n_add_catalogue(bad, "cy", err, sizeof err) == -1);
  CHECK_STR(err, want);
  CHECK_STR(i18n_text("roll.0"), "roll.0");
  CHECK_STR(i18n_text("roll.199"), "roll.199");
  CHECK_STR(i18n_text("greet"), "Shwmae");
  CHECK_STR(i18n_plural("fam.count", 2), "%lu bryder");
  CHECK(i18n_add_catalogue(good, "cy", err, sizeof err) == 0);
  CHECK_STR(i18n_text("roll.5"), "Five");
  CHECK_STR(i18n_text("roll.6"), "roll.6");
  CHECK_STR(i18n_plural("roll.n", 1), "one");
  CHECK_STR(i18n_plural("roll.n", 2), "many");
  /* A second header (msgfmt: a duplicate) would have changed the plural rule of the file's entries. */
  write_file(bad, "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n != 1;\\n\"\n"
                  "msgid \"roll.m\"\nmsgid_plural \"roll.m\"\nmsgstr[0] \"one\"\nmsgstr[1] \"many\"\n"
                  "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n == 1;\\n\"\n");
  snprintf(want, sizeof want, "%s:7: duplicate message definition", bad);
  CHECK(i18n_add_catalogue(bad, "cy", err, sizeof err) == -1);
  CHECK_STR(err, want);
  CHECK_STR(i18n_plural("roll.m", 1), "roll.m");
  i18n_free();
  unlink(bad);
  unlink(good);
  rmdir(dir);
}

/*
** A translation whose printf conversions are not en_GB's is not used: the
** host passes en_GB's arguments, so "%d" for a "%s", or "%s" for a "%.*s"
** (whose '*' takes an int first), would read them as what they are not.
** The English text stands in; the language's other texts are used.
*/
static void test_unfit_translation(void) {
  char dir[] = "/tmp/confer-test-i18n.XXXXXX", path[600];
  if (mkdtemp(dir) == NULL) {
    perror(dir);
    exit(1);
  }
  const char *header = "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n != 1;\\n\"\n";
  char text[1024];
  snprintf(path, sizeof path, "%s/en_GB", dir);
  CHECK(mkdir(path, 0700) == 0);
  snprintf(path, sizeof path, "%s/zz", dir);
  CHECK(mkdir(path, 0700) == 0);
  snprintf(path, sizeof path, "%s/en_GB/host.po", dir);
  snprintf(text, sizeof text, "%s%s", header,
           "msgid \"unknown\"\nmsgstr \"unknown command '%s'\"\n"
           "msgid \"corrupt\"\nmsgstr \"%s: corrupt (%.*s)\"\n"
           "msgid \"hello\"\nmsgstr \"Hello\"\n"
           "msgid \"worries\"\nmsgid_plural \"worries\"\nmsgstr[0] \"%lu worry\"\nmsgstr[1] \"%lu worries\"\n");
  write_file(path, text);
  snprintf(path, sizeof path, "%s/zz/host.po", dir);
  snprintf(text, sizeof text, "%s%s", header,
           "msgid \"unknown\"\nmsgstr \"anhysbys %d\"\n"
           "msgid \"corrupt\"\nmsgstr \"%s: llygredig (%s)\"\n"
           "msgid \"hello\"\nmsgstr \"Shwmae\"\n"
           "msgid \"worries\"\nmsgid_plural \"worries\"\nmsgstr[0] \"un pryder\"\nmsgstr[1] \"%s pryder\"\n");
  write_file(path, text);
  err[0] = '\0';
  CHECK(i18n_init(dir, "zz", err, sizeof err) == 0);
  CHECK_STR(err, "");
  CHECK_STR(i18n_text("unknown"), "unknown command '%s'");
  CHECK_STR(i18n_text("corrupt"), "%s: corrupt (%.*s)");
  CHECK_STR(i18n_text("hello"), "Shwmae");
  CHECK_STR(i18n_plural("worries", 2), "%lu worries");   /* one form wrong: the whole entry goes */
  i18n_free();
  /* Fixed, the translations are used, a plural form leaving out the number included. */
  snprintf(text, sizeof text, "%s%s", header,
           "msgid \"unknown\"\nmsgstr \"gorchymyn anhysbys '%s'\"\n"
           "msgid \"corrupt\"\nmsgstr \"%s: llygredig (%.*s)\"\n"
           "msgid \"worries\"\nmsgid_plural \"worries\"\nmsgstr[0] \"un pryder\"\nmsgstr[1] \"%lu pryder\"\n");
  write_file(path, text);
  CHECK(i18n_init(dir, "zz", err, sizeof err) == 0);
  CHECK_STR(i18n_text("unknown"), "gorchymyn anhysbys '%s'");
  CHECK_STR(i18n_text("corrupt"), "%s: llygredig (%.*s)");
  CHECK_STR(i18n_plural("worries", 1), "un pryder");
  CHECK_STR(i18n_plural("worries", 2), "%lu pryder");
  i18n_free();
  unlink(path);
  snprintf(path, sizeof path, "%s/en_GB/host.po", dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/zz", dir);
  rmdir(path);
  snprintf(path, sizeof path, "%s/en_GB", dir);
  rmdir(path);
  rmdir(dir);
}

/*
** A catalogue whose text holds an escape sequence, a C1 control or a byte
** that is not UTF-8 is refused whole, naming the line and the key (its own
** control characters shown as '?'); newline and tab are words.
*/
static void test_control_characters(void) {
  char dir[] = "/tmp/confer-test-i18n.XXXXXX", path[600], want[800];
  if (mkdtemp(dir) == NULL) {
    perror(dir);
    exit(1);
  }
  snprintf(path, sizeof path, "%s/plugin.po", dir);
  static const struct { const char *entries, *problem; } cases[] = {
    {"msgid \"ok\"\nmsgstr \"Fine\"\nmsgid \"esc\"\nmsgstr \"Example\\033]0;title\\a\"\n",
     "5: the text of 'esc' has a control character or a byte that is not UTF-8 (byte 8)"},
    {"msgid \"c1\"\nmsgstr \"\\302\\2332J\"\n",
     "3: the text of 'c1' has a control character or a byte that is not UTF-8 (byte 1)"},
    {"msgid \"latin1\"\nmsgstr \"caf\\351\"\n",
     "3: invalid multibyte sequence (the file must be UTF-8)"},   /* the reader's own check */
    {"msgid \"n\\033x\"\nmsgid_plural \"n\"\nmsgstr[0] \"one\"\nmsgstr[1] \"two\\177\"\n",
     "3: the text of 'n?x' has a control character or a byte that is not UTF-8 (byte 4)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[1024];
    snprintf(text, sizeof text, "msgid \"\"\nmsgstr \"Plural-Forms: nplurals=2; plural=n != 1;\\n\"\n%s",
             cases[i].entries);
    write_file(path, text);
    CHECK(load("good", "en_GB") == 0);
    snprintf(want, sizeof want, "%s:%s", path, cases[i].problem);
    CHECK(i18n_add_catalogue(path, "en_GB", err, sizeof err) == -1);
    CHECK_STR(err, want);
    CHECK_STR(i18n_text("ok"), "ok");
    i18n_free();
  }
  write_file(path, "msgid \"lines\"\nmsgstr \"One\\n\\tTwo, caf\\303\\251\"\n");
  CHECK(load("good", "en_GB") == 0);
  CHECK(i18n_add_catalogue(path, "en_GB", err, sizeof err) == 0);
  CHECK_STR(i18n_text("lines"), "One\n\tTwo, caf\xC3\xA9");
  i18n_free();
  unlink(path);
  rmdir(dir);
}

/* Runs i18n_check on FIXTURES/SET; returns its output (free it) and the count in *PROBLEMS. */
static char *check_report(const char *set, const char *const *keys_used, int *problems) {
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (out == NULL) return NULL;
  char dir[512];
  snprintf(dir, sizeof dir, "%s/%s", FIXTURES, set);
  *problems = i18n_check(dir, keys_used, out);
  fclose(out);
  return text;
}

/* The report's words are the shipped catalogues' (the fixtures are what is checked). */
static void test_check(void) {
  CHECK(test_load_locales() == 0);
  int problems = -1;
  char *report = check_report("good", NULL, &problems);
  CHECK(problems == 0);
  CHECK_STR(report, "locales: 4 catalogues, 4 keys, no problems\n");
  free(report);

  report = check_report("check", NULL, &problems);
  CHECK(problems == 7);
  CHECK_STR(report,
    FIXTURES "/check/en_GB/host.po: key 'dup.key' is already in " FIXTURES "/check/en_GB/family.po\n"
    FIXTURES "/check/cy/SCOPE:3: no catalogue en_GB/nosuch.po\n"
    FIXTURES "/check/cy/family.po: missing key 'fam.one'\n"
    FIXTURES "/check/cy/family.po: key 'fam.two' has conversions '%d %s', en_GB has '%s %d'\n"
    FIXTURES "/check/cy/family.po: key 'fam.three' has conversions '%s', en_GB has ''\n"
    FIXTURES "/check/cy/family.po: missing key 'dup.key'\n"
    FIXTURES "/check/cy/family.po: unused key 'fam.old' (not in en_GB)\n"
    "locales: 3 catalogues, 6 keys, 7 problems\n");
  free(report);

  report = check_report("broken", NULL, &problems);
  CHECK(problems == 1);
  CHECK_STR(report, FIXTURES "/broken/en_GB/host.po:8: end-of-line within string\n"
                    "locales: 0 catalogues, 0 keys, 1 problem\n");
  free(report);

  report = check_report("badrule", NULL, &problems);
  CHECK(problems == 1);
  CHECK_STR(report, FIXTURES "/badrule/en_GB/host.po: Plural-Forms: unexpected ')' (n != 1 is used)\n"
                    "locales: 1 catalogue, 1 key, 1 problem\n");
  free(report);

  static const char *const used[] = {"greet", "fmt", "items", "new.key", "greet", NULL};
  report = check_report("good", used, &problems);
  CHECK(problems == 2);
  CHECK_STR(report, "en_GB: missing key 'new.key' (used by the sources)\n"
                    FIXTURES "/good/en_GB/extra.po: unused key 'only.english' (not used by the sources)\n"
                    "locales: 4 catalogues, 4 keys, 2 problems\n");
  free(report);

  report = check_report("nosuch", NULL, &problems);
  CHECK(problems == 2);
  CHECK_STR(report, FIXTURES "/nosuch/en_GB: no en_GB catalogues\n"
                    FIXTURES "/nosuch: No such file or directory\n"
                    "locales: 0 catalogues, 0 keys, 2 problems\n");
  free(report);
}

int main(void) {
  test_english();
  test_welsh();
  test_polish();
  test_language_choice();
  test_broken();
  test_bad_rule();
  test_add_catalogue();
  test_rollback();
  test_unfit_translation();
  test_control_characters();
  test_check();
  i18n_free();
  return TEST_SUMMARY();
}
