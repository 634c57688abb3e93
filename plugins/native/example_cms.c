/*
** example_cms.c — an example "case-management system" library for native.bind.
**
** It stands in for a vendor's library: export_record writes a conference's
** JSON record to DIR/conference-ID.json, atomically (a temporary file in the
** same directory, flushed to disk, then renamed over the target), so the
** system reading DIR never sees half a record. Built by CMake as the shared
** library example_cms; docs/native.md shows the allow-list entry and the
** plugin hook that call it.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An id is letters, digits, '-' and '_' only, so it cannot climb out of DIR. */
static int valid_id(const char *id) {
  if (*id == '\0' || strlen(id) > 64) return 0;
  for (const char *p = id; *p != '\0'; p++) {
    char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return 0;
  }
  return 1;
}

static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/*
** Writes JSON to DIR/conference-ID.json atomically. Returns 0, or -1 with
** the reason in ERR (ERRLEN bytes, always terminated when ERRLEN > 0).
*/
int export_record(const char *dir, const char *conference_id, const char *json, char *err,
                  size_t errlen) {
  char target[4096], temp[4160];
  if (!valid_id(conference_id)) {
    snprintf(err, errlen, "invalid conference id '%s'", conference_id);
    return -1;
  }
  if ((size_t)snprintf(target, sizeof target, "%s/conference-%s.json", dir, conference_id) >= sizeof target) {
    snprintf(err, errlen, "directory path too long");
    return -1;
  }
  snprintf(temp, sizeof temp, "%s.tmp.%ld", target, (long)getpid());
  int fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create %s: %s", temp, strerror(errno));
    return -1;
  }
  if (write_all(fd, json, strlen(json)) != 0 || write_all(fd, "\n", 1) != 0 || fsync(fd) != 0) {
    snprintf(err, errlen, "cannot write %s: %s", temp, strerror(errno));
    close(fd);
    unlink(temp);
    return -1;
  }
  if (close(fd) != 0 || rename(temp, target) != 0) {
    snprintf(err, errlen, "cannot write %s: %s", target, strerror(errno));
    unlink(temp);
    return -1;
  }
  if (errlen > 0) err[0] = '\0';
  return 0;
}
