#include "core/embedded.h"

#include <string.h>

const pk_embedded_file *pk_embedded_find(const char *name)
{
	const pk_embedded_file *f;
	for (f = pk_embedded_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
