/*
 * plural.c: plural categories of integers (CLDR rules, by hand: ICU's
 * uplrules would be one more object to create for two small functions).
 */
#include "text/text.h"

#include <string.h>

int pk_text_plural_ru(long n)
{
	/* Through unsigned arithmetic, LONG_MIN has a magnitude too. */
	unsigned long m = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
	unsigned long d10 = m % 10, d100 = m % 100;

	if (d10 == 1 && d100 != 11)
		return PK_PLURAL_ONE;
	if (d10 >= 2 && d10 <= 4 && (d100 < 12 || d100 > 14))
		return PK_PLURAL_FEW;
	return PK_PLURAL_MANY;
}

int pk_text_plural(const char *lang, long n)
{
	if (lang && strncmp(lang, "ru", 2) == 0 &&
	    (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
		return pk_text_plural_ru(n);
	return n == 1 || n == -1 ? PK_PLURAL_ONE : PK_PLURAL_MANY;
}
