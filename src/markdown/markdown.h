/*
 * markdown.h: Markdown bodies to HTML: CommonMark with the GitHub
 * extensions (tables, ~~strikethrough~~, bare autolinks, task lists, the
 * tag filter) and footnotes; smart punctuation off.
 *
 * The only module that includes cmark-gfm headers (STYLE.md §2).
 *
 * Invariants of the output:
 * - Safe by default: raw HTML (blocks and inline tags, comments) is
 *   removed entirely, neither shown as text nor rendered. With
 *   allow_raw_html it is kept as written (trusted; only GFM's tag filter
 *   applies, escaping <script>, <iframe>, <style> and the like).
 * - Whatever allow_raw_html says, a Markdown link or image whose URL has a
 *   dangerous scheme — javascript:, vbscript:, file:, data: (except
 *   data:image/png, gif, jpeg or webp in images) — is dropped and its text
 *   (an image's alt text) kept. The scheme is checked on the URL as the
 *   browser will see it: entities and escapes decoded, ASCII tab and
 *   newlines removed, leading spaces and control characters skipped,
 *   case ignored; so «java&#x09;script:» and « JaVaScRiPt:» are caught.
 * - Every heading has an id, the slug of its text (pk_text_slugify:
 *   lowercase ASCII, Cyrillic by ICAO 9303; "section" when the text gives
 *   none); repeated ids get "-2", "-3", …: <h2 id="tseli">Цели</h2>.
 * - The walk over the document is iterative, never recursive, so deep
 *   nesting in a user's file costs no stack.
 */
#ifndef PK_MARKDOWN_MARKDOWN_H
#define PK_MARKDOWN_MARKDOWN_H

#include "core/buf.h"
#include "core/common.h"
#include "core/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Turns a link or image URL into a site URL. Called for every URL without
 * a scheme, except fragment-only ("#x") and network-path ("//host") ones:
 * "../mentors/ivanova.md", "photo.jpg", "/about/". Appends the new URL to
 * out (empty on entry) and returns 0, or returns PK_ENOTFOUND to leave the
 * URL as written. Any other negative value is remembered: the URL is left
 * as written, rendering goes on, and pk_markdown_render returns it. The
 * result is checked for dangerous schemes like any URL. where: the line
 * (in the file: first_line counts) and column where the link starts, for
 * the caller's messages; column 0 when cmark does not tell. */
typedef int (*pk_markdown_rewrite_fn)(pk_buf *out, const char *url, pk_pos where, void *payload);

/* The longest body rendered, in bytes (cmark counts in int32_t; no real
 * page comes near it). */
#define PK_MARKDOWN_MAX_LEN ((size_t)16 << 20)

typedef struct {
	/* Keep raw HTML (site.yaml allow_raw_html); see the invariants. */
	bool allow_raw_html;
	/* Added to every heading level ("# X" is <h2> with 1), kept in 1–6,
	 * because the page title is the h1. */
	int heading_shift;
	/* The file the body comes from, for diagnostics; may be NULL. */
	const char *path;
	/* The file line of the body's first line (after the front matter);
	 * 1 when 0. */
	int first_line;
	/* Link rewriting; NULL leaves every URL as written. */
	pk_markdown_rewrite_fn rewrite_link;
	void *payload; /* passed to rewrite_link */
	/* The caller has validated the text as UTF-8 (a body split from a
	 * file that was checked whole): skip the check. */
	bool utf8_checked;
} pk_markdown_opts;

#define PK_MARKDOWN_OPTS_INIT { false, 0, NULL, 1, NULL, NULL, false }

/* One heading, for a table of contents. */
typedef struct {
	int level;  /* after heading_shift: 1–6 */
	char *id;   /* owned: the id attribute, unique in the document */
	char *text; /* owned: the plain text, white space collapsed */
} pk_markdown_heading;

/* What rendering learns about a body besides its HTML. */
typedef struct {
	pk_markdown_heading *headings; /* in document order */
	size_t headings_len, headings_cap;
	/* The body's text without markup: paragraphs, headings, list items,
	 * table cells, quotes and footnotes, each separated by one space,
	 * runs of white space collapsed to one space, trimmed. Code blocks,
	 * raw HTML and image alt texts are left out. */
	pk_buf plain_text;
	size_t word_count; /* pk_text_word_count of plain_text */
} pk_markdown_info;

#define PK_MARKDOWN_INFO_INIT { NULL, 0, 0, PK_BUF_INIT, 0 }

/* Fills *info as empty. */
void pk_markdown_info_init(pk_markdown_info *info);
/* Frees the headings and the plain text; *info is empty again. */
void pk_markdown_info_release(pk_markdown_info *info);

/* Renders the Markdown text (len bytes) as HTML, appended to out.
 *
 * opts may be NULL for the defaults (PK_MARKDOWN_OPTS_INIT). info, if not
 * NULL, must be initialised; what it held is released first, then it is
 * filled. Text that is not valid UTF-8 is reported as an error at the
 * first bad character ("invalid UTF-8", at opts->path and the file line
 * first_line + the line in text - 1) and rendered with U+FFFD in place of
 * the bad bytes.
 *
 * A body over PK_MARKDOWN_MAX_LEN bytes is reported ("markdown body too
 * large (N bytes, the limit is M)", at first_line) and not rendered.
 *
 * Returns 0; PK_ERROR after reporting invalid UTF-8; PK_ELIMIT for a body
 * too large; or the first error code that rewrite_link returned. Except
 * for PK_ELIMIT, out and info are complete either way. diags may be NULL
 * (nothing is reported then; the return value says the same). */
int pk_markdown_render(pk_buf *out, const char *text, size_t len, const pk_markdown_opts *opts,
		       pk_markdown_info *info, pk_diags *diags);

/* Renders a one-line Markdown string (a front-matter field such as goal or
 * results) as inline HTML appended to out, without a surrounding <p>.
 * Line breaks count as spaces and a leading block marker is taken as text,
 * so "1. этап", "# 5" and "- да" stay as written (as does a line cmark
 * would take for a link reference definition, "[a]: url"). The safety
 * rules are the defaults: raw HTML removed, dangerous URLs dropped; links
 * are not rewritten. Ill-formed UTF-8 comes out as U+FFFD; text over
 * PK_MARKDOWN_MAX_LEN comes out escaped, unrendered. */
void pk_markdown_inline(pk_buf *out, const char *text, size_t len);

#endif
