/*
 * ukmon's component status on linuxu: declaring and reporting components,
 * the exposition of their gauges and totals (golden, through ukprom's
 * encoder restricted to library ukmon), the console lines of a failure
 * (stderr captured), the totals still right when a component's folder
 * could not be published, and the limits (bad names, duplicates, a full
 * table).  The steps share ukmon's one static table, so a single case
 * runs them in order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <uk/alloc.h>
#include <uk/mon.h>
#include <uk/prom.h>
#include <uk/test.h>

static char out[4096];

/* Encodes library ukmon in text format into out. */
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

static struct uk_mon_component *net, *srv;

static void fail_srv(void *arg)
{
	uk_mon_component_started(srv, -ENOMEM);
}

static void declare_and_report(void)
{
	char con[256];

	UK_TEST_EQ(uk_mon_component_add("net", &net), 0);
	UK_TEST_EQ(uk_mon_component_add("fileserver", &srv), 0);
	UK_TEST_EQ(uk_mon_component_is_up(net), 0);
	/* The totals are static entries, in the toolchain's link order;
	 * the gauges one family, in the order of their names. */
	expo();
	UK_TEST_EXPECT(strstr(out,
		"# HELP ukmon_components Components the image declared.\n"
		"# TYPE ukmon_components gauge\n"
		"ukmon_components 2\n"));
	UK_TEST_EXPECT(strstr(out,
		"# HELP ukmon_components_failed Components that failed to "
		"start or went down.\n"
		"# TYPE ukmon_components_failed gauge\n"
		"ukmon_components_failed 0\n"));
	UK_TEST_EXPECT(strstr(out,
		"# HELP ukmon_component_up 1 when the component of the image "
		"is up, 0 when it failed or has not started.\n"
		"# TYPE ukmon_component_up gauge\n"
		"ukmon_component_up{component=\"fileserver\"} 0\n"
		"ukmon_component_up{component=\"net\"} 0\n"));
	UK_TEST_EQ(strlen(out), 463); /* nothing else */
	UK_TEST_EQ(uk_mon_component_started(net, 0), 0);
	UK_TEST_ASSERT(!uk_test_capture(fail_srv, NULL, con,
					 sizeof(con)));
	UK_TEST_STREQ(con, "error: ukmon: fileserver failed to start (-12)\n");
	UK_TEST_EQ(uk_mon_component_is_up(net), 1);
	UK_TEST_EQ(uk_mon_component_is_up(srv), 0);
	UK_TEST_EXPECT(strstr(expo(), "ukmon_components_failed 1\n"));
	UK_TEST_EXPECT(strstr(out, "ukmon_component_up{component=\"net\"} 1\n"));
	UK_TEST_EXPECT(strstr(out,
		"ukmon_component_up{component=\"fileserver\"} 0\n"));
}

static void set_down(void *arg)
{
	uk_mon_component_set_up(arg, 0);
}

static void up_and_down(void)
{
	char con[256];

	/* A failed component that recovers is no longer counted. */
	uk_mon_component_set_up(srv, 1);
	UK_TEST_EXPECT(strstr(expo(), "ukmon_components_failed 0\n"));
	UK_TEST_ASSERT(!uk_test_capture(set_down, net, con,
					 sizeof(con)));
	UK_TEST_STREQ(con, "error: ukmon: net is down\n");
	UK_TEST_EXPECT(strstr(expo(), "ukmon_components_failed 1\n"));
	UK_TEST_EXPECT(strstr(out, "ukmon_component_up{component=\"net\"} 0\n"));
	/* Already down: nothing more on the console. */
	UK_TEST_ASSERT(!uk_test_capture(set_down, net, con,
					 sizeof(con)));
	UK_TEST_STREQ(con, "");
	uk_mon_component_set_up(net, 1);
}

struct add_args {
	const char *name;
	struct uk_mon_component *c;
	int rc;
};

static void add(void *arg)
{
	struct add_args *x = arg;

	x->rc = uk_mon_component_add(x->name, &x->c);
}

static void no_memory_for_the_gauge(void)
{
	struct uk_alloc_failing f;
	struct uk_alloc *old;
	struct add_args x = { "exporter", NULL, 0 };
	struct uk_mon_component *srv_saved;
	char con[256];

	/* Every allocation fails: the folder cannot be made. */
	uk_alloc_failing_init(&f, uk_alloc_get_default(), 1, 1);
	old = uk_alloc_set_default(&f.a);
	UK_TEST_ASSERT(!uk_test_capture(add, &x, con,
					 sizeof(con)));
	uk_alloc_set_default(old);
	UK_TEST_EQ(x.rc, -ENOMEM);
	UK_TEST_ASSERT(x.c != NULL);
	UK_TEST_STREQ(con, "error: ukmon: cannot publish component exporter "
		      "(-12)\n");
	srv_saved = srv;
	srv = x.c;
	UK_TEST_ASSERT(!uk_test_capture(fail_srv, NULL, con,
					 sizeof(con)));
	srv = srv_saved;
	UK_TEST_STREQ(con, "error: ukmon: exporter failed to start (-12)\n");
	/* No gauge of its own, but the totals count it. */
	UK_TEST_EXPECT(!strstr(expo(), "component=\"exporter\""));
	UK_TEST_EXPECT(strstr(out, "ukmon_components 3\n"));
	UK_TEST_EXPECT(strstr(out, "ukmon_components_failed 1\n"));
}

static void limits(void)
{
	struct uk_mon_component *c;
	char name[40];
	int i, rc;

	UK_TEST_EQ(uk_mon_component_add("", &c), -EINVAL);
	UK_TEST_EQ(uk_mon_component_add(NULL, &c), -EINVAL);
	UK_TEST_EQ(uk_mon_component_add("a/b", &c), -EINVAL);
	UK_TEST_EQ(uk_mon_component_add("..", &c), -EINVAL);
	UK_TEST_EQ(uk_mon_component_add("net", &c), -EINVAL);
	memset(name, 'x', UK_MON_NAME_MAX + 1);
	name[UK_MON_NAME_MAX + 1] = 0;
	UK_TEST_EQ(uk_mon_component_add(name, &c), -EINVAL);
	name[UK_MON_NAME_MAX] = 0;
	UK_TEST_EQ(uk_mon_component_add(name, &c), 0);
	for (i = 4; i < UK_MON_COMPONENTS_MAX; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		rc = uk_mon_component_add(name, &c);
		UK_TEST_EQ(rc, 0);
	}
	UK_TEST_EQ(uk_mon_component_add("one_more", &c), -ENOSPC);
	UK_TEST_EXPECT(strstr(expo(), "ukmon_components 16\n"));
}

UK_TEST(mon_components)
{
	declare_and_report();
	up_and_down();
	no_memory_for_the_gauge();
	limits();
}
