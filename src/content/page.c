#include "content/page.h"
#include "content/bank.h"
#include "content/schema.h"
#include "core/xalloc.h"
#include "text/text.h"

#include <stdlib.h>
#include <string.h>

static const pk_field page_fields[] = {
	{ "title", PK_FIELD_TEXT, true, NULL },
	{ "description", PK_FIELD_TEXT, false, NULL },
	{ "weight", PK_FIELD_INT, false, NULL },
	{ "slug", PK_FIELD_TEXT, false, NULL },
	{ "draft", PK_FIELD_BOOL, false, NULL },
};
static const pk_schema page_schema = { "page", page_fields, PK_ARRAY_SIZE(page_fields) };
static const pk_field home_fields[] = {
	{ "title", PK_FIELD_TEXT, false, NULL },
	{ "description", PK_FIELD_TEXT, false, NULL },
};
static const pk_schema home_schema = { "home page", home_fields, PK_ARRAY_SIZE(home_fields) };

/* content/pages/a/b.md → "a/b/"; …/index.md → its folder; each segment
 * slugified so Cyrillic file names give ASCII URLs. */
static char *url_path_of(const char *rel, const char *slug)
{
	const char *p = rel + strlen("content/pages/");
	const char *end = strrchr(p, '/');
	pk_buf out = PK_BUF_INIT;

	while (end && p < end) {
		const char *seg_end = strchr(p, '/');
		pk_text_slugify(&out, p, (size_t)(seg_end - p));
		pk_buf_putc(&out, '/');
		p = seg_end + 1;
	}
	if (strcmp(slug, "index") != 0 && strcmp(slug, "_index") != 0) {
		pk_buf_puts(&out, slug);
		pk_buf_putc(&out, '/');
	}
	return pk_buf_detach(&out);
}

static void set_fields(pk_page *p)
{
	const pk_value *w = pk_value_map_get(p->doc.meta, "weight");
	const pk_value *d = pk_value_map_get(p->doc.meta, "draft");
	p->title = pk_doc_text(&p->doc, "title");
	p->description = pk_doc_text(&p->doc, "description");
	p->weight = w && w->type == PK_VALUE_INT ? (long)w->as.i : 0;
	p->draft = d && d->type == PK_VALUE_BOOL && d->as.b;
}

int pk_page_load(pk_page *p, const pk_bank_source *origin, const char *rel,
		pk_diags *diags)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = pk_doc_load(&p->doc, origin, rel, NULL, NULL, diags)) < 0 && !p->doc.meta)
		return rc;
	if (pk_schema_check(&page_schema, p->doc.meta, p->doc.path, (pk_pos){ 1, 1 }, diags) < 0)
		rc = PK_ERROR;
	set_fields(p);
	p->url_path = url_path_of(rel, p->doc.slug);
	return rc;
}

int pk_page_load_home(pk_page *p, const pk_bank_source *origin, const char *rel,
		      pk_diags *diags)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = pk_doc_load(&p->doc, origin, rel, NULL, NULL, diags)) < 0 && !p->doc.meta)
		return rc;
	if (pk_schema_check(&home_schema, p->doc.meta, p->doc.path, (pk_pos){ 1, 1 }, diags) < 0)
		rc = PK_ERROR;
	set_fields(p);
	p->url_path = pk_xstrdup("");
	return rc;
}

void pk_page_release(pk_page *p)
{
	pk_doc_release(&p->doc);
	free(p->url_path);
}
