/*
** replay.c — runs a fuzz target's LLVMFuzzerTestOneInput on files, without
** libFuzzer: the regression tests replay the seed corpus and every input
** that once crashed a target, in the ordinary (sanitized) build.
**   replay_fuzz_X FILE|DIR...
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads PATH whole and runs the target on it; -1 if it cannot be read. */
static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return -1;
  }
  size_t cap = 4096, len = 0;
  unsigned char *buf = malloc(cap);
  size_t n;
  while (buf != NULL && (n = fread(buf + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      unsigned char *bigger = realloc(buf, cap *= 2);
      if (bigger == NULL) free(buf);
      buf = bigger;
    }
  }
  int failed = buf == NULL || ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    fprintf(stderr, "replay: cannot read %s\n", path);
    return -1;
  }
  LLVMFuzzerTestOneInput(buf, len);
  free(buf);
  return 0;
}

/* Replays PATH, or each file in it when it is a directory; returns the files run, or -1. */
static int replay(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: no such file or directory %s\n", path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) return replay_file(path) == 0 ? 1 : -1;
  struct dirent **names;
  int n = scandir(path, &names, NULL, alphasort), count = 0;
  if (n < 0) {
    fprintf(stderr, "replay: cannot list %s\n", path);
    return -1;
  }
  for (int i = 0; i < n; i++) {
    char file[4096];
    if (names[i]->d_name[0] != '.' && count >= 0) {
      snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
      count = replay_file(file) == 0 ? count + 1 : -1;
    }
    free(names[i]);
  }
  free(names);
  return count;
}

int main(int argc, char **argv) {
  int total = 0;
  for (int i = 1; i < argc; i++) {
    int n = replay(argv[i]);
    if (n < 0) return 1;
    total += n;
  }
  if (total == 0) {
    fprintf(stderr, "replay: no inputs\n");
    return 1;
  }
  printf("replayed %d inputs\n", total);
  return 0;
}
