/*
 * stem.c: word stems through libstemmer (Snowball).
 */
#include "text/text.h"

#include "core/xalloc.h"

#include <libstemmer.h>

#include <stdlib.h>

struct pk_text_stemmer {
	struct sb_stemmer *sb;
};

int pk_text_stemmer_new(pk_text_stemmer **out, const char *lang)
{
	struct sb_stemmer *sb = sb_stemmer_new(lang ? lang : "russian", "UTF_8");

	*out = NULL;
	if (!sb)
		return PK_ENOTFOUND;
	*out = pk_xmalloc(sizeof(**out));
	(*out)->sb = sb;
	return PK_OK;
}

void pk_text_stemmer_free(pk_text_stemmer *s)
{
	if (!s)
		return;
	sb_stemmer_delete(s->sb);
	free(s);
}

int pk_text_stem(pk_buf *out, pk_text_stemmer *s, const char *word, size_t len)
{
	const sb_symbol *stem;

	if (len > PK_TEXT_MAX_LEN)
		return PK_ELIMIT;
	if (len == 0)
		return PK_OK;
	stem = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
	if (!stem)
		return PK_ERROR;
	pk_buf_put(out, stem, (size_t)sb_stemmer_length(s->sb));
	return PK_OK;
}
