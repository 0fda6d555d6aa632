/* praktika check: validate a bank and report every problem. */
#include "cli/bank_cmd.h"
#include "cli/cli.h"

#include <stdio.h>

static const char usage[] =
	"Использование: praktika check [КАТАЛОГ] [--drafts] [--werror]\n"
	"\n"
	"Проверяет банк практик в КАТАЛОГЕ (по умолчанию текущий) и сообщает обо всех\n"
	"ошибках сразу в виде «файл:строка:столбец: error: сообщение».\n"
	"\n"
	"  --drafts   проверять черновики как публикуемые\n"
	"  --werror   считать предупреждения ошибками\n"
	"\n"
	"Код выхода: 0 — ошибок нет, 1 — есть ошибки, 2 — неверный вызов.\n";

int pk_cli_check(int argc, char **argv)
{
	pk_cli_opts opts;
	pk_diags diags = PK_DIAGS_INIT;
	pk_source *src = NULL;
	pk_bank bank;
	int rc = pk_cli_parse(&opts, argc, argv, false, usage);

	if (rc)
		return rc > 0 ? 0 : 2;
	pk_cli_load(&bank, &src, &opts, &diags);
	rc = pk_cli_report(&diags, &opts);
	if (rc == 0 && !opts.quiet && src) {
		char practices[64], mentors[64];
		pk_cli_count(practices, sizeof(practices), bank.practices.len, "практика", "практики",
			     "практик");
		pk_cli_count(mentors, sizeof(mentors), bank.mentors.len, "профиль наставника",
			     "профиля наставников", "профилей наставников");
		fprintf(stderr, "praktika: ошибок нет (%s, %s)\n", practices, mentors);
	}
	if (src)
		pk_bank_release(&bank);
	pk_source_free(src);
	pk_diags_release(&diags);
	return rc;
}
