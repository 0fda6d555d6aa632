/*
 * testutil.h: helpers shared by the unit tests: temporary folders, writing
 * fixture files, and the repository's top folder.
 */
#ifndef PK_TESTUTIL_H
#define PK_TESTUTIL_H

#include "core/buf.h"
#include "core/diag.h"

/* A new empty temporary folder (free() the result; remove with
 * pk_test_rmtree). */
char *pk_test_tmpdir(void);
void pk_test_rmtree(const char *dir);
/* Writes text to dir/rel, creating folders. */
void pk_test_write(const char *dir, const char *rel, const char *text);
/* The repository's top folder: $PRAKTIKA_TOP or ".". */
const char *pk_test_top(void);
/* All diagnostics formatted one per line, for exact comparisons. */
void pk_test_diags_text(pk_buf *out, const pk_diags *diags);

#endif
