/*
 * tmpl_internal.h: what the lexer, compiler, set and renderer of the
 * Mustache engine share. Not part of the public interface.
 *
 * A compiled template is a flat array of ops. Section-like ops (sections,
 * inverted sections, parents, blocks) carry `end`, the index of the op just
 * after their body, so the renderer skips a body with one jump and never
 * needs a closing op. Text and names are slices (offset, length) into the
 * template's own copy of its source; names are split on dots once, at
 * compile time, into NUL-terminated parts.
 *
 * Indentation (standalone partials, parents and blocks) is applied at render
 * time: an op flagged BOL starts a line of the template source, and the
 * renderer prefixes such lines (and the lines inside a text op) with the
 * current indentation, after dropping up to `strip` leading blanks (the
 * common indentation of a block body, removed where the block is defined).
 */
#ifndef PK_TMPL_TMPL_INTERNAL_H
#define PK_TMPL_TMPL_INTERNAL_H

#include "core/buf.h"
#include "core/diag.h"
#include "core/strmap.h"
#include "core/vec.h"
#include "tmpl/tmpl.h"

#include <pthread.h>
#include <stdint.h>

typedef enum {
	PK_TMPL__TEXT,
	PK_TMPL__VAR,      /* {{name}}, {{{name}}}, {{&name}} */
	PK_TMPL__SECTION,  /* {{#name}} */
	PK_TMPL__INVERTED, /* {{^name}} */
	PK_TMPL__PARTIAL,  /* {{>name}} */
	PK_TMPL__PARENT,   /* {{<name}} */
	PK_TMPL__BLOCK,    /* {{$name}} */
} pk_tmpl__kind;

enum {
	PK_TMPL__BOL = 1 << 0,        /* text op starts a line of the source */
	PK_TMPL__ESCAPE = 1 << 1,     /* var: HTML-escape the value */
	PK_TMPL__DYNAMIC = 1 << 2,    /* partial/parent: {{>*name}}, ref is a name */
	PK_TMPL__STANDALONE = 1 << 3, /* partial/parent/block: tag alone on its line */
	PK_TMPL__CONTENT = 1 << 4,    /* block: its body has non-blank lines */
	PK_TMPL__ARG = 1 << 5,        /* block: an argument of the enclosing parent */
};

typedef struct {
	uint8_t kind, flags;
	uint32_t end;          /* section-like ops: index just past the body */
	uint32_t off, len;     /* text: the bytes; tags: the name as written */
	uint32_t ref;          /* var/section/dynamic: names[]; partial/parent: entries[] */
	uint32_t a_off, a_len; /* section: raw body (lambdas); others: indentation before the tag */
	uint32_t b_off, b_len; /* block: common indentation of the body lines;
				* section: b_off is the index in delims[] */
	uint32_t next;         /* parent: first argument block; block: next argument */
	uint32_t line, col;    /* of the tag, for diagnostics */
} pk_tmpl__op;

/* A dotted name: parts[first .. first + n) in the template's part table;
 * n == 0 is the implicit iterator ".". */
typedef struct {
	uint32_t off, len; /* as written, for diagnostics */
	uint32_t first, n;
} pk_tmpl__name;

typedef struct {
	uint32_t off, len; /* into the template's strs: NUL-terminated copy */
	uint32_t hash;     /* pk_value_key_hash of the part: looked up often */
} pk_tmpl__part;

/* Delimiters in effect at a section, for re-parsing a section lambda's
 * result: slices of the source; entry 0 stands for the template's starting
 * delimiters (otag0, ctag0). */
typedef struct {
	uint32_t o_off, o_len, c_off, c_len;
} pk_tmpl__delims;

/* A name in a set: the current template under that name (NULL while none),
 * and whether the loader has been asked for it. Entries never move. */
typedef struct {
	pk_tmpl *t;
	const char *name; /* the key in the set's map */
	bool tried;
} pk_tmpl__entry;

struct pk_tmpl {
	pk_tmpl_set *set;
	char *name, *path;
	char *src; /* the retained copy of the source */
	size_t src_len;
	pk_tmpl__op *ops;
	uint32_t nops;
	pk_tmpl__name *names;
	uint32_t nnames;
	pk_tmpl__part *parts;
	uint32_t nparts;
	char *strs;
	pk_tmpl__entry **entries; /* static partial and parent names */
	uint32_t nentries;
	pk_tmpl__delims *delims;
	uint32_t ndelims;
	pk_slice otag0, ctag0; /* starting delimiters: "{{" "}}" or in delim0 */
	char *delim0;
};

struct pk_tmpl_set {
	unsigned flags;
	pk_strmap names;  /* name → pk_tmpl__entry * */
	pk_vec entries;   /* owned pk_tmpl__entry */
	pk_vec tmpls;     /* owned pk_tmpl, including replaced ones */
	pk_tmpl_loader loader;
	void *payload;
	pthread_mutex_t lock;
};

/* Lexer ------------------------------------------------------------------ */

typedef enum {
	PK_TMPL__TOK_TEXT,
	PK_TMPL__TOK_VAR,
	PK_TMPL__TOK_RAW,
	PK_TMPL__TOK_SECTION,
	PK_TMPL__TOK_INVERTED,
	PK_TMPL__TOK_CLOSE,
	PK_TMPL__TOK_COMMENT,
	PK_TMPL__TOK_DELIM,
	PK_TMPL__TOK_PARTIAL,
	PK_TMPL__TOK_PARENT,
	PK_TMPL__TOK_BLOCK,
	PK_TMPL__TOK_EOF,
} pk_tmpl__tok_kind;

typedef struct {
	pk_tmpl__tok_kind kind;
	size_t start, end;          /* the whole token in the source */
	size_t name_off, name_len;  /* tags: trimmed content after the sigil */
	bool dynamic;               /* partial/parent/close with a leading '*' */
	bool newline;               /* text: ends with '\n' */
	uint32_t delims;            /* index of the delimiters after this token */
	pk_pos pos;
} pk_tmpl__token;

typedef struct {
	const char *src;
	size_t len, pos;
	const char *otag, *ctag;
	size_t olen, clen;
	uint32_t delims;     /* index of the current delimiters (0: defaults) */
	size_t next_tag;     /* cached position of the next opening delimiter */
	bool next_tag_valid;
	size_t scan;         /* line and col are counted up to here */
	int line, col;
	const char *path;
	pk_diags *diags;
	pk_tmpl__delims *dl; /* delimiter changes, appended to */
	uint32_t ndl, dlcap;
} pk_tmpl__lexer;

/* Starts lexing src with the delimiters otag and ctag. */
void pk_tmpl__lexer_init(pk_tmpl__lexer *lx, const char *src, size_t len, pk_slice otag,
			 pk_slice ctag, const char *path, pk_diags *diags);
/* The next token; PK_ERROR with a diagnostic on a malformed tag. */
int pk_tmpl__lex(pk_tmpl__lexer *lx, pk_tmpl__token *out);
bool pk_tmpl__is_blank(char c);

/* Compiler --------------------------------------------------------------- */

/* Compiles src into *out (not added to the set). Static partial names
 * become entries of set; the caller holds set->lock. otag/ctag are the
 * starting delimiters (empty slices for the defaults). */
int pk_tmpl__compile(pk_tmpl **out, pk_tmpl_set *set, const char *name, const char *src,
		     size_t len, const char *path, pk_slice otag, pk_slice ctag,
		     pk_diags *diags);
void pk_tmpl__free(pk_tmpl *t);

/* Set -------------------------------------------------------------------- */

/* The entry for name, created empty when missing. Caller holds set->lock. */
pk_tmpl__entry *pk_tmpl__set_entry(pk_tmpl_set *set, const char *name, size_t len);
/* Asks the loader for every entry that t (and what it loads) refers to and
 * that is still empty. Caller holds set->lock. */
int pk_tmpl__set_link(pk_tmpl_set *set, pk_tmpl *t, pk_diags *diags);
/* The template under name, loading it if needed (takes set->lock); *out is
 * NULL when nothing provides it. For names computed at render time. */
int pk_tmpl__set_find(pk_tmpl **out, pk_tmpl_set *set, const char *name, size_t len,
		      pk_diags *diags);
/* Compiles the result of a lambda (takes set->lock); path is used for
 * its diagnostics. */
int pk_tmpl__compile_lambda(pk_tmpl **out, pk_tmpl_set *set, const char *src, size_t len,
			    const char *path, pk_slice otag, pk_slice ctag, pk_diags *diags);

#endif
