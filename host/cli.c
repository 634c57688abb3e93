/*
** cli.c — what the commands of the command line share: errors, usage, actor.
*/
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "utf8.h"

const char *cli_usage(const char *command) {
  char key[96];
  snprintf(key, sizeof key, "usage.%s", command);
  const char *text = i18n_text(key);
  return strcmp(text, key) == 0 ? NULL : text;
}

const char *cli_refused_word(int argc, char **argv) {
  /* confer's commands have no short options a word could bundle, so such a word
     is refused at its first letter. */
  if (optarg != NULL && optind >= 2 && optarg == argv[optind - 1]) return argv[optind - 2];
  const char *word = optind < argc ? argv[optind] : NULL;
  if (word != NULL && optopt != 0 && word[0] == '-' && word[1] == optopt && word[2] != '\0')
    return word;
  return argv[optind - 1];
}

/*
** Writes FMT and AP to stderr on one line, with each control character and
** each byte that is not UTF-8 shown as '?' and a line break, carriage return
** or tab as a space (utf8_printable_copy, ONE_LINE): an error echoes words of
** the command line or a file, and an escape sequence among them would reach
** the terminal, a line break a second line that could pass for confer's own.
*/
static void write_printable(const char *fmt, va_list ap) {
  char small[1024], small_shown[1024], *text = small, *shown = small_shown;
  va_list again;
  va_copy(again, ap);
  int len = vsnprintf(small, sizeof small, fmt, ap);
  if (len >= (int)sizeof small) {
    text = malloc((size_t)len + 1);
    shown = text == NULL ? NULL : malloc((size_t)len + 1);
    if (shown != NULL) vsnprintf(text, (size_t)len + 1, fmt, again);
    else {   /* cut short rather than lost */
      free(text);
      text = small, shown = small_shown, len = (int)sizeof small - 1;
    }
  }
  va_end(again);
  if (len > 0) {
    size_t n = utf8_printable_copy(shown, (size_t)len + 1, text, (size_t)len, 1);
    fwrite(shown, 1, n, stderr);
  }
  if (text != small) free(text);
  if (shown != small_shown) free(shown);
}

int cli_usage_error(const char *command, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "confer %s: ", command);
  va_start(ap, fmt);
  write_printable(fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  const char *usage = cli_usage(command);
  if (usage != NULL) fprintf(stderr, "%s\n", usage);
  return 2;
}

int cli_fail(const char *fmt, ...) {
  va_list ap;
  fputs("confer: ", stderr);
  va_start(ap, fmt);
  write_printable(fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return 1;
}

store *cli_open_store(const char *db) {
  char path[PATH_MAX], err[1024];
  store *st = NULL;
  if (store_default_path(db, path, sizeof path, err, sizeof err) != 0 ||
      store_open(path, &st, err, sizeof err) != 0) {
    cli_fail("%s", err);
    return NULL;
  }
  return st;
}

const char *cli_actor(const char *chair) {
  if (chair != NULL && chair[0] != '\0') return chair;
  struct passwd *pw = getpwuid(getuid());
  if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0') return pw->pw_name;
  return "unknown";
}

void cli_warn_if_tampered(const char *broken, const char *message_key) {
  if (broken[0] == '\0') return;
  fprintf(stderr, "confer: ");
  fprintf(stderr, _(message_key), broken);
  fputc('\n', stderr);
}

/* 1 once stdout's failure has been told (cli_stdout_failed). */
static int stdout_failure_told;

int cli_stdout_failed(int reason) {
  if (!stdout_failure_told)
    cli_fail(_("cli.cannot_write_output"), strerror(reason != 0 ? reason : EIO));
  stdout_failure_told = 1;
  return 1;
}

int cli_flush_stdout(void) {
  if (stdout_failure_told) return -1;
  errno = 0;   /* a flush with nothing left to write fails no call: the reason is unknown */
  if (fflush(stdout) == 0 && !ferror(stdout)) return 0;
  cli_stdout_failed(errno);
  return -1;
}

int cli_close_stdout(int status) {
  int failed = cli_flush_stdout() != 0;
  errno = 0;
  /* EBADF: stdout was closed before we started (`>&-`) and nothing was written to it. */
  if (fclose(stdout) != 0 && errno != EBADF && !failed)
    failed = cli_stdout_failed(errno);
  return failed && status == 0 ? 1 : status;
}
