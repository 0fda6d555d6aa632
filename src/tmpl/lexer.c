/*
 * lexer.c: splits a Mustache source into text and tag tokens.
 *
 * Text is cut after every newline so the compiler sees the source line by
 * line (standalone tags are a property of lines). Delimiter changes are
 * applied here, as soon as their tag is read, because they change how the
 * rest of the source is split. Line and column are counted incrementally
 * (tokens come in source order), so lexing stays linear in the input.
 */
#include "tmpl/tmpl_internal.h"
#include "core/xalloc.h"

#include <string.h>

bool pk_tmpl__is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void pk_tmpl__lexer_init(pk_tmpl__lexer *lx, const char *src, size_t len, pk_slice otag,
			 pk_slice ctag, const char *path, pk_diags *diags)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
	lx->otag = otag.p;
	lx->olen = otag.len;
	lx->ctag = ctag.p;
	lx->clen = ctag.len;
	lx->line = lx->col = 1;
	lx->path = path;
	lx->diags = diags;
	PK_GROW(lx->dl, lx->dlcap, 1);
	memset(&lx->dl[0], 0, sizeof(lx->dl[0])); /* index 0: the starting ones */
	lx->ndl = 1;
}

/* Line and column of off; off never goes backwards between calls. */
static pk_pos pos_at(pk_tmpl__lexer *lx, size_t off)
{
	pk_pos pos;
	size_t i;

	for (i = lx->scan; i < off; i++) {
		unsigned char c = (unsigned char)lx->src[i];
		if (c == '\n') {
			lx->line++;
			lx->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			lx->col++;
		}
	}
	if (off > lx->scan)
		lx->scan = off;
	pos.line = lx->line;
	pos.col = lx->col;
	return pos;
}

/* memmem in windows, so that finding something near costs little even
 * where memmem is checked over its whole range (sanitizers). */
static const char *find(const pk_tmpl__lexer *lx, size_t from, const char *needle, size_t n)
{
	enum { STEP = 4096 };
	size_t at;

	for (at = from; at < lx->len; at += STEP) {
		size_t win = lx->len - at < STEP + n - 1 ? lx->len - at : STEP + n - 1;
		const char *p = memmem(lx->src + at, win, needle, n);
		if (p)
			return p;
	}
	return NULL;
}

static size_t next_tag(pk_tmpl__lexer *lx)
{
	if (!lx->next_tag_valid || lx->next_tag < lx->pos) {
		const char *p = find(lx, lx->pos, lx->otag, lx->olen);
		lx->next_tag = p ? (size_t)(p - lx->src) : lx->len;
		lx->next_tag_valid = true;
	}
	return lx->next_tag;
}

static void lex_text(pk_tmpl__lexer *lx, pk_tmpl__token *out, size_t stop)
{
	const char *nl = memchr(lx->src + lx->pos, '\n', stop - lx->pos);

	out->kind = PK_TMPL__TOK_TEXT;
	out->start = lx->pos;
	out->end = nl ? (size_t)(nl - lx->src) + 1 : stop;
	out->newline = nl != NULL;
	lx->pos = out->end;
}

static pk_tmpl__tok_kind kind_of(char c)
{
	switch (c) {
	case '{': case '&': return PK_TMPL__TOK_RAW;
	case '#': return PK_TMPL__TOK_SECTION;
	case '^': return PK_TMPL__TOK_INVERTED;
	case '/': return PK_TMPL__TOK_CLOSE;
	case '!': return PK_TMPL__TOK_COMMENT;
	case '=': return PK_TMPL__TOK_DELIM;
	case '>': return PK_TMPL__TOK_PARTIAL;
	case '<': return PK_TMPL__TOK_PARENT;
	case '$': return PK_TMPL__TOK_BLOCK;
	default: return PK_TMPL__TOK_VAR;
	}
}

/* sigil: what follows the opening delimiter and so must precede the
 * closing one ('{' then '}', '=' then '='), or '\0'. */
static int unclosed(pk_tmpl__lexer *lx, const pk_tmpl__token *tok, char sigil)
{
	char open[2] = { sigil, '\0' }, close[2] = { sigil == '{' ? '}' : sigil, '\0' };

	return pk_diag_error(lx->diags, lx->path, tok->pos, "unclosed tag: no '%s%.*s' after '%.*s%s'",
			     close, (int)lx->clen, lx->ctag, (int)lx->olen, lx->otag, open);
}

/* Finds the closing delimiter of the tag whose content starts at from;
 * with `before` set, the delimiter must follow that character ('}' of a
 * triple mustache). Returns the offset of the delimiter or lx->len. */
static size_t find_close(const pk_tmpl__lexer *lx, size_t from, char before)
{
	size_t at = from;
	const char *p;

	while ((p = find(lx, at, lx->ctag, lx->clen)) != NULL) {
		size_t off = (size_t)(p - lx->src);
		if (!before || (off > from && lx->src[off - 1] == before))
			return off;
		at = off + 1;
	}
	return lx->len;
}

static void trim(const char *s, size_t *off, size_t *end)
{
	while (*off < *end && pk_tmpl__is_blank(s[*off]))
		(*off)++;
	while (*end > *off && pk_tmpl__is_blank(s[*end - 1]))
		(*end)--;
}

static size_t run_len(const char *s, size_t off, size_t end, bool blank)
{
	size_t i = off;
	while (i < end && pk_tmpl__is_blank(s[i]) == blank && (blank || s[i] != '='))
		i++;
	return i - off;
}

/* {{=<% %>=}}: two non-blank delimiters without '=' separated by blanks. */
static int set_delims(pk_tmpl__lexer *lx, const pk_tmpl__token *tok, size_t off, size_t end)
{
	size_t olen, gap, clen;
	pk_tmpl__delims *d;

	trim(lx->src, &off, &end);
	olen = run_len(lx->src, off, end, false);
	gap = run_len(lx->src, off + olen, end, true);
	clen = run_len(lx->src, off + olen + gap, end, false);
	if (!olen || !gap || !clen || off + olen + gap + clen != end)
		return pk_diag_error(lx->diags, lx->path, tok->pos, "invalid delimiter change");
	PK_GROW(lx->dl, lx->dlcap, (size_t)lx->ndl + 1);
	d = &lx->dl[lx->ndl];
	d->o_off = (uint32_t)off;
	d->o_len = (uint32_t)olen;
	d->c_off = (uint32_t)(off + olen + gap);
	d->c_len = (uint32_t)clen;
	lx->delims = lx->ndl++;
	lx->otag = lx->src + d->o_off;
	lx->olen = olen;
	lx->ctag = lx->src + d->c_off;
	lx->clen = clen;
	lx->next_tag_valid = false;
	return PK_OK;
}

static int check_name(pk_tmpl__lexer *lx, pk_tmpl__token *tok)
{
	size_t i;

	if (tok->kind == PK_TMPL__TOK_COMMENT || tok->kind == PK_TMPL__TOK_DELIM)
		return PK_OK;
	if (!tok->name_len)
		return pk_diag_error(lx->diags, lx->path, tok->pos, "empty tag name");
	for (i = 0; i < tok->name_len; i++)
		if (pk_tmpl__is_blank(lx->src[tok->name_off + i]))
			return pk_diag_error(lx->diags, lx->path, tok->pos, "invalid name '%.*s'",
					     (int)tok->name_len, lx->src + tok->name_off);
	return PK_OK;
}

/* Sets the name of tok to the trimmed content [off, end); a leading '*'
 * of a partial, parent or closing tag marks a dynamic name. */
static int set_name(pk_tmpl__lexer *lx, pk_tmpl__token *tok, size_t off, size_t end)
{
	pk_tmpl__tok_kind k = tok->kind;

	trim(lx->src, &off, &end);
	if ((k == PK_TMPL__TOK_PARTIAL || k == PK_TMPL__TOK_PARENT || k == PK_TMPL__TOK_CLOSE) &&
	    off < end && lx->src[off] == '*') {
		tok->dynamic = true;
		off++;
		trim(lx->src, &off, &end);
	}
	tok->name_off = off;
	tok->name_len = end - off;
	return check_name(lx, tok);
}

static int lex_tag(pk_tmpl__lexer *lx, pk_tmpl__token *out)
{
	size_t content = lx->pos + lx->olen, close;
	char sigil = content < lx->len ? lx->src[content] : '\0';

	out->kind = kind_of(sigil);
	if (out->kind != PK_TMPL__TOK_VAR)
		content++;
	if (sigil == '{') {
		close = find_close(lx, content, '}');
		if (close == lx->len)
			return unclosed(lx, out, '{');
		out->end = close + lx->clen;
		close--;
	} else {
		close = find_close(lx, content, '\0');
		if (close == lx->len)
			return unclosed(lx, out, sigil == '=' ? '=' : '\0');
		out->end = close + lx->clen;
	}
	lx->pos = out->end;
	if (out->kind != PK_TMPL__TOK_DELIM)
		return set_name(lx, out, content, close);
	if (close <= content || lx->src[close - 1] != '=')
		return pk_diag_error(lx->diags, lx->path, out->pos, "invalid delimiter change");
	return set_delims(lx, out, content, close - 1);
}

int pk_tmpl__lex(pk_tmpl__lexer *lx, pk_tmpl__token *out)
{
	size_t stop;
	int rc = PK_OK;

	memset(out, 0, sizeof(*out));
	out->start = lx->pos;
	out->pos = pos_at(lx, lx->pos);
	if (lx->pos >= lx->len) {
		out->kind = PK_TMPL__TOK_EOF;
		out->end = lx->pos;
	} else if ((stop = next_tag(lx)) > lx->pos) {
		lex_text(lx, out, stop);
	} else {
		rc = lex_tag(lx, out);
	}
	out->delims = lx->delims;
	return rc;
}
