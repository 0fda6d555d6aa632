/*
 * diag.h: diagnostics for the person editing content (STYLE.md §11).
 *
 * A build collects every problem into one pk_diags and prints them all at
 * the end as "path:line:col: error: message". Messages are lowercase, with
 * no final full stop, and quote the offending value. A line or column of 0
 * is omitted from the printed location.
 */
#ifndef PK_CORE_DIAG_H
#define PK_CORE_DIAG_H

#include "core/buf.h"
#include "core/common.h"

#include <stdarg.h>
#include <stdio.h>

typedef enum {
	PK_DIAG_NOTE,
	PK_DIAG_WARNING,
	PK_DIAG_ERROR,
} pk_severity;

typedef struct {
	char *path;      /* owned; "" when the problem has no file */
	int line, col;   /* 1-based; 0 when unknown */
	pk_severity severity;
	char *msg;       /* owned */
} pk_diag;

typedef struct {
	pk_diag *items;
	size_t len, cap;
	size_t errors, warnings;
} pk_diags;

#define PK_DIAGS_INIT { NULL, 0, 0, 0, 0 }

void pk_diags_init(pk_diags *d);
void pk_diags_release(pk_diags *d);
/* Records a diagnostic; path may be NULL; d may be NULL (nothing is
 * recorded, the return value is the same). Always returns PK_ERROR for
 * PK_DIAG_ERROR and PK_OK otherwise, so callers can `return pk_diag_add(..)`. */
int pk_diag_add(pk_diags *d, pk_severity sev, const char *path, int line, int col,
		const char *fmt, ...) PK_PRINTF(6, 7);
int pk_diag_vadd(pk_diags *d, pk_severity sev, const char *path, int line, int col,
		 const char *fmt, va_list ap);
/* Shorthands for the common severities. */
int pk_diag_error(pk_diags *d, const char *path, pk_pos pos, const char *fmt, ...)
	PK_PRINTF(4, 5);
int pk_diag_warning(pk_diags *d, const char *path, pk_pos pos, const char *fmt, ...)
	PK_PRINTF(4, 5);
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void pk_diags_move(pk_diags *dst, pk_diags *src);
/* Formats one diagnostic as a single line without the newline. */
void pk_diag_format(pk_buf *out, const pk_diag *diag);
/* Sorts by path, line, column (stable), for deterministic output. */
void pk_diags_sort(pk_diags *d);
/* Prints each diagnostic on its own line. */
void pk_diags_print(const pk_diags *d, FILE *fp);

#endif
