/*
 * yaml.c: libyaml's event stream into the value tree.
 *
 * The builder keeps a stack of the lists and maps still open; each event
 * either opens one, closes one (delivering it to the one below), or
 * delivers a scalar or an alias copy. Nothing recurses on the input's
 * depth except pk_value_clone for aliases, which is bounded because an
 * alias may never take the tree past max_depth.
 *
 * Two kinds of error: hard ones (syntax, limits, a second document) stop
 * the parse at once; soft ones (duplicate key, tag, integer range) are
 * reported and the parse goes on, so one run shows all of them.
 *
 * Anchors point at values in the tree being built. A value that leaves the
 * tree before the end (a dropped duplicate, a key) is parked in `kept`, so
 * an anchor never dangles.
 */
#include "yaml/yaml.h"
#include "core/strmap.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "yaml/fast.h"
#include "yaml/scalar.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define STD_TAG_PREFIX "tag:yaml.org,2002:"
/* Values quoted in messages are cut to this many characters. */
#define QUOTE_MAX 60

typedef struct {
	pk_value *value; /* borrowed: in the tree, or in builder.kept */
	char *text;      /* a scalar's source text (so it can be a key), or NULL */
	size_t text_len;
	size_t nodes;    /* values one copy produces */
	size_t bytes;    /* bytes of text one copy produces */
	unsigned height; /* levels of lists and maps one copy adds */
	bool open;       /* its list or map is still being parsed */
} anchor;

typedef enum { WANT_KEY, WANT_VALUE, DROP_VALUE } key_state;

typedef struct {
	pk_value *value;   /* owned until delivered to the frame below */
	anchor *anchor;    /* the anchor naming this collection, or NULL */
	size_t nodes_at_start, bytes_at_start;
	unsigned height;   /* highest child, in levels */
	key_state state;   /* maps only */
	pk_buf key;        /* maps only: the key waiting for its value */
	pk_pos key_pos;
} frame;

typedef enum {
	TAG_NONE,   /* untagged, or an ignored custom tag */
	TAG_STR,    /* !!str, or the non-specific "!" */
	TAG_NULL,
	TAG_BOOL,
	TAG_INT,
	TAG_FLOAT,
	TAG_SEQ,
	TAG_MAP,
} tag_kind;

typedef struct {
	const pk_yaml_opts *opts;
	const char *path;
	pk_diags *diags;
	frame *stack;
	size_t depth, cap;
	pk_value *doc;      /* the root of the current document */
	pk_value *docs;     /* allow_multi_doc: list of the documents */
	int ndocs;
	size_t nodes;       /* values produced so far, aliases expanded */
	size_t bytes;       /* text produced so far, aliases expanded */
	size_t alias_bytes; /* the part of bytes copied by aliases */
	pk_strmap anchors;  /* name → anchor, current document */
	pk_vec anchor_list; /* every anchor record, for freeing */
	pk_vec kept;        /* values out of the tree that anchors may name */
	int rc;             /* first soft error, or PK_OK */
} builder;

static int clamp_int(size_t n)
{
	return n > INT_MAX ? INT_MAX : (int)n;
}

static pk_pos pos_of(const builder *b, yaml_mark_t mark)
{
	pk_pos pos;
	pos.line = clamp_int(mark.line + 1);
	if (b->opts->line_offset > 0 && pos.line > INT_MAX - b->opts->line_offset)
		pos.line = INT_MAX;
	else
		pos.line += b->opts->line_offset;
	pos.col = clamp_int(mark.column + 1);
	return pos;
}

/*
 * Appends s for a message: at most QUOTE_MAX characters (then "..."),
 * control characters shown as spaces so the diagnostic stays on one line.
 */
static void put_quoted(pk_buf *out, const char *s, size_t len)
{
	size_t i = 0, chars = 0;

	pk_buf_putc(out, '\'');
	while (i < len && chars < QUOTE_MAX) {
		uint32_t cp;
		size_t n = pk_utf8_decode(s + i, len - i, &cp);
		if (!n)
			n = 1;
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			pk_buf_putc(out, ' ');
		else
			pk_buf_put(out, s + i, n);
		i += n;
		chars++;
	}
	if (i < len)
		pk_buf_puts(out, "...");
	pk_buf_putc(out, '\'');
}

/* Records an error whose message is prefix + 'quoted text' + suffix. */
static void soft_error_quoted(builder *b, pk_pos pos, const char *prefix, const char *s,
			      size_t len, const char *suffix)
{
	pk_buf msg = PK_BUF_INIT;
	pk_buf_puts(&msg, prefix);
	put_quoted(&msg, s, len);
	pk_buf_puts(&msg, suffix);
	b->rc = pk_diag_error(b->diags, b->path, pos, "%s", msg.ptr);
	pk_buf_release(&msg);
}

static frame *top_frame(builder *b)
{
	return b->depth ? &b->stack[b->depth - 1] : NULL;
}

static bool wants_key(const frame *top)
{
	return top && top->value->type == PK_VALUE_MAP && top->state == WANT_KEY;
}

/* Parks a value that left the tree: anchors may still point into it. */
static void keep(builder *b, pk_value *v)
{
	pk_vec_push(&b->kept, v);
}

static anchor *add_anchor(builder *b, const char *name, pk_value *v)
{
	anchor *a = pk_xcalloc(1, sizeof(*a));
	a->value = v;
	pk_vec_push(&b->anchor_list, a);
	pk_strmap_set(&b->anchors, name, strlen(name), a);
	return a;
}

static void add_scalar_anchor(builder *b, const char *name, pk_value *v, const char *s,
			      size_t len)
{
	anchor *a = add_anchor(b, name, v);
	a->text = pk_xstrndup(s, len);
	a->text_len = len;
	a->nodes = 1;
	a->bytes = v->type == PK_VALUE_STRING ? len : 0;
}

/* Counts n more values against max_nodes. */
static int add_nodes(builder *b, size_t n, pk_pos pos)
{
	if (n > b->opts->max_nodes - b->nodes) {
		pk_diag_error(b->diags, b->path, pos,
			      "document too large: more than %zu values after expanding aliases",
			      b->opts->max_nodes);
		return PK_ELIMIT;
	}
	b->nodes += n;
	return PK_OK;
}

/* Counts n more bytes of text copied by an alias against max_alias_bytes. */
static int add_alias_bytes(builder *b, size_t n, pk_pos pos)
{
	if (n > b->opts->max_alias_bytes - b->alias_bytes) {
		pk_diag_error(b->diags, b->path, pos,
			      "document too large: more than %zu bytes of text after expanding "
			      "aliases",
			      b->opts->max_alias_bytes);
		return PK_ELIMIT;
	}
	b->alias_bytes += n;
	return PK_OK;
}

static int too_deep(builder *b, pk_pos pos)
{
	pk_diag_error(b->diags, b->path, pos, "nesting too deep (more than %u levels)",
		      b->opts->max_depth);
	return PK_ELIMIT;
}

/* Takes the key for the next value of the map on top, or refuses a
 * duplicate (the value that follows is then dropped). */
static void set_key(builder *b, frame *top, const char *s, size_t len, pk_pos pos)
{
	const pk_map_entry *first = pk_value_map_entry(top->value, s, len);
	pk_buf note = PK_BUF_INIT;

	b->bytes += len;
	if (first) {
		soft_error_quoted(b, pos, "duplicate key ", s, len, "");
		pk_buf_puts(&note, "the first ");
		put_quoted(&note, s, len);
		pk_buf_puts(&note, " is here");
		pk_diag_add(b->diags, PK_DIAG_NOTE, b->path, first->key_pos.line,
			    first->key_pos.col, "%s", note.ptr);
		pk_buf_release(&note);
		top->state = DROP_VALUE;
		return;
	}
	pk_buf_clear(&top->key);
	pk_buf_put(&top->key, s, len);
	top->key_pos = pos;
	top->state = WANT_VALUE;
}

/* Hands a finished value of the given height to whatever is open below. */
static void deliver(builder *b, pk_value *v, unsigned height)
{
	frame *top = top_frame(b);

	if (!top) {
		PK_ASSERT(!b->doc);
		b->doc = v;
		return;
	}
	if (height > top->height)
		top->height = height;
	if (top->value->type == PK_VALUE_LIST) {
		pk_value_list_push(top->value, v);
		return;
	}
	switch (top->state) {
	case WANT_KEY:
		b->rc = pk_diag_error(b->diags, b->path, v->pos, "map keys must be plain text");
		keep(b, v);
		top->state = DROP_VALUE;
		break;
	case WANT_VALUE:
		if (pk_value_map_add(top->value, top->key.ptr, top->key.len, top->key_pos, v))
			PK_BUG("key was checked for duplicates");
		top->state = WANT_KEY;
		break;
	case DROP_VALUE:
		keep(b, v);
		top->state = WANT_KEY;
		break;
	}
}

/* Writes tag for messages the way it was most likely typed: !!int. */
static void put_tag(pk_buf *out, const char *tag)
{
	size_t n = strlen(STD_TAG_PREFIX);
	if (strncmp(tag, STD_TAG_PREFIX, n) == 0) {
		pk_buf_puts(out, "!!");
		tag += n;
	}
	pk_buf_puts(out, tag);
}

static tag_kind std_tag_kind(const char *name)
{
	static const struct { const char *name; tag_kind kind; } tags[] = {
		{ "str", TAG_STR },     { "null", TAG_NULL }, { "bool", TAG_BOOL },
		{ "int", TAG_INT },     { "float", TAG_FLOAT }, { "seq", TAG_SEQ },
		{ "map", TAG_MAP },
	};
	size_t i;
	for (i = 0; i < PK_ARRAY_SIZE(tags); i++)
		if (strcmp(name, tags[i].name) == 0)
			return tags[i].kind;
	return TAG_NONE; /* other standard tags (!!binary, !!timestamp ...) */
}

/* What a node's tag asks for; a custom tag is an error unless allowed. */
static tag_kind classify_tag(builder *b, const yaml_char_t *utag, pk_pos pos)
{
	const char *tag = (const char *)utag;
	pk_buf shown = PK_BUF_INIT;

	if (!tag)
		return TAG_NONE;
	if (strcmp(tag, "!") == 0)
		return TAG_STR;
	if (strncmp(tag, STD_TAG_PREFIX, strlen(STD_TAG_PREFIX)) == 0)
		return std_tag_kind(tag + strlen(STD_TAG_PREFIX));
	if (!b->opts->allow_custom_tags) {
		put_tag(&shown, tag);
		soft_error_quoted(b, pos, "custom tag ", shown.ptr, shown.len, " is not allowed");
		pk_buf_release(&shown);
	}
	return TAG_NONE;
}

/* "tag '!!int' does not fit 'abc'", or "... does not fit a list" when what
 * is given. */
static void tag_mismatch(builder *b, pk_pos pos, const char *tag, const char *s, size_t len,
			 const char *what)
{
	pk_buf msg = PK_BUF_INIT;
	pk_buf_puts(&msg, "tag '");
	put_tag(&msg, tag);
	pk_buf_puts(&msg, "' does not fit ");
	if (what)
		pk_buf_puts(&msg, what);
	else
		put_quoted(&msg, s, len);
	b->rc = pk_diag_error(b->diags, b->path, pos, "%s", msg.ptr);
	pk_buf_release(&msg);
}

/* A scalar with a standard tag that names its type. */
static pk_value *forced_scalar(builder *b, tag_kind kind, const yaml_event_t *ev, pk_pos pos)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int64_t i;
	double f;
	bool flag;
	int rc;

	switch (kind) {
	case TAG_NULL:
		if (pk_yaml__is_null(s, len))
			return pk_value_new_null(pos);
		break;
	case TAG_BOOL:
		if (pk_yaml__parse_bool(s, len, &flag))
			return pk_value_new_bool(flag, pos);
		break;
	case TAG_INT:
		rc = pk_yaml__parse_int(s, len, &i);
		if (rc == PK_OK)
			return pk_value_new_int(i, pos);
		if (rc == PK_ERROR) {
			soft_error_quoted(b, pos, "integer out of range: ", s, len, "");
			return pk_value_new_string(s, len, pos);
		}
		break;
	case TAG_FLOAT:
		if (pk_yaml__parse_float(s, len, &f))
			return pk_value_new_float(f, pos);
		break;
	default:
		break;
	}
	tag_mismatch(b, pos, (const char *)ev->data.scalar.tag, s, len, NULL);
	return pk_value_new_string(s, len, pos);
}

static pk_value *make_scalar(builder *b, const yaml_event_t *ev, tag_kind kind, pk_pos pos)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	pk_value *v;

	switch (kind) {
	case TAG_NONE:
		if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return pk_value_new_string(s, len, pos);
		if (pk_yaml__resolve_plain(&v, s, len, pos) != PK_OK)
			soft_error_quoted(b, pos, "integer out of range: ", s, len, "");
		return v;
	case TAG_STR:
		return pk_value_new_string(s, len, pos);
	case TAG_SEQ:
	case TAG_MAP:
		tag_mismatch(b, pos, (const char *)ev->data.scalar.tag, s, len, NULL);
		return pk_value_new_string(s, len, pos);
	default:
		return forced_scalar(b, kind, ev, pos);
	}
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
	pk_pos pos = pos_of(b, ev->start_mark);
	const char *s = (const char *)ev->data.scalar.value;
	const char *name = (const char *)ev->data.scalar.anchor;
	size_t len = ev->data.scalar.length;
	tag_kind kind = classify_tag(b, ev->data.scalar.tag, pos);
	frame *top = top_frame(b);
	pk_value *v;
	int rc;

	if (wants_key(top)) {
		set_key(b, top, s, len, pos);
		if (name) {
			v = make_scalar(b, ev, kind, pos);
			keep(b, v);
			add_scalar_anchor(b, name, v, s, len);
		}
		return PK_OK;
	}
	if ((rc = add_nodes(b, 1, pos)) != PK_OK)
		return rc;
	v = make_scalar(b, ev, kind, pos);
	if (v->type == PK_VALUE_STRING)
		b->bytes += len;
	if (name)
		add_scalar_anchor(b, name, v, s, len);
	deliver(b, v, 0);
	return PK_OK;
}

/* An alias standing where a key should be: only a scalar's text will do. */
static int alias_as_key(builder *b, frame *top, const anchor *a, pk_pos pos)
{
	int rc;
	if (!a->text) {
		b->rc = pk_diag_error(b->diags, b->path, pos, "map keys must be plain text");
		top->state = DROP_VALUE;
		return PK_OK;
	}
	if ((rc = add_alias_bytes(b, a->text_len, pos)) != PK_OK)
		return rc;
	set_key(b, top, a->text, a->text_len, pos);
	return PK_OK;
}

/* An alias that cannot be expanded stands for null, keeping the shape;
 * as a key, it drops the entry. */
static int bad_alias(builder *b, const char *name, pk_pos pos, const char *why)
{
	frame *top = top_frame(b);
	int rc;

	soft_error_quoted(b, pos, "alias ", name, strlen(name), why);
	if (wants_key(top)) {
		top->state = DROP_VALUE;
		return PK_OK;
	}
	if ((rc = add_nodes(b, 1, pos)) != PK_OK)
		return rc;
	deliver(b, pk_value_new_null(pos), 0);
	return PK_OK;
}

static int on_alias(builder *b, const yaml_event_t *ev)
{
	pk_pos pos = pos_of(b, ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	const anchor *a = pk_strmap_get(&b->anchors, name, strlen(name));
	frame *top = top_frame(b);
	pk_value *copy;
	int rc;

	if (!a)
		return bad_alias(b, name, pos, " refers to no anchor before it");
	if (a->open)
		return bad_alias(b, name, pos, " is inside the value it refers to");
	if (wants_key(top))
		return alias_as_key(b, top, a, pos);
	if (b->depth + a->height > b->opts->max_depth)
		return too_deep(b, pos);
	if ((rc = add_nodes(b, a->nodes, pos)) != PK_OK)
		return rc;
	if ((rc = add_alias_bytes(b, a->bytes, pos)) != PK_OK)
		return rc;
	b->bytes += a->bytes;
	copy = pk_value_clone(a->value);
	copy->pos = pos;
	deliver(b, copy, a->height);
	return PK_OK;
}

static int on_collection_start(builder *b, const yaml_event_t *ev)
{
	bool is_map = ev->type == YAML_MAPPING_START_EVENT;
	pk_pos pos = pos_of(b, ev->start_mark);
	const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
	const yaml_char_t *name =
		is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
	tag_kind kind = classify_tag(b, tag, pos);
	frame *f;
	int rc;

	if (b->depth >= b->opts->max_depth)
		return too_deep(b, pos);
	if (kind != TAG_NONE && kind != (is_map ? TAG_MAP : TAG_SEQ))
		tag_mismatch(b, pos, (const char *)tag, NULL, 0, is_map ? "a map" : "a list");
	if ((rc = add_nodes(b, 1, pos)) != PK_OK)
		return rc;
	PK_GROW(b->stack, b->cap, b->depth + 1);
	f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	pk_buf_init(&f->key);
	f->value = is_map ? pk_value_new_map(pos) : pk_value_new_list(pos);
	f->nodes_at_start = b->nodes - 1;
	f->bytes_at_start = b->bytes;
	f->state = WANT_KEY;
	if (name) {
		f->anchor = add_anchor(b, (const char *)name, f->value);
		f->anchor->open = true;
	}
	return PK_OK;
}

static int on_collection_end(builder *b)
{
	frame *f = top_frame(b);
	pk_value *v = f->value;
	unsigned height = f->height + 1;

	if (f->anchor) {
		f->anchor->nodes = b->nodes - f->nodes_at_start;
		f->anchor->bytes = b->bytes - f->bytes_at_start;
		f->anchor->height = height;
		f->anchor->open = false;
	}
	pk_buf_release(&f->key);
	b->depth--;
	pk_value_shrink(v);
	deliver(b, v, height);
	return PK_OK;
}

static int on_document_start(builder *b, const yaml_event_t *ev)
{
	if (++b->ndocs > 1 && !b->opts->allow_multi_doc)
		return pk_diag_error(b->diags, b->path, pos_of(b, ev->start_mark),
				     "a second YAML document starts here; only one is allowed");
	/* Aliases never reach into another document. */
	pk_strmap_release(&b->anchors);
	return PK_OK;
}

static int on_document_end(builder *b)
{
	if (b->opts->allow_multi_doc) {
		pk_pos none = { 0, 0 };
		/* libyaml gives every document a root node, even an empty one */
		pk_value_list_push(b->docs, b->doc ? b->doc : pk_value_new_null(none));
		b->doc = NULL;
	}
	return PK_OK;
}

static int on_event(builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		return on_document_start(b, ev);
	case YAML_DOCUMENT_END_EVENT:
		return on_document_end(b);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return on_collection_start(b, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_collection_end(b);
	default:
		return PK_OK;
	}
}

static void builder_init(builder *b, const char *path, const pk_yaml_opts *opts,
			 pk_diags *diags)
{
	memset(b, 0, sizeof(*b));
	b->opts = opts;
	b->path = path;
	b->diags = diags;
	pk_strmap_init(&b->anchors);
	pk_vec_init(&b->anchor_list);
	pk_vec_init(&b->kept);
}

static void builder_release(builder *b)
{
	size_t i;

	for (i = 0; i < b->depth; i++) {
		pk_value_free(b->stack[i].value);
		pk_buf_release(&b->stack[i].key);
	}
	free(b->stack);
	for (i = 0; i < b->kept.len; i++)
		pk_value_free(b->kept.items[i]);
	pk_vec_release(&b->kept);
	for (i = 0; i < b->anchor_list.len; i++) {
		anchor *a = b->anchor_list.items[i];
		free(a->text);
		free(a);
	}
	pk_vec_release(&b->anchor_list);
	pk_strmap_release(&b->anchors);
	pk_value_free(b->doc);
	pk_value_free(b->docs);
}

/* The line:col of a byte offset, for libyaml's reader errors, which carry
 * no mark. Columns count characters, and a BOM is not one, as in libyaml. */
static pk_pos pos_at_offset(const builder *b, const char *text, size_t len, size_t offset)
{
	yaml_mark_t mark = { 0, 0, 0 };
	size_t i = 0;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			mark.line++;
			mark.column = 0;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			mark.column++;
		}
	}
	return pos_of(b, mark);
}

PK_NORETURN static void libyaml_out_of_memory(void)
{
	fputs("praktika: fatal: out of memory (libyaml)\n", stderr);
	abort();
}

/* libyaml's own error: its problem text at its mark, its context as a
 * note ("while scanning a quoted scalar that starts here"). */
static int syntax_error(builder *b, const yaml_parser_t *p, const char *text, size_t len)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	pk_pos pos, ctx;

	if (p->error == YAML_MEMORY_ERROR)
		libyaml_out_of_memory();
	if (p->error == YAML_READER_ERROR) {
		pos = pos_at_offset(b, text, len, p->problem_offset);
		if (p->problem_value >= 0)
			return pk_diag_error(b->diags, b->path, pos, "%s (U+%04X)", problem,
					     (unsigned)p->problem_value);
		return pk_diag_error(b->diags, b->path, pos, "%s", problem);
	}
	pos = pos_of(b, p->problem_mark);
	pk_diag_error(b->diags, b->path, pos, "%s", problem);
	ctx = pos_of(b, p->context_mark);
	if (p->context && (ctx.line != pos.line || ctx.col != pos.col))
		pk_diag_add(b->diags, PK_DIAG_NOTE, b->path, ctx.line, ctx.col,
			    "%s that starts here", p->context);
	return PK_ERROR;
}

static int check_utf8(builder *b, const char *text, size_t len)
{
	pk_pos bad;
	yaml_mark_t mark = { 0, 0, 0 };

	/* libyaml does not count a BOM as a column, nor do editors show one. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (pk_utf8_validate(text, len, &bad))
		return PK_OK;
	mark.line = (size_t)bad.line - 1;
	mark.column = (size_t)bad.col - 1;
	return pk_diag_error(b->diags, b->path, pos_of(b, mark), "invalid UTF-8");
}

/* Runs the event loop; returns the first hard error, else the first soft
 * one. */
static int build(builder *b, yaml_parser_t *parser, const char *text, size_t len)
{
	yaml_event_t ev;
	bool end = false;
	int rc = PK_OK;

	while (!end && rc == PK_OK) {
		if (!yaml_parser_parse(parser, &ev))
			return syntax_error(b, parser, text, len);
		end = ev.type == YAML_STREAM_END_EVENT;
		rc = on_event(b, &ev);
		yaml_event_delete(&ev);
	}
	return rc != PK_OK ? rc : b->rc;
}

/* The events of the fast scanner (fast.h), which owns their values. */
static int build_from(builder *b, const pk_yaml__events *ev)
{
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < ev->len && rc == PK_OK; i++)
		rc = on_event(b, &ev->items[i]);
	return rc != PK_OK ? rc : b->rc;
}

static int build_with_libyaml(builder *b, const char *text, size_t len)
{
	yaml_parser_t parser;
	int rc;

	if (!yaml_parser_initialize(&parser))
		libyaml_out_of_memory();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	rc = build(b, &parser, text, len);
	yaml_parser_delete(&parser);
	return rc;
}

int pk_yaml__parse_by(pk_value **out, const char *text, size_t len, const char *path,
		      const pk_yaml_opts *opts, pk_diags *diags, pk_yaml__scanner how)
{
	static const pk_yaml_opts defaults = PK_YAML_OPTS_INIT;
	pk_yaml__events ev = PK_YAML__EVENTS_INIT;
	pk_pos start;
	builder b;
	bool fast;
	int rc;

	*out = NULL;
	builder_init(&b, path, opts ? opts : &defaults, diags);
	start = pos_at_offset(&b, text, len, 0);
	if (!b.opts->utf8_checked && (rc = check_utf8(&b, text, len)) != PK_OK)
		goto done;
	fast = how != PK_YAML__LIBYAML && pk_yaml__fast_scan(&ev, text, len);
	if (!fast && how == PK_YAML__FAST) {
		rc = PK_ENOTSUP;
		goto done;
	}
	if (b.opts->allow_multi_doc)
		b.docs = pk_value_new_list(start);
	rc = fast ? build_from(&b, &ev) : build_with_libyaml(&b, text, len);
	if (rc != PK_OK)
		goto done;
	if (b.opts->allow_multi_doc) {
		*out = b.docs;
		b.docs = NULL;
	} else {
		*out = b.doc ? b.doc : pk_value_new_null(start);
		b.doc = NULL;
	}
done:
	pk_yaml__events_release(&ev);
	builder_release(&b);
	return rc;
}

int pk_yaml_parse(pk_value **out, const char *text, size_t len, const char *path,
		  const pk_yaml_opts *opts, pk_diags *diags)
{
	return pk_yaml__parse_by(out, text, len, path, opts, diags, PK_YAML__ANY);
}
