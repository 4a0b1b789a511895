/*
 * node's series against fake-but-real producers (tests/fixture.c): the
 * exposition of libraries "node" and "process" pinned byte for byte
 * (CPU times and the heap's use masked: the scheduler and every
 * library's allocations move them; separate cases check them against
 * their producers), the units and roundings of the read functions, load
 * averages as Linux prints them, and a scrape that allocates nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/node.h>
#include <uk/prom.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/vfs.h>

#include "fixture.h"
#include "golden_node.h"

static size_t encode(const char *const *libs, enum uk_prom_format fmt,
		     char *buf, size_t size)
{
	struct uk_prom_enc e;
	size_t n = 0, r;

	uk_prom_enc_init_filter(&e, fmt, libs);
	while ((r = uk_prom_enc_read(&e, buf + n, size - 1 - n)) > 0)
		n += r;
	buf[n] = '\0';
	return n;
}

/* Replaces the value of every sample of the masked families by "X". */
static void mask(char *s)
{
	static const char *const masked[] = {
		"node_cpu_seconds_total{", "process_cpu_seconds_total ",
		"node_memory_MemFree_bytes ", "node_memory_MemAvailable_bytes ",
		"node_memory_Committed_AS_bytes ",
		"process_resident_memory_bytes ", NULL
	};
	char *out = s, *line = s;

	while (*line) {
		char *nl = strchr(line, '\n'), *sp;
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		int m = 0;
		unsigned int i;

		for (i = 0; masked[i]; i++)
			m |= !strncmp(line, masked[i], strlen(masked[i]));
		sp = NULL;
		for (i = 0; m && i < len; i++)
			if (line[i] == ' ')
				sp = line + i;
		if (sp) {
			size_t head = (size_t)(sp - line) + 1;

			memmove(out, line, head);
			out += head;
			memcpy(out, "X\n", 2);
			out += 2;
		} else {
			memmove(out, line, len);
			out += len;
		}
		line += len;
	}
	*out = '\0';
}

/* Replaces every occurrence of what (non-empty) in s by with. */
static void replace(char *s, size_t size, const char *what, const char *with)
{
	size_t wl = strlen(what), nl = strlen(with);
	char *p = s;

	while ((p = strstr(p, what))) {
		size_t rest = strlen(p + wl) + 1;

		UK_ASSERT((size_t)(p - s) + nl + rest <= size);
		memmove(p + nl, p + wl, rest);
		memcpy(p, with, nl);
		p += nl;
	}
}

static char out[64 * 1024];

UK_TEST(node_exposition_golden)
{
	static const char *const libs[] = { "node", "process", NULL };

	UK_TEST_ASSERT(fixture_setup() == 0);
	encode(libs, UK_PROM_FMT_TEXT, out, sizeof(out));
	mask(out);
	/* The build's version (git describe) contains its revision. */
	replace(out, sizeof(out), uk_node_build_version(), "VERSION");
	replace(out, sizeof(out), uk_node_build_revision(), "REVISION");
	if (getenv("NODE_GOLDEN_PRINT"))
		fputs(out, stdout);
	UK_TEST_STREQ(out, GOLDEN_NODE_TEXT);
}

UK_TEST(node_memory_from_the_allocator)
{
	struct uk_alloc *a;
	struct uk_node_mem m;
	uint64_t pages, nfree;

	UK_TEST_ASSERT(fixture_setup() == 0);
	a = uk_alloc_get_default();
	UK_TEST_EQ(uk_node_mem_read(&m), 0);
	UK_TEST_EQ(uk_alloc_region_pages(a, &pages, &nfree), 0);
	UK_TEST_EQ(m.total, pages * 4096);
	UK_TEST_EQ(m.free, nfree * 4096);
	UK_TEST_EQ(m.available, m.free);
	UK_TEST_EQ(m.in_use, m.total - m.free);
	UK_TEST_EQ(m.committed, a->stats.bytes_in_use & ~(uint64_t)1023);
}

UK_TEST(node_cpu_ticks_and_seconds_agree)
{
	struct uk_node_cpu c;
	struct uk_store_value v;
	uint64_t sum = 0;
	unsigned int i;

	UK_TEST_ASSERT(fixture_setup() == 0);
	UK_TEST_EQ(uk_node_cpu_read(&c), 0);
	for (i = 0; i < UK_NODE_CPU_MODES; i++)
		sum += c.ticks[i];
	UK_TEST_EQ(c.ticks[UK_NODE_CPU_NICE], 0);
	UK_TEST_EQ(c.ticks[UK_NODE_CPU_IOWAIT], 0);
	UK_TEST_EQ(c.ticks[UK_NODE_CPU_STEAL], 0);
	UK_TEST_EXPECT(c.forks >= 1);
	UK_TEST_EXPECT(c.running >= 1);
	/* A store read is the same tick count in seconds. */
	UK_TEST_EQ(uk_store_read_path("node/0/cpu_nice", &v), 0);
	UK_TEST_EXPECT(v.type == UK_STORE_DOUBLE && v.d == 0.0);
	UK_TEST_EXPECT(sum < 100000);
}

UK_TEST(node_load_as_linux_prints_it)
{
	unsigned int i, f;

	/* 0.5 in fixed point (1024), and the rounding Linux adds (+10). */
	uk_node_load_split(1024, &i, &f);
	UK_TEST_EQ(i, 0u);
	UK_TEST_EQ(f, 50u);
	uk_node_load_split(2048 * 3 + 2038, &i, &f); /* 3.9951 -> 4.00 */
	UK_TEST_EQ(i, 4u);
	UK_TEST_EQ(f, 0u);
	UK_TEST_EXPECT(uk_node_load_value(1024) == 0.5);
	UK_TEST_EXPECT(uk_node_load_value(2048 + 2048 / 20 + 1) ==
		       strtod("1.05", NULL));
	UK_TEST_EQ(uk_node_boot_time(), 1699999899ull);
	UK_TEST_EQ(uk_node_uptime_ns(), 100500000000ull);
}

UK_TEST(node_uname_and_build)
{
	struct uk_node_uname u;

	uk_node_uname(&u);
	UK_TEST_STREQ(u.nodename, "ukmon");
	UK_TEST_STREQ(u.sysname, "ukmon");
	UK_TEST_STREQ(u.release, uk_node_build_version());
	UK_TEST_EXPECT(strlen(uk_node_build_revision()) > 0);
}

UK_TEST(node_scrape_allocates_nothing)
{
	static const char *const libs[] = { "node", "process", NULL };
	struct uk_alloc *a;
	uint64_t before;

	UK_TEST_ASSERT(fixture_setup() == 0);
	a = uk_alloc_get_default();
	before = a->stats.allocs;
	encode(libs, UK_PROM_FMT_OPENMETRICS, out, sizeof(out));
	UK_TEST_EQ(a->stats.allocs, before);
	UK_TEST_EXPECT(strstr(out, "# TYPE node_netstat") == NULL);
	UK_TEST_EXPECT(strstr(out, "node_vmstat_pgfault 0\n") != NULL);
	UK_TEST_EXPECT(strstr(out, "# TYPE node_vmstat_pgfault unknown\n") !=
		       NULL);
}

UK_TEST(node_sync_follows_mounts)
{
	struct uk_store_value v;

	UK_TEST_ASSERT(fixture_setup() == 0);
	UK_TEST_EQ(uk_vfs_mkdir("/m2", 0755), 0);
	UK_TEST_EQ(uk_vfs_mount("m2", "/m2", "ramfs", UK_VFS_MNT_RDONLY,
				"size=8k", NULL), 0);
	UK_TEST_EQ(uk_node_sync(), 0);
	UK_TEST_EQ(uk_store_read_path("node/m2/filesystem_readonly", &v), 0);
	UK_TEST_EQ(v.u, 1ull);
	UK_TEST_EQ(uk_vfs_umount("/m2"), 0);
	UK_TEST_EQ(uk_node_sync(), 0);
	UK_TEST_EQ(uk_store_read_path("node/m2/filesystem_readonly", &v),
		   -ENOENT);
	UK_TEST_EQ(uk_vfs_rmdir("/m2"), 0);
}
