/*
 * text.h: Unicode text services: normalization, case folding for lookups,
 * slugs (ICAO transliteration), collation, edit distance and «did you
 * mean», plural categories and stemming.
 *
 * This is the only module that includes ICU and libstemmer headers
 * (STYLE.md §2); everything here speaks UTF-8 and pk_buf.
 *
 * Invariants:
 * - Every function that appends to a pk_buf only appends; it never clears
 *   what the caller put there before.
 * - Input need not be valid UTF-8: ill-formed sequences are read as U+FFFD
 *   and nothing crashes. Output is always valid UTF-8.
 * - Inputs longer than PK_TEXT_MAX_LEN bytes are refused with PK_ELIMIT
 *   (ICU counts in int32_t); nothing is appended then.
 * - Functions without an object are thread-safe. A pk_text_collator may be
 *   shared by threads for comparisons and sort keys (ICU collators are
 *   thread-safe for const use); a pk_text_stemmer may not (one per thread).
 */
#ifndef PK_TEXT_TEXT_H
#define PK_TEXT_TEXT_H

#include "core/buf.h"
#include "core/common.h"

#include <stddef.h>

/* The longest input, in bytes, that the ICU-backed functions accept. */
#define PK_TEXT_MAX_LEN ((size_t)1 << 28)

/* ---- normalization and folding ------------------------------------- */

/* Appends s in Unicode Normalization Form C. Returns 0, or PK_ELIMIT. */
int pk_text_nfc(pk_buf *out, const char *s, size_t len);

/* Appends the key under which s is looked up in vocabularies: NFC,
 * lowercase (Russian rules), «ё» → «е», every run of white space and dash
 * characters (hyphen-minus, U+2010–U+2015 hyphens and dashes, U+2212
 * minus, and any other Unicode Pd) that contains a dash → one "-", any
 * other run of white space → one " ", trimmed at both ends. So «Учитель —
 * учитель», "учитель-учитель" and «учитель – учитель» all fold to
 * "учитель-учитель". Returns 0, or PK_ELIMIT. */
int pk_text_fold(pk_buf *out, const char *s, size_t len);

/* Number of words in s: runs of non-white-space characters that hold at
 * least one letter or digit (so a lone «—» is not a word). */
size_t pk_text_word_count(const char *s, size_t len);

/* ---- slugs ----------------------------------------------------------- */

/* Appends the URL slug of s: lowercase ASCII letters, digits and single
 * '-' separators, never starting or ending with '-'.
 *
 * Steps: NFC; lowercase (ICU, locale "ru"); then per character:
 * - a–z and 0–9 are kept; other decimal digits become their ASCII digit;
 * - Cyrillic is transliterated by ICAO Doc 9303 (the scheme of Russian
 *   international passports issued since 2014):
 *     а a   б b   в v   г g   д d   е e   ё e   ж zh  з z   и i   й i
 *     к k   л l   м m   н n   о o   п p   р r   с s   т t   у u   ф f
 *     х kh  ц ts  ч ch  ш sh  щ shch ъ ie ы y   ь —   э e   ю iu  я ia
 *   (ь gives nothing) and, from the same table, for other Cyrillic
 *   alphabets: ґ g  ѓ g  ђ d  є ie  ѕ dz  і i  ї i  ј j  љ lj  њ nj
 *   ћ c  ќ k  ў u  џ dz;
 * - Latin letters with diacritics lose them (NFD, combining marks
 *   dropped: «é» → e); ß ss, æ ae, œ oe, ø o, ł l, đ d, ð d, þ th, ı i;
 * - anything else (spaces, punctuation, other scripts) is a separator;
 *   runs of separators become one '-'.
 * When nothing is left ("", "!!!", «日本»), appends "item" instead.
 * Returns 0 when the slug came from s, PK_ENOTFOUND when "item" was
 * appended, PK_ELIMIT (nothing appended) when s is too long. */
int pk_text_slugify(pk_buf *out, const char *s, size_t len);

/* ---- collation ------------------------------------------------------- */

/* An ICU collator for one locale, at the default (tertiary) strength. For
 * "ru": «ё» equals «е» at the primary level, so «Ёлкина» sorts as «Елкина»
 * (between «Евдокимова» and «Емельянова»; «Елкина» before «Ёлкина»), and
 * Cyrillic sorts before Latin. Digits compare as characters ("10" < "9"). */
typedef struct pk_text_collator pk_text_collator;

/* Creates a collator for locale ("ru", "en"); an unknown locale falls back
 * to ICU's root order. *out is the caller's, freed with
 * pk_text_collator_free. Returns 0, or PK_ERROR when ICU fails. */
int pk_text_collator_new(pk_text_collator **out, const char *locale);
/* Frees c; NULL is a no-op. */
void pk_text_collator_free(pk_text_collator *c);
/* Appends the collation sort key of s to out. Keys hold no NUL byte, so
 * two keys compare with strcmp(a.ptr, b.ptr) in the collator's order;
 * precompute them to sort many items fast. Returns 0, PK_ELIMIT or
 * PK_ERROR. */
int pk_text_sort_key(pk_buf *out, const pk_text_collator *c, const char *s, size_t len);
/* Compares a and b in the collator's order: <0, 0 or >0. Strings over
 * PK_TEXT_MAX_LEN compare bytewise. */
int pk_text_compare(const pk_text_collator *c, const char *a, size_t alen, const char *b,
		    size_t blen);

/* ---- «did you mean» --------------------------------------------------- */

/* Strings longer than this many code points are not compared. */
#define PK_TEXT_DISTANCE_MAX 256

/* Levenshtein distance between a and b counted in code points (insert,
 * delete, substitute: 1 each). Returns SIZE_MAX when the strings differ
 * and either is longer than PK_TEXT_DISTANCE_MAX code points. */
size_t pk_text_distance(const char *a, size_t alen, const char *b, size_t blen);

/* The candidate closest to input, or NULL when none is close. Compares
 * both the folded forms (pk_text_fold) and the slugs (pk_text_slugify), so
 * «учитель — учитель» finds "uchitel-uchitel". Close means a distance of
 * at most max(2, n / 3), n being the length in code points of the input's
 * form, and less than the longer of the two forms. The nearest wins; on a
 * tie, the earlier candidate. NULL entries of candidates are skipped. The
 * result is one of the candidates (borrowed). */
const char *pk_text_suggest(const char *input, size_t len, const char *const *candidates,
			    size_t n);

/* ---- plurals ---------------------------------------------------------- */

/* Plural categories, used as indexes into a list of word forms. */
enum {
	PK_PLURAL_ONE = 0,  /* ru: 1, 21, 101; en: 1 */
	PK_PLURAL_FEW = 1,  /* ru: 2–4, 22–24; en: never */
	PK_PLURAL_MANY = 2, /* ru: 0, 5–20, 25–30, 111; en: everything else */
};

/* The Russian category of n (CLDR rules for integers; the sign is
 * ignored): PK_PLURAL_ONE, _FEW or _MANY. */
int pk_text_plural_ru(long n);
/* The category of n for a language tag: "ru…" uses Russian rules, anything
 * else (including NULL and "en") English ones (PK_PLURAL_ONE for 1 and -1,
 * PK_PLURAL_MANY otherwise). */
int pk_text_plural(const char *lang, long n);

/* ---- stemming ---------------------------------------------------------- */

/* A Snowball stemmer (libstemmer, UTF-8). Not thread-safe: stemming
 * mutates it, so use one per thread. */
typedef struct pk_text_stemmer pk_text_stemmer;

/* Creates a stemmer for lang, a Snowball algorithm name or ISO 639 code
 * ("russian", "ru", "english", "en"); NULL means "russian". *out is the
 * caller's, freed with pk_text_stemmer_free. Returns 0, or PK_ENOTFOUND
 * for a language libstemmer does not know. */
int pk_text_stemmer_new(pk_text_stemmer **out, const char *lang);
/* Frees s; NULL is a no-op. */
void pk_text_stemmer_free(pk_text_stemmer *s);
/* Appends the stem of one word. The word should already be lowercase with
 * «ё» as «е» (pk_text_fold gives that); other input is stemmed as is.
 * Returns 0, PK_ELIMIT, or PK_ERROR when libstemmer runs out of memory. */
int pk_text_stem(pk_buf *out, pk_text_stemmer *s, const char *word, size_t len);

/* ---- process -------------------------------------------------------- */

/* Frees ICU's process-wide caches (u_cleanup). Only at the very end of a
 * process, after every collator is freed; for leak checkers. */
void pk_text_cleanup(void);

#endif
