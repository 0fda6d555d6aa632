/*
 * render.c: runs a compiled template against the value tree.
 *
 * The renderer is a loop over an explicit stack of frames, one per body
 * being executed (the template itself, a section iteration, a partial, a
 * block override, a lambda's result), so no C recursion follows the depth
 * of templates or data. Partials, parents, block overrides and lambda
 * results together nest at most PK_TMPL_MAX_DEPTH deep; sections are
 * bounded per template by the compiler.
 *
 * Frames inherit the indentation state of the frame they start from: the
 * prefix for each source line (a slice of r->ind) and the number of leading
 * blanks to drop from it (strip, for re-indented block bodies).
 *
 * Parents push a node on the override chain: the parent tag's argument
 * blocks. A block looks its name up along the chain and takes the
 * outermost match, so the top-level template's arguments win.
 */
#include "tmpl/tmpl_internal.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
	FRAME_ROOT,
	FRAME_SECTION,       /* one pass with a value pushed on the context */
	FRAME_LIST,          /* one pass per item of a list or host object */
	FRAME_INCLUDE,       /* a partial or a parent */
	FRAME_BLOCK,         /* a block's overriding body */
	FRAME_LAMBDA,        /* a section lambda's result */
	FRAME_LAMBDA_VAR,    /* an interpolation lambda's result, escaped at the end */
} frame_kind;

typedef struct {
	const pk_tmpl *t;
	uint32_t pc, end, body;
	frame_kind kind;
	bool escape;               /* FRAME_LAMBDA_VAR */
	const pk_value *seq;       /* FRAME_LIST */
	size_t i, n;
	size_t ctx_save;           /* context depth to return to */
	size_t ind_off, ind_len;   /* this frame's line prefix in r->ind */
	size_t ind_save;           /* r->ind.len to return to */
	uint32_t strip;
	long chain;                /* override chain node, -1 for none */
	size_t chain_save;
	int depth;                 /* partials, parents, blocks, lambdas */
	pk_tmpl *owned;            /* a lambda's compiled result */
	pk_buf *buf, *prev_out;    /* FRAME_LAMBDA_VAR */
} frame;

typedef struct {
	const pk_tmpl *t; /* holds the parent op */
	uint32_t op;
	long prev;
} chain_node;

typedef struct {
	pk_buf *out;
	unsigned flags;
	pk_diags *diags;
	const pk_value **ctx;
	size_t nctx, ctxcap;
	frame *frames;
	size_t nframes, framecap;
	chain_node *chain;
	size_t nchain, chaincap;
	pk_buf ind;
	pk_buf scratch;
	const pk_tmpl__op **reported; /* strict-mode errors, one per tag */
	size_t nreported, repcap;
	bool failed;
} renderer;

/* Values ----------------------------------------------------------------- */

static bool truthy(const pk_value *v)
{
	const pk_value_class *cls;

	if (!v)
		return false;
	switch (v->type) {
	case PK_VALUE_NULL: return false;
	case PK_VALUE_BOOL: return v->as.b;
	case PK_VALUE_STRING: return v->as.str.len > 0;
	case PK_VALUE_LIST: return v->as.list.len > 0;
	case PK_VALUE_OBJECT:
		cls = v->as.obj.cls;
		if (cls->truthy)
			return cls->truthy(v->as.obj.self);
		if (cls->len && cls->at && !cls->section)
			return cls->len(v->as.obj.self) > 0;
		return true;
	default: return true;
	}
}

static bool iterable_object(const pk_value *v)
{
	return v->type == PK_VALUE_OBJECT && v->as.obj.cls->len && v->as.obj.cls->at;
}

static const pk_value *member(const pk_value *v, const pk_tmpl *t, const pk_tmpl__part *part)
{
	if (!v)
		return NULL;
	if (v->type == PK_VALUE_MAP)
		return pk_value_map_geth(v, t->strs + part->off, part->len, part->hash);
	if (v->type == PK_VALUE_OBJECT && v->as.obj.cls->get)
		return v->as.obj.cls->get(v->as.obj.self, t->strs + part->off, part->len, part->hash);
	return NULL;
}

/* The value of a dotted name: the first part is looked up down the context
 * stack, the others only inside what the previous part found. *absent is
 * set when a part before the last found null or false: then the name is
 * empty rather than unknown ("practice.period.text" with no period). */
static const pk_value *resolve(const renderer *r, const pk_tmpl *t, const pk_tmpl__name *n,
			       bool *absent)
{
	const pk_tmpl__part *p;
	const pk_value *v = NULL;
	size_t i;

	*absent = false;
	if (!n->n) /* the implicit iterator "." has no parts (parts may be NULL) */
		return r->nctx ? r->ctx[r->nctx - 1] : NULL;
	p = &t->parts[n->first];
	for (i = r->nctx; i-- > 0 && !v;)
		v = member(r->ctx[i], t, &p[0]);
	for (i = 1; v && i < n->n; i++) {
		if (v->type == PK_VALUE_NULL || (v->type == PK_VALUE_BOOL && !v->as.b)) {
			*absent = true;
			return NULL;
		}
		v = member(v, t, &p[i]);
	}
	return v;
}

static const pk_value *seq_at(const pk_value *seq, size_t i)
{
	if (seq->type == PK_VALUE_LIST)
		return seq->as.list.items[i];
	return seq->as.obj.cls->at(seq->as.obj.self, i);
}

/* Diagnostics ------------------------------------------------------------ */

static pk_pos op_pos(const pk_tmpl__op *op)
{
	pk_pos pos = { (int)op->line, (int)op->col };
	return pos;
}

/* A problem that does not stop rendering (strict mode): reported once per
 * tag, however often the tag runs. */
static void soft_error(renderer *r, const pk_tmpl *t, const pk_tmpl__op *op, const char *what,
		       const char *name, size_t len)
{
	size_t i;

	r->failed = true;
	for (i = 0; i < r->nreported; i++)
		if (r->reported[i] == op)
			return;
	PK_GROW(r->reported, r->repcap, r->nreported + 1);
	r->reported[r->nreported++] = op;
	pk_diag_error(r->diags, t->path, op_pos(op), "unknown %s '%.*s'", what, (int)len, name);
}

/* The value of the tag's name; NULL (an error in strict mode) if none. */
static const pk_value *lookup(renderer *r, const pk_tmpl *t, const pk_tmpl__op *op)
{
	const pk_tmpl__name *n = &t->names[op->ref];
	bool absent;
	const pk_value *v = resolve(r, t, n, &absent);

	if (!v && !absent && (r->flags & PK_TMPL_STRICT))
		soft_error(r, t, op, "name", t->src + n->off, n->len);
	return v;
}

/* Frames ----------------------------------------------------------------- */

static frame *top(renderer *r)
{
	return &r->frames[r->nframes - 1];
}

/* Pushes a frame running t's ops [pc, end), inheriting indentation, the
 * override chain and the depth of the current frame. */
static frame *push(renderer *r, frame_kind kind, const pk_tmpl *t, uint32_t pc, uint32_t end)
{
	frame *f;

	PK_GROW(r->frames, r->framecap, r->nframes + 1);
	f = &r->frames[r->nframes];
	memset(f, 0, sizeof(*f));
	if (r->nframes) {
		const frame *up = &r->frames[r->nframes - 1];
		f->ind_off = up->ind_off;
		f->ind_len = up->ind_len;
		f->strip = up->strip;
		f->chain = up->chain;
		f->depth = up->depth;
	} else {
		f->chain = -1;
	}
	r->nframes++;
	f->kind = kind;
	f->t = t;
	f->pc = f->body = pc;
	f->end = end;
	f->ctx_save = r->nctx;
	f->ind_save = r->ind.len;
	f->chain_save = r->nchain;
	return f;
}

static void push_ctx(renderer *r, const pk_value *v)
{
	PK_GROW(r->ctx, r->ctxcap, r->nctx + 1);
	r->ctx[r->nctx++] = v;
}

static void put_value(pk_buf *out, const char *s, size_t len, bool escape)
{
	if (escape)
		pk_buf_put_html_escaped(out, s, len);
	else
		pk_buf_put(out, s, len);
}

static void pop(renderer *r)
{
	frame *f = top(r);

	if (f->kind == FRAME_LAMBDA_VAR) {
		r->out = f->prev_out;
		put_value(r->out, f->buf->ptr, f->buf->len, f->escape);
		pk_buf_release(f->buf);
		free(f->buf);
	}
	pk_tmpl__free(f->owned);
	r->nctx = f->ctx_save;
	pk_buf_truncate(&r->ind, f->ind_save);
	r->nchain = f->chain_save;
	r->nframes--;
}

/* At the end of a frame's ops: the next item, or back to the caller. */
static void frame_done(renderer *r)
{
	frame *f = top(r);

	if (f->kind == FRAME_LIST && ++f->i < f->n) {
		r->ctx[r->nctx - 1] = seq_at(f->seq, f->i);
		f->pc = f->body;
		return;
	}
	pop(r);
}

/* Sets the top frame's line prefix to the current prefix plus the
 * indentation [off, off + len) of t's source, less what the current frame
 * strips; used for standalone partials, parents and blocks. */
static void indent_frame(renderer *r, size_t cur_off, size_t cur_len, uint32_t strip,
			 const pk_tmpl *t, uint32_t off, uint32_t len)
{
	frame *f = top(r);
	uint32_t skip = strip < len ? strip : len;

	f->ind_off = r->ind.len;
	pk_buf_grow(&r->ind, cur_len + len);
	pk_buf_put(&r->ind, r->ind.ptr + cur_off, cur_len);
	pk_buf_put(&r->ind, t->src + off + skip, len - skip);
	f->ind_len = r->ind.len - f->ind_off;
}

static int too_deep(renderer *r, const pk_tmpl *t, const pk_tmpl__op *op, const char *what)
{
	return pk_diag_error(r->diags, t->path, op_pos(op), "%s nesting too deep (more than %d levels)",
			     what, PK_TMPL_MAX_DEPTH);
}

/* Text ------------------------------------------------------------------- */

static const char *skip_blanks(const char *p, const char *end, uint32_t n)
{
	while (n-- && p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static bool at_eol(const char *p, const char *end)
{
	return p < end && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'));
}

/* Text under indentation: each line that starts here drops up to strip
 * blanks and gets the prefix (empty lines get no prefix). */
static void put_indented(renderer *r, const frame *f, const char *p, size_t len, bool bol)
{
	const char *end = p + len;

	do {
		const char *nl;
		if (bol) {
			p = skip_blanks(p, end, f->strip);
			if (!at_eol(p, end))
				pk_buf_put(r->out, r->ind.ptr + f->ind_off, f->ind_len);
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		pk_buf_put(r->out, p, nl ? (size_t)(nl + 1 - p) : (size_t)(end - p));
		p = nl ? nl + 1 : end;
		bol = true;
	} while (p < end);
}

static void do_text(renderer *r, const frame *f, const pk_tmpl__op *op)
{
	const char *p = f->t->src + op->off;

	if (!f->ind_len && !f->strip)
		pk_buf_put(r->out, p, op->len);
	else
		put_indented(r, f, p, op->len, op->flags & PK_TMPL__BOL);
}

/* Lambdas ---------------------------------------------------------------- */

static bool has_tag(const pk_buf *text, pk_slice otag)
{
	return memmem(text->ptr, text->len, otag.p, otag.len) != NULL;
}

/* Compiles a lambda's result. Its problems, at compile or render time,
 * are reported at the lambda's tag: the text has no file of its own. */
static int compile_result(pk_tmpl **out, renderer *r, const pk_tmpl *t, const pk_tmpl__op *op,
			  const pk_buf *text, pk_slice otag, pk_slice ctag)
{
	pk_diags tmp = PK_DIAGS_INIT;
	int rc = pk_tmpl__compile_lambda(out, t->set, text->ptr, text->len, t->path, otag, ctag,
					 &tmp);
	uint32_t i;

	for (i = 0; !rc && i < (*out)->nops; i++) {
		(*out)->ops[i].line = op->line;
		(*out)->ops[i].col = op->col;
	}
	if (rc && tmp.len)
		pk_diag_error(r->diags, t->path, op_pos(op),
			      "lambda '%.*s' returned an invalid template: %s", (int)op->len,
			      t->src + op->off, tmp.items[0].msg);
	else if (rc)
		pk_diags_move(r->diags, &tmp);
	pk_diags_release(&tmp);
	return rc;
}

static int lambda_failed(renderer *r, const pk_tmpl *t, const pk_tmpl__op *op, int rc)
{
	pk_diag_error(r->diags, t->path, op_pos(op), "lambda '%.*s' failed", (int)op->len,
		      t->src + op->off);
	return rc < 0 ? rc : PK_ERROR;
}

/* Pushes a frame for a lambda's compiled result, with no indentation. */
static int push_lambda(renderer *r, frame_kind kind, const pk_tmpl *t, const pk_tmpl__op *op,
		       pk_tmpl *res)
{
	frame *f;

	if (top(r)->depth >= PK_TMPL_MAX_DEPTH) {
		pk_tmpl__free(res);
		return too_deep(r, t, op, "lambda");
	}
	f = push(r, kind, res, 0, res->nops);
	f->owned = res;
	f->depth++;
	f->ind_len = 0;
	f->strip = 0;
	return PK_OK;
}

/* {{name}} on a host object with a call: its result is rendered as a
 * template with the default delimiters, then escaped as a whole. */
static int var_lambda(renderer *r, const pk_tmpl *t, const pk_tmpl__op *op, const pk_value *v)
{
	pk_buf text = PK_BUF_INIT;
	pk_tmpl *res = NULL;
	bool escape = op->flags & PK_TMPL__ESCAPE;
	int rc = v->as.obj.cls->call(v->as.obj.self, &text);

	if (rc < 0) {
		rc = lambda_failed(r, t, op, rc);
	} else if (!has_tag(&text, PK_SLICE("{{"))) {
		put_value(r->out, text.ptr, text.len, escape);
	} else if ((rc = compile_result(&res, r, t, op, &text, PK_SLICE(""), PK_SLICE(""))) == 0 &&
		   (rc = push_lambda(r, FRAME_LAMBDA_VAR, t, op, res)) == 0) {
		frame *f = top(r);
		f->escape = escape;
		f->prev_out = r->out;
		f->buf = pk_xmalloc(sizeof(*f->buf));
		pk_buf_init(f->buf);
		r->out = f->buf;
	}
	pk_buf_release(&text);
	return rc;
}

/* {{#name}}...{{/name}} on a host object with a section callback: it gets
 * the raw body; its result is rendered with the delimiters of the tag. */
static int section_lambda(renderer *r, const pk_tmpl *t, const pk_tmpl__op *op,
			  const pk_value *v)
{
	const pk_tmpl__delims *d = &t->delims[op->b_off];
	pk_slice otag = t->otag0, ctag = t->ctag0;
	pk_buf text = PK_BUF_INIT;
	pk_tmpl *res = NULL;
	int rc = v->as.obj.cls->section(v->as.obj.self, t->src + op->a_off, op->a_len, &text);

	if (op->b_off) {
		otag = (pk_slice){ t->src + d->o_off, d->o_len };
		ctag = (pk_slice){ t->src + d->c_off, d->c_len };
	}
	if (rc < 0)
		rc = lambda_failed(r, t, op, rc);
	else if (!has_tag(&text, otag))
		pk_buf_put(r->out, text.ptr, text.len);
	else if ((rc = compile_result(&res, r, t, op, &text, otag, ctag)) == 0)
		rc = push_lambda(r, FRAME_LAMBDA, t, op, res);
	pk_buf_release(&text);
	return rc;
}

/* Tags ------------------------------------------------------------------- */

static int do_var(renderer *r, const frame *f, const pk_tmpl__op *op)
{
	const pk_value *v = lookup(r, f->t, op);
	bool escape = op->flags & PK_TMPL__ESCAPE;

	if (!v)
		return PK_OK;
	if (v->type == PK_VALUE_STRING) {
		put_value(r->out, v->as.str.ptr, v->as.str.len, escape);
	} else if (v->type == PK_VALUE_OBJECT) {
		if (v->as.obj.cls->call)
			return var_lambda(r, f->t, op, v);
	} else {
		pk_buf_clear(&r->scratch);
		pk_value_to_text(&r->scratch, v);
		put_value(r->out, r->scratch.ptr, r->scratch.len, escape);
	}
	return PK_OK;
}

static int do_section(renderer *r, frame *f, const pk_tmpl__op *op)
{
	const pk_tmpl *t = f->t;
	const pk_value *v = lookup(r, t, op);
	uint32_t body = f->pc;

	f->pc = op->end;
	if (v && v->type == PK_VALUE_OBJECT && v->as.obj.cls->section)
		return section_lambda(r, t, op, v);
	if (!truthy(v))
		return PK_OK;
	if (v->type == PK_VALUE_LIST || iterable_object(v)) {
		size_t n = v->type == PK_VALUE_LIST ? v->as.list.len
						    : v->as.obj.cls->len(v->as.obj.self);
		if (!n)
			return PK_OK;
		f = push(r, FRAME_LIST, t, body, op->end);
		f->seq = v;
		f->n = n;
		push_ctx(r, seq_at(v, 0));
		return PK_OK;
	}
	push(r, FRAME_SECTION, t, body, op->end);
	push_ctx(r, v);
	return PK_OK;
}

static void do_inverted(renderer *r, frame *f, const pk_tmpl__op *op)
{
	/* the body follows the tag, so rendering it is just going on */
	if (truthy(lookup(r, f->t, op)))
		f->pc = op->end;
}

/* The template a partial or parent tag names, or NULL (an error in strict
 * mode) when there is none. */
static int include_target(const pk_tmpl **out, renderer *r, const pk_tmpl *t,
			  const pk_tmpl__op *op)
{
	const pk_value *v;
	pk_tmpl *found = NULL;
	int rc;

	*out = NULL;
	if (!(op->flags & PK_TMPL__DYNAMIC)) {
		const pk_tmpl__entry *e = t->entries[op->ref];
		if (!e->t && (r->flags & PK_TMPL_STRICT))
			soft_error(r, t, op, "partial", e->name, strlen(e->name));
		*out = e->t;
		return PK_OK;
	}
	if (!(v = lookup(r, t, op)))
		return PK_OK;
	pk_buf_clear(&r->scratch);
	pk_value_to_text(&r->scratch, v);
	if (!r->scratch.len)
		return PK_OK;
	rc = pk_tmpl__set_find(&found, t->set, r->scratch.ptr, r->scratch.len, r->diags);
	if (!rc && !found && (r->flags & PK_TMPL_STRICT))
		soft_error(r, t, op, "partial", r->scratch.ptr, r->scratch.len);
	*out = found;
	return rc;
}

/* {{>name}} and {{<name}}...{{/name}}. */
static int do_include(renderer *r, frame *f, const pk_tmpl__op *op)
{
	const pk_tmpl *t = f->t, *target;
	size_t ind_off = f->ind_off, ind_len = f->ind_len, chain_save = r->nchain;
	uint32_t strip = f->strip, at = (uint32_t)(op - t->ops);
	long chain = f->chain;
	int rc;

	if (op->kind == PK_TMPL__PARENT)
		f->pc = op->end;
	if ((rc = include_target(&target, r, t, op)) != PK_OK || !target)
		return rc;
	if (f->depth >= PK_TMPL_MAX_DEPTH)
		return too_deep(r, t, op, "partial");
	if (op->kind == PK_TMPL__PARENT) {
		PK_GROW(r->chain, r->chaincap, r->nchain + 1);
		r->chain[r->nchain] = (chain_node){ t, at, chain };
		chain = (long)r->nchain++;
	}
	f = push(r, FRAME_INCLUDE, target, 0, target->nops);
	f->depth++;
	f->chain = chain;
	f->chain_save = chain_save;
	f->strip = 0;
	f->ind_len = 0;
	if (op->flags & PK_TMPL__STANDALONE)
		indent_frame(r, ind_off, ind_len, strip, t, op->a_off, op->a_len);
	return PK_OK;
}

static bool same_block(const pk_tmpl *a, const pk_tmpl__op *x, const pk_tmpl *b,
		       const pk_tmpl__op *y)
{
	return x->len == y->len && memcmp(a->src + x->off, b->src + y->off, x->len) == 0;
}

/* The outermost argument along the chain that overrides the block op. */
static const pk_tmpl__op *find_override(const renderer *r, long node, const pk_tmpl *t,
					const pk_tmpl__op *op, const pk_tmpl **where)
{
	const pk_tmpl__op *found = NULL;

	for (; node >= 0; node = r->chain[node].prev) {
		const chain_node *c = &r->chain[node];
		uint32_t a = c->t->ops[c->op].next;
		for (; a; a = c->t->ops[a].next) {
			if (same_block(c->t, &c->t->ops[a], t, op)) {
				found = &c->t->ops[a];
				*where = c->t;
			}
		}
	}
	return found;
}

/* {{$name}}: renders the overriding body in place of the default, which
 * otherwise simply follows the tag. */
static int do_block(renderer *r, frame *f, const pk_tmpl__op *op)
{
	const pk_tmpl *t = f->t, *where = NULL;
	const pk_tmpl__op *arg;
	size_t ind_off = f->ind_off, ind_len = f->ind_len;
	uint32_t strip = f->strip;
	bool alone = op->flags & PK_TMPL__STANDALONE;

	if ((op->flags & PK_TMPL__ARG) || !(arg = find_override(r, f->chain, t, op, &where))) {
		if (op->flags & PK_TMPL__ARG)
			f->pc = op->end;
		return PK_OK;
	}
	if (f->depth >= PK_TMPL_MAX_DEPTH)
		return too_deep(r, t, op, "block");
	f->pc = op->end;
	f = push(r, FRAME_BLOCK, where, (uint32_t)(arg - where->ops) + 1, arg->end);
	f->depth++;
	f->strip = (arg->flags & PK_TMPL__STANDALONE) ? arg->b_len : 0;
	f->ind_len = 0;
	if (!alone)
		return PK_OK;
	if (op->flags & PK_TMPL__CONTENT)
		indent_frame(r, ind_off, ind_len, strip, t, op->b_off, op->b_len);
	else
		indent_frame(r, ind_off, ind_len, strip, t, op->a_off, op->a_len);
	/* a body that starts inside a line starts the site's line */
	if (!(arg->flags & PK_TMPL__STANDALONE) && f->pc < f->end)
		pk_buf_put(r->out, r->ind.ptr + f->ind_off, f->ind_len);
	return PK_OK;
}

static int exec(renderer *r, frame *f, const pk_tmpl__op *op)
{
	switch ((pk_tmpl__kind)op->kind) {
	case PK_TMPL__TEXT:
		do_text(r, f, op);
		return PK_OK;
	case PK_TMPL__VAR:
		return do_var(r, f, op);
	case PK_TMPL__SECTION:
		return do_section(r, f, op);
	case PK_TMPL__INVERTED:
		do_inverted(r, f, op);
		return PK_OK;
	case PK_TMPL__PARTIAL:
	case PK_TMPL__PARENT:
		return do_include(r, f, op);
	case PK_TMPL__BLOCK:
		return do_block(r, f, op);
	}
	PK_BUG("unknown template op");
}

static void renderer_release(renderer *r)
{
	while (r->nframes)
		pop(r);
	free(r->ctx);
	free(r->frames);
	free(r->chain);
	free(r->reported);
	pk_buf_release(&r->ind);
	pk_buf_release(&r->scratch);
}

int pk_tmpl_render(pk_buf *out, const pk_tmpl *t, const pk_value *data, pk_diags *diags)
{
	renderer r;
	int rc = PK_OK;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.flags = t->set ? t->set->flags : 0;
	r.diags = diags;
	pk_buf_init(&r.ind);
	pk_buf_init(&r.scratch);
	if (data)
		push_ctx(&r, data);
	push(&r, FRAME_ROOT, t, 0, t->nops);
	while (r.nframes && !rc) {
		frame *f = top(&r);
		if (f->pc >= f->end)
			frame_done(&r);
		else
			rc = exec(&r, f, &f->t->ops[f->pc++]);
	}
	if (!rc && r.failed)
		rc = PK_ERROR;
	renderer_release(&r);
	return rc;
}
