/*
 * site.h: the site graph and its rendering.
 *
 * From a loaded, error-free bank, pk_site_build links the site graph —
 * practices sorted newest first, mentors in Russian alphabetical order,
 * taxonomies (forms, kinds, regions, years, tags) with their practices,
 * URLs for everything — then renders every page through the theme and
 * hands each file to the output. Nothing is written if any page fails.
 *
 * URLs: every page lives at a pretty URL "<path>/" written as
 * "<path>/index.html"; links carry the path of base_url, so the site works
 * under a sub-folder.
 */
#ifndef PK_SITE_SITE_H
#define PK_SITE_SITE_H

#include "content/bank.h"
#include "core/diag.h"
#include "output/output.h"
#include "output/pagerec.h"

enum {
	PK_SITE_STRICT = 1 << 0, /* templates in strict mode */
	/* The process ends right after the build: the memory of a site that
	 * built is left to the kernel rather than freed piece by piece. */
	PK_SITE_LEAVE_MEMORY = 1 << 1,
};

typedef struct {
	unsigned flags;
	const char *generator;   /* "praktika 0.1.0" */
	/*
	 * Optional, for previews (praktika review): a map from a content
	 * file's path ("content/practices/x.md") to a value the page of that
	 * file shows as `review` (practice.review, mentor.review, or
	 * `review` on a free page); every other page has review: null.
	 */
	const pk_value *annotations;
	/*
	 * Optional extra pages: a list of maps {url_path: "changes/",
	 * template: "changes", title: "…", data: …}; each is rendered with
	 * its data as `review` and page.kind "extra".
	 */
	const pk_value *extra_pages;
	/* Worker threads for rendering (1: none). The site is the same byte
	 * for byte whatever the number. */
	int threads;
	/* Called on the main thread after each batch of pages is written. */
	void (*progress)(size_t pages, void *payload);
	void *progress_payload;
	/*
	 * Optional (praktika build): new_pages gets this build's page
	 * records (output/pagerec.h), under a key made of build_key and
	 * what every page shares; with old_pages, last build's, a page whose
	 * data has not changed since is kept as it is in the output instead
	 * of being rendered again.
	 */
	const pk_pagerec *old_pages;
	pk_pagerec *new_pages;
	const char *build_key;
} pk_site_opts;

#define PK_SITE_OPTS_INIT { PK_SITE_STRICT, "praktika", NULL, NULL, 1, NULL, NULL, NULL, NULL, NULL }

typedef struct {
	size_t pages;            /* HTML pages rendered */
	size_t files;            /* all files handed to the output */
	double link_seconds;     /* time of the link phase */
	size_t pages_kept;       /* pages kept as they were (page records) */
} pk_site_stats;

/* Builds the site of bank into out. Returns 0, or PK_ERROR with
 * diagnostics (the caller then aborts the output). */
int pk_site_build(pk_output *out, pk_bank *bank, const pk_site_opts *opts,
		  pk_site_stats *stats, pk_diags *diags);

#endif
