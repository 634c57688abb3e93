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
**   #define PQ_SET(f) if (DYNLIB_SET(pq.f, handle, SONAME, #f, err, errlen) != 0) return -1;
**   PQ_FUNCTIONS(PQ_SET)                                    (in the module's loader)
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

/*
** The address of SYMBOL in HANDLE (opened by dynlib_open from SONAME), or NULL
** with "SONAME has no SYMBOL" in ERR (a library older than the one built against).
*/
void *dynlib_symbol(void *handle, const char *soname, const char *symbol, char *err, size_t errlen);

/*
** Sets the function pointer SLOT (a DYNLIB_POINTER member) to SYMBOL of HANDLE;
** evaluates to 0, or -1 with ERR set. (dlsym returns an object pointer; POSIX
** specifies storing it through a void ** as the way to get a function pointer.)
*/
#define DYNLIB_SET(slot, handle, soname, symbol, err, errlen) \
  ((*(void **)&(slot) = dynlib_symbol((handle), (soname), (symbol), (err), (errlen))) == NULL ? -1 : 0)

#endif
