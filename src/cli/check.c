/* praktika check: validate a bank and report every problem. */
#include "cli/bank_cmd.h"
#include "cli/cli.h"

#include <stdio.h>

static const char usage[] =
	"Использование: praktika check [КАТАЛОГ] [--rev РЕВИЗИЯ [--repo РЕПОЗИТОРИЙ]]\n"
	"                              [--drafts] [--werror]\n"
	"\n"
	"Проверяет банк практик в КАТАЛОГЕ (по умолчанию текущий) и сообщает обо всех\n"
	"ошибках сразу в виде «файл:строка:столбец: error: сообщение».\n"
	"\n"
	"  --rev РЕВИЗИЯ   читать банк из ревизии git (ветка, тег, хеш, HEAD~3),\n"
	"                  а не из рабочей папки; работает и с «голым» репозиторием\n"
	"  --repo ПУТЬ     репозиторий (по умолчанию КАТАЛОГ)\n"
	"  --drafts   проверять черновики как публикуемые\n"
	"  --werror   считать предупреждения ошибками\n"
	"\n"
	"Код выхода: 0 — ошибок нет, 1 — есть ошибки, 2 — неверный вызов.\n";

int pk_cli_check(int argc, char **argv)
{
	pk_cli_opts opts;
	pk_diags diags = PK_DIAGS_INIT;
	pk_cli_bank cb;
	int rc = pk_cli_parse(&opts, argc, argv, false, usage);

	if (rc)
		return rc > 0 ? 0 : 2;
	pk_cli_open(&cb, &opts, &diags);
	rc = pk_cli_report(&diags, &opts);
	if (rc == 0 && !opts.quiet && cb.loaded) {
		char practices[64], mentors[64];
		pk_cli_count(practices, sizeof(practices), cb.bank.practices.len, "практика", "практики",
			     "практик");
		pk_cli_count(mentors, sizeof(mentors), cb.bank.mentors.len, "профиль наставника",
			     "профиля наставников", "профилей наставников");
		fprintf(stderr, "praktika: ошибок нет (%s, %s)\n", practices, mentors);
	}
	pk_cli_close(&cb);
	pk_diags_release(&diags);
	return rc;
}
