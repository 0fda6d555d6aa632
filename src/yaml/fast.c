/*
 * fast.c: the plain block YAML of front matter, scanned line by line
 * (see fast.h for the subset).
 *
 * The scanner walks the text a line at a time, keeping the current line
 * and its indentation; each block collection is a loop over its lines at
 * its column, nested collections a recursive call (bounded by
 * MAX_NESTING, past which it declines and libyaml's limits apply). Every
 * rule below mirrors what libyaml does at that point, including the marks
 * of empty values (just after the ':' or the '-').
 *
 * A scalar's value goes into ev->text while the buffer may still grow, so
 * events hold offsets until the scan is done and then get pointers.
 */
#include "yaml/fast.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <string.h>

#define MAX_NESTING 40

typedef struct {
	const char *text, *end;
	const char *line; /* the current line, or end */
	const char *eol;  /* its '\n', or end */
	size_t line_no;   /* of the current line, from 0 */
	size_t indent;    /* its leading spaces */
	unsigned nesting;
	pk_yaml__events *ev;
} scanner;

/* ---- lines ------------------------------------------------------------ */

static void set_line(scanner *s, const char *p, size_t line_no)
{
	const char *q = p;

	s->line = p;
	s->line_no = line_no;
	s->eol = p < s->end ? memchr(p, '\n', (size_t)(s->end - p)) : NULL;
	if (!s->eol)
		s->eol = s->end;
	while (q < s->eol && *q == ' ')
		q++;
	s->indent = (size_t)(q - p);
}

static bool at_end(const scanner *s)
{
	return s->line >= s->end;
}

static void next_line(scanner *s)
{
	if (s->eol >= s->end)
		set_line(s, s->end, s->line_no + 1);
	else
		set_line(s, s->eol + 1, s->line_no + 1);
}

/* The first character after the indentation, or eol. */
static const char *content(const scanner *s)
{
	return s->line + s->indent;
}

static bool blank_or_comment(const scanner *s)
{
	const char *p = content(s);
	return p == s->eol || *p == '#';
}

/* Moves to the next line with something on it (not blank, not only a
 * comment), or to the end. */
static void skip_to_content(scanner *s)
{
	while (!at_end(s) && blank_or_comment(s))
		next_line(s);
}

/* libyaml counts columns in characters. */
static size_t col_of(const scanner *s, const char *p)
{
	const char *q;
	size_t col = 0;

	for (q = s->line; q < p; q++)
		col += ((unsigned char)*q & 0xC0) != 0x80;
	return col;
}

/* A '-' that is a sequence entry: followed by a space or the line's end. */
static bool is_entry(const scanner *s, const char *p)
{
	return p < s->eol && *p == '-' && (p + 1 == s->eol || p[1] == ' ');
}

/* ---- events ----------------------------------------------------------- */

static void push_event(scanner *s, yaml_event_type_t type, size_t line_no, size_t col)
{
	yaml_event_t *e;

	PK_GROW(s->ev->items, s->ev->cap, s->ev->len + 1);
	e = &s->ev->items[s->ev->len++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->start_mark.line = line_no;
	e->start_mark.column = col;
	e->end_mark = e->start_mark;
}

/* A list or map starting at col of line_no (the builder reads only the
 * type and the mark; style and implicit as libyaml would set them). */
static void collection_start(scanner *s, bool is_map, size_t line_no, size_t col, bool flow)
{
	yaml_event_t *e;

	push_event(s, is_map ? YAML_MAPPING_START_EVENT : YAML_SEQUENCE_START_EVENT, line_no, col);
	e = &s->ev->items[s->ev->len - 1];
	if (is_map) {
		e->data.mapping_start.implicit = 1;
		e->data.mapping_start.style = flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE;
	} else {
		e->data.sequence_start.implicit = 1;
		e->data.sequence_start.style = flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE;
	}
}

/* A scalar at line_no, col; its value is appended to ev->text by the
 * caller, between scalar_at and scalar_end. */
static void scalar_at(scanner *s, size_t line_no, size_t col, yaml_scalar_style_t style)
{
	yaml_event_t *e;

	push_event(s, YAML_SCALAR_EVENT, line_no, col);
	e = &s->ev->items[s->ev->len - 1];
	e->data.scalar.style = style;
	e->data.scalar.plain_implicit = style == YAML_PLAIN_SCALAR_STYLE;
	e->data.scalar.quoted_implicit = style != YAML_PLAIN_SCALAR_STYLE;
	e->data.scalar.value = (yaml_char_t *)(uintptr_t)s->ev->text.len; /* an offset, for now */
}

/* A scalar at p on the current line. */
static void scalar_start(scanner *s, const char *p, yaml_scalar_style_t style)
{
	scalar_at(s, s->line_no, col_of(s, p), style);
}

static void scalar_end(scanner *s)
{
	yaml_event_t *e = &s->ev->items[s->ev->len - 1];
	e->data.scalar.length = s->ev->text.len - (size_t)(uintptr_t)e->data.scalar.value;
	pk_buf_putc(&s->ev->text, '\0');
}

static void scalar(scanner *s, const char *p, const char *value, size_t len,
		   yaml_scalar_style_t style)
{
	scalar_start(s, p, style);
	pk_buf_put(&s->ev->text, value, len);
	scalar_end(s);
}

/* The empty value libyaml gives a key or an entry with none: at line_no,
 * col. */
static void empty_scalar(scanner *s, size_t line_no, size_t col)
{
	scalar_at(s, line_no, col, YAML_PLAIN_SCALAR_STYLE);
	scalar_end(s);
}

/* ---- scalars on one line ------------------------------------------------ */

static const char *trim_end(const char *p, const char *end)
{
	while (end > p && end[-1] == ' ')
		end--;
	return end;
}

static bool only_spaces(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p == end;
}

/* Characters that start something other than a plain scalar. */
static bool is_indicator(char c)
{
	return strchr("-?:,[]{}#&*!|>'\"%@`", c) != NULL;
}

/* A plain scalar from p to the end of the line, in block context. */
static bool plain(scanner *s, const char *p)
{
	const char *end = trim_end(p, s->eol), *q;

	if (is_indicator(*p) && !(*p == '-' && p + 1 < end && p[1] != ' '))
		return false;
	for (q = p; q < end; q++) {
		if (*q == ':' && (q + 1 == end || q[1] == ' '))
			return false; /* a map, or an error */
		if (*q == '#' && q[-1] == ' ')
			return false; /* a comment after the value */
	}
	scalar(s, p, p, (size_t)(end - p), YAML_PLAIN_SCALAR_STYLE);
	return true;
}

/* The end of a plain ASCII key at p followed by ':' and a space or the
 * line's end, or NULL. (libyaml wants a key within 1024 characters.) */
static const char *key_end(const scanner *s, const char *p)
{
	const char *q = p;

	while (q < s->eol && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			      (*q >= '0' && *q <= '9') || *q == '_' || (*q == '-' && q > p)))
		q++;
	if (q == p || q - p > 1000 || q == s->eol || *q != ':' || (q + 1 < s->eol && q[1] != ' '))
		return NULL;
	return q;
}

/* A ':' inside a plain scalar in a flow collection: followed by
 * something that neither ends the scalar nor is libyaml's error. */
static bool flow_inner_colon(const scanner *s, const char *q)
{
	return q + 1 < s->eol && !strchr(" ,?[]{}", q[1]);
}

/* A one-line quoted scalar at *q (no escapes); *q is left after it. */
static bool quoted(scanner *s, const char **q)
{
	char quote = **q;
	const char *p = *q + 1;

	scalar_start(s, *q, quote == '"' ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
					 : YAML_SINGLE_QUOTED_SCALAR_STYLE);
	for (;;) {
		const char *close = memchr(p, quote, (size_t)(s->eol - p));
		if (!close || (quote == '"' && memchr(p, '\\', (size_t)(close - p))))
			return false;
		pk_buf_put(&s->ev->text, p, (size_t)(close - p));
		if (quote == '\'' && close + 1 < s->eol && close[1] == '\'') { /* '' is a quote */
			pk_buf_putc(&s->ev->text, '\'');
			p = close + 2;
			continue;
		}
		*q = close + 1;
		break;
	}
	scalar_end(s);
	return true;
}

/* A scalar in a flow collection, at *q: quoted, or plain up to the next
 * ',' or closer (trimmed); *q is left on that ',' or closer. */
static bool flow_scalar(scanner *s, const char **q, char closer)
{
	const char *item = *q, *end;

	if (**q == '"' || **q == '\'') {
		if (!quoted(s, q))
			return false;
		while (*q < s->eol && **q == ' ')
			(*q)++;
		return *q < s->eol && (**q == ',' || **q == closer);
	}
	while (*q < s->eol && (!strchr(",]}:#[{\"'", **q) || (**q == ':' && flow_inner_colon(s, *q))))
		(*q)++;
	if (*q == s->eol || (**q != ',' && **q != closer))
		return false;
	end = trim_end(item, *q);
	if (end == item || is_indicator(*item))
		return false; /* an empty item, or not plain */
	scalar(s, item, item, (size_t)(end - item), YAML_PLAIN_SCALAR_STYLE);
	return true;
}

/* [a, b, c] on one line, of plain scalars. */
static bool flow_sequence(scanner *s, const char *p)
{
	const char *q = p + 1;

	collection_start(s, false, s->line_no, col_of(s, p), true);
	while (q < s->eol && *q == ' ')
		q++;
	if (q < s->eol && *q == ']') {
		q++;
	} else {
		for (;;) {
			if (!flow_scalar(s, &q, ']'))
				return false;
			if (*q++ == ']')
				break;
			while (q < s->eol && *q == ' ')
				q++;
			if (q < s->eol && *q == ']')
				return false; /* a trailing comma */
		}
	}
	if (!only_spaces(q, s->eol))
		return false;
	push_event(s, YAML_SEQUENCE_END_EVENT, s->line_no, col_of(s, q));
	return true;
}

/* {a: 1, b: 2} on one line, of plain keys and values. */
static bool flow_map(scanner *s, const char *p)
{
	const char *q = p + 1;

	collection_start(s, true, s->line_no, col_of(s, p), true);
	while (q < s->eol && *q == ' ')
		q++;
	if (q < s->eol && *q == '}') {
		q++;
	} else {
		for (;;) {
			const char *key = q, *colon = key_end(s, key);
			if (!colon || colon + 1 == s->eol)
				return false;
			scalar(s, key, key, (size_t)(colon - key), YAML_PLAIN_SCALAR_STYLE);
			q = colon + 1;
			while (q < s->eol && *q == ' ')
				q++;
			if (!flow_scalar(s, &q, '}'))
				return false;
			if (*q++ == '}')
				break;
			while (q < s->eol && *q == ' ')
				q++;
			if (q < s->eol && *q == '}')
				return false; /* a trailing comma */
		}
	}
	if (!only_spaces(q, s->eol))
		return false;
	push_event(s, YAML_MAPPING_END_EVENT, s->line_no, col_of(s, q));
	return true;
}

/* ---- block scalars ------------------------------------------------------ */

/* Lines of a block scalar after its header, more indented than owner
 * (the column of the collection it is in). Leaves the scanner on the
 * first line after it. */
static bool block_scalar(scanner *s, const char *p, size_t owner)
{
	bool folded = *p == '>', strip = false, ended = false;
	const char *q = p + 1;
	size_t body_indent, blanks = 0, lines = 0;

	if (q < s->eol && *q == '-') {
		strip = true;
		q++;
	}
	if (!only_spaces(q, s->eol)) /* keep (+), an indentation digit, a comment */
		return false;
	scalar_start(s, p, folded ? YAML_FOLDED_SCALAR_STYLE : YAML_LITERAL_SCALAR_STYLE);
	next_line(s);
	if (at_end(s) || content(s) == s->eol || s->indent <= owner)
		return false; /* leading blank lines, or an empty scalar */
	body_indent = s->indent;
	for (; !at_end(s); next_line(s)) {
		if (content(s) == s->eol) { /* an empty line */
			if (s->indent > body_indent)
				return false; /* spaces that would be content */
			blanks++;
			continue;
		}
		if (s->indent < body_indent)
			break;
		if (s->indent > body_indent && folded)
			return false; /* a more-indented line: folded differently */
		if (lines++) {
			if (folded && !blanks)
				pk_buf_putc(&s->ev->text, ' ');
			else if (!folded)
				pk_buf_putc(&s->ev->text, '\n');
			while (blanks) {
				pk_buf_putc(&s->ev->text, '\n');
				blanks--;
			}
		}
		blanks = 0;
		pk_buf_put(&s->ev->text, s->line + body_indent, (size_t)(s->eol - s->line) - body_indent);
		ended = s->eol < s->end; /* the line has its break */
	}
	if (!strip && ended)
		pk_buf_putc(&s->ev->text, '\n');
	scalar_end(s);
	return true;
}

/* ---- block collections -------------------------------------------------- */

static bool block_node(scanner *s);
static bool map(scanner *s, const char *first);

/* A value that starts at p on the current line, in the collection at
 * column owner. Leaves the scanner on the next line with content. */
static bool inline_value(scanner *s, const char *p, size_t owner)
{
	bool ok;

	switch (*p) {
	case '"':
	case '\'': ok = quoted(s, &p) && only_spaces(p, s->eol); break;
	case '[': ok = flow_sequence(s, p); break;
	case '{': ok = flow_map(s, p); break;
	case '|':
	case '>':
		if (!block_scalar(s, p, owner))
			return false;
		skip_to_content(s);
		return true;
	default: ok = plain(s, p); break;
	}
	if (!ok)
		return false;
	next_line(s);
	skip_to_content(s);
	/* a deeper line would continue the scalar, or be an error */
	return at_end(s) || s->indent <= owner;
}

/* After a "-" with nothing more on its line: the value on the lines
 * below, or an empty value just after the '-'. */
static bool entry_below(scanner *s, size_t col)
{
	size_t line_no = s->line_no;

	next_line(s);
	skip_to_content(s);
	if (!at_end(s) && s->indent > col)
		return block_node(s);
	empty_scalar(s, line_no, col + 1);
	return true;
}

static bool sequence(scanner *s, const char *first)
{
	size_t col = col_of(s, first);

	if (++s->nesting > MAX_NESTING)
		return false;
	collection_start(s, false, s->line_no, col, false);
	for (;;) {
		const char *p = first + 1;
		while (p < s->eol && *p == ' ')
			p++;
		if (p == s->eol) {
			if (!entry_below(s, col))
				return false;
		} else if (is_entry(s, p)) {
			return false; /* "- - x" */
		} else if (key_end(s, p)) {
			if (!map(s, p))
				return false;
		} else if (!inline_value(s, p, col)) {
			return false;
		}
		if (at_end(s) || s->indent != col || !is_entry(s, content(s)))
			break;
		first = content(s);
	}
	push_event(s, YAML_SEQUENCE_END_EVENT, s->line_no, 0);
	s->nesting--;
	return true;
}

static bool map(scanner *s, const char *first)
{
	size_t col = col_of(s, first);
	const char *p = first;

	if (++s->nesting > MAX_NESTING)
		return false;
	collection_start(s, true, s->line_no, col, false);
	for (;;) {
		const char *colon = key_end(s, p), *v;
		if (!colon)
			return false;
		scalar(s, p, p, (size_t)(colon - p), YAML_PLAIN_SCALAR_STYLE);
		v = colon + 1;
		while (v < s->eol && *v == ' ')
			v++;
		if (v < s->eol) {
			if (!inline_value(s, v, col))
				return false;
		} else {
			size_t line_no = s->line_no, mark_col = col_of(s, colon) + 1;
			next_line(s);
			skip_to_content(s);
			if (!at_end(s) && s->indent > col) {
				if (!block_node(s))
					return false;
			} else if (!at_end(s) && s->indent == col && is_entry(s, content(s))) {
				if (!sequence(s, content(s))) /* indentless */
					return false;
			} else {
				empty_scalar(s, line_no, mark_col);
			}
		}
		if (at_end(s) || s->indent < col)
			break;
		if (s->indent > col)
			return false;
		p = content(s);
	}
	push_event(s, YAML_MAPPING_END_EVENT, s->line_no, 0);
	s->nesting--;
	return true;
}

/* A block collection that starts on the current line. */
static bool block_node(scanner *s)
{
	const char *p = content(s);

	if (is_entry(s, p))
		return sequence(s, p);
	if (key_end(s, p))
		return map(s, p);
	return false; /* a scalar on a line of its own */
}

/* ---- the document ------------------------------------------------------- */

/* A line that libyaml would take for a directive or a document marker. */
static bool is_marker(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);
	return (n && *p == '%') || (n >= 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3)));
}

/* Whether the scanner may read text at all: it leaves to libyaml, wherever
 * they are, control characters (tab and CR too), C1 controls and NEL,
 * U+2028/U+2029 (line breaks to libyaml), U+FFFE/U+FFFF and a BOM, and
 * directives and document markers at the start of a line. The text is
 * valid UTF-8 (checked before), so a sequence is skipped by its length. */
static bool plain_text(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;

	if (is_marker(text, text + len))
		return false;
	while (p < end) {
		unsigned char c = *p;
		if (c >= 0x20 && c < 0x7F) {
			p++;
		} else if (c == '\n') {
			if (is_marker((const char *)p + 1, (const char *)end))
				return false;
			p++;
		} else if (c >= 0xC3 && c <= 0xDF) { /* Cyrillic and the like */
			p += 2;
		} else if (c < 0x80 || end - p < 2) {
			return false; /* C0 controls (tab, CR), DEL; a cut sequence */
		} else if (c == 0xC2) {
			if (p[1] < 0xA0)
				return false; /* C1 controls and NEL */
			p += 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			if (end - p < 3 || (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) ||
			    (c == 0xEF && ((p[1] == 0xBF && p[2] >= 0xBE) || (p[1] == 0xBB && p[2] == 0xBF))))
				return false;
			p += 3;
		} else if (c >= 0xF0) {
			p += 4;
		} else {
			return false; /* not the start of a sequence: not valid UTF-8 */
		}
	}
	return true;
}

static void fix_values(pk_yaml__events *ev)
{
	size_t i;

	for (i = 0; i < ev->len; i++)
		if (ev->items[i].type == YAML_SCALAR_EVENT)
			ev->items[i].data.scalar.value =
				(yaml_char_t *)ev->text.ptr + (uintptr_t)ev->items[i].data.scalar.value;
}

bool pk_yaml__fast_scan(pk_yaml__events *ev, const char *text, size_t len)
{
	scanner s;
	bool ok;

	ev->len = 0;
	pk_buf_clear(&ev->text);
	if (!plain_text(text, len))
		return false;
	/* about one event per 30 bytes of front matter; values are at most
	 * the text, with a NUL each */
	PK_GROW(ev->items, ev->cap, len / 24 + 16);
	pk_buf_grow(&ev->text, len + len / 8 + 16);
	memset(&s, 0, sizeof(s));
	s.text = text;
	s.end = text + len;
	s.ev = ev;
	set_line(&s, text, 0);
	skip_to_content(&s);
	if (at_end(&s))
		return false; /* an empty document: libyaml's null */
	push_event(&s, YAML_DOCUMENT_START_EVENT, s.line_no, s.indent);
	ev->items[0].data.document_start.implicit = 1;
	ok = block_node(&s) && at_end(&s);
	if (!ok)
		return false;
	push_event(&s, YAML_DOCUMENT_END_EVENT, s.line_no, 0);
	ev->items[ev->len - 1].data.document_end.implicit = 1;
	fix_values(ev);
	return true;
}

void pk_yaml__events_release(pk_yaml__events *ev)
{
	free(ev->items);
	pk_buf_release(&ev->text);
	memset(ev, 0, sizeof(*ev));
	pk_buf_init(&ev->text);
}
