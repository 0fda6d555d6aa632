/*
 * site_internal.h: what the files of src/site/ share. Not public: other
 * modules use site.h.
 *
 *   graph.c   sorting, URLs, taxonomies (the link phase)
 *   values.c  the data templates see: practices, mentors, terms, dates
 *   pages.c   one function per page kind, pagination, rendering
 *   feeds.c   sitemap.xml, atom.xml, robots.txt
 *   site.c    pk_site_build: the phases in order, static files
 */
#ifndef PK_SITE_INTERNAL_H
#define PK_SITE_INTERNAL_H

#include "site/site.h"
#include "site/theme.h"
#include "core/strmap.h"
#include "core/vec.h"
#include "text/text.h"

#include <pthread.h>

typedef struct {
	const char *id;              /* form id, region code, "2024", tag slug */
	const char *title;
	char *url_path;              /* "forms/uchitel-uchitel/" */
	const pk_vocab_entry *entry; /* NULL for years and tags */
	pk_vec practices;            /* pk_practice *, newest first */
	pk_vec cards;                /* const pk_value *, the same order */
	pk_value *value;             /* {id, title, url, count, count_text, …} */
	pk_buf sort_key;
} pk_site_term;

typedef struct {
	const char *name;            /* "forms": also the URL folder */
	const char *term_kind;       /* page kind of a term page: "form" */
	const char *index_kind;      /* page kind of the index: "forms" */
	bool keep_empty;             /* list terms without practices too */
	pk_vec terms;                /* pk_site_term * in display order */
	pk_strmap by_id;
} pk_site_taxonomy;

typedef struct {
	char *url_path;              /* "practices/<slug>/" */
	size_t order;                /* position in the site's order (newest first) */
	pk_value *card;              /* what lists show */
	char *plain;                 /* the body as plain text, for a summary
					when there is no goal; else NULL */
} pk_site_practice;

typedef struct {
	char *url_path;              /* "mentors/<slug>/" */
	pk_value *value;             /* consented fields only */
	pk_value *ref;               /* {slug, name, url, position}: what a practice shows */
	pk_buf sort_key;
	char *bio_html;              /* the body, when 'bio' is consented */
} pk_site_mentor;

typedef struct {
	char *url_path;              /* "about/" */
	char *html;
} pk_site_page;

typedef struct {
	pk_bank *bank;
	const pk_config *cfg;
	const pk_site_opts *opts;
	pk_theme theme;
	pk_output *out;
	pk_diags *diags;
	pk_site_stats *stats;
	pk_text_collator *collator;
	pk_vec practices;            /* pk_practice *, newest first */
	pk_vec cards;                /* their cards, the same order */
	pk_vec mentors;              /* published pk_mentor *, alphabetical */
	pk_vec mentor_values;        /* their values, the same order */
	pk_site_taxonomy forms, kinds, regions, years, tags;
	pk_strmap tag_slugs;         /* a tag as written → its slug (kept in owned) */
	pk_value *site_value;        /* the `site` map (without menu) */
	const pk_value *strings;     /* `t`, owned by the theme */
	pk_strmap url_by_rel;        /* source key of a content file → its page's URL path */
	pk_strmap entry_refs;        /* "forms/<id>" → owned {id, title, url, …} of a
					vocabulary entry, which cards hold refs to */
	pk_strmap files;             /* output path → pk_site_file * to publish */
	pthread_mutex_t files_lock;  /* guards files and content_files: workers publish too */
	pk_strmap content_files;     /* source key of every file under content/ */
	bool content_listed;         /* content_files was filled (when first needed) */
	pk_value *owned;             /* a list holding values freed at the end */
	pk_vec queue;                /* pk_site_queued *: pages waiting for workers */
	struct pk_site_batch *inflight; /* the batch workers render now, or NULL */
	int threads;                 /* worker threads for rendering */
	struct pk_site_workbufs *workbufs; /* per rendering thread (queue.c) */
	/* Page records (output/pagerec.h): last build's when they hold for
	 * this one (else NULL), and this build's, both from the options. */
	const pk_pagerec *old_pages;
	pk_pagerec *new_pages;
	const pk_value *fp_shared[2]; /* site_value, strings: in the key */
	pk_value_fp_memo *fp_memo;   /* digests of the values pages share */
	void (*progress)(size_t pages, void *payload);
	void *progress_payload;
} pk_site;

typedef struct pk_site_queued pk_site_queued;
typedef struct pk_site_batch pk_site_batch;

/* A file of a source published as is (an attachment, a photo, a file a
 * body links to). */
typedef struct {
	pk_source *src;
	char *src_rel;               /* "content/files/plan.pdf" */
} pk_site_file;

/* graph.c */
int pk_site__link(pk_site *site);
/* The site-relative URL path of the page of a content file, or NULL. */
const char *pk_site__url_of(const pk_site *site, const pk_bank_source *origin, const char *rel);
/* Registers the content file rel of origin for publication and returns
 * its site-relative path ("files/plan.pdf" for the bank's own files,
 * "sources/<name>/files/plan.pdf" for another source's, appended to out.
 * PK_ENOTFOUND when the file does not exist or lies outside content/.
 * Safe on worker threads. */
int pk_site__publish(pk_buf *out, pk_site *site, const pk_bank_source *origin, const char *rel);
/* Renders a practice's body as HTML into *html (free() it); safe on
 * worker threads, diagnostics go to diags. */
int pk_site__practice_html(pk_site *site, const pk_practice *p, char **html, bool *published,
			   pk_diags *diags);
/* Appends what every body's links resolve against (the URL of every
 * content file that has a page, the base path): part of the page key. */
void pk_site__link_key(const pk_site *site, pk_buf *out);

/* values.c */
/* A copy of the review annotation of content file rel, or null. */
pk_value *pk_site__annotation(const pk_site *site, const char *rel);
/* Adds has_<key> (true when non-empty) for every list in map, so themes
 * can wrap a list in a section only when it has items. */
void pk_site__add_has_flags(pk_value *map);
/* Appends base_path + path: the href of a page. */
void pk_site__href(pk_buf *out, const pk_site *site, const char *path);
/* Appends base_url + path: the absolute address. */
void pk_site__permalink(pk_buf *out, const pk_site *site, const char *path);
pk_value *pk_site__url_value(const pk_site *site, const char *path);
/* The slug of a tag some practice has, as the link step made it. */
const char *pk_site__tag_slug(const pk_site *site, const char *tag);
/* YYYY-MM-DD (a month alone as its first day). */
void pk_site__iso_date(pk_buf *out, pk_date date);
pk_value *pk_site__date_value(const pk_site *site, pk_date date);
void pk_site__date_text(pk_buf *out, const pk_site *site, pk_date date);
/* "12 практик": plural_key is "practices", "mentors" or "years". */
pk_value *pk_site__count_text(const pk_site *site, const char *plural_key, size_t n);
/* A string from the theme (t.a.b), or fallback. */
const char *pk_site__string(const pk_site *site, const char *dotted, const char *fallback);
void pk_site__build_term_value(pk_site *site, pk_site_term *term);
/* The {id, title, url} maps of the forms, kinds and regions, built once
 * for the cards (before they are built on all threads) to refer to. */
void pk_site__build_entry_refs(pk_site *site);
void pk_site__free_entry_refs(pk_site *site);
/* The card of a practice (what lists show), kept for the whole build. */
void pk_site__build_card(pk_site *site, pk_practice *p);
/* The full value of a practice page, built when its page is prepared and
 * freed with it: its card (shared, not copied) under the fields only the
 * page shows, content among them (the body as HTML, given by the caller). */
pk_value *pk_site__practice_full(pk_site *site, pk_practice *p, const pk_value *meta,
				 const char *content_html);
/* Everything a practice page's data is made of, as a small value that
 * can stand in for it in the page's fingerprint (output/pagerec.h):
 * its front matter (tags among it) and body by their hashes, its dates,
 * the source's defaults, and its card, mentors and neighbours' cards by
 * reference to the shared values.
 * So a kept page needs neither its front matter unpacked nor its data
 * made. NULL when it cannot be told without making the data (the page
 * has attachments, whose files are read then, or review annotations, or
 * the front matter was not hashed). */
pk_value *pk_site__practice_inputs(pk_site *site, pk_practice *p);
void pk_site__build_mentor_value(pk_site *site, pk_mentor *m);
/* Adds the cards of their practices once the practices have values. */
void pk_site__finish_mentor_value(pk_site *site, pk_mentor *m);
pk_value *pk_site__build_site_value(pk_site *site);

/* pages.c */
int pk_site__render_all(pk_site *site);
/* What every page shows besides its own data: `page` (kind, title,
 * description, URL, breadcrumbs) and the `site` it sees (its own menu,
 * the current item marked). Made on the worker that renders the page,
 * so the main thread only says what it is. */
typedef struct {
	const char *kind;            /* "practice", "forms", …: a literal */
	char *title, *description;   /* owned; description NULL: the site's */
	char *url_path;              /* owned */
	pk_value *crumbs;            /* owned list of {title, url} */
} pk_site_frame;
/* Adds `site` and `page` to scope, taking the crumbs. */
void pk_site__frame_put(pk_site *site, pk_value *scope, pk_site_frame *frame);
void pk_site__frame_release(pk_site_frame *frame);

/* queue.c */
/* Work a page needs done on its worker (a practice's data and body), in
 * steps around the page's fingerprint (output/pagerec.h):
 * - inputs, with page records, may describe the data the page lacks
 *   without making it: it adds a stand-in to the page's data and returns
 *   true; the page is then fingerprinted before data runs, and data
 *   (which replaces the stand-in) runs only if the page is rendered;
 * - data completes the page's data and appends to extra what else the
 *   page shows that its data does not hold (a body not yet rendered);
 * - finish does what only rendering needs (the body as HTML) and clears
 *   *pure if that had effects a kept page would miss (a file published);
 * - drop frees arg; called once, last, whatever happened (also when the
 *   page is kept or dropped unrendered). Any of them may be NULL. */
typedef struct {
	bool (*inputs)(pk_site *site, void *arg);
	int (*data)(pk_site *site, void *arg, pk_buf *extra, pk_diags *diags);
	int (*finish)(pk_site *site, void *arg, bool *pure, pk_diags *diags);
	void (*drop)(void *arg);
	void *arg;
} pk_site_work;
/* Queues a prepared page: its template (and its name), its data
 * (ownership moves to the queue), its output path, its frame (moved to
 * the queue, which adds it to the data on the worker) and work for the
 * worker (NULL: none). */
void pk_site__queue_push(pk_site *site, const pk_tmpl *tmpl, const char *tmpl_name,
			 pk_value *scope, const char *file, pk_site_frame *frame,
			 const pk_site_work *work);
/* Renders every queued page (those in flight too) and writes them. */
int pk_site__queue_flush(pk_site *site);
/* When the queue holds a batch: finishes the batch in flight and starts
 * the workers on this one, in the background. */
int pk_site__queue_maybe_flush(pk_site *site);
void pk_site__queue_release(pk_site *site);

/* feeds.c */
int pk_site__write_feeds(pk_site *site);

#endif
