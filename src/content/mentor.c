#include "content/mentor.h"
#include "content/bank.h"
#include "content/schema.h"

#include <string.h>

static const pk_field consent_fields[] = {
	{ "date", PK_FIELD_DATE, true, NULL },
	{ "publish", PK_FIELD_LIST, true, NULL },
};
static const pk_schema consent_schema = { "consent", consent_fields, 2 };

static const pk_field mentor_fields[] = {
	{ "name", PK_FIELD_TEXT, true, NULL },
	{ "slug", PK_FIELD_TEXT, false, NULL },
	{ "position", PK_FIELD_TEXT, true, NULL },
	{ "organization", PK_FIELD_TEXT, true, NULL },
	{ "region", PK_FIELD_CODE, true, NULL },
	{ "subjects", PK_FIELD_LIST, false, NULL },
	{ "category", PK_FIELD_TEXT, false, NULL },
	{ "experience", PK_FIELD_INT, false, NULL },
	{ "forms", PK_FIELD_LIST, false, NULL },
	{ "awards", PK_FIELD_LIST, false, NULL },
	{ "photo", PK_FIELD_TEXT, false, NULL },
	{ "consent", PK_FIELD_MAP, false, &consent_schema },
	{ "withdrawn", PK_FIELD_BOOL, false, NULL },
};
static const pk_schema mentor_schema = { "mentor profile", mentor_fields,
					 PK_ARRAY_SIZE(mentor_fields) };

/* The fields a consent may list: the profile's fields and "bio". */
static const char *const consentable[] = {
	"name", "position", "organization", "region", "subjects", "category",
	"experience", "forms", "awards", "photo", "bio",
};

static bool is_consentable(const char *field)
{
	size_t i;
	for (i = 0; i < PK_ARRAY_SIZE(consentable); i++)
		if (!strcmp(consentable[i], field))
			return true;
	return false;
}

static int check_publish_list(pk_mentor *m, pk_diags *diags)
{
	size_t i;
	int rc = PK_OK;

	for (i = 0; i < pk_value_len(m->publish); i++) {
		const pk_value *f = pk_value_list_at(m->publish, i);
		const char *name = pk_value_str(f);
		if (name && !is_consentable(name))
			rc = pk_diag_error(diags, m->doc.path, f->pos,
					   "consent lists unknown field '%s'", name);
	}
	return rc;
}

static bool lists(const pk_value *list, const char *field)
{
	size_t i;
	for (i = 0; i < pk_value_len(list); i++) {
		const char *s = pk_value_str(pk_value_list_at(list, i));
		if (s && !strcmp(s, field))
			return true;
	}
	return false;
}

/* Decides whether the profile may be published, warning when it may not. */
static void decide_publication(pk_mentor *m, pk_diags *diags)
{
	const pk_value *consent = pk_value_map_get(m->doc.meta, "consent");
	const pk_value *withdrawn = pk_value_map_get(m->doc.meta, "withdrawn");

	m->publish = pk_value_map_get(consent, "publish");
	if (withdrawn && withdrawn->type == PK_VALUE_BOOL && withdrawn->as.b) {
		pk_diag_warning(diags, m->doc.path, withdrawn->pos,
				"consent withdrawn: the profile of '%s' is not published", m->name);
	} else if (!consent || consent->type != PK_VALUE_MAP) {
		pk_diag_warning(diags, m->doc.path, (pk_pos){ 1, 1 },
				"no consent to publish personal data: the profile of '%s' is not published",
				m->name);
	} else if (!lists(m->publish, "name")) {
		pk_diag_warning(diags, m->doc.path, m->publish ? m->publish->pos : consent->pos,
				"consent does not include 'name': the profile of '%s' is not published",
				m->name);
	} else {
		m->published = true;
	}
}

static void resolve_forms(pk_mentor *m, pk_bank *bank, pk_diags *diags)
{
	const pk_value *list = pk_value_map_get(m->doc.meta, "forms");
	size_t i;

	for (i = 0; i < pk_value_len(list); i++) {
		const pk_vocab_entry *e =
			pk_vocab_resolve(&bank->forms, pk_value_list_at(list, i), m->doc.path, diags);
		if (e)
			pk_vec_push(&m->forms, (void *)e);
	}
}

int pk_mentor_load(pk_mentor *m, pk_bank *bank, const pk_bank_source *origin, const char *rel,
		const pk_slice *text, pk_diags *diags)
{
	size_t before = diags->errors;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = pk_doc_load(&m->doc, origin, rel, text, bank->opts.fm_cache, diags)) < 0 && !m->doc.meta)
		return rc;
	pk_schema_check(&mentor_schema, m->doc.meta, m->doc.path, (pk_pos){ 1, 1 }, diags);
	m->name = pk_doc_text(&m->doc, "name");
	if (!m->name)
		m->name = m->doc.slug;
	decide_publication(m, diags);
	check_publish_list(m, diags);
	resolve_forms(m, bank, diags);
	m->region = pk_vocab_resolve(&bank->regions, pk_value_map_get(m->doc.meta, "region"),
				     m->doc.path, diags);
	return diags->errors > before ? PK_ERROR : PK_OK;
}

void pk_mentor_release(pk_mentor *m)
{
	pk_doc_release(&m->doc);
	pk_vec_release(&m->forms);
	pk_vec_release(&m->practices);
}

bool pk_mentor_consents(const pk_mentor *m, const char *field)
{
	return m->published && lists(m->publish, field);
}

const pk_value *pk_mentor_field(const pk_mentor *m, const char *field)
{
	if (!pk_mentor_consents(m, field))
		return NULL;
	return pk_value_map_get(m->doc.meta, field);
}

const char *pk_mentor_sort_name(const pk_mentor *m)
{
	return m->name;
}

void pk_mentor_intern_keys(void)
{
	pk_schema_intern_keys(&mentor_schema);
}
