/*
 * main.c: the praktika command: dispatches to one subcommand per file in
 * src/cli/.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#ifdef PK_WITH_JEMALLOC
/* jemalloc reads its options from this symbol (MALLOC_CONF in the
 * environment still wins). A build touches a few hundred megabytes of fresh
 * memory; in huge pages that is a few hundred page faults instead of tens
 * of thousands, which took a fifth of a 10,000-practice build (README
 * «Производительность»). */
const char *malloc_conf = "thp:always,metadata_thp:auto";
#endif

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* shown in --help */
} command;

static const command commands[] = {
	{ "build", pk_cli_build, "собрать сайт банка практик" },
	{ "check", pk_cli_check, "проверить банк и сообщить обо всех ошибках" },
	{ "review", pk_cli_review, "показать, что меняет запрос на слияние, и проверить изменения" },
	{ "tmpl", pk_cli_tmpl, "отрисовать один шаблон Mustache с данными YAML" },
};

static void usage(FILE *fp)
{
	size_t i;
	fprintf(fp, "Использование: praktika КОМАНДА [ПАРАМЕТРЫ]\n\nКоманды:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\nПодробнее: praktika КОМАНДА --help, man praktika\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("praktika %s\n", PK_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "praktika: error: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
