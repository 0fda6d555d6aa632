#include "output/pagerec.h"
#include "core/buf.h"
#include "core/common.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/record.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FORMAT "praktika-pages-1"

pk_pagerec_fp pk_pagerec_hash(const void *bytes, size_t len)
{
	uint64_t h[2];
	pk_pagerec_fp fp;
	pk_hash128(bytes, len, h);
	fp.lo = h[0];
	fp.hi = h[1];
	return fp;
}

bool pk_pagerec_fp_equal(pk_pagerec_fp a, pk_pagerec_fp b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

const pk_pagerec_fp *pk_pagerec_get(const pk_pagerec *r, const char *path)
{
	return pk_strmap_get(&r->pages, path, strlen(path));
}

static void put_path(pk_pagerec *r, const char *path, size_t len, pk_pagerec_fp fp)
{
	pk_pagerec_fp *copy = pk_xmalloc(sizeof(*copy));
	*copy = fp;
	free(pk_strmap_set(&r->pages, path, len, copy));
}

void pk_pagerec_put(pk_pagerec *r, const char *path, pk_pagerec_fp fp)
{
	put_path(r, path, strlen(path), fp);
}

void pk_pagerec_release(pk_pagerec *r)
{
	size_t i;
	for (i = 0; i < r->pages.len; i++)
		free(r->pages.entries[i].value);
	pk_strmap_release(&r->pages);
	r->key.lo = r->key.hi = 0;
}

/* "praktika-pages-1 <key lo> <key hi>", "pages <n>", then one record per
 * page: "<lo> <hi> <path>", then the checksum line. */
static bool read_pages(pk_pagerec *r, pk_record_reader *rd)
{
	uint64_t n, i;

	if (!pk_record_expect(rd, FORMAT))
		return false;
	r->key.lo = pk_record_u64(rd);
	r->key.hi = pk_record_u64(rd);
	if (!pk_record_at_end(rd))
		return false;
	n = pk_record_section(rd, "pages");
	for (i = 0; i < n && rd->ok; i++) {
		pk_pagerec_fp fp;
		pk_slice path;
		fp.lo = pk_record_u64(rd);
		fp.hi = pk_record_u64(rd);
		path = pk_record_str(rd);
		if (!pk_record_at_end(rd) || !rd->ok)
			return false;
		put_path(r, path.p, path.len, fp);
	}
	return pk_record_done(rd);
}

int pk_pagerec_read(pk_pagerec *r, const char *file)
{
	pk_buf text = PK_BUF_INIT;
	pk_record_reader rd;
	bool ok = false;

	if (pk_fs_read(&text, file, NULL) == PK_OK && pk_record_open(&rd, text.ptr, text.len))
		ok = read_pages(r, &rd);
	pk_buf_release(&text);
	if (!ok)
		pk_pagerec_release(r);
	return ok ? PK_OK : PK_ENOTFOUND;
}

int pk_pagerec_write(const pk_pagerec *r, const char *file)
{
	pk_buf out = PK_BUF_INIT;
	size_t i;
	int rc;

	pk_record_put_str(&out, FORMAT, sizeof(FORMAT) - 1);
	pk_record_put_u64(&out, r->key.lo);
	pk_record_put_u64(&out, r->key.hi);
	pk_record_end(&out);
	pk_record_put_section(&out, "pages", r->pages.len);
	for (i = 0; i < r->pages.len; i++) {
		const pk_pagerec_fp *fp = r->pages.entries[i].value;
		pk_record_put_u64(&out, fp->lo);
		pk_record_put_u64(&out, fp->hi);
		pk_record_put_str(&out, r->pages.entries[i].key, r->pages.entries[i].key_len);
		pk_record_end(&out);
	}
	pk_record_seal(&out);
	rc = pk_fs_write_atomic(file, out.ptr, out.len, NULL);
	if (rc == PK_OK)
		chmod(file, 0600); /* like the cache: only its user's business */
	pk_buf_release(&out);
	return rc;
}
