/*
 * The boot timeline in the store, on linuxu: stages recorded through the
 * platform contract become ukmon_boot_stage_seconds{stage} series (HELP
 * and TYPE golden), one per name (a repeated name keeps its first time,
 * a long one is cut), with values that grow in the order the stages were
 * recorded; a stage whose folder cannot be made for lack of memory is
 * reported on the console and skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uk/alloc.h>
#include <uk/plat/bootstage.h>
#include <uk/prom.h>
#include <uk/test.h>

static char out[8192];

static const char *expo(void)
{
	static const char *const libs[] = { "ukmon", NULL };
	struct uk_prom_enc e;
	size_t n = 0, r;

	uk_prom_enc_init_filter(&e, UK_PROM_FMT_TEXT, libs);
	while ((r = uk_prom_enc_read(&e, out + n, sizeof(out) - 1 - n)))
		n += r;
	out[n] = 0;
	return out;
}

/* The value of stage name's series in out, or -1. */
static double value_of(const char *name)
{
	char key[96];
	const char *p;

	snprintf(key, sizeof(key), "ukmon_boot_stage_seconds{stage=\"%s\"} ",
		 name);
	p = strstr(out, key);
	return p ? strtod(p + strlen(key), NULL) : -1;
}

static void pause_a_little(void)
{
	struct timespec ts = { 0, 200000 };

	nanosleep(&ts, NULL);
}

static void stage_no_memory(void *arg)
{
	struct uk_alloc_failing f;
	struct uk_alloc *old;

	uk_alloc_failing_init(&f, uk_alloc_get_default(), 1, 1);
	old = uk_alloc_set_default(&f.a);
	uk_plat_boot_stage(arg);
	uk_alloc_set_default(old);
}

UK_TEST(boot_stages_published_in_order)
{
	static const char *const names[] = {
		"irq_timer", "memory_map", "main", "attach_net0", "net_up",
	};
	char longname[64], con[256];
	const char *name;
	double prev = -1, v;
	uint64_t ns, prev_ns = 0;
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pause_a_little();
		uk_plat_boot_stage(names[i]);
	}
	pause_a_little();
	uk_plat_boot_stage("irq_timer");          /* again: ignored */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	uk_plat_boot_stage(longname);             /* cut to 31 bytes */
	uk_plat_boot_stage("");                   /* no name: ignored */
	uk_plat_boot_stage(NULL);

	expo();
	UK_TEST_ASSERT(strstr(out,
		"# HELP ukmon_boot_stage_seconds Time from the instance's "
		"start (PVH entry) to the end of each boot stage.\n"
		"# TYPE ukmon_boot_stage_seconds gauge\n") != NULL);
	/* Stage 0 and every name, in the order recorded, times growing. */
	UK_TEST_EQ(value_of("start"), 0.0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v = value_of(names[i]);
		uk_test_log("%s %.6f s", names[i], v);
		UK_TEST_ASSERT(v > prev);
		prev = v;
	}
	longname[UK_PLAT_BOOT_STAGE_NAME_MAX] = 0;
	UK_TEST_ASSERT(value_of(longname) > prev);
	/* One series per stage: start, five names, the long one. */
	name = out;
	for (i = 0; (name = strstr(name, "ukmon_boot_stage_seconds{")); i++)
		name++;
	UK_TEST_EQ(i, 7);
	/* The platform's own order agrees. */
	for (i = 0; !uk_plat_boot_stage_get(i, &name, &ns); i++) {
		UK_TEST_ASSERT(ns >= prev_ns);
		prev_ns = ns;
	}
	UK_TEST_EQ(i, 7);
	UK_TEST_EQ(uk_plat_boot_stage_get(i, &name, &ns), -ENOENT);
	UK_TEST_STREQ(name, longname);

	/* No memory for a stage's folder: said once, the rest go on. */
	UK_TEST_ASSERT(!uk_test_capture(stage_no_memory, "starved", con,
					 sizeof(con)));
	UK_TEST_STREQ(con, "warning: ukmon: cannot publish boot stage starved "
		      "(-12)\n");
	uk_plat_boot_stage("after");
	expo();
	UK_TEST_EQ(value_of("starved"), -1.0);
	UK_TEST_ASSERT(value_of("after") > prev);
}
