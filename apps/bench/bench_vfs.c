/*
 * The cost of the VFS's calls on a ramfs (linuxu, -O2): small and 4 KiB
 * reads and writes through a descriptor, open+close and stat of a path
 * two levels deep.  Prints nanoseconds per call, the best of 7 runs of
 * each.  bench-vfs.sh builds it with and without the metrics
 * (VFS_METRICS=0) and prints both side by side.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <uk/vfs.h>

#define RUNS 7

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static char buf[4096];
static int fd;
static struct stat st;

static void small_read(long i)
{
	uk_vfs_pread(fd, buf, 64, (i * 64) & 65535);
}

static void small_write(long i)
{
	uk_vfs_pwrite(fd, buf, 64, (i * 64) & 65535);
}

static void page_read(long i)
{
	uk_vfs_pread(fd, buf, 4096, (i * 4096) & 65535);
}

static void page_write(long i)
{
	uk_vfs_pwrite(fd, buf, 4096, (i * 4096) & 65535);
}

static void open_close(long i)
{
	uk_vfs_close(uk_vfs_open("/bench/dir/file", O_RDONLY, 0));
}

static void stat_path(long i)
{
	uk_vfs_stat("/bench/dir/file", &st);
}

static double measure(void (*fn)(long), long n)
{
	double best = 1e30;
	int r;
	long i;

	for (r = 0; r < RUNS; r++) {
		uint64_t t0 = now();
		double ns;

		for (i = 0; i < n; i++)
			fn(i);
		ns = (double)(now() - t0) / (double)n;
		if (ns < best)
			best = ns;
	}
	return best;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	static const struct {
		const char *name;
		void (*fn)(long);
	} cases[] = {
		{ "pread 64 B", small_read },
		{ "pwrite 64 B", small_write },
		{ "pread 4 KiB", page_read },
		{ "pwrite 4 KiB", page_write },
		{ "open+close", open_close },
		{ "stat", stat_path },
	};
	unsigned int i;

	if (uk_vfs_mkdir("/bench", 0755) || uk_vfs_mkdir("/bench/dir", 0755))
		return 1;
	fd = uk_vfs_open("/bench/dir/file", O_CREAT | O_RDWR, 0644);
	if (fd < 0 || uk_vfs_ftruncate(fd, 65536))
		return 1;
	memset(buf, 'b', sizeof(buf));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		printf("%-14s %8.1f ns\n", cases[i].name,
		       measure(cases[i].fn, n));
	return 0;
}
