/*
 * pagerec.h: which data each page of the last build was rendered from.
 *
 * A build records, for every page it rendered cleanly (no message, no
 * file published as a side effect), a 128-bit fingerprint of the page's
 * data (pk_value_fingerprint) under the page's output path, and one key
 * for everything all pages share (the program, the options, the theme's
 * templates, the site's own values). The next build with the same key
 * keeps a page whose fingerprint is the same, provided the output still
 * holds the file as written (pk_output_keep), instead of rendering it:
 * one edited practice re-renders the pages that show it, not the site.
 *
 * The file sits next to the build stamp (in the user's cache folder); it
 * vouches for one output folder only, so a build removes it before it
 * changes that folder and writes it after the new site is in place. A
 * missing, damaged or foreign file is no records at all.
 */
#ifndef PK_OUTPUT_PAGEREC_H
#define PK_OUTPUT_PAGEREC_H

#include "core/strmap.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	uint64_t lo, hi;
} pk_pagerec_fp;

typedef struct {
	pk_pagerec_fp key;  /* what every page's data depends on besides its own */
	pk_strmap pages;    /* output path -> pk_pagerec_fp * (owned) */
} pk_pagerec;

#define PK_PAGEREC_INIT { { 0, 0 }, PK_STRMAP_INIT }

/* The fingerprint of bytes (two independent 64-bit hashes). */
pk_pagerec_fp pk_pagerec_hash(const void *bytes, size_t len);
bool pk_pagerec_fp_equal(pk_pagerec_fp a, pk_pagerec_fp b);

/* Reads file into r (empty r if it is missing or damaged); PK_OK or
 * PK_ENOTFOUND. */
int pk_pagerec_read(pk_pagerec *r, const char *file);
/* The recorded fingerprint of path, or NULL. */
const pk_pagerec_fp *pk_pagerec_get(const pk_pagerec *r, const char *path);
/* Records path (a copy) with fp, replacing what it had. */
void pk_pagerec_put(pk_pagerec *r, const char *path, pk_pagerec_fp fp);
/* Writes r to file atomically; PK_OK or PK_ERROR (the caller then has
 * no records next time, which only costs a full render). */
int pk_pagerec_write(const pk_pagerec *r, const char *file);
void pk_pagerec_release(pk_pagerec *r);

#endif
