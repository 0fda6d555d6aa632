/*
 * page.h: free pages (the .md files under content/pages/: about, documents, …) and the
 * home page's text (content/_index.md).
 */
#ifndef PK_CONTENT_PAGE_H
#define PK_CONTENT_PAGE_H

#include "content/doc.h"

typedef struct pk_bank pk_bank;

typedef struct {
	pk_doc doc;
	const char *title;
	const char *description;  /* NULL when absent */
	long weight;              /* menu order, smaller first; 0 when absent */
	char *url_path;           /* "about/" or "docs/order/" (owned) */
	bool draft;
	void *site_data;
} pk_page;

/* Loads a free page; its URL path comes from rel below content/pages/. */
int pk_page_load(pk_page *out, const pk_bank_source *origin, const char *rel,
		pk_diags *diags);
/* Loads content/_index.md as the home page text (title optional). */
int pk_page_load_home(pk_page *out, const pk_bank_source *origin, const char *rel,
		      pk_diags *diags);
void pk_page_release(pk_page *p);

#endif
