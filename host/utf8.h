/*
** utf8.h — UTF-8 sequences, control characters, and text made safe to show.
**
** Contract. A plugin, a catalogue or a hostile script can put any bytes in
** the words the host prints: an escape sequence among them could clear the
** chair's screen, retitle the window, or make some terminals answer with
** bytes that arrive as if the chair had typed them. So before the host
** shows words it did not write itself, each control character (C0 but
** newline and tab, DEL, C1) and each byte that is not part of well-formed
** UTF-8 becomes '?'. The record itself never holds such characters
** (model.c and command.c refuse them at the door).
*/
#ifndef CONFER_UTF8_H
#define CONFER_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
** The length (1 to 4) of the well-formed UTF-8 sequence at S, of which
** AVAIL bytes are readable, with its code point in *CP; 0 when the bytes
** there are not UTF-8 (a stray continuation byte, an overlong form, a
** surrogate, past U+10FFFF, or cut short by AVAIL).
*/
size_t utf8_sequence(const unsigned char *s, size_t avail, uint32_t *cp);

/*
** How many bytes of S (LEN bytes of UTF-8) to show when at most MAX fit: LEN
** when it fits, else MAX less the bytes of a character MAX would cut, so a
** quotation clipped to MAX bytes ends between characters.
*/
size_t utf8_prefix_length(const char *s, size_t len, size_t max);

/* 1 if CP is a control character: C0 (tab included), DEL or C1. */
int utf8_is_control(uint32_t cp);

/*
** 1 if CP is a bidirectional embedding, override or isolate: U+202A..U+202E
** (LRE, RLE, PDF, LRO, RLO) or U+2066..U+2069 (LRI, RLI, FSI, PDI). One left
** unclosed reorders the rest of its line wherever it is shown, so words would
** no longer read as they were said. The marks U+200E, U+200F and U+061C
** (LRM, RLM, ALM) reorder nothing beyond themselves and are not counted.
*/
int utf8_is_bidi_control(uint32_t cp);

/*
** The offset in S (LEN bytes) of the first character utf8_printable_copy
** would show as '?' (a control character but newline and tab, or a byte
** that is not UTF-8), or LEN when there is none.
*/
size_t utf8_unprintable_at(const char *s, size_t len);

/*
** Copies LEN bytes of SRC into DST (DSTLEN bytes, always terminated when
** DSTLEN > 0) with each control character and each byte that is not UTF-8
** replaced by '?'. Newline and tab are kept, or become spaces when ONE_LINE
** (so is a carriage return); ONE_LINE also shows each bidirectional control
** (utf8_is_bidi_control) as '?', so a line of confer's own that echoes words
** is not reordered. A sequence that does not fit is left out whole, never
** cut. Returns the bytes written, the terminator not counted.
*/
size_t utf8_printable_copy(char *dst, size_t dstlen, const char *src, size_t len, int one_line);

/* Writes LEN bytes of S to OUT as utf8_printable_copy would show them (newline and tab kept). */
void utf8_printable_write(FILE *out, const char *s, size_t len);

#endif
