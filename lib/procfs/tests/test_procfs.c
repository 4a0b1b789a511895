/*
 * procfs against lib/node's fake-but-real producers (lib/node/tests/
 * fixture.c): every file's text pinned byte for byte (golden_procfs.h),
 * with the fields the scheduler and the libraries' allocations move
 * replaced by "X" (the field layout stays pinned); the tree's kinds and
 * listings; -ENOSPC and -ENOENT; rendering allocates nothing; and the
 * same files read through the VFS at /proc and /sys.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/node.h>
#include <uk/procfs.h>
#include <uk/test.h>
#include <uk/vfs.h>

#include "../../node/tests/fixture.h"
#include "golden_procfs.h"

/* Field `field` (1-based, whitespace separated; 0: all but the first)
 * of the lines of `path` starting with `prefix` reads "X". */
struct mask {
	const char *path, *prefix;
	unsigned int field;
};

static const struct mask masks[] = {
	{ "/proc/stat", "cpu ", 2 }, { "/proc/stat", "cpu ", 4 },
	{ "/proc/stat", "cpu ", 5 },
	{ "/proc/stat", "cpu0 ", 2 }, { "/proc/stat", "cpu0 ", 4 },
	{ "/proc/stat", "cpu0 ", 5 },
	{ "/proc/stat", "ctxt ", 2 }, { "/proc/stat", "processes ", 2 },
	{ "/proc/stat", "procs_running ", 2 },
	{ "/proc/loadavg", "", 4 }, { "/proc/loadavg", "", 5 },
	{ "/proc/uptime", "", 2 },
	{ "/proc/version", "", 3 }, { "/proc/version", "", 6 },
	{ "/proc/meminfo", "MemFree:", 2 },
	{ "/proc/meminfo", "MemAvailable:", 2 },
	{ "/proc/meminfo", "Committed_AS:", 2 },
	{ "/proc/self/stat", "", 10 }, { "/proc/self/stat", "", 14 },
	{ "/proc/self/stat", "", 15 }, { "/proc/self/stat", "", 20 },
	{ "/proc/self/stat", "", 24 },
	{ "/proc/self/status", "VmHWM:", 2 },
	{ "/proc/self/status", "VmRSS:", 2 },
	{ "/proc/self/status", "Threads:", 2 },
	{ "/proc/self/status", "voluntary_ctxt_switches:", 2 },
};

/* Applies the masks of path to the NUL-terminated text in place. */
static void mask(const char *path, char *text)
{
	char tmp[8192], *out = tmp, *line = text;

	while (*line) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		unsigned int field = 0, i;
		size_t k = 0;
		int in = 0;

		while (k < len) {
			char c = line[k];
			int sp = c == ' ' || c == '\t' || c == '\n';
			int hide = 0;

			if (!sp && !in)
				field++;
			in = !sp;
			for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
				if (!strcmp(masks[i].path, path) &&
				    !strncmp(line, masks[i].prefix,
					     strlen(masks[i].prefix)) &&
				    (masks[i].field == field ||
				     (!masks[i].field && field > 1)))
					hide = !sp;
			if (hide) {
				/* A right-aligned field (three spaces or
				 * more before it) keeps its width, so the
				 * padding does not follow the value's
				 * digits: "MemFree:   1234 kB" masks as
				 * "MemFree:      X kB" whatever the value. */
				size_t pad = 0, start = k;

				while (out - pad > tmp && out[-1 - (long)pad] == ' ')
					pad++;
				while (k < len && line[k] != ' ' &&
				       line[k] != '\t' && line[k] != '\n')
					k++;
				if (pad >= 3) {
					out -= pad;
					for (i = 0; i < pad + (k - start) - 1; i++)
						*out++ = ' ';
				}
				*out++ = 'X';
				in = 0;
				continue;
			}
			*out++ = c;
			k++;
		}
		line += len;
	}
	*out = '\0';
	strcpy(text, tmp);
}

static char buf[8192];

/* The text of path, unmasked. */
static const char *render_raw(const char *path)
{
	size_t len;
	int rc = uk_procfs_render(path, buf, sizeof(buf) - 1, &len);

	if (rc)
		return NULL;
	buf[len] = '\0';
	return buf;
}

/* The text of path, masked. */
static const char *render(const char *path)
{
	if (!render_raw(path))
		return NULL;
	mask(path, buf);
	return buf;
}

UK_TEST(procfs_files_golden)
{
	unsigned int i;
	int print = getenv("PROCFS_GOLDEN_PRINT") != NULL;

	UK_TEST_ASSERT(fixture_setup() == 0);
	for (i = 0; golden_procfs[i].path; i++) {
		const char *t = render(golden_procfs[i].path);

		UK_TEST_ASSERT(t != NULL);
		if (print) {	/* regenerating: print all, compare none */
			printf("@@ %s\n%s", golden_procfs[i].path, t);
			continue;
		}
		UK_TEST_STREQ(t, golden_procfs[i].text);
	}
}

UK_TEST(procfs_tree)
{
	char name[32];

	UK_TEST_ASSERT(fixture_setup() == 0);
	UK_TEST_EQ(uk_procfs_kind("/proc"), UK_PROCFS_DIR);
	UK_TEST_EQ(uk_procfs_kind("/proc/net/dev"), UK_PROCFS_FILE);
	UK_TEST_EQ(uk_procfs_kind("/sys/class/net/eth0"), UK_PROCFS_DIR);
	UK_TEST_EQ(uk_procfs_kind("/sys/class/net/eth0/mtu"), UK_PROCFS_FILE);
	UK_TEST_EQ(uk_procfs_kind("/sys/class/net/eth1"), UK_PROCFS_NONE);
	UK_TEST_EQ(uk_procfs_kind("/sys/class/net/eth0/nope"), UK_PROCFS_NONE);
	UK_TEST_EQ(uk_procfs_kind("/proc/nope"), UK_PROCFS_NONE);
	UK_TEST_EQ(uk_procfs_entry("/proc/net", 0, name, sizeof(name)), 1);
	UK_TEST_STREQ(name, "dev");
	UK_TEST_EQ(uk_procfs_entry("/proc/net", 4, name, sizeof(name)), 0);
	UK_TEST_EQ(uk_procfs_entry("/sys/class/net", 0, name, sizeof(name)),
		   1);
	UK_TEST_STREQ(name, "eth0");
	UK_TEST_EQ(uk_procfs_entry("/sys/class/net", 1, name, sizeof(name)),
		   0);
	UK_TEST_EQ(uk_procfs_entry("/sys/class/net/eth0", 5, name,
				   sizeof(name)), 1);
	UK_TEST_STREQ(name, "type");
	UK_TEST_EQ(uk_procfs_entry("/proc/stat", 0, name, sizeof(name)),
		   -ENOTDIR);
	UK_TEST_EQ(uk_procfs_entry("/proc", 0, name, 1), -ENAMETOOLONG);
}

UK_TEST(procfs_errors_and_no_allocation)
{
	struct uk_alloc *a;
	uint64_t before;
	char small[16];
	size_t len;
	unsigned int i;

	UK_TEST_ASSERT(fixture_setup() == 0);
	UK_TEST_EQ(uk_procfs_render("/proc/nope", buf, sizeof(buf), &len),
		   -ENOENT);
	UK_TEST_EQ(uk_procfs_render("/proc/net", buf, sizeof(buf), &len),
		   -EISDIR);
	UK_TEST_EQ(uk_procfs_render("/proc/meminfo", small, sizeof(small),
				    &len), -ENOSPC);
	UK_TEST_EXPECT(len > sizeof(small));
	a = uk_alloc_get_default();
	before = a->stats.allocs;
	for (i = 0; golden_procfs[i].path; i++)
		uk_procfs_render(golden_procfs[i].path, buf, sizeof(buf), &len);
	UK_TEST_EQ(a->stats.allocs, before);
}

static int read_file(const char *path, char *out, size_t size)
{
	int fd = uk_vfs_open(path, O_RDONLY, 0);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return fd;
	/* Small reads: the snapshot taken at open must hold together. */
	while ((r = uk_vfs_read(fd, out + n, 7 < size - 1 - n ? 7 :
				size - 1 - n)) > 0)
		n += (size_t)r;
	uk_vfs_close(fd);
	out[n] = '\0';
	return r < 0 ? (int)r : (int)n;
}

UK_TEST(procfs_through_the_vfs)
{
	static char via[8192];
	struct uk_vfs_dirent d;
	struct stat st;
	int fd, n = 0, rc;

	UK_TEST_ASSERT(fixture_setup() == 0);
	UK_TEST_EQ(uk_procfs_mount(), 0);
	UK_TEST_EXPECT(read_file("/proc/version", via, sizeof(via)) > 0);
	UK_TEST_STREQ(via, render_raw("/proc/version"));
	UK_TEST_EXPECT(read_file("/proc/net/snmp", via, sizeof(via)) > 0);
	UK_TEST_STREQ(via, render_raw("/proc/net/snmp"));
	UK_TEST_EXPECT(read_file("/sys/class/net/eth0/address", via,
				 sizeof(via)) > 0);
	UK_TEST_STREQ(via, "52:54:00:12:34:56\n");
	UK_TEST_EXPECT(read_file("/proc/self/../1/limits", via,
				 sizeof(via)) > 0);
	UK_TEST_STREQ(via, render_raw("/proc/1/limits"));
	UK_TEST_EQ(read_file("/proc/nope", via, sizeof(via)), -ENOENT);
	UK_TEST_EQ(uk_vfs_open("/proc/stat", O_WRONLY, 0), -EROFS);
	UK_TEST_EQ(uk_vfs_open("/proc/new", O_CREAT | O_WRONLY, 0644),
		   -EROFS);
	UK_TEST_EQ(uk_vfs_stat("/proc/meminfo", &st), 0);
	UK_TEST_EXPECT(S_ISREG(st.st_mode) && st.st_size == 0);
	UK_TEST_EQ(uk_vfs_stat("/sys/class/net/eth0", &st), 0);
	UK_TEST_EXPECT(S_ISDIR(st.st_mode));
	fd = uk_vfs_open("/proc/net", O_RDONLY | O_DIRECTORY, 0);
	UK_TEST_ASSERT(fd >= 0);
	while ((rc = uk_vfs_readdir(fd, &d)) == 1)
		n += d.name[0] != '.';
	uk_vfs_close(fd);
	UK_TEST_EQ(rc, 0);
	UK_TEST_EQ(n, 4);
	/* node_exporter leaves pseudo file systems out; so does node. */
	UK_TEST_EQ(uk_node_sync(), 0);
	UK_TEST_EXPECT(strstr(render("/proc/mounts"), "proc /proc proc ro") !=
		       NULL);
	UK_TEST_EQ(uk_vfs_umount("/sys"), 0);
	UK_TEST_EQ(uk_vfs_umount("/proc"), 0);
}
