/*
** testlib.c — a tiny shared library for the native tests: one function per
** type the signatures admit, so each conversion round-trips through libffi.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int t_int(int x) { return x + 1; }
unsigned t_unsigned(unsigned x) { return x - 1u; }
int64_t t_int64(int64_t x) { return x - 1; }
uint64_t t_uint64(uint64_t x) { return x * 2u; }
double t_double(double x) { return x / 2.0; }
size_t t_size(size_t x) { return x + 10u; }
size_t t_strlen(const char *s) { return strlen(s); }

static int void_calls;
void t_void(void) { void_calls++; }
int t_void_calls(void) { return void_calls; }

/* Writes "PREFIX:N" into OUT (truncated to OUTLEN - 1 bytes), returns the full length. */
int t_buffer(const char *prefix, int n, char *out, size_t outlen) {
  return snprintf(out, outlen, "%s:%d", prefix, n);
}

/* Mixed: every argument type at once, summed into a double. */
double t_mixed(int a, unsigned b, int64_t c, uint64_t d, double e, size_t f, const char *g) {
  return (double)a + (double)b + (double)c + (double)d + e + (double)f + (double)strlen(g);
}

/* Two buffers: copies S into both, upper-casing the second. */
void t_two(const char *s, char *a, size_t alen, char *b, size_t blen) {
  snprintf(a, alen, "%s", s);
  snprintf(b, blen, "%s", s);
  for (char *p = b; *p != '\0'; p++)
    if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
}

/* The benchmark's work: the sum of a string's bytes plus N. */
int t_bench(const char *s, int n) {
  int sum = n;
  for (; *s != '\0'; s++) sum += (unsigned char)*s;
  return sum;
}

/* A variable, not a function: binding it as one must be refused. */
int t_data = 7;
