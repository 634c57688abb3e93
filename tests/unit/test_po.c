/*
** test_po.c — the PO reader (host/po.h): what each kind of entry gives the
** callback, and the one-line "FILE:LINE: problem" of each thing the format
** does not allow, with nothing handed on from the entry at fault.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "po.h"
#include "test_util.h"

static char dir[] = "/tmp/confer-test-po.XXXXXX";
static char path[256];

/* What the callback saw: one line per message, "LINE ctxt|id|plural|str0/str1..[ fuzzy]". */
static char seen[4096];

static int collect(void *ctx, const po_message *m) {
  (void)ctx;
  size_t len = strlen(seen);
  len += (size_t)snprintf(seen + len, sizeof seen - len, "%zu %s|%s|%s|", m->line,
                          m->msgctxt ? m->msgctxt : "-", m->msgid, m->msgid_plural ? m->msgid_plural : "-");
  for (int i = 0; i < m->nforms; i++)
    len += (size_t)snprintf(seen + len, sizeof seen - len, "%s%s", i ? "/" : "", m->msgstr[i]);
  snprintf(seen + len, sizeof seen - len, "%s\n", m->fuzzy ? " fuzzy" : "");
  return 0;
}

/* Writes TEXT (LEN bytes) as the PO file and reads it; returns po_read's status. */
static int read_text(const char *text, size_t len, char *err, size_t errlen) {
  FILE *f = fopen(path, "wb");
  if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
  seen[0] = '\0';
  err[0] = '\0';
  return po_read(path, collect, NULL, err, errlen);
}

#define HEADER "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"

/* Reads TEXT, which must not parse, and checks ERR is "PATH:PROBLEM". */
static void check_problem(const char *text, const char *problem) {
  char err[512], want[512];
  CHECK(read_text(text, strlen(text), err, sizeof err) == -1);
  snprintf(want, sizeof want, "%s:%s", path, problem);
  CHECK_STR(err, want);
}

/* What po_read_kept's callback keeps: the pointers themselves, looked at only after the read. */
typedef struct kept {
  const char *id[4], *str[4][3];
  int nforms[4], count;
} kept;

static int keep(void *ctx, const po_message *m) {
  kept *k = ctx;
  if (k->count == 4) return 1;
  k->id[k->count] = m->msgid;
  k->nforms[k->count] = m->nforms;
  for (int i = 0; i < m->nforms && i < 3; i++) k->str[k->count][i] = m->msgstr[i];
  k->count++;
  return 0;
}

/*
** po_read_kept: the strings outlive the callback, decoded in place in the
** block the caller frees, a message's forms one after another; escapes and
** continuation lines shrink a string, and the entries after it still read.
*/
static void test_kept(void) {
  char err[512];
  const char *text = HEADER
    "msgid \"plain\"\nmsgstr \"no escape at all\"\n\n"
    "msgid \"cont\"\nmsgstr \"\"\n\"\\x41\\102\"\n  \"C \\\"q\\\"\"\n\n"
    "msgid \"n\"\nmsgid_plural \"ns\"\nmsgstr[0] \"one\"\nmsgstr[1] \"\\tmany\"\nmsgstr[2] \"lots\"\n";
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL && fputs(text, f) >= 0 && fclose(f) == 0);
  kept k = {0};
  char *block = NULL;
  CHECK(po_read_kept(path, keep, &k, &block, err, sizeof err) == 0);
  CHECK(block != NULL);
  CHECK(k.count == 4);
  CHECK_STR(k.id[0], "");
  CHECK_STR(k.id[1], "plain");
  CHECK_STR(k.str[1][0], "no escape at all");
  CHECK_STR(k.id[2], "cont");
  CHECK_STR(k.str[2][0], "ABC \"q\"");
  CHECK_STR(k.id[3], "n");
  CHECK(k.nforms[3] == 3);
  CHECK_STR(k.str[3][0], "one");
  CHECK_STR(k.str[3][1], "\tmany");
  CHECK_STR(k.str[3][2], "lots");
  CHECK(k.str[3][1] == k.str[3][0] + strlen("one") + 1);
  CHECK(k.str[3][2] == k.str[3][1] + strlen("\tmany") + 1);
  CHECK(k.id[1] >= block && k.str[3][2] < block + strlen(text));
  free(block);

  /* A file that does not parse still hands over its block; one that is not there, none. */
  f = fopen(path, "wb");
  CHECK(f != NULL && fputs(HEADER "msgid \"a\"\nmsgstr \"b\"\nmsgid \"c\"\n", f) >= 0 && fclose(f) == 0);
  k.count = 0;
  CHECK(po_read_kept(path, keep, &k, &block, err, sizeof err) == -1);
  CHECK(block != NULL);
  CHECK(k.count == 2);
  CHECK_STR(k.str[1][0], "b");
  free(block);
  CHECK(po_read_kept("/nonexistent/confer.po", keep, &k, &block, err, sizeof err) == -1);
  CHECK(block == NULL);
  CHECK_STR(err, "/nonexistent/confer.po: No such file or directory");
}

static int stop_at_second(void *ctx, const po_message *m) {
  (void)m;
  return ++*(int *)ctx == 2 ? 7 : 0;
}

int main(void) {
  if (mkdtemp(dir) == NULL) return perror(dir), 1;
  snprintf(path, sizeof path, "%s/test.po", dir);
  char err[512];

  /* Every kind of entry, comments and escapes. */
  const char *good =
    "# translator's comment\n" HEADER
    "#. extracted\n#: host/repl.c:12\nmsgid \"greet\"\nmsgstr \"Hello, \"\n\"world\"\n\n"
    "#, fuzzy, c-format\nmsgid \"unsure\"\nmsgstr \"Maybe\"\n\n"
    "msgctxt \"board\"\nmsgid \"title\"\nmsgstr \"Board\"\n\n"
    "msgid \"n.points\"\nmsgid_plural \"n.points\"\nmsgstr[0] \"%lu point\"\nmsgstr[1] \"%lu points\"\n"
    "#~ msgid \"old\"\n#~ msgstr \"gone\"\n"
    "msgid \"esc\"\r\nmsgstr \"tab\\there \\\"q\\\" back\\\\ \\x41\\101 Si\xc3\xa2n\"\r\n"
    "msgid \"untranslated\"\nmsgstr \"\"";
  CHECK(read_text(good, strlen(good), err, sizeof err) == 0);
  CHECK_STR(err, "");
  CHECK_STR(seen,
            "2 -||-|Content-Type: text/plain; charset=UTF-8\n\n"
            "7 -|greet|-|Hello, world\n"
            "12 -|unsure|-|Maybe fuzzy\n"
            "16 board|title|-|Board\n"
            "19 -|n.points|n.points|%lu point/%lu points\n"
            "25 -|esc|-|tab\there \"q\" back\\ AA Si\xc3\xa2n\n"
            "27 -|untranslated|-|\n");

  /* Leading zeros in a hexadecimal escape, and blanks before msgstr's [N], as msgfmt reads them. */
  const char *lenient = HEADER "msgid \"hex\"\nmsgstr \"\\x0041\"\n\n"
                        "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr [0] \"x\"\nmsgstr\t[1] \"y\"\n";
  CHECK(read_text(lenient, strlen(lenient), err, sizeof err) == 0);
  CHECK_STR(err, "");
  CHECK_STR(seen, "1 -||-|Content-Type: text/plain; charset=UTF-8\n\n"
                  "4 -|hex|-|A\n"
                  "7 -|a|as|x/y\n");

  /* The callback's non-zero return stops the read and is returned. */
  int calls = 0;
  CHECK(po_read(path, stop_at_second, &calls, err, sizeof err) == 7);
  CHECK(calls == 2);

  /* Each problem: the line it is on and what is wrong. */
  check_problem(HEADER "msgid \"a\"\nmsgstr \"open\n", "5: end-of-line within string");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"b\"\nmgsid \"c\"\nmsgstr \"d\"\n", "6: keyword \"mgsid\" unknown");
  check_problem(HEADER "msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"c\"\n", "6: missing msgstr");
  check_problem(HEADER "msgid \"a\"\n", "4: missing msgstr");
  check_problem("msgstr \"a\"\n", "1: msgstr without msgid");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", "6: msgstr given twice");
  check_problem(HEADER "msgid \"a\"\nmsgstr[0] \"b\"\n", "5: msgstr[0] without msgid_plural");
  check_problem(HEADER "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr \"b\"\n",
                "6: msgstr[0] expected: the entry has msgid_plural");
  check_problem(HEADER "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"b\"\n",
                "6: msgstr[1] out of order: msgstr[0] expected");
  check_problem(HEADER "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[16] \"b\"\n", "6: too many plural forms");
  check_problem(HEADER "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[x] \"b\"\n", "6: syntax error");
  check_problem(HEADER "msgid_plural \"as\"\n", "4: msgid_plural out of place");
  check_problem(HEADER "msgctxt \"x\"\nmsgctxt \"y\"\n", "5: msgctxt given twice");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"b\" extra\n", "5: unexpected text after the string");
  check_problem(HEADER "msgid a\n", "4: a string in double quotes expected after msgid");
  check_problem("\"stray\"\n", "1: a string outside any msgid or msgstr");
  check_problem(HEADER "# a comment ends the header's strings\n\"stray\"\n", "5: a string outside any msgid or msgstr");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"b\\q\"\n", "5: invalid control sequence");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"b\\x00\"\n", "5: invalid control sequence");
  check_problem(HEADER "{\n", "4: syntax error");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"\xe9t\xe9\"\n", "4: invalid multibyte sequence (the file must be UTF-8)");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"\xed\xa0\x80\"\n", "4: invalid multibyte sequence (the file must be UTF-8)");
  /* Lead bytes F5..FF begin no UTF-8 sequence (msgfmt refuses them too). */
  check_problem(HEADER "msgid \"a\"\nmsgstr \"x\xf5\x80\x80\"\n", "4: invalid multibyte sequence (the file must be UTF-8)");
  check_problem(HEADER "msgid \"a\"\nmsgstr \"x\xff\x80\x80\"\n", "4: invalid multibyte sequence (the file must be UTF-8)");
  /*
  ** A comment between an entry's keywords and its msgstr is not part of any
  ** entry (msgfmt: syntax error); read on, its flags would mark the next entry.
  */
  check_problem(HEADER "msgid \"a\"\n#, fuzzy\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"d\"\n", "4: missing msgstr");
  check_problem(HEADER "msgctxt \"x\"\n#, fuzzy\nmsgid \"a\"\nmsgstr \"b\"\n", "4: missing msgstr");
  /* An entry of msgctxt alone is reported at its own line, not the previous entry's. */
  check_problem(HEADER "msgctxt \"x\"\n", "4: missing msgstr");
  /*
  ** A hexadecimal escape takes every hex digit after it, as in C and msgfmt;
  ** past one byte it is refused rather than read as \x41 then "0" (msgfmt
  ** would make it the byte 0x10).
  */
  check_problem(HEADER "msgid \"a\"\nmsgstr \"\\x410\"\n", "5: invalid control sequence");
  char with_nul[] = HEADER "msgid \"a\"\nmsgstr \"b\0c\"\n";
  CHECK(read_text(with_nul, sizeof with_nul - 1, err, sizeof err) == -1);
  char want[512];
  snprintf(want, sizeof want, "%s:5: a NUL byte in the file", path);
  CHECK_STR(err, want);
  /* Nothing of the entry at fault reached the callback; the header before it did. */
  CHECK_STR(seen, "1 -||-|Content-Type: text/plain; charset=UTF-8\n\n");

  /* The header's charset. */
  const char *latin = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n";
  CHECK(read_text(latin, strlen(latin), err, sizeof err) == -1);
  snprintf(want, sizeof want, "%s: charset must be UTF-8, not ISO-8859-1", path);
  CHECK_STR(err, want);

  /* A file that is not there. */
  CHECK(po_read("/nonexistent/confer.po", collect, NULL, err, sizeof err) == -1);
  CHECK_STR(err, "/nonexistent/confer.po: No such file or directory");

  /* Header fields: by name, any case, value without leading blanks; too long is NULL. */
  char buf[64];
  const char *header = "Language: cy\nplural-forms:  nplurals=2; plural=(n != 1);\n";
  CHECK_STR(po_header_field(header, "Plural-Forms", buf, sizeof buf), "nplurals=2; plural=(n != 1);");
  CHECK_STR(po_header_field(header, "Language", buf, sizeof buf), "cy");
  CHECK(po_header_field(header, "Content-Type", buf, sizeof buf) == NULL);
  CHECK(po_header_field(header, "Plural-Forms", buf, 8) == NULL);

  test_kept();

  unlink(path);
  rmdir(dir);
  return TEST_SUMMARY();
}
