/*
** dynlib.h — optional libraries opened on first use, not at start-up.
**
** Contract. libpq (the PostgreSQL store) and libmicrohttpd (the live board)
** bring 30 shared libraries between them, which every confer process would
** otherwise load and relocate before main: two thirds of `confer --version`'s
** start-up. A module that needs one lists the functions it calls and resolves
** them when first needed:
**
**   #define PQ_FUNCTIONS(X) X(PQconnectdb) X(PQfinish)
**   static struct { PQ_FUNCTIONS(DYNLIB_POINTER) } pq;     calls: pq.PQfinish(c)
**   #define PQ_SLOT(f) (void **)&pq.f,
**   static const char *const names[] = {PQ_FUNCTIONS(DYNLIB_NAME)};
**   void **const slots[] = {PQ_FUNCTIONS(PQ_SLOT)};
**   dynlib_load("libpq.so.5", "PostgreSQL", names, slots, N, err, errlen)
**
** The pointers keep the declared types of the library's own header, so every
** call is type-checked as a direct call would be. Handles stay open for the
** life of the process. Call dynlib_open from one thread (the main one, before
** any thread that uses the library starts); SONAME must outlive the process
** (a string literal). Messages come from the catalogue (dynlib.*).
** This module calls nothing else in the host but i18n.
*/
#ifndef CONFER_DYNLIB_H
#define CONFER_DYNLIB_H

#include <stddef.h>

/* A member of a module's table of functions: a pointer typed as the header declares NAME. */
#define DYNLIB_POINTER(name) __typeof__(name) *name;

/*
** Opens the shared library SONAME ("libpq.so.5") once per process; a later call
** returns the same handle. WHAT names the feature that needs it ("PostgreSQL").
** Returns the handle, or NULL with "WHAT needs SONAME: the loader's reason" in ERR.
*/
void *dynlib_open(const char *soname, const char *what, char *err, size_t errlen);

/* A module's list of names, in the order of its table: DYNLIB_NAME(f) is "f". */
#define DYNLIB_NAME(name) #name,

/*
** Opens SONAME (dynlib_open) and stores the address of each of the N symbols
** NAMES[i] in *SLOTS[i], a DYNLIB_POINTER member (dlsym gives an object
** pointer; POSIX specifies storing it through a void ** as the way to get a
** function pointer). Once every slot is filled, later calls for SONAME return
** at once, so threads already using the table never see it written again.
** Returns 0, or -1 with ERR set: the dynlib_open message, or "SONAME has no
** SYMBOL" (a library older than the one confer was built against).
*/
int dynlib_load(const char *soname, const char *what, const char *const *names, void **const *slots,
                size_t n, char *err, size_t errlen);

#endif
