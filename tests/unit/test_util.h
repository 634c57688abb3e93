/*
** test_util.h — a tiny assert harness for the C unit tests.
**
** CHECK(cond) and CHECK_STR(actual, expected) count a pass or report a
** failure with file:line and carry on, so one run shows every failure.
** TEST_SUMMARY() prints "N passed, M failed" and is the exit status of main.
** Header-only: each test program includes it once.
*/
#ifndef CONFER_TEST_UTIL_H
#define CONFER_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

/* Counts COND; prints the failed expression and where it is. */
#define CHECK(cond) test_check_((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

/* Counts whether strings A and B are equal (NULL equals only NULL); prints both if not. */
#define CHECK_STR(a, b) test_check_str_((a), (b), #a, __FILE__, __LINE__)

/* Prints the summary line; the value is main's exit status (0 when all passed). */
#define TEST_SUMMARY() test_summary_()

static inline void test_check_(int ok, const char *expr, const char *file, int line) {
  if (ok) {
    test_passed++;
    return;
  }
  test_failed++;
  fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
}

static inline void test_check_str_(const char *a, const char *b, const char *expr,
                                   const char *file, int line) {
  if ((a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0)) {
    test_passed++;
    return;
  }
  test_failed++;
  fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:      %s%s%s\n  expected: %s%s%s\n",
          file, line, expr, a ? "\"" : "", a ? a : "NULL", a ? "\"" : "",
          b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
}

static inline int test_summary_(void) {
  printf("%d passed, %d failed\n", test_passed, test_failed);
  return test_failed == 0 ? 0 : 1;
}

#endif
