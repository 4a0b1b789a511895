/*
 * enc-dump: prints the encoding of the encoder's test fixture (every
 * value type and kind, with and without labels, escapes, NaN and
 * infinities, node_exporter's names and label sets) and of ukprom's own
 * entries, so that enc_promtool.sh can
 * feed it to promtool.  Usage: enc-dump text|openmetrics [chunk].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/prom.h>

void enc_fixture_setup(void);

int main(int argc, char **argv)
{
	static const char *const libs[] = { "encdyn", "encfam", "encint",
					    "node", "process", "ukprom",
					    NULL };
	static char buf[4096];
	enum uk_prom_format fmt;
	struct uk_prom_enc e;
	size_t n, chunk = argc > 2 ? (size_t)atoi(argv[2]) : sizeof(buf);

	if (argc < 2 || (strcmp(argv[1], "text") &&
			 strcmp(argv[1], "openmetrics"))) {
		fprintf(stderr, "usage: enc-dump text|openmetrics [chunk]\n");
		return 2;
	}
	if (chunk < 1 || chunk > sizeof(buf))
		chunk = sizeof(buf);
	fmt = strcmp(argv[1], "text") ? UK_PROM_FMT_OPENMETRICS
				      : UK_PROM_FMT_TEXT;
	enc_fixture_setup();
	uk_prom_enc_init_filter(&e, fmt, libs);
	while ((n = uk_prom_enc_read(&e, buf, chunk)) > 0)
		fwrite(buf, 1, n, stdout);
	uk_prom_enc_fini(&e);
	return fflush(stdout) ? 1 : 0;
}
