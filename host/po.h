/*
** po.h — reading GNU gettext PO files, the catalogues' format.
**
** Contract. po_read parses one PO file strictly and hands each message to a
** callback: the header (msgid ""), singular entries (msgid/msgstr) and plural
** ones (msgid_plural/msgstr[0..]), with msgctxt and the fuzzy flag as
** written; obsolete entries (#~) and other comments are skipped. Strings are
** the decoded text (escapes applied, continuation lines joined) and must be
** UTF-8; the header's charset, when it names one, must be UTF-8 too.
** Anything else the format does not allow stops the read with
** "FILE:LINE: problem", in the words GNU gettext's own tools use where they
** have them, so a translator checking with msgfmt sees the same thing.
** The messages are English: the reader cannot use catalogues to describe
** why a catalogue does not read. This module calls nothing else in the host.
*/
#ifndef CONFER_PO_H
#define CONFER_PO_H

#include <stddef.h>

/* The most msgstr[N] forms one entry may have (gettext's rules need at most 6). */
#define PO_MAX_FORMS 16

/* One message as the file gives it. Pointers live until the callback returns (po_read_kept: as long as the block). */
typedef struct po_message {
  const char *msgctxt;            /* NULL when the entry has none */
  const char *msgid;              /* "" for the header */
  const char *msgid_plural;       /* NULL for a singular entry */
  const char *msgstr[PO_MAX_FORMS];   /* msgstr alone in [0], or msgstr[0..nforms-1] */
  int nforms;
  int fuzzy;                      /* "#, fuzzy": not to be used */
  size_t line;                    /* the line of its msgid */
} po_message;

/* Called once per message in file order; a non-zero return stops the read and is returned. */
typedef int (*po_message_fn)(void *ctx, const po_message *message);

/*
** Reads PATH and calls FN(CTX, message) for each message. Returns 0; -1 with
** "FILE:LINE: problem" (or "FILE: problem") in ERR when the file cannot be
** read or does not parse, having called FN for the messages before the
** problem; or FN's non-zero return.
*/
int po_read(const char *path, po_message_fn fn, void *ctx, char *err, size_t errlen);

/*
** As po_read, but the strings handed to FN outlive the callback: they are
** the file's own bytes, decoded in place, in one block stored in *BLOCK for
** the caller to free, whatever the return (NULL when the file could not be
** read). A message's forms lie one after another in it: msgstr[i + 1]
** begins just after the NUL that ends msgstr[i].
*/
int po_read_kept(const char *path, po_message_fn fn, void *ctx, char **block, char *err, size_t errlen);

/*
** Copies the value of header field NAME ("Plural-Forms") of HEADER (the
** header message's msgstr: "Name: value" lines) into BUF of SIZE bytes.
** Returns BUF, or NULL when the header has no such field or it does not fit.
*/
char *po_header_field(const char *header, const char *name, char *buf, size_t size);

#endif
