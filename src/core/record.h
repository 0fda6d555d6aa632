/*
 * record.h: the text format of praktika's own state files (the build
 * stamp): space-separated fields, one record a line, strings written as
 * <length>:<bytes> so that any byte (a space, a newline in a file name)
 * survives, and a closing checksum line so that a truncated or damaged
 * file is never trusted.
 *
 * A reader never fails loudly: the first malformed field clears r->ok and
 * every later read returns an empty value, so callers check ok once at
 * the end and treat a bad file as a missing one.
 */
#ifndef PK_CORE_RECORD_H
#define PK_CORE_RECORD_H

#include "core/buf.h"

#include <stdint.h>

/* Appends "<len>:<bytes> ". */
void pk_record_put_str(pk_buf *out, const char *s, size_t len);
/* Appends the decimal number and a space. */
void pk_record_put_u64(pk_buf *out, uint64_t v);
void pk_record_put_i64(pk_buf *out, int64_t v);
/* Ends the current record (replaces the last space with a newline). */
void pk_record_end(pk_buf *out);
/* Appends a section header: a record "<word> <n>" before n records. */
void pk_record_put_section(pk_buf *out, const char *word, size_t n);
/* Appends the checksum line over everything before it; call last. */
void pk_record_seal(pk_buf *out);

typedef struct {
	const char *p, *end; /* what is left to read, checksum line excluded */
	bool ok;
} pk_record_reader;

/* Starts reading text; false (and r->ok false) unless its checksum line
 * matches. The reader borrows text. */
bool pk_record_open(pk_record_reader *r, const char *text, size_t len);
/* Reads one string field; *out borrows the text. */
pk_slice pk_record_str(pk_record_reader *r);
uint64_t pk_record_u64(pk_record_reader *r);
int64_t pk_record_i64(pk_record_reader *r);
/* Reads a string field and checks that it equals word. */
bool pk_record_expect(pk_record_reader *r, const char *word);
/* Reads a section header written by pk_record_put_section; returns its
 * count, which is never more than the bytes left (each record takes one
 * at least), so a damaged count cannot make a caller loop for long. */
uint64_t pk_record_section(pk_record_reader *r, const char *word);
/* True at the end of the current record; consumes the newline. */
bool pk_record_at_end(pk_record_reader *r);
/* True when everything was read and was well formed. */
bool pk_record_done(const pk_record_reader *r);

#endif
