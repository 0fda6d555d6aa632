/*
 * bench_yaml.c: how fast a realistic practice front matter (about 2 KB of
 * Russian text, lists and nested maps) is split and parsed into values.
 * Runs for about 1.5 seconds and prints
 *   yaml front matter: X parses/s (Y MB/s)
 * where MB/s counts the bytes of the YAML between the fences.
 */
#include "core/diag.h"
#include "value/value.h"
#include "yaml/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char practice[] =
	"---\n"
	"title: \"Наставничество «учитель — учитель» в сельской школе\"\n"
	"slug: nastavnichestvo-v-selskoj-shkole\n"
	"date: 2024-09-01\n"
	"form: uchitel-uchitel\n"
	"role_model: \"опытный педагог — молодой специалист\"\n"
	"kinds: [tradicionnoe, gruppovoe]\n"
	"region: \"70\"\n"
	"municipality: Томский район\n"
	"organization: МБОУ «Зональненская СОШ»\n"
	"mentors: [ivanova-anna]\n"
	"mentees: [petrov-ilya, sidorova-maria]\n"
	"period: {start: 2023-09, end: 2024-05}\n"
	"goal: >\n"
	"  Помочь молодым учителям войти в профессию: освоить планирование\n"
	"  уроков, формирующее оценивание и работу с родителями.\n"
	"tasks:\n"
	"  - Провести диагностику профессиональных затруднений\n"
	"  - Составить индивидуальные планы развития\n"
	"  - Организовать взаимопосещение уроков\n"
	"  - Подготовить наставляемых к конкурсу «Педагогический дебют»\n"
	"stages:\n"
	"  - title: Подготовительный\n"
	"    dates: сентябрь 2023\n"
	"    text: Диагностика, знакомство, составление плана работы пары.\n"
	"  - title: Основной\n"
	"    dates: октябрь 2023 — апрель 2024\n"
	"    text: |\n"
	"      Еженедельные встречи, разбор уроков, совместная подготовка\n"
	"      открытых занятий и родительских собраний.\n"
	"  - title: Итоговый\n"
	"    dates: май 2024\n"
	"    text: Анализ результатов, рефлексия, презентация опыта.\n"
	"results:\n"
	"  - Наставляемые провели 12 открытых уроков\n"
	"  - Доля уроков с обратной связью выросла с 40 до 75 %\n"
	"  - Оба молодых педагога остались работать в школе\n"
	"indicators:\n"
	"  - name: Доля уроков с формирующим оцениванием\n"
	"    formula: \"N = A / B × 100 %\"\n"
	"    unit: \"%\"\n"
	"    baseline: 40\n"
	"    target: 80\n"
	"    actual: 75\n"
	"  - name: Удовлетворённость наставляемых\n"
	"    formula: \"средний балл анкеты\"\n"
	"    unit: балл\n"
	"    baseline: 3.2\n"
	"    target: 4.5\n"
	"    actual: 4.6\n"
	"awards: [\"Диплом регионального конкурса, 2024\"]\n"
	"tags: [молодые педагоги, сельская школа, оценивание]\n"
	"attachments:\n"
	"  - {title: Программа наставничества, file: programma.pdf}\n"
	"  - {title: Отчёт за 2023/24 учебный год, file: otchet-2024.pdf}\n"
	"---\n"
	"## Описание практики\n"
	"\n"
	"Текст практики.\n";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One split and parse; aborts on failure since the input is fixed. */
static size_t parse_once(void)
{
	pk_diags diags = PK_DIAGS_INIT;
	pk_frontmatter fm;
	pk_value *meta = NULL;

	if (pk_frontmatter_parse(&meta, &fm, practice, sizeof(practice) - 1, "bench.md", &diags)) {
		pk_diags_print(&diags, stderr);
		exit(1);
	}
	pk_value_free(meta);
	pk_diags_release(&diags);
	return fm.yaml.len;
}

int main(void)
{
	const double budget = 1.5;
	size_t runs = 0, bytes = 0, i;
	double start = now(), elapsed;

	do {
		for (i = 0; i < 200; i++)
			bytes += parse_once();
		runs += 200;
		elapsed = now() - start;
	} while (elapsed < budget);
	printf("yaml front matter: %.0f parses/s (%.1f MB/s)\n", (double)runs / elapsed,
	       (double)bytes / elapsed / 1e6);
	return 0;
}
