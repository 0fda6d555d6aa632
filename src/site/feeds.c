/* Machine-readable files: sitemap.xml, the Atom feed, robots.txt. */
#include "site/site_internal.h"

#include <string.h>

#define FEED_ENTRIES 50

static void xml_text(pk_buf *out, const char *s)
{
	if (s)
		pk_buf_put_xml_escaped(out, s, strlen(s));
}

static pk_date last_change(const pk_practice *p)
{
	return p->updated.year && pk_date_compare(p->updated, p->date) > 0 ? p->updated : p->date;
}

static void sitemap_url(pk_buf *out, const pk_site *site, const char *path, const pk_date *lastmod)
{
	pk_buf loc = PK_BUF_INIT;
	pk_site__permalink(&loc, site, path);
	pk_buf_puts(out, "  <url><loc>");
	xml_text(out, loc.ptr);
	pk_buf_puts(out, "</loc>");
	if (lastmod && lastmod->year) {
		pk_buf_puts(out, "<lastmod>");
		pk_site__iso_date(out, *lastmod);
		pk_buf_puts(out, "</lastmod>");
	}
	pk_buf_puts(out, "</url>\n");
	pk_buf_release(&loc);
}

static void sitemap_terms(pk_buf *out, const pk_site *site, const pk_site_taxonomy *t)
{
	pk_buf index = PK_BUF_INIT;
	size_t i;

	pk_buf_printf(&index, "%s/", t->name);
	sitemap_url(out, site, index.ptr, NULL);
	for (i = 0; i < t->terms.len; i++) {
		const pk_site_term *term = t->terms.items[i];
		sitemap_url(out, site, term->url_path, NULL);
	}
	pk_buf_release(&index);
}

static int write_sitemap(pk_site *site)
{
	const pk_site_taxonomy *taxonomies[] = { &site->forms, &site->kinds, &site->regions,
						 &site->years, &site->tags };
	pk_buf out = PK_BUF_INIT;
	size_t i;
	int rc;

	pk_buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	sitemap_url(&out, site, "", NULL);
	sitemap_url(&out, site, "practices/", NULL);
	for (i = 0; i < site->practices.len; i++) {
		const pk_practice *p = site->practices.items[i];
		pk_date d = last_change(p);
		sitemap_url(&out, site, ((pk_site_practice *)p->site_data)->url_path, &d);
	}
	for (i = 0; i < PK_ARRAY_SIZE(taxonomies); i++)
		sitemap_terms(&out, site, taxonomies[i]);
	sitemap_url(&out, site, "mentors/", NULL);
	for (i = 0; i < site->mentors.len; i++)
		sitemap_url(&out, site, ((pk_site_mentor *)((pk_mentor *)site->mentors.items[i])->site_data)->url_path, NULL);
	for (i = 0; i < site->bank->pages.len; i++)
		sitemap_url(&out, site, ((pk_page *)site->bank->pages.items[i])->url_path, NULL);
	pk_buf_puts(&out, "</urlset>\n");
	rc = pk_output_write(site->out, "sitemap.xml", out.ptr, out.len, site->diags);
	pk_buf_release(&out);
	return rc;
}

static void atom_entry(pk_buf *out, const pk_site *site, const pk_practice *p)
{
	const pk_site_practice *sp = p->site_data;
	const char *summary = pk_value_str(pk_value_map_get(sp->card, "summary"));
	pk_buf link = PK_BUF_INIT;

	pk_site__permalink(&link, site, sp->url_path);
	pk_buf_puts(out, "  <entry>\n    <title>");
	xml_text(out, p->title);
	pk_buf_puts(out, "</title>\n    <link href=\"");
	xml_text(out, link.ptr);
	pk_buf_puts(out, "\"/>\n    <id>");
	xml_text(out, link.ptr);
	pk_buf_puts(out, "</id>\n    <published>");
	pk_site__iso_date(out, p->date);
	pk_buf_puts(out, "T00:00:00Z</published>\n    <updated>");
	pk_site__iso_date(out, last_change(p));
	pk_buf_puts(out, "T00:00:00Z</updated>\n    <summary>");
	xml_text(out, summary);
	pk_buf_puts(out, "</summary>\n  </entry>\n");
	pk_buf_release(&link);
}

static int write_atom(pk_site *site)
{
	pk_buf out = PK_BUF_INIT, self = PK_BUF_INIT;
	pk_date updated = { 1970, 1, 1 };
	size_t i, n = site->practices.len < FEED_ENTRIES ? site->practices.len : FEED_ENTRIES;
	int rc;

	for (i = 0; i < site->practices.len; i++) {
		pk_date d = last_change(site->practices.items[i]);
		if (pk_date_compare(d, updated) > 0)
			updated = d;
	}
	pk_site__permalink(&self, site, "atom.xml");
	pk_buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>");
	xml_text(&out, site->cfg->title);
	pk_buf_puts(&out, "</title>\n  <link rel=\"self\" href=\"");
	xml_text(&out, self.ptr);
	pk_buf_puts(&out, "\"/>\n  <link href=\"");
	xml_text(&out, site->cfg->base_url);
	pk_buf_puts(&out, "\"/>\n  <id>");
	xml_text(&out, site->cfg->base_url);
	pk_buf_puts(&out, "</id>\n  <updated>");
	pk_site__iso_date(&out, updated);
	pk_buf_puts(&out, "T00:00:00Z</updated>\n  <author><name>");
	xml_text(&out, site->cfg->publisher ? pk_value_str(pk_value_map_get(site->cfg->publisher, "name"))
					    : site->cfg->title);
	pk_buf_puts(&out, "</name></author>\n");
	for (i = 0; i < n; i++)
		atom_entry(&out, site, site->practices.items[i]);
	pk_buf_puts(&out, "</feed>\n");
	rc = pk_output_write(site->out, "atom.xml", out.ptr, out.len, site->diags);
	pk_buf_release(&out);
	pk_buf_release(&self);
	return rc;
}

static int write_robots(pk_site *site)
{
	pk_buf out = PK_BUF_INIT;
	int rc;
	pk_buf_puts(&out, "User-agent: *\nAllow: /\nSitemap: ");
	pk_site__permalink(&out, site, "sitemap.xml");
	pk_buf_putc(&out, '\n');
	rc = pk_output_write(site->out, "robots.txt", out.ptr, out.len, site->diags);
	pk_buf_release(&out);
	return rc;
}

int pk_site__write_feeds(pk_site *site)
{
	int rc = write_sitemap(site);
	if (rc == PK_OK)
		rc = write_atom(site);
	if (rc == PK_OK)
		rc = write_robots(site);
	return rc;
}
