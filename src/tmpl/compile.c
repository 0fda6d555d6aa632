/*
 * compile.c: turns the lexer's tokens into a template's flat op array.
 *
 * The source is processed one line at a time because standalone tags are a
 * property of lines: a line holding only blanks and one non-interpolation
 * tag (or one of the adjacent pairs the inheritance spec allows, such as
 * {{<parent}}{{$block}}) disappears from the output. Tokens of a line are
 * buffered only while the line could still be standalone; after that the
 * rest of the line streams through, so a huge line of tags costs no memory.
 *
 * Open sections live on an explicit stack (no recursion on input depth),
 * bounded by PK_TMPL_MAX_NESTING. Each entry also tracks the common
 * indentation of the body lines seen so far, which blocks need.
 */
#include "tmpl/tmpl_internal.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define PK_TMPL__MAX_SIZE (1u << 30)

typedef enum {
	LINE_PLAIN,     /* not standalone */
	LINE_ALONE,     /* standalone: the whole line goes */
	LINE_KEEP_EOL,  /* {{$block}}{{/block}}: the blanks before go, the newline stays */
} line_kind;

typedef struct {
	uint32_t op;
	pk_tmpl__tok_kind kind;
	size_t name_off, name_len;
	bool dynamic;
	pk_pos pos;
	bool have_ind;            /* common indentation of the body lines so far */
	size_t ind_off, ind_len;
	uint32_t last_arg;        /* parent: the last argument block so far, 0 if none */
} open_sec;

typedef struct {
	pk_tmpl *t;
	pk_tmpl_set *set;
	pk_tmpl__lexer lx;
	pk_diags *diags;
	const char *src;

	pk_tmpl__op *ops;
	size_t nops, opcap;
	pk_tmpl__name *names;
	size_t nnames, namecap;
	pk_tmpl__part *parts;
	size_t nparts, partcap;
	pk_buf strs;
	pk_strmap entry_index; /* name → index + 1 in entries */
	pk_tmpl__entry **entries;
	size_t nentries, entrycap;

	open_sec *stack;
	size_t depth, stackcap;
	pk_tmpl__token *line;
	size_t nline, linecap;
	bool eof;
} compiler;

static const char *const kind_word[] = {
	[PK_TMPL__TOK_SECTION] = "section",
	[PK_TMPL__TOK_INVERTED] = "section",
	[PK_TMPL__TOK_PARENT] = "parent",
	[PK_TMPL__TOK_BLOCK] = "block",
};

/* Tables ----------------------------------------------------------------- */

static pk_tmpl__op *new_op(compiler *c, pk_tmpl__kind kind, const pk_tmpl__token *tok)
{
	pk_tmpl__op *op;

	PK_GROW(c->ops, c->opcap, c->nops + 1);
	op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)kind;
	if (tok) {
		op->off = (uint32_t)tok->name_off;
		op->len = (uint32_t)tok->name_len;
		op->line = (uint32_t)tok->pos.line;
		op->col = (uint32_t)tok->pos.col;
	}
	return op;
}

static int invalid_name(compiler *c, const pk_tmpl__token *tok)
{
	return pk_diag_error(c->diags, c->t->path, tok->pos, "invalid name '%.*s'",
			     (int)tok->name_len, c->src + tok->name_off);
}

static void add_part(compiler *c, const char *p, size_t len)
{
	PK_GROW(c->parts, c->partcap, c->nparts + 1);
	c->parts[c->nparts].off = (uint32_t)c->strs.len;
	c->parts[c->nparts].len = (uint32_t)len;
	c->parts[c->nparts].hash = pk_value_key_hash(p, len);
	c->nparts++;
	pk_buf_put(&c->strs, p, len);
	pk_buf_putc(&c->strs, '\0');
}

/* Splits the tag's name on dots into a new entry of the name table. */
static int add_name(compiler *c, const pk_tmpl__token *tok, uint32_t *out)
{
	const char *p = c->src + tok->name_off, *end = p + tok->name_len;
	pk_tmpl__name *n;

	PK_GROW(c->names, c->namecap, c->nnames + 1);
	n = &c->names[c->nnames];
	n->off = (uint32_t)tok->name_off;
	n->len = (uint32_t)tok->name_len;
	n->first = (uint32_t)c->nparts;
	n->n = 0;
	if (tok->name_len != 1 || *p != '.') {
		for (;;) {
			const char *dot = memchr(p, '.', (size_t)(end - p));
			const char *stop = dot ? dot : end;
			if (stop == p)
				return invalid_name(c, tok);
			add_part(c, p, (size_t)(stop - p));
			n->n++;
			if (!dot)
				break;
			p = dot + 1;
		}
	}
	*out = (uint32_t)c->nnames++;
	return PK_OK;
}

/* The index in the template's entry table of the static name of tok. */
static uint32_t add_entry(compiler *c, const pk_tmpl__token *tok)
{
	const char *name = c->src + tok->name_off;
	long i = (long)(intptr_t)pk_strmap_get(&c->entry_index, name, tok->name_len);

	if (i)
		return (uint32_t)(i - 1);
	PK_GROW(c->entries, c->entrycap, c->nentries + 1);
	c->entries[c->nentries] = pk_tmpl__set_entry(c->set, name, tok->name_len);
	pk_strmap_add(&c->entry_index, name, tok->name_len, (void *)(intptr_t)(c->nentries + 1));
	return (uint32_t)c->nentries++;
}

/* Indentation of blocks -------------------------------------------------- */

static size_t common_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;
	while (i < alen && i < blen && a[i] == b[i])
		i++;
	return i;
}

/* Records a body line whose leading blanks are [off, off + len). */
static void note_indent(compiler *c, open_sec *s, size_t off, size_t len)
{
	if (!s)
		return;
	if (!s->have_ind) {
		s->have_ind = true;
		s->ind_off = off;
		s->ind_len = len;
		return;
	}
	s->ind_len = common_prefix(c->src + s->ind_off, s->ind_len, c->src + off, len);
}

static open_sec *top(compiler *c)
{
	return c->depth ? &c->stack[c->depth - 1] : NULL;
}

/* Leading blanks of the current line: [start, start + *len). Returns false
 * for a line with nothing but blanks. */
static bool line_indent(const compiler *c, size_t *start, size_t *len)
{
	const pk_tmpl__token *first = &c->line[0];
	size_t i;

	*start = first->start;
	*len = 0;
	if (first->kind != PK_TMPL__TOK_TEXT)
		return true;
	for (i = first->start; i < first->end && (c->src[i] == ' ' || c->src[i] == '\t'); i++)
		;
	*len = i - first->start;
	return i < first->end && !pk_tmpl__is_blank(c->src[i]) ? true : c->nline > 1;
}

/* Sections --------------------------------------------------------------- */

static int open_section(compiler *c, const pk_tmpl__token *tok, uint32_t op)
{
	open_sec *s;

	if (c->depth >= PK_TMPL_MAX_NESTING)
		return pk_diag_error(c->diags, c->t->path, tok->pos,
				     "sections nested too deep (more than %d levels)",
				     PK_TMPL_MAX_NESTING);
	PK_GROW(c->stack, c->stackcap, c->depth + 1);
	s = &c->stack[c->depth++];
	memset(s, 0, sizeof(*s));
	s->op = op;
	s->kind = tok->kind;
	s->name_off = tok->name_off;
	s->name_len = tok->name_len;
	s->dynamic = tok->dynamic;
	s->pos = tok->pos;
	return PK_OK;
}

static bool same_name(const compiler *c, const open_sec *s, const pk_tmpl__token *tok)
{
	return s->dynamic == tok->dynamic && s->name_len == tok->name_len &&
	       memcmp(c->src + s->name_off, c->src + tok->name_off, tok->name_len) == 0;
}

static int close_section(compiler *c, const pk_tmpl__token *tok)
{
	open_sec *s = top(c);
	pk_tmpl__op *op;

	if (!s)
		return pk_diag_error(c->diags, c->t->path, tok->pos, "unexpected closing tag '%s%.*s'",
				     tok->dynamic ? "*" : "", (int)tok->name_len, c->src + tok->name_off);
	if (!same_name(c, s, tok))
		return pk_diag_error(c->diags, c->t->path, tok->pos,
				     "closing tag '%s%.*s' does not match open %s '%s%.*s'",
				     tok->dynamic ? "*" : "", (int)tok->name_len,
				     c->src + tok->name_off, kind_word[s->kind], s->dynamic ? "*" : "",
				     (int)s->name_len, c->src + s->name_off);
	op = &c->ops[s->op];
	op->end = (uint32_t)c->nops;
	if (op->kind == PK_TMPL__SECTION || op->kind == PK_TMPL__INVERTED)
		op->a_len = (uint32_t)(tok->start - op->a_off);
	if (op->kind == PK_TMPL__BLOCK && s->have_ind) {
		op->flags |= PK_TMPL__CONTENT;
		op->b_off = (uint32_t)s->ind_off;
		op->b_len = (uint32_t)s->ind_len;
	}
	c->depth--;
	if (s->have_ind)
		note_indent(c, top(c), s->ind_off, s->ind_len);
	return PK_OK;
}

/* Emitting tokens -------------------------------------------------------- */

static void emit_text(compiler *c, const pk_tmpl__token *tok, bool bol)
{
	pk_tmpl__op *op = c->nops ? &c->ops[c->nops - 1] : NULL;

	if (tok->end == tok->start)
		return;
	if (op && op->kind == PK_TMPL__TEXT && op->off + op->len == tok->start) {
		op->len += (uint32_t)(tok->end - tok->start);
		return;
	}
	op = new_op(c, PK_TMPL__TEXT, NULL);
	op->off = (uint32_t)tok->start;
	op->len = (uint32_t)(tok->end - tok->start);
	op->flags = bol ? PK_TMPL__BOL : 0;
}

static int emit_var(compiler *c, const pk_tmpl__token *tok)
{
	uint32_t name;
	int rc = add_name(c, tok, &name);
	pk_tmpl__op *op;

	if (rc)
		return rc;
	op = new_op(c, PK_TMPL__VAR, tok);
	op->ref = name;
	if (tok->kind == PK_TMPL__TOK_VAR)
		op->flags |= PK_TMPL__ESCAPE;
	return PK_OK;
}

static int emit_section(compiler *c, const pk_tmpl__token *tok)
{
	uint32_t name;
	int rc = add_name(c, tok, &name);
	pk_tmpl__op *op;

	if (rc)
		return rc;
	op = new_op(c, tok->kind == PK_TMPL__TOK_SECTION ? PK_TMPL__SECTION : PK_TMPL__INVERTED,
		    tok);
	op->ref = name;
	op->a_off = (uint32_t)tok->end;
	op->b_off = tok->delims;
	return open_section(c, tok, (uint32_t)(c->nops - 1));
}

/* Partials and parents: a static name becomes a set entry, a dynamic one a
 * dotted name resolved at render time. */
static int emit_include(compiler *c, const pk_tmpl__token *tok, const pk_tmpl__token *indent)
{
	pk_tmpl__kind kind = tok->kind == PK_TMPL__TOK_PARENT ? PK_TMPL__PARENT : PK_TMPL__PARTIAL;
	pk_tmpl__op *op;
	uint32_t ref;
	int rc = PK_OK;

	if (tok->dynamic)
		rc = add_name(c, tok, &ref);
	else
		ref = add_entry(c, tok);
	if (rc)
		return rc;
	op = new_op(c, kind, tok);
	op->ref = ref;
	op->flags = tok->dynamic ? PK_TMPL__DYNAMIC : 0;
	if (indent) {
		op->flags |= PK_TMPL__STANDALONE;
		op->a_off = (uint32_t)indent->start;
		op->a_len = (uint32_t)(indent->end - indent->start);
	}
	return kind == PK_TMPL__PARENT ? open_section(c, tok, (uint32_t)(c->nops - 1)) : PK_OK;
}

static int emit_block(compiler *c, const pk_tmpl__token *tok, const pk_tmpl__token *indent)
{
	open_sec *s = top(c);
	uint32_t at = (uint32_t)c->nops;
	pk_tmpl__op *op = new_op(c, PK_TMPL__BLOCK, tok);

	if (indent) {
		op->flags |= PK_TMPL__STANDALONE;
		op->a_off = (uint32_t)indent->start;
		op->a_len = (uint32_t)(indent->end - indent->start);
	}
	if (s && s->kind == PK_TMPL__TOK_PARENT) {
		op->flags |= PK_TMPL__ARG;
		if (s->last_arg)
			c->ops[s->last_arg].next = at;
		else
			c->ops[s->op].next = at;
		s->last_arg = at;
	}
	return open_section(c, tok, at);
}

/* Emits one tag; indent is the blank text before a standalone tag (or a
 * zero-length token when there is none), NULL for a tag inside a line. */
static int emit_tag(compiler *c, const pk_tmpl__token *tok, const pk_tmpl__token *indent)
{
	switch (tok->kind) {
	case PK_TMPL__TOK_VAR:
	case PK_TMPL__TOK_RAW:
		return emit_var(c, tok);
	case PK_TMPL__TOK_SECTION:
	case PK_TMPL__TOK_INVERTED:
		return emit_section(c, tok);
	case PK_TMPL__TOK_CLOSE:
		return close_section(c, tok);
	case PK_TMPL__TOK_PARTIAL:
	case PK_TMPL__TOK_PARENT:
		return emit_include(c, tok, indent);
	case PK_TMPL__TOK_BLOCK:
		return emit_block(c, tok, indent);
	default:
		return PK_OK; /* comments and delimiter changes leave nothing */
	}
}

/* A line that is not standalone; its first token starts a source line. */
static int emit_plain(compiler *c, const pk_tmpl__token *tok, bool first)
{
	if (tok->kind == PK_TMPL__TOK_TEXT) {
		emit_text(c, tok, first);
		return PK_OK;
	}
	if (first) {
		/* a zero-length text op marks where the line's indentation goes */
		pk_tmpl__op *op = new_op(c, PK_TMPL__TEXT, NULL);
		op->off = (uint32_t)tok->start;
		op->flags = PK_TMPL__BOL;
	}
	return emit_tag(c, tok, NULL);
}

/* Lines ------------------------------------------------------------------ */

static bool blank_text(const compiler *c, const pk_tmpl__token *tok)
{
	size_t i;
	for (i = tok->start; i < tok->end; i++)
		if (!pk_tmpl__is_blank(c->src[i]))
			return false;
	return true;
}

static bool can_stand_alone(pk_tmpl__tok_kind k)
{
	return k != PK_TMPL__TOK_VAR && k != PK_TMPL__TOK_RAW && k != PK_TMPL__TOK_TEXT;
}

/* The pairs of adjacent tags that the inheritance spec lets stand alone. */
static line_kind pair_kind(const compiler *c, const pk_tmpl__token *a, const pk_tmpl__token *b)
{
	bool same = a->name_len == b->name_len && a->dynamic == b->dynamic &&
		    memcmp(c->src + a->name_off, c->src + b->name_off, a->name_len) == 0;

	if (a->end != b->start)
		return LINE_PLAIN;
	if (a->kind == PK_TMPL__TOK_PARENT && b->kind == PK_TMPL__TOK_CLOSE && same)
		return LINE_ALONE;
	if (a->kind == PK_TMPL__TOK_PARENT && b->kind == PK_TMPL__TOK_BLOCK)
		return LINE_ALONE;
	if (a->kind == PK_TMPL__TOK_BLOCK && b->kind == PK_TMPL__TOK_CLOSE && same)
		return LINE_KEEP_EOL;
	if (a->kind == PK_TMPL__TOK_CLOSE && b->kind == PK_TMPL__TOK_CLOSE && c->depth >= 2 &&
	    c->stack[c->depth - 1].kind == PK_TMPL__TOK_BLOCK &&
	    c->stack[c->depth - 2].kind == PK_TMPL__TOK_PARENT)
		return LINE_ALONE;
	return LINE_PLAIN;
}

/* Classifies a complete buffered line whose texts are all blank. */
static line_kind classify(const compiler *c, const pk_tmpl__token **tags, size_t ntags)
{
	if (ntags == 1)
		return LINE_ALONE;
	if (ntags == 2)
		return pair_kind(c, tags[0], tags[1]);
	return LINE_PLAIN;
}

static bool has_close(const compiler *c)
{
	size_t i;
	for (i = 0; i < c->nline; i++)
		if (c->line[i].kind == PK_TMPL__TOK_CLOSE)
			return true;
	return false;
}

static int emit_alone(compiler *c, line_kind kind)
{
	static const pk_tmpl__token none;
	const pk_tmpl__token *indent = &none;
	size_t i;
	int rc = PK_OK;

	if (c->line[0].kind == PK_TMPL__TOK_TEXT)
		indent = &c->line[0];
	for (i = 0; i < c->nline && !rc; i++) {
		const pk_tmpl__token *tok = &c->line[i];
		if (tok->kind != PK_TMPL__TOK_TEXT)
			rc = emit_tag(c, tok, indent);
		else if (kind == LINE_KEEP_EOL && i > 0)
			emit_text(c, tok, false);
	}
	return rc;
}

/* Reads the tokens of one line while it could still be standalone. Sets
 * *done when the line is complete (newline or end of input). */
static int buffer_line(compiler *c, bool *alone, bool *done)
{
	size_t ntags = 0;
	int rc;

	c->nline = 0;
	*alone = true;
	*done = false;
	for (;;) {
		pk_tmpl__token *tok;
		PK_GROW(c->line, c->linecap, c->nline + 1);
		tok = &c->line[c->nline];
		if ((rc = pk_tmpl__lex(&c->lx, tok)) != PK_OK)
			return rc;
		if (tok->kind == PK_TMPL__TOK_EOF) {
			c->eof = *done = true;
			break;
		}
		c->nline++;
		if (tok->kind == PK_TMPL__TOK_TEXT) {
			*alone = *alone && blank_text(c, tok);
			*done = tok->newline;
		} else if (!can_stand_alone(tok->kind) || ++ntags > 2) {
			*alone = false;
		}
		if (*done || !*alone)
			break;
	}
	*alone = *alone && *done && ntags > 0;
	return PK_OK;
}

/* Emits the rest of a line that is known not to be standalone. */
static int stream_line(compiler *c)
{
	pk_tmpl__token tok;
	int rc;

	for (;;) {
		if ((rc = pk_tmpl__lex(&c->lx, &tok)) != PK_OK)
			return rc;
		if (tok.kind == PK_TMPL__TOK_EOF) {
			c->eof = true;
			return PK_OK;
		}
		if ((rc = emit_plain(c, &tok, false)) != PK_OK)
			return rc;
		if (tok.kind == PK_TMPL__TOK_TEXT && tok.newline)
			return PK_OK;
	}
}

static int compile_plain(compiler *c, bool done)
{
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < c->nline && !rc; i++)
		rc = emit_plain(c, &c->line[i], i == 0);
	if (!rc && !done)
		rc = stream_line(c);
	return rc;
}

static int compile_line(compiler *c)
{
	const pk_tmpl__token *tags[2];
	line_kind kind = LINE_PLAIN;
	size_t i, n = 0, ind_off, ind_len;
	bool alone, done, content, late;
	int rc = buffer_line(c, &alone, &done);

	if (rc || !c->nline)
		return rc;
	for (i = 0; i < c->nline && n < 2; i++)
		if (c->line[i].kind != PK_TMPL__TOK_TEXT)
			tags[n++] = &c->line[i];
	if (alone)
		kind = classify(c, tags, n);
	content = line_indent(c, &ind_off, &ind_len);
	late = kind != LINE_PLAIN && has_close(c);
	if (content && !late)
		note_indent(c, top(c), ind_off, ind_len);
	rc = kind == LINE_PLAIN ? compile_plain(c, done) : emit_alone(c, kind);
	if (!rc && content && late)
		note_indent(c, top(c), ind_off, ind_len);
	return rc;
}

/* The template ---------------------------------------------------------- */

static int unclosed(compiler *c)
{
	const open_sec *s = top(c);
	return pk_diag_error(c->diags, c->t->path, s->pos, "unclosed %s '%s%.*s'", kind_word[s->kind],
			     s->dynamic ? "*" : "", (int)s->name_len, c->src + s->name_off);
}

static void finish(compiler *c)
{
	pk_tmpl *t = c->t;

	t->ops = c->ops;
	t->nops = (uint32_t)c->nops;
	t->names = c->names;
	t->nnames = (uint32_t)c->nnames;
	t->parts = c->parts;
	t->nparts = (uint32_t)c->nparts;
	t->strs = pk_buf_detach(&c->strs);
	t->entries = c->entries;
	t->nentries = (uint32_t)c->nentries;
	t->delims = c->lx.dl;
	t->ndelims = c->lx.ndl;
	c->ops = NULL;
	c->names = NULL;
	c->parts = NULL;
	c->entries = NULL;
	c->lx.dl = NULL;
}

static void compiler_release(compiler *c)
{
	free(c->ops);
	free(c->names);
	free(c->parts);
	pk_buf_release(&c->strs);
	pk_strmap_release(&c->entry_index);
	free(c->entries);
	free(c->stack);
	free(c->line);
	free(c->lx.dl);
}

/* Keeps the starting delimiters: the defaults, or a copy of otag/ctag. */
static void set_start_delims(pk_tmpl *t, pk_slice otag, pk_slice ctag)
{
	if (!otag.len || !ctag.len) {
		t->otag0 = PK_SLICE("{{");
		t->ctag0 = PK_SLICE("}}");
		return;
	}
	t->delim0 = pk_xmalloc(pk_size_add(otag.len, ctag.len));
	memcpy(t->delim0, otag.p, otag.len);
	memcpy(t->delim0 + otag.len, ctag.p, ctag.len);
	t->otag0 = (pk_slice){ t->delim0, otag.len };
	t->ctag0 = (pk_slice){ t->delim0 + otag.len, ctag.len };
}

static pk_tmpl *tmpl_new(pk_tmpl_set *set, const char *name, const char *src, size_t len,
			 const char *path)
{
	pk_tmpl *t = pk_xcalloc(1, sizeof(*t));

	t->set = set;
	t->name = pk_xstrdup(name);
	t->path = pk_xstrdup(path ? path : name);
	t->src = pk_xstrndup(src, len);
	t->src_len = len;
	return t;
}

int pk_tmpl__compile(pk_tmpl **out, pk_tmpl_set *set, const char *name, const char *src,
		     size_t len, const char *path, pk_slice otag, pk_slice ctag, pk_diags *diags)
{
	compiler c;
	int rc = PK_OK;

	memset(&c, 0, sizeof(c));
	*out = NULL;
	c.t = tmpl_new(set, name, src, len, path);
	c.set = set;
	c.diags = diags;
	c.src = c.t->src;
	pk_buf_init(&c.strs);
	pk_strmap_init(&c.entry_index);
	set_start_delims(c.t, otag, ctag);
	pk_tmpl__lexer_init(&c.lx, c.src, len, c.t->otag0, c.t->ctag0, c.t->path, diags);
	if (len > PK_TMPL__MAX_SIZE) {
		/* offsets are 32-bit; names copied into strs must fit too */
		rc = pk_diag_error(diags, c.t->path, (pk_pos){ 0, 0 },
				   "template too large (more than %u MiB)", PK_TMPL__MAX_SIZE >> 20);
		goto done;
	}
	while (!c.eof && !rc)
		rc = compile_line(&c);
	if (!rc && c.depth)
		rc = unclosed(&c);
	if (!rc) {
		finish(&c);
		*out = c.t;
		c.t = NULL;
	}
done:
	compiler_release(&c);
	pk_tmpl__free(c.t);
	return rc;
}

void pk_tmpl__free(pk_tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->path);
	free(t->src);
	free(t->ops);
	free(t->names);
	free(t->parts);
	free(t->strs);
	free(t->entries);
	free(t->delims);
	free(t->delim0);
	free(t);
}
