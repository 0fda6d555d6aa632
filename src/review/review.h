/*
 * review.h: what a change to a bank does, for an editor reviewing a merge
 * request (`praktika review BASE HEAD`).
 *
 * Two banks are compared: BASE (the target branch) and HEAD (the merge
 * request), each loaded as it is, errors included. The review lists the
 * practices, mentors and free pages added, changed, removed and renamed,
 * with the front-matter values that changed (old → new, as short text)
 * and whether the Markdown body changed; then every other file of the
 * bank (site.yaml, data/, attachments…) added, changed or removed. It
 * sorts HEAD's diagnostics into three groups: those in changed files,
 * those the change causes elsewhere (in an unchanged file but not among
 * BASE's diagnostics, compared as formatted text), and those that were
 * there before.
 *
 * Invariants:
 * - Content files are matched by their path in the bank (pk_doc.rel, and
 *   the source's name for `sources:`), so the banks may be read from
 *   different folders. A path only in BASE and a path only in HEAD, of the
 *   same kind, are one renamed file when their slugs are equal or their
 *   front matter and body are identical; slugs are tried first. Other
 *   files are matched by path too. Paths are shown, and HEAD's problems
 *   are sorted, by the path as diagnostics show it (pk_doc.path).
 * - A pk_review borrows nothing: every string in it is a copy, so the
 *   banks may be released before it.
 * - Items are sorted by kind (practices, mentors, pages, other files),
 *   then by path in the bank. Diagnostics in each group are sorted by
 *   place. Problems are compared as formatted text with the folder each
 *   bank was read from taken out.
 * - Field names are written "goal", "consent.publish" (inside a map) and
 *   "stages[2].title" (inside the second item of a list of maps; items
 *   count from 1, as an editor counts them). Nested maps and lists of
 *   maps are followed at most PK_REVIEW_MAX_DEPTH levels deep; a deeper
 *   difference is shown at that level.
 *
 * Layering: review sits above content and source, beside site; only the
 * command line uses it.
 */
#ifndef PK_REVIEW_REVIEW_H
#define PK_REVIEW_REVIEW_H

#include "content/bank.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/vec.h"
#include "value/value.h"

#include <stdbool.h>

/* How deep the field diff follows nested maps and lists of maps. */
#define PK_REVIEW_MAX_DEPTH 4

/* Compact values are cut to this many characters in the summaries. */
#define PK_REVIEW_SHORT 120

typedef enum {
	PK_REVIEW_ADDED,
	PK_REVIEW_CHANGED,
	PK_REVIEW_REMOVED,
	PK_REVIEW_RENAMED,
} pk_review_status;

typedef enum {
	PK_REVIEW_PRACTICE,
	PK_REVIEW_MENTOR,
	PK_REVIEW_PAGE,
	PK_REVIEW_FILE, /* any other file of the bank */
} pk_review_kind;

/* One front-matter value that differs. Every string is owned. */
typedef struct {
	char *name;      /* "goal", "consent.publish", "stages[2].title" */
	size_t top_len;  /* length of the top-level field's name in name */
	char *old_text;  /* pk_review_compact of the old value; NULL if absent */
	char *new_text;  /* NULL when the field was removed */
} pk_review_field;

/* One added, changed, removed or renamed file. Every string is owned. */
typedef struct {
	pk_review_kind kind;
	pk_review_status status;
	char *path;        /* as diagnostics show it: HEAD's, BASE's if removed */
	char *old_path;    /* renamed: the BASE path; else NULL */
	char *rel;         /* path in the bank ("content/practices/x.md"), the
			      key of the preview's annotations; NULL for
			      files of another source (`sources:` in site.yaml) */
	char *title;       /* title, or the mentor's name; the path if none */
	char *url_path;    /* "practices/x/": its page in HEAD's site, or NULL
			      (removed, draft, mentor without consent) */
	pk_vec fields;     /* pk_review_field *, in the file's order */
	pk_vec top;        /* pk_review_field *: one per changed top-level
			      field, values cut to 300 characters (previews) */
	bool body_changed; /* the Markdown after the front matter differs */
} pk_review_item;

/* One side of the comparison; everything is borrowed for the call. */
typedef struct {
	const pk_bank *bank;     /* loaded, errors allowed */
	const pk_diags *diags;   /* what loading it reported */
	const char *label;       /* the revision as the user named it */
	const char *commit;      /* its commit id (hex), or NULL */
} pk_review_side;

typedef struct {
	char *base_label, *head_label;
	char *base_commit, *head_commit; /* 7 hex digits, or NULL */
	char *base_path;                 /* HEAD's site path: "/" or "/bank/" */
	pk_vec items;                    /* pk_review_item * */
	pk_diags in_changed;             /* HEAD problems in changed files */
	pk_diags caused;                 /* new problems in other files */
	pk_diags before;                 /* problems elsewhere that BASE had too */
	size_t fixed;                    /* BASE problems that HEAD no longer has */
} pk_review;

/*
 * Compares base with head (see the invariants above). Both banks must
 * have been loaded from sources that read their files again on demand
 * (other files are compared byte by byte). On success *out belongs to the
 * caller (pk_review_free). Returns PK_ERROR, with diagnostics in diags,
 * when a source cannot be listed or read.
 */
int pk_review_compare(pk_review **out, const pk_review_side *base, const pk_review_side *head,
		      pk_diags *diags);

/* Frees r and everything it owns; NULL is a no-op. */
void pk_review_free(pk_review *r);

/* True when the change has errors: in changed files, or caused elsewhere.
 * This is what `praktika review` exits 1 for. */
bool pk_review_has_errors(const pk_review *r);

/* ---- field differences (diff.c) ------------------------------------ */

/*
 * Appends to out (pk_review_field *, owned by the caller: free each with
 * pk_review_field_free) one entry per value that differs between the
 * front-matter maps old_meta and new_meta (either may be NULL: no fields),
 * following nested maps and lists of maps of equal length, in the order
 * of new_meta's keys and then of the keys only old_meta has. Values are
 * cut to max characters (0: no limit).
 */
void pk_review_diff_fields(pk_vec *out, const pk_value *old_meta, const pk_value *new_meta,
			   size_t max);

/* Like pk_review_diff_fields, but one entry per top-level field, with the
 * compact text of the whole value. */
void pk_review_diff_top(pk_vec *out, const pk_value *old_meta, const pk_value *new_meta,
			size_t max);

/* Frees one field entry; NULL is a no-op. */
void pk_review_field_free(pk_review_field *f);

/*
 * Appends v as one short line of text:
 * - scalars as pk_value_to_text writes them (null is ""), strings with
 *   every run of white space that holds a line break made one space;
 * - a list of scalars joined with ", ";
 * - a list holding maps or lists: its size, "3 пункта";
 * - a map: "{key: value; key: value}", with a nested map as "{…}" and a
 *   list as above.
 * The result is cut to max characters (0: no limit), ending with "…".
 */
void pk_review_compact(pk_buf *out, const pk_value *v, size_t max);

/* ---- reports (report.c) --------------------------------------------- */

typedef enum {
	PK_REVIEW_TEXT,      /* plain Russian text for a terminal */
	PK_REVIEW_MARKDOWN,  /* a merge-request comment (GitLab, GitHub) */
} pk_review_format;

/* Appends the summary of r in format to out. */
void pk_review_report(pk_buf *out, const pk_review *r, pk_review_format format);

/* ---- preview data (data.c) ------------------------------------------ */

/*
 * The annotations for pk_site_opts.annotations: a map from the rel path
 * of every added, changed or renamed practice, mentor and page of the
 * bank itself to {status, is_added, is_changed, is_removed, is_renamed,
 * old_path, body_changed, changed: [top-level names], has_changed,
 * fields: {field: null or {name, old, new}}}, where fields holds every
 * field any practice, mentor or page may have (null when unchanged), so
 * templates in strict mode may test any of them. Described in
 * docs/review.md. The caller owns the result (pk_value_free).
 */
pk_value *pk_review_annotations(const pk_review *r);

/*
 * The list for pk_site_opts.extra_pages: one page at url_path "changes/"
 * with template "changes", the given title, and the whole review as its
 * data (see docs/review.md). The caller owns the result.
 */
pk_value *pk_review_extra_pages(const pk_review *r, const char *title);

/* The whole review as a value (the changes page's `review`). The caller
 * owns the result. */
pk_value *pk_review_value(const pk_review *r);

/* ---- shared inside src/review/ -------------------------------------- */

/* "практика", "наставник"… and the status word agreeing with it. */
const char *pk_review__kind_noun(pk_review_kind kind);
const char *pk_review__status_word(pk_review_kind kind, pk_review_status status);
/* "added", "changed", "removed", "renamed". */
const char *pk_review__status_id(pk_review_status status);
/* Appends "n word" with the Russian form of word for n. */
void pk_review__count(pk_buf *out, size_t n, const char *one, const char *few, const char *many);
/* Errors and warnings of the change (in changed files and caused). */
size_t pk_review__errors(const pk_review *r);
size_t pk_review__warnings(const pk_review *r);

#endif
