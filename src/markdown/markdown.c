/*
 * markdown.c: cmark-gfm behind our interface.
 *
 * Steps: check the UTF-8; parse into cmark's tree; walk it once to collect
 * raw HTML, links, images and headings (the tree is not changed during the
 * walk, as cmark's iterator requires); rewrite and check URLs; remove raw
 * HTML; unwrap links with dangerous URLs; turn headings into anchored
 * ones; collect the plain text; render. Without allow_raw_html the render
 * runs in cmark's safe mode as a second line of defence: by then no raw
 * HTML is left, and cmark blanks any dangerous URL we might have missed.
 *
 * A heading with an id is a custom block holding a custom inline whose
 * enter/exit texts are "<hN id=…>" and "</hN>"; cmark's renderer copies
 * those verbatim, so the id (ASCII [a-z0-9-]) is all we put in them.
 */
#include "markdown/markdown.h"

#include "core/strmap.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "text/text.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const extension_names[] = {
	"table", "strikethrough", "autolink", "tasklist", "tagfilter",
};

typedef struct {
	cmark_parser *parser;
	cmark_node *root;
} md_doc;

/* What the walk collects, and the state of one render. */
typedef struct {
	const pk_markdown_opts *opts;
	pk_vec html;     /* raw HTML nodes to remove */
	pk_vec unwrap;   /* links and images to replace by their contents */
	pk_vec headings; /* in document order */
	pk_strmap ids;   /* heading ids given out so far */
	int rc;          /* the first error rewrite_link returned */
	const char *text; /* what was parsed, to turn cmark's byte columns into characters */
	size_t len;
} md_walk;

/* ---- parsing and rendering ------------------------------------------- */

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Parses text; validate asks cmark to replace invalid UTF-8 (text not
 * known to be valid: checking again what was checked costs a few per cent
 * of a build). */
static void doc_parse(md_doc *doc, const char *text, size_t len, bool validate)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	size_t i;

	pthread_once(&once, register_extensions);
	doc->parser = cmark_parser_new(CMARK_OPT_FOOTNOTES | (validate ? CMARK_OPT_VALIDATE_UTF8 : 0));
	for (i = 0; i < PK_ARRAY_SIZE(extension_names); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extension_names[i]);
		if (!ext)
			PK_BUG("cmark-gfm extension missing");
		cmark_parser_attach_syntax_extension(doc->parser, ext);
	}
	cmark_parser_feed(doc->parser, text, len);
	doc->root = cmark_parser_finish(doc->parser);
}

static void doc_release(md_doc *doc)
{
	if (doc->root)
		cmark_node_free(doc->root);
	if (doc->parser)
		cmark_parser_free(doc->parser);
	doc->root = NULL;
	doc->parser = NULL;
}

static void doc_render(pk_buf *out, md_doc *doc, bool raw_html)
{
	int options = raw_html ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT;
	char *html = cmark_render_html(doc->root, options,
				       cmark_parser_get_syntax_extensions(doc->parser));
	pk_buf_puts(out, html);
	cmark_get_default_mem_allocator()->free(html);
}

/* ---- URLs ----------------------------------------------------------- */

/* The URL as a browser parses it: leading C0 controls and spaces skipped,
 * ASCII tab, LF and CR removed wherever they are. */
static void browser_url(pk_buf *out, const char *url)
{
	while (*url && (unsigned char)*url <= 0x20)
		url++;
	for (; *url; url++)
		if (*url != '\t' && *url != '\n' && *url != '\r')
			pk_buf_putc(out, *url);
}

/* Length of url's scheme (before the ':'), or 0 when it has none. */
static size_t scheme_len(const char *url)
{
	size_t i;

	if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
		return 0;
	for (i = 1; url[i] && url[i] != ':'; i++) {
		char c = url[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return 0;
	}
	return url[i] == ':' ? i : 0;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *prefix)
			return false;
	}
	return true;
}

/* data:image/png;base64,… and the like: pictures a browser only draws. */
static bool is_data_image(const char *url)
{
	static const char *const types[] = {
		"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp",
	};
	size_t i;

	for (i = 0; i < PK_ARRAY_SIZE(types); i++) {
		size_t n = strlen(types[i]);
		if (has_prefix_ci(url, types[i]) && (url[n] == ';' || url[n] == ','))
			return true;
	}
	return false;
}

static bool is_dangerous(const char *url, bool image)
{
	pk_buf seen = PK_BUF_INIT;
	size_t n;
	bool bad = false;

	browser_url(&seen, url);
	n = scheme_len(seen.ptr);
	if ((n == 10 && has_prefix_ci(seen.ptr, "javascript")) ||
	    (n == 8 && has_prefix_ci(seen.ptr, "vbscript")) ||
	    (n == 4 && has_prefix_ci(seen.ptr, "file")))
		bad = true;
	else if (n == 4 && has_prefix_ci(seen.ptr, "data"))
		bad = !(image && is_data_image(seen.ptr));
	pk_buf_release(&seen);
	return bad;
}

/* Whether rewrite_link is asked about url: no scheme, not "#…" or "//…"
 * (judged as the browser will see it). */
static bool is_rewritable(const char *url)
{
	pk_buf seen = PK_BUF_INIT;
	const char *u;
	bool yes;

	browser_url(&seen, url);
	u = seen.ptr;
	yes = u[0] && u[0] != '#' && !(u[0] == '/' && u[1] == '/') && scheme_len(u) == 0;
	pk_buf_release(&seen);
	return yes;
}

/* The character column of byte column col (from 1) of line (from 1) of
 * the parsed text; 0 when the text has no such place. */
static int char_column(const md_walk *w, int line, int col)
{
	const char *p = w->text, *end = w->text + w->len, *stop;
	int n = 1;

	while (--line > 0 && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p >= end || (size_t)(end - p) < (size_t)col - 1)
		return 0;
	for (stop = p + col - 1; p < stop; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80; /* a byte that starts a character */
	return n;
}

/* Where node starts in the file: cmark gives inline nodes a position
 * of their own; one without takes its block's line. */
static pk_pos node_pos(const md_walk *w, cmark_node *node)
{
	int first = w->opts->first_line > 0 ? w->opts->first_line : 1;
	int byte_col = cmark_node_get_start_column(node);
	cmark_node *n = node;
	int line;

	while (n && cmark_node_get_start_line(n) <= 0)
		n = cmark_node_parent(n);
	if (!n)
		return (pk_pos){ first, 0 };
	line = cmark_node_get_start_line(n);
	return (pk_pos){ first - 1 + line,
			 n == node && byte_col > 0 ? char_column(w, line, byte_col) : 0 };
}

static void rewrite_url(md_walk *w, cmark_node *node)
{
	const char *url = cmark_node_get_url(node);
	pk_buf out = PK_BUF_INIT;
	int rc;

	if (!w->opts->rewrite_link || !url || !is_rewritable(url))
		return;
	rc = w->opts->rewrite_link(&out, url, node_pos(w, node), w->opts->payload);
	if (rc == PK_OK)
		cmark_node_set_url(node, out.ptr);
	else if (rc < 0 && rc != PK_ENOTFOUND && w->rc == PK_OK)
		w->rc = rc;
	pk_buf_release(&out);
}

static void visit_link(md_walk *w, cmark_node *node)
{
	const char *url;

	rewrite_url(w, node);
	url = cmark_node_get_url(node);
	if (url && is_dangerous(url, cmark_node_get_type(node) == CMARK_NODE_IMAGE))
		pk_vec_push(&w->unwrap, node);
}

/* Moves node's children to its place and frees it. */
static void unwrap(cmark_node *node)
{
	cmark_node *child;

	while ((child = cmark_node_first_child(node)))
		cmark_node_insert_before(node, child);
	cmark_node_free(node);
}

/* ---- the walk ---------------------------------------------------------- */

static void walk_init(md_walk *w, const pk_markdown_opts *opts, const char *text, size_t len)
{
	memset(w, 0, sizeof(*w));
	w->opts = opts;
	w->text = text;
	w->len = len;
	pk_vec_init(&w->html);
	pk_vec_init(&w->unwrap);
	pk_vec_init(&w->headings);
	pk_strmap_init(&w->ids);
}

static void walk_release(md_walk *w)
{
	pk_vec_release(&w->html);
	pk_vec_release(&w->unwrap);
	pk_vec_release(&w->headings);
	pk_strmap_release(&w->ids);
}

static void visit(md_walk *w, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		if (!w->opts->allow_raw_html)
			pk_vec_push(&w->html, node);
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		visit_link(w, node);
		break;
	case CMARK_NODE_HEADING:
		pk_vec_push(&w->headings, node);
		break;
	default:
		break;
	}
}

static void walk(md_walk *w, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			visit(w, cmark_iter_get_node(it));
	cmark_iter_free(it);
}

/* Applies what the walk collected to the tree. Raw HTML nodes are leaves
 * and unwrapping frees no descendant, so no collected node dangles. */
static void sanitize(md_walk *w)
{
	size_t i;

	for (i = 0; i < w->html.len; i++)
		cmark_node_free(w->html.items[i]);
	for (i = 0; i < w->unwrap.len; i++)
		unwrap(w->unwrap.items[i]);
}

/* ---- plain text ---------------------------------------------------------- */

typedef struct {
	pk_buf *out;
	bool space; /* a space is due before the next text */
} plain_sink;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void plain_put(plain_sink *s, const char *p)
{
	for (; *p; p++) {
		if (is_space(*p)) {
			s->space = true;
			continue;
		}
		if (s->space && s->out->len)
			pk_buf_putc(s->out, ' ');
		s->space = false;
		pk_buf_putc(s->out, *p);
	}
}

static bool is_block(cmark_node *node)
{
	return (cmark_node_get_type(node) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
}

/* What one node adds to the plain text; false to skip its contents. */
static bool plain_node(plain_sink *s, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		plain_put(s, cmark_node_get_literal(node));
		return true;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		s->space = true;
		return true;
	case CMARK_NODE_IMAGE:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		return false;
	default:
		return true;
	}
}

/* Appends the text under root to out (which should be empty). */
static void plain_text(pk_buf *out, cmark_node *root)
{
	plain_sink s = { out, false };
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && !plain_node(&s, node))
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
		else if (ev == CMARK_EVENT_EXIT && is_block(node))
			s.space = true;
	}
	cmark_iter_free(it);
}

/* ---- headings -------------------------------------------------------------- */

/* Appends a unique id for a heading with this text to id (empty). */
static void heading_id(pk_buf *id, pk_strmap *ids, const char *text, size_t len)
{
	size_t base;
	int n;

	if (pk_text_slugify(id, text, len) != PK_OK) {
		pk_buf_clear(id);
		pk_buf_puts(id, "section");
	}
	base = id->len;
	for (n = 2; pk_strmap_find(ids, id->ptr, id->len) >= 0; n++) {
		pk_buf_truncate(id, base);
		pk_buf_printf(id, "-%d", n);
	}
	pk_strmap_add(ids, id->ptr, id->len, NULL);
}

/* A custom block holding a custom inline that prints <hN id=…>…</hN>;
 * *tag gets the inline, where the heading's contents go. */
static cmark_node *anchored_block(int level, const char *id, cmark_node **tag)
{
	cmark_node *block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
	pk_buf b = PK_BUF_INIT;

	*tag = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
	pk_buf_printf(&b, "<h%d id=\"", level);
	pk_buf_put_html_escaped(&b, id, strlen(id));
	pk_buf_puts(&b, "\">");
	cmark_node_set_on_enter(*tag, b.ptr);
	pk_buf_clear(&b);
	pk_buf_printf(&b, "</h%d>", level);
	cmark_node_set_on_exit(*tag, b.ptr);
	pk_buf_release(&b);
	cmark_node_set_on_enter(block, "");
	cmark_node_set_on_exit(block, "");
	cmark_node_append_child(block, *tag);
	return block;
}

static void info_add_heading(pk_markdown_info *info, int level, pk_buf *id, pk_buf *text)
{
	pk_markdown_heading *h;

	PK_GROW(info->headings, info->headings_cap, info->headings_len + 1);
	h = &info->headings[info->headings_len++];
	h->level = level;
	h->id = pk_buf_detach(id);
	h->text = pk_buf_detach(text);
}

static int shifted_level(int level, int shift)
{
	long l = (long)level + shift;
	return l < 1 ? 1 : l > 6 ? 6 : (int)l;
}

static void anchor_heading(md_walk *w, cmark_node *heading, pk_markdown_info *info)
{
	int level = shifted_level(cmark_node_get_heading_level(heading), w->opts->heading_shift);
	pk_buf text = PK_BUF_INIT, id = PK_BUF_INIT;
	cmark_node *block, *tag, *child;

	plain_text(&text, heading);
	heading_id(&id, &w->ids, text.ptr, text.len);
	block = anchored_block(level, id.ptr, &tag);
	/* Every container that can hold a heading can hold a custom block;
	 * should one ever refuse, the heading stays, without its id. */
	if (cmark_node_replace(heading, block)) {
		while ((child = cmark_node_first_child(heading)))
			cmark_node_append_child(tag, child);
		cmark_node_free(heading);
	} else {
		cmark_node_free(block);
	}
	if (info)
		info_add_heading(info, level, &id, &text);
	pk_buf_release(&text);
	pk_buf_release(&id);
}

/* ---- the interface ------------------------------------------------------------ */

void pk_markdown_info_init(pk_markdown_info *info)
{
	memset(info, 0, sizeof(*info));
	pk_buf_init(&info->plain_text);
}

void pk_markdown_info_release(pk_markdown_info *info)
{
	size_t i;

	for (i = 0; i < info->headings_len; i++) {
		free(info->headings[i].id);
		free(info->headings[i].text);
	}
	free(info->headings);
	pk_buf_release(&info->plain_text);
	pk_markdown_info_init(info);
}

/* Reports text that cmark would silently repair. */
static int check_input(size_t len, const char *text, const pk_markdown_opts *opts,
		       pk_diags *diags)
{
	int first = opts->first_line > 0 ? opts->first_line : 1;
	pk_pos pos = { first, 0 };

	if (len > PK_MARKDOWN_MAX_LEN) {
		if (diags)
			pk_diag_error(diags, opts->path, pos,
				      "markdown body too large (%zu bytes, the limit is %zu)", len,
				      PK_MARKDOWN_MAX_LEN);
		return PK_ELIMIT;
	}
	if (opts->utf8_checked || pk_utf8_validate(text, len, &pos))
		return PK_OK;
	pos.line += first - 1;
	return diags ? pk_diag_error(diags, opts->path, pos, "invalid UTF-8") : PK_ERROR;
}

int pk_markdown_render(pk_buf *out, const char *text, size_t len, const pk_markdown_opts *opts,
		       pk_markdown_info *info, pk_diags *diags)
{
	static const pk_markdown_opts defaults = PK_MARKDOWN_OPTS_INIT;
	md_doc doc = { NULL, NULL };
	md_walk w;
	size_t i;
	int rc;

	if (!opts)
		opts = &defaults;
	if (info)
		pk_markdown_info_release(info);
	rc = check_input(len, text, opts, diags);
	if (rc == PK_ELIMIT)
		return rc;
	walk_init(&w, opts, text, len);
	doc_parse(&doc, text, len, rc != PK_OK); /* rc: whether the text is valid UTF-8 */
	walk(&w, doc.root);
	sanitize(&w);
	for (i = 0; i < w.headings.len; i++)
		anchor_heading(&w, w.headings.items[i], info);
	if (info) {
		plain_text(&info->plain_text, doc.root);
		info->word_count = pk_text_word_count(info->plain_text.ptr, info->plain_text.len);
	}
	doc_render(out, &doc, opts->allow_raw_html);
	if (rc == PK_OK)
		rc = w.rc;
	walk_release(&w);
	doc_release(&doc);
	return rc;
}

/* ---- one-line strings ------------------------------------------------------- */

static size_t run_of(const char *s, size_t len, char c)
{
	size_t n = 0;
	while (n < len && s[n] == c)
		n++;
	return n;
}

static bool blank_or_end(const char *s, size_t len, size_t i)
{
	return i >= len || s[i] == ' ' || s[i] == '\t';
}

/* "***", "- - -", "___": a line of one of those and spaces, 3 or more. */
static bool is_thematic_break(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == s[0])
			n++;
		else if (s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return n >= 3;
}

/* Where a backslash must go so that s does not open a block (heading,
 * quote, list item, thematic break, code fence); len when nowhere. */
static size_t block_marker(const char *s, size_t len)
{
	size_t n;

	if (!len)
		return len;
	switch (s[0]) {
	case '#':
	case '>':
		return 0;
	case '-':
	case '+':
	case '*':
	case '_':
		if (is_thematic_break(s, len) || (s[0] != '_' && blank_or_end(s, len, 1)))
			return 0;
		return len;
	case '~':
		return run_of(s, len, '~') >= 3 ? 0 : len;
	case '`':
		n = run_of(s, len, '`');
		return n >= 3 && !memchr(s + n, '`', len - n) ? 0 : len;
	default:
		for (n = 0; n < len && n < 10 && s[n] >= '0' && s[n] <= '9'; n++)
			;
		if (n > 0 && n < 10 && n < len && (s[n] == '.' || s[n] == ')') &&
		    blank_or_end(s, len, n + 1))
			return n;
		return len;
	}
}

/* s as one Markdown line: leading space dropped, line breaks as spaces, a
 * leading block marker escaped. */
static void one_line(pk_buf *out, const char *s, size_t len)
{
	size_t at, i;

	while (len && is_space(*s)) {
		s++;
		len--;
	}
	at = block_marker(s, len);
	for (i = 0; i < len; i++) {
		if (i == at)
			pk_buf_putc(out, '\\');
		pk_buf_putc(out, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
	}
}

static bool has_suffix(const pk_buf *b, const char *suffix)
{
	size_t n = strlen(suffix);
	return b->len >= n && memcmp(b->ptr + b->len - n, suffix, n) == 0;
}

/* Appends html without the <p> … </p> of a lone paragraph. */
static void put_unwrapped(pk_buf *out, pk_buf *html, cmark_node *root)
{
	cmark_node *first = cmark_node_first_child(root);

	if (first && !cmark_node_next(first) &&
	    cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH && has_suffix(html, "</p>\n") &&
	    strncmp(html->ptr, "<p>", 3) == 0) {
		pk_buf_put(out, html->ptr + 3, html->len - 3 - 5);
		return;
	}
	while (html->len && html->ptr[html->len - 1] == '\n')
		pk_buf_truncate(html, html->len - 1);
	pk_buf_put(out, html->ptr, html->len);
}

/* Appends s HTML-escaped, each ill-formed UTF-8 byte as U+FFFD. */
static void put_escaped_text(pk_buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = pk_utf8_decode(s + i, len - i, &cp);
		if (n)
			pk_buf_put_html_escaped(out, s + i, n);
		else
			pk_buf_puts(out, "\xEF\xBF\xBD");
		i += n ? n : 1;
	}
}

void pk_markdown_inline(pk_buf *out, const char *text, size_t len)
{
	static const pk_markdown_opts defaults = PK_MARKDOWN_OPTS_INIT;
	pk_buf line = PK_BUF_INIT, html = PK_BUF_INIT;
	md_doc doc = { NULL, NULL };
	md_walk w;

	if (len > PK_MARKDOWN_MAX_LEN) {
		put_escaped_text(out, text, len);
		return;
	}
	one_line(&line, text, len);
	walk_init(&w, &defaults, line.ptr, line.len);
	doc_parse(&doc, line.ptr, line.len, true);
	if (!cmark_node_first_child(doc.root) && line.len) {
		/* A line cmark took whole as a link reference definition. */
		put_escaped_text(out, line.ptr, line.len);
		goto done;
	}
	walk(&w, doc.root);
	sanitize(&w);
	doc_render(&html, &doc, false);
	put_unwrapped(out, &html, doc.root);
done:
	walk_release(&w);
	doc_release(&doc);
	pk_buf_release(&line);
	pk_buf_release(&html);
}
