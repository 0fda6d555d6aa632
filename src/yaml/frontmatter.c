/*
 * frontmatter.c: splitting a content file into its YAML front matter and
 * its body, and parsing the front matter into a map.
 */
#include "yaml/yaml.h"
#include "core/utf8.h"

#include <limits.h>
#include <string.h>

#define BOM "\xEF\xBB\xBF"

static int clamp_int(size_t n)
{
	return n > INT_MAX ? INT_MAX : (int)n;
}

/* Sets *line to the line starting at `at` (without its newline) and returns
 * where the next line starts. */
static size_t next_line(const char *text, size_t len, size_t at, pk_slice *line)
{
	const char *nl = memchr(text + at, '\n', len - at);
	size_t end = nl ? (size_t)(nl - text) : len;

	line->p = text + at;
	line->len = end - at;
	return nl ? end + 1 : len;
}

/* True when line is mark followed only by spaces, tabs or a CR. */
static bool is_fence(pk_slice line, const char *mark)
{
	size_t n = strlen(mark);

	while (line.len > n && (line.p[line.len - 1] == ' ' || line.p[line.len - 1] == '\t' ||
				line.p[line.len - 1] == '\r'))
		line.len--;
	return line.len == n && memcmp(line.p, mark, n) == 0;
}

static pk_slice slice_from(const char *text, size_t len, size_t at)
{
	pk_slice s = { text + at, len - at };
	return s;
}

/* Finds the closing line after the opening one; fills out, or returns
 * false when there is none. */
static bool find_closing(pk_frontmatter *out, const char *text, size_t len, size_t yaml_start)
{
	size_t lineno = 2, at, next;
	pk_slice line;

	for (at = yaml_start; at < len; at = next, lineno++) {
		next = next_line(text, len, at, &line);
		if (is_fence(line, "---") || is_fence(line, "...")) {
			out->present = true;
			out->yaml.p = text + yaml_start;
			out->yaml.len = at - yaml_start;
			out->yaml_line = 2;
			out->body = slice_from(text, len, next);
			out->body_line = clamp_int(lineno + 1);
			return true;
		}
	}
	return false;
}

int pk_frontmatter_split(pk_frontmatter *out, const char *text, size_t len, const char *path,
			 bool required, pk_diags *diags)
{
	static const pk_pos first = { 1, 1 };
	size_t start = 0, yaml_start;
	pk_slice line;
	pk_pos bad;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(text, BOM, 3) == 0)
		start = 3;
	out->body = slice_from(text, len, start);
	out->body_line = 1;
	if (!pk_utf8_validate(text + start, len - start, &bad))
		return pk_diag_error(diags, path, bad, "invalid UTF-8");
	yaml_start = next_line(text, len, start, &line);
	if (start == len || !is_fence(line, "---")) {
		if (!required)
			return PK_OK;
		return pk_diag_error(diags, path, first,
				     "missing front matter: the file must start with a '---' line");
	}
	if (!find_closing(out, text, len, yaml_start))
		return pk_diag_error(diags, path, first,
				     "front matter is not closed: no '---' line after it");
	return PK_OK;
}

static const char *with_article(const char *noun)
{
	return noun[0] && strchr("aeiou", noun[0]) ? "an" : "a";
}

/* Turns the parsed front matter into the map of fields it must be. */
static int as_field_map(pk_value **meta, pk_value *v, const char *path, pk_diags *diags)
{
	const char *type;

	if (v->type == PK_VALUE_MAP) {
		*meta = v;
		return PK_OK;
	}
	if (v->type == PK_VALUE_NULL) {
		*meta = pk_value_new_map(v->pos);
		pk_value_free(v);
		return PK_OK;
	}
	type = pk_value_type_name(v->type);
	pk_diag_error(diags, path, v->pos, "front matter must be a map of fields, not %s %s",
		      with_article(type), type);
	pk_value_free(v);
	return PK_ERROR;
}

int pk_frontmatter_parse(pk_value **meta, pk_frontmatter *fm, const char *text, size_t len,
			 const char *path, pk_diags *diags)
{
	int rc;

	*meta = NULL;
	if ((rc = pk_frontmatter_split(fm, text, len, path, true, diags)) != PK_OK)
		return rc;
	return pk_frontmatter_parse_split(meta, fm, path, diags);
}

int pk_frontmatter_parse_split(pk_value **meta, const pk_frontmatter *fm, const char *path,
			       pk_diags *diags)
{
	pk_yaml_opts opts = PK_YAML_OPTS_INIT;
	pk_value *v = NULL;
	int rc;

	*meta = NULL;
	opts.line_offset = fm->yaml_line - 1;
	opts.utf8_checked = true; /* the split validated the whole file */
	if ((rc = pk_yaml_parse(&v, fm->yaml.p, fm->yaml.len, path, &opts, diags)) != PK_OK)
		return rc;
	return as_field_map(meta, v, path, diags);
}
