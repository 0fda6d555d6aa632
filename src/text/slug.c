/*
 * slug.c: URL slugs with ICAO Doc 9303 transliteration (see text.h).
 */
#include "text/text.h"
#include "text/text_internal.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

/* ICAO Doc 9303 for U+0430 а … U+045F џ; "" drops the letter, NULL marks a
 * letter with a canonical decomposition that the generic path handles. */
static const char *const icao[0x30] = {
	"a", "b", "v", "g", "d", "e", "zh", "z",     /* а б в г д е ж з */
	"i", "i", "k", "l", "m", "n", "o", "p",      /* и й к л м н о п */
	"r", "s", "t", "u", "f", "kh", "ts", "ch",   /* р с т у ф х ц ч */
	"sh", "shch", "ie", "y", "", "e", "iu", "ia", /* ш щ ъ ы ь э ю я */
	NULL, "e", "d", "g", "ie", "dz", "i", "i",   /* ѐ ё ђ ѓ є ѕ і ї */
	"j", "lj", "nj", "c", "k", NULL, "u", "dz",  /* ј љ њ ћ ќ ѝ ў џ */
};

/* Latin letters that have no canonical decomposition. */
static const struct {
	UChar32 c;
	const char *ascii;
} latin_extra[] = {
	{ 0x00DF, "ss" }, /* ß */
	{ 0x00E6, "ae" }, /* æ */
	{ 0x00F0, "d" },  /* ð */
	{ 0x00F8, "o" },  /* ø */
	{ 0x00FE, "th" }, /* þ */
	{ 0x0111, "d" },  /* đ */
	{ 0x0131, "i" },  /* ı */
	{ 0x0142, "l" },  /* ł */
	{ 0x0153, "oe" }, /* œ */
};

typedef struct {
	pk_buf *out;
	size_t start;   /* out->len before the slug */
	bool pending;   /* a separator is due before the next letter */
} slug_state;

static bool is_mark(UChar32 c)
{
	int8_t t = u_charType(c);
	return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

static void put_ascii(slug_state *st, const char *s)
{
	if (!*s)
		return;
	if (st->pending && st->out->len > st->start)
		pk_buf_putc(st->out, '-');
	st->pending = false;
	pk_buf_puts(st->out, s);
}

/* The ASCII for c, or NULL when c is not a letter or digit we know. */
static const char *map_char(UChar32 c, char tmp[2])
{
	size_t i;

	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		tmp[0] = (char)c;
		tmp[1] = '\0';
		return tmp;
	}
	if (c >= 0x0430 && c <= 0x045F)
		return icao[c - 0x0430];
	if (c == 0x0491) /* ґ */
		return "g";
	for (i = 0; i < PK_ARRAY_SIZE(latin_extra); i++)
		if (latin_extra[i].c == c)
			return latin_extra[i].ascii;
	if (u_isdigit(c) && u_charDigitValue(c) >= 0 && u_charDigitValue(c) <= 9) {
		tmp[0] = (char)('0' + u_charDigitValue(c));
		tmp[1] = '\0';
		return tmp;
	}
	return NULL;
}

/* Puts the base letters of c's canonical decomposition, dropping marks;
 * false when c has no decomposition. */
static bool put_decomposed(slug_state *st, UChar32 c)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	UChar d[16];
	int32_t n, i = 0;

	if (U_FAILURE(err))
		return false;
	n = unorm2_getDecomposition(nfd, c, d, (int32_t)PK_ARRAY_SIZE(d), &err);
	if (U_FAILURE(err) || n <= 0)
		return false;
	while (i < n) {
		UChar32 b;
		char tmp[2];
		const char *ascii;
		U16_NEXT(d, i, n, b);
		if (is_mark(b))
			continue;
		ascii = map_char(b, tmp);
		if (ascii)
			put_ascii(st, ascii);
		else
			st->pending = true;
	}
	return true;
}

static void put_char(slug_state *st, UChar32 c)
{
	char tmp[2];
	const char *ascii = map_char(c, tmp);

	if (ascii)
		put_ascii(st, ascii);
	else if (is_mark(c))
		return; /* a mark left over after NFC: the letter stays plain */
	else if (!put_decomposed(st, c))
		st->pending = true;
}

static bool is_ascii(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* ASCII (a file name, as a rule): what the generic path gives, without
 * ICU: letters lowercased, digits kept, anything else a separator. */
static void put_ascii_text(slug_state *st, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (st->pending && st->out->len > st->start)
				pk_buf_putc(st->out, '-');
			st->pending = false;
			pk_buf_putc(st->out, c);
		} else {
			st->pending = true;
		}
	}
}

int pk_text_slugify(pk_buf *out, const char *s, size_t len)
{
	pk_text__ustr u = PK_TEXT__USTR_INIT;
	slug_state st = { out, out->len, false };
	int32_t i = 0;
	int rc;

	if (len > PK_TEXT_MAX_LEN)
		return PK_ELIMIT;
	if (is_ascii(s, len)) {
		put_ascii_text(&st, s, len);
		rc = PK_OK;
		goto check;
	}
	rc = pk_text__ustr_prepare(&u, s, len);
	if (rc != PK_OK)
		goto done;
	while (i < u.len) {
		UChar32 c;
		U16_NEXT(u.p, i, u.len, c);
		put_char(&st, c);
	}
check:
	if (out->len == st.start) {
		pk_buf_puts(out, "item");
		rc = PK_ENOTFOUND;
	}
done:
	pk_text__ustr_release(&u);
	return rc;
}
