/*
 * test_markdown.c: the Markdown module: the GFM extensions, safe mode
 * (raw HTML and dangerous URLs, including disguised schemes), raw HTML on
 * request, heading anchors and levels, link rewriting, plain text, the
 * exact text of diagnostics, one-line fields, and hostile inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/diag.h"
#include "markdown/markdown.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(s) (s), strlen(s)

/* All diagnostics, formatted, one per line (no final newline). */
static char *format_diags(const pk_diags *d)
{
	pk_buf out = PK_BUF_INIT;
	size_t i;
	for (i = 0; i < d->len; i++) {
		if (i)
			pk_buf_putc(&out, '\n');
		pk_diag_format(&out, &d->items[i]);
	}
	return pk_buf_detach(&out);
}

/* Renders md with opts, expecting success and no diagnostics. */
static char *render_opts(const char *md, const pk_markdown_opts *opts, pk_markdown_info *info)
{
	pk_buf out = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	int rc = pk_markdown_render(&out, S(md), opts, info, &d);
	if (rc != PK_OK || d.len) {
		char *msg = format_diags(&d);
		fail_msg("render failed (%d) for [%s]:\n%s", rc, md, msg);
	}
	pk_diags_release(&d);
	return pk_buf_detach(&out);
}

static char *render(const char *md)
{
	return render_opts(md, NULL, NULL);
}

static void check_render_opts(const char *md, const pk_markdown_opts *opts, const char *want)
{
	char *got = render_opts(md, opts, NULL);
	if (strcmp(got, want) != 0)
		fail_msg("for [%s]\n got: [%s]\nwant: [%s]", md, got, want);
	free(got);
}

static void check_render(const char *md, const char *want)
{
	check_render_opts(md, NULL, want);
}

static void check_inline(const char *md, const char *want)
{
	pk_buf out = PK_BUF_INIT;
	pk_markdown_inline(&out, S(md));
	if (strcmp(out.ptr, want) != 0)
		fail_msg("inline [%s]\n got: [%s]\nwant: [%s]", md, out.ptr, want);
	pk_buf_release(&out);
}

/* ---- GFM -------------------------------------------------------------- */

static void test_commonmark(void **state)
{
	(void)state;
	check_render("Hello *world*\n", "<p>Hello <em>world</em></p>\n");
	check_render("", "");
	check_render("a \"b\" -- c...\n", "<p>a &quot;b&quot; -- c...</p>\n"); /* no smart */
	check_render("```c\nint x < 1;\n```\n",
		     "<pre><code class=\"language-c\">int x &lt; 1;\n</code></pre>\n");
}

static void test_table(void **state)
{
	(void)state;
	check_render("| a | b |\n|---|:-:|\n| 1 | **2** |\n",
		     "<table>\n<thead>\n<tr>\n<th>a</th>\n<th align=\"center\">b</th>\n</tr>\n"
		     "</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td align=\"center\"><strong>2</strong>"
		     "</td>\n</tr>\n</tbody>\n</table>\n");
}

static void test_strikethrough_autolink_tasklist(void **state)
{
	(void)state;
	check_render("~~old~~ new\n", "<p><del>old</del> new</p>\n");
	check_render("see www.example.com and https://x.org/a?b=1.\n",
		     "<p>see <a href=\"http://www.example.com\">www.example.com</a> and "
		     "<a href=\"https://x.org/a?b=1\">https://x.org/a?b=1</a>.</p>\n");
	check_render("- [ ] plan\n- [x] done\n",
		     "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> plan</li>\n"
		     "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n</ul>\n");
}

static void test_footnotes(void **state)
{
	char *html;

	(void)state;
	html = render("Text[^1].\n\n[^1]: Note.\n");
	assert_non_null(strstr(html, "<sup class=\"footnote-ref\"><a href=\"#fn-1\""));
	assert_non_null(strstr(html, "<section class=\"footnotes\""));
	assert_non_null(strstr(html, "Note."));
	free(html);
}

/* ---- safety ------------------------------------------------------------ */

static void test_raw_html_removed(void **state)
{
	(void)state;
	check_render("<script>alert(1)</script>\n\nok\n", "<p>ok</p>\n");
	check_render("<iframe src=\"https://evil\"></iframe>\n", "");
	check_render("<div onclick=\"x()\">\n*block*\n</div>\n", "");
	check_render("a <b onclick=\"x()\">bold</b> c\n", "<p>a bold c</p>\n");
	check_render("a <img src=x onerror=alert(1)> b\n", "<p>a  b</p>\n");
	check_render("a <!-- secret --> b\n", "<p>a  b</p>\n");
	check_render("<!-- block comment -->\n", "");
	check_render("- item <span style=\"x\">s</span>\n", "<ul>\n<li>item s</li>\n</ul>\n");
	/* Code is text, not HTML. */
	check_render("`<script>`\n", "<p><code>&lt;script&gt;</code></p>\n");
}

static void test_dangerous_links(void **state)
{
	static const char *const links[] = {
		"[a](javascript:alert(1))",
		"[a](JaVaScRiPt:alert(1))",
		"[a]( javascript:alert(1) )",
		"[a](java&#x09;script:alert(1))",
		"[a](java&#9;script:alert(1))",
		"[a](java&#10;script:alert(1))",
		"[a](&#x20;javascript:alert(1))",
		"[a](&#1;javascript:alert(1))",
		"[a](<javascript:alert(1)>)",
		"[a](javascript&colon;alert(1))",
		"[a](vbscript:msgbox)",
		"[a](VBScript:msgbox)",
		"[a](file:///etc/passwd)",
		"[a](data:text/html;base64,PHNjcmlwdD4=)",
		"[a](data:image/png;base64,AAAA)", /* pictures only in images */
		"[a][r]\n\n[r]: javascript:alert(1)",
		"[a](javascript:alert(1) \"title\")",
	};
	size_t i;

	(void)state;
	for (i = 0; i < PK_ARRAY_SIZE(links); i++)
		check_render(links[i], "<p>a</p>\n");
	check_render("<javascript:alert(1)>\n", "<p>javascript:alert(1)</p>\n");
	check_render("[**bold** text](javascript:x)\n", "<p><strong>bold</strong> text</p>\n");
	check_render("[a](http://x.org/javascript:y)\n",
		     "<p><a href=\"http://x.org/javascript:y\">a</a></p>\n");
	check_render("[a](mailto:x@y.org)\n", "<p><a href=\"mailto:x@y.org\">a</a></p>\n");
	/* Not a scheme at all (a backslash cannot be in one): a relative URL. */
	check_render("[a](java\\script:x)\n", "<p><a href=\"java%5Cscript:x\">a</a></p>\n");
}

static void test_dangerous_images(void **state)
{
	(void)state;
	check_render("![pic](data:image/png;base64,AAAA)\n",
		     "<p><img src=\"data:image/png;base64,AAAA\" alt=\"pic\" /></p>\n");
	check_render("![pic](DATA:image/JPEG;base64,AAAA)\n",
		     "<p><img src=\"DATA:image/JPEG;base64,AAAA\" alt=\"pic\" /></p>\n");
	check_render("![pic](data:image/svg+xml;base64,AAAA)\n", "<p>pic</p>\n");
	check_render("![pic](data:image/pngx,AAAA)\n", "<p>pic</p>\n");
	check_render("![pic *x*](javascript:alert(1))\n", "<p>pic <em>x</em></p>\n");
	check_render("![pic](file:///c:/x.png)\n", "<p>pic</p>\n");
	check_render("[![pic](javascript:x)](javascript:y)\n", "<p>pic</p>\n");
	check_render("![ok](photo.jpg \"t\")\n", "<p><img src=\"photo.jpg\" alt=\"ok\" title=\"t\" /></p>\n");
}

static void test_allow_raw_html(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;

	(void)state;
	opts.allow_raw_html = true;
	check_render_opts("<div class=\"note\">\n\n*x*\n\n</div>\n", &opts,
			  "<div class=\"note\">\n<p><em>x</em></p>\n</div>\n");
	check_render_opts("a <kbd>Ctrl</kbd> b\n", &opts, "<p>a <kbd>Ctrl</kbd> b</p>\n");
	/* GFM's tag filter still escapes the worst tags. */
	check_render_opts("<script>alert(1)</script>\n", &opts,
			  "&lt;script>alert(1)&lt;/script>\n");
	/* Markdown links are checked all the same. */
	check_render_opts("[a](javascript:alert(1)) <b>b</b>\n", &opts, "<p>a <b>b</b></p>\n");
}

/* ---- headings ---------------------------------------------------------- */

static void test_heading_ids(void **state)
{
	(void)state;
	check_render("# Цели и задачи\n", "<h1 id=\"tseli-i-zadachi\">Цели и задачи</h1>\n");
	check_render("## Итоги\n\n## Итоги\n\n## Итоги\n\n## Итоги-2\n",
		     "<h2 id=\"itogi\">Итоги</h2>\n<h2 id=\"itogi-2\">Итоги</h2>\n"
		     "<h2 id=\"itogi-3\">Итоги</h2>\n<h2 id=\"itogi-2-2\">Итоги-2</h2>\n");
	check_render("# `code` and *em* [link](https://x.org)\n",
		     "<h1 id=\"code-and-em-link\"><code>code</code> and <em>em</em> "
		     "<a href=\"https://x.org\">link</a></h1>\n");
	check_render("# ?!?\n\n#\n", "<h1 id=\"section\">?!?</h1>\n<h1 id=\"section-2\"></h1>\n");
	check_render("Setext\n======\n", "<h1 id=\"setext\">Setext</h1>\n");
	check_render("> # Quoted\n", "<blockquote>\n<h1 id=\"quoted\">Quoted</h1>\n</blockquote>\n");
	check_render("# Ёлка <b>x</b>\n", "<h1 id=\"elka-x\">Ёлка x</h1>\n");
}

static void test_heading_shift(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;

	(void)state;
	opts.heading_shift = 1;
	check_render_opts("# A\n\n### B\n\n###### C\n", &opts,
			  "<h2 id=\"a\">A</h2>\n<h4 id=\"b\">B</h4>\n<h6 id=\"c\">C</h6>\n");
	opts.heading_shift = 9;
	check_render_opts("# A\n", &opts, "<h6 id=\"a\">A</h6>\n");
	opts.heading_shift = -3;
	check_render_opts("## A\n\n##### B\n", &opts, "<h1 id=\"a\">A</h1>\n<h2 id=\"b\">B</h2>\n");
}

static void test_info_headings(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;
	pk_markdown_info info = PK_MARKDOWN_INFO_INIT;
	char *html;

	(void)state;
	opts.heading_shift = 1;
	html = render_opts("# Цели\n\ntext\n\n## Итоги  *года*\n\n# Цели\n", &opts, &info);
	free(html);
	assert_int_equal(info.headings_len, 3);
	assert_int_equal(info.headings[0].level, 2);
	assert_string_equal(info.headings[0].id, "tseli");
	assert_string_equal(info.headings[0].text, "Цели");
	assert_int_equal(info.headings[1].level, 3);
	assert_string_equal(info.headings[1].id, "itogi-goda");
	assert_string_equal(info.headings[1].text, "Итоги года");
	assert_string_equal(info.headings[2].id, "tseli-2");
	/* Rendering again into the same info replaces what it held. */
	html = render_opts("# Один\n", &opts, &info);
	free(html);
	assert_int_equal(info.headings_len, 1);
	assert_string_equal(info.headings[0].id, "odin");
	assert_string_equal(info.plain_text.ptr, "Один");
	pk_markdown_info_release(&info);
	pk_markdown_info_release(&info);
}

/* ---- link rewriting --------------------------------------------------------- */

typedef struct {
	int calls;
	char seen[512];
	int fail_with; /* returned for "broken.md" */
	pk_pos last;   /* where the last link was */
} rewrite_log;

static int rewrite(pk_buf *out, const char *url, pk_pos where, void *payload)
{
	rewrite_log *log = payload;
	size_t n = strlen(url);

	log->calls++;
	log->last = where;
	strncat(log->seen, url, sizeof(log->seen) - strlen(log->seen) - 2);
	strcat(log->seen, " ");
	if (strcmp(url, "broken.md") == 0)
		return log->fail_with;
	if (strcmp(url, "evil.md") == 0) {
		pk_buf_puts(out, "javascript:alert(1)");
		return PK_OK;
	}
	if (n > 3 && strcmp(url + n - 3, ".md") == 0) {
		pk_buf_puts(out, "/bank/mentors/");
		pk_buf_put(out, url + 11, n - 11 - 3);
		pk_buf_puts(out, "/");
		return PK_OK;
	}
	return PK_ENOTFOUND;
}

static void test_rewrite_links(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;
	rewrite_log log = { 0, "", PK_ENOTFOUND, { 0, 0 } };

	(void)state;
	opts.rewrite_link = rewrite;
	opts.payload = &log;
	check_render_opts("[И](../mentors/ivanova.md) ![p](photo.jpg) [r](/about/)\n", &opts,
			  "<p><a href=\"/bank/mentors/ivanova/\">И</a> "
			  "<img src=\"photo.jpg\" alt=\"p\" /> <a href=\"/about/\">r</a></p>\n");
	assert_int_equal(log.calls, 3);
	assert_string_equal(log.seen, "../mentors/ivanova.md photo.jpg /about/ ");
	/* URLs with a scheme, fragments and //host are not asked about. */
	log.calls = 0;
	log.seen[0] = '\0';
	check_render_opts("[a](https://x.org/a.md) [b](#top) [c](//cdn.org/x.md) "
			  "[d](mailto:a@b.c) <https://y.org>\n",
			  &opts,
			  "<p><a href=\"https://x.org/a.md\">a</a> <a href=\"#top\">b</a> "
			  "<a href=\"//cdn.org/x.md\">c</a> <a href=\"mailto:a@b.c\">d</a> "
			  "<a href=\"https://y.org\">https://y.org</a></p>\n");
	assert_int_equal(log.calls, 0);
	/* A rewritten URL is checked like any other. */
	check_render_opts("[e](evil.md)\n", &opts, "<p>e</p>\n");
	/* PK_ENOTFOUND leaves the URL as written. */
	check_render_opts("[b](broken.md)\n", &opts, "<p><a href=\"broken.md\">b</a></p>\n");
	/* The callback learns where the link is in the file. */
	opts.first_line = 10;
	check_render_opts("Текст\n\n- пункт и [b](broken.md)\n", &opts,
			  "<p>Текст</p>\n<ul>\n<li>пункт и <a href=\"broken.md\">b</a></li>\n</ul>\n");
	assert_int_equal(log.last.line, 12);
	assert_int_equal(log.last.col, 11); /* in characters, not bytes */
}

static void test_rewrite_error(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;
	rewrite_log log = { 0, "", PK_EIO, { 0, 0 } };
	pk_buf out = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;

	(void)state;
	opts.rewrite_link = rewrite;
	opts.payload = &log;
	assert_int_equal(pk_markdown_render(&out, S("[b](broken.md) [c](broken.md) *end*\n"), &opts,
					    NULL, &d),
			 PK_EIO);
	/* Rendering went on: the output is whole. */
	assert_string_equal(out.ptr, "<p><a href=\"broken.md\">b</a> <a href=\"broken.md\">c</a> "
				     "<em>end</em></p>\n");
	assert_int_equal(log.calls, 2);
	assert_int_equal(d.len, 0);
	pk_buf_release(&out);
}

/* ---- plain text ----------------------------------------------------------------- */

static void test_plain_text(void **state)
{
	pk_markdown_info info = PK_MARKDOWN_INFO_INIT;
	char *html;

	(void)state;
	html = render_opts("# Заголовок\n\nПервый   *абзац*\nс `кодом` и [ссылкой](x.md).\n\n"
			   "- пункт один\n- пункт два\n\n> цитата\n\n```\nкод блока\n```\n\n"
			   "| a | b |\n|---|---|\n| c | d |\n\n![картинка](p.png) <b>html</b>\n\n"
			   "Сноска[^1].\n\n[^1]: Текст сноски.\n",
			   NULL, &info);
	free(html);
	assert_string_equal(info.plain_text.ptr,
			    "Заголовок Первый абзац с кодом и ссылкой. пункт один пункт два цитата "
			    "a b c d html Сноска. Текст сноски.");
	assert_int_equal(info.word_count, 20);
	pk_markdown_info_release(&info);
}

static void test_plain_text_empty(void **state)
{
	pk_markdown_info info = PK_MARKDOWN_INFO_INIT;
	char *html;

	(void)state;
	html = render_opts("", NULL, &info);
	assert_string_equal(html, "");
	free(html);
	assert_string_equal(info.plain_text.ptr, "");
	assert_int_equal(info.word_count, 0);
	assert_int_equal(info.headings_len, 0);
	pk_markdown_info_release(&info);
}

/* ---- diagnostics ------------------------------------------------------------------ */

static void test_invalid_utf8(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;
	pk_markdown_info info = PK_MARKDOWN_INFO_INIT;
	pk_buf out = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	char *msg;

	(void)state;
	opts.path = "content/practices/x.md";
	opts.first_line = 6;
	assert_int_equal(pk_markdown_render(&out, S("# Ок\n\nстрока \xff плохо\n"), &opts, &info, &d),
			 PK_ERROR);
	msg = format_diags(&d);
	assert_string_equal(msg, "content/practices/x.md:8:8: error: invalid UTF-8");
	free(msg);
	/* Rendered all the same, with U+FFFD in place of the bad byte. */
	assert_string_equal(out.ptr, "<h1 id=\"ok\">Ок</h1>\n<p>строка \xef\xbf\xbd плохо</p>\n");
	assert_string_equal(info.plain_text.ptr, "Ок строка \xef\xbf\xbd плохо");
	pk_buf_release(&out);
	pk_diags_release(&d);
	pk_markdown_info_release(&info);
}

static void test_invalid_utf8_positions(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;
	pk_buf out = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	char *msg;

	(void)state;
	/* first_line 0 counts as 1; a truncated sequence at the very end. */
	opts.path = "a.md";
	opts.first_line = 0;
	assert_int_equal(pk_markdown_render(&out, S("ok \xd0"), &opts, NULL, &d), PK_ERROR);
	/* An overlong encoding, and no path. */
	opts.path = NULL;
	opts.first_line = 3;
	assert_int_equal(pk_markdown_render(&out, S("\n\xc0\xaf"), &opts, NULL, &d), PK_ERROR);
	msg = format_diags(&d);
	assert_string_equal(msg, "a.md:1:4: error: invalid UTF-8\n"
				 "praktika: error: invalid UTF-8");
	free(msg);
	assert_int_equal(d.items[1].line, 4);
	assert_int_equal(d.items[1].col, 1);
	pk_buf_release(&out);
	pk_diags_release(&d);
}

static void test_too_large(void **state)
{
	pk_markdown_opts opts = PK_MARKDOWN_OPTS_INIT;
	size_t len = ((size_t)16 << 20) + 1;
	char *big = malloc(len);
	pk_buf out = PK_BUF_INIT;
	pk_diags d = PK_DIAGS_INIT;
	char *msg;

	(void)state;
	memset(big, 'a', len);
	opts.path = "big.md";
	opts.first_line = 4;
	assert_int_equal(pk_markdown_render(&out, big, len, &opts, NULL, &d), PK_ELIMIT);
	msg = format_diags(&d);
	assert_string_equal(msg, "big.md:4: error: markdown body too large (16777217 bytes, the "
				 "limit is 16777216)");
	free(msg);
	assert_int_equal(out.len, 0);
	pk_markdown_inline(&out, big, 5);
	assert_string_equal(out.ptr, "aaaaa");
	pk_buf_release(&out);
	pk_diags_release(&d);
	free(big);
}

/* ---- hostile structure ---------------------------------------------------------- */

static void test_deep_nesting(void **state)
{
	const size_t n = 20000;
	pk_buf md = PK_BUF_INIT;
	pk_markdown_info info = PK_MARKDOWN_INFO_INIT;
	char *html;
	size_t i;

	(void)state;
	for (i = 0; i < n; i++)
		pk_buf_puts(&md, "> ");
	pk_buf_puts(&md, "# deep [x](javascript:y) <b>z</b>\n\n");
	for (i = 0; i < n; i++)
		pk_buf_puts(&md, "- ");
	pk_buf_puts(&md, "item\n\n");
	for (i = 0; i < n; i++)
		pk_buf_puts(&md, "*[");
	pk_buf_puts(&md, "text\n");
	html = render_opts(md.ptr, NULL, &info);
	assert_non_null(strstr(html, "<h1 id=\"deep-x-z\">deep x z</h1>"));
	assert_null(strstr(html, "javascript"));
	assert_null(strstr(html, "<b>"));
	assert_int_equal(info.headings_len, 1);
	free(html);
	pk_markdown_info_release(&info);
	pk_buf_release(&md);
}

static void test_many_duplicate_headings(void **state)
{
	pk_buf md = PK_BUF_INIT;
	pk_markdown_info info = PK_MARKDOWN_INFO_INIT;
	char *html;
	size_t i;

	(void)state;
	for (i = 0; i < 2000; i++)
		pk_buf_puts(&md, "## Итоги\n\n");
	html = render_opts(md.ptr, NULL, &info);
	assert_int_equal(info.headings_len, 2000);
	assert_string_equal(info.headings[0].id, "itogi");
	assert_string_equal(info.headings[1999].id, "itogi-2000");
	free(html);
	pk_markdown_info_release(&info);
	pk_buf_release(&md);
}

/* ---- one-line fields ---------------------------------------------------------------- */

static void test_inline(void **state)
{
	(void)state;
	check_inline("Повысить **качество** обучения", "Повысить <strong>качество</strong> обучения");
	check_inline("", "");
	check_inline("   ", "");
	check_inline("строка1\nстрока2\r\n", "строка1 строка2");
	check_inline("~~было~~ стало, www.example.com",
		     "<del>было</del> стало, <a href=\"http://www.example.com\">www.example.com</a>");
	check_inline("`код` и ```x```", "<code>код</code> и <code>x</code>");
	check_inline("*важно* это", "<em>важно</em> это");
	check_inline("a & b < c", "a &amp; b &lt; c");
}

static void test_inline_block_markers(void **state)
{
	(void)state;
	check_inline("1. этап", "1. этап");
	check_inline("  10) пункт", "10) пункт");
	check_inline("2024. Год", "2024. Год");
	check_inline("# 5", "# 5");
	check_inline("#тег", "#тег");
	check_inline("- да", "- да");
	check_inline("+ да", "+ да");
	check_inline("* да", "* да");
	check_inline("-5 градусов", "-5 градусов");
	check_inline("***", "***");
	check_inline("- - -", "- - -");
	check_inline("___", "___");
	check_inline("> цитата", "&gt; цитата");
	check_inline("```js", "```js");
	check_inline("~~~", "~~~");
	check_inline("    отступ", "отступ");
	check_inline("[a]: http://x.org", "[a]: http://x.org");
}

static void test_inline_safety(void **state)
{
	(void)state;
	check_inline("a <b onclick=\"x\">b</b> [j](javascript:x) [ok](https://x.org)",
		     "a b j <a href=\"https://x.org\">ok</a>");
	check_inline("<div>блок</div>", "");
	check_inline("<script>alert(1)</script>", "");
	check_inline("![i](data:text/html,x)", "i");
	check_inline("ok \xc3", "ok \xef\xbf\xbd");
}

static int teardown(void **state)
{
	(void)state;
	pk_text_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commonmark),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_strikethrough_autolink_tasklist),
		cmocka_unit_test(test_footnotes),
		cmocka_unit_test(test_raw_html_removed),
		cmocka_unit_test(test_dangerous_links),
		cmocka_unit_test(test_dangerous_images),
		cmocka_unit_test(test_allow_raw_html),
		cmocka_unit_test(test_heading_ids),
		cmocka_unit_test(test_heading_shift),
		cmocka_unit_test(test_info_headings),
		cmocka_unit_test(test_rewrite_links),
		cmocka_unit_test(test_rewrite_error),
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_plain_text_empty),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_invalid_utf8_positions),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_duplicate_headings),
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_inline_block_markers),
		cmocka_unit_test(test_inline_safety),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
