/*
 * The demo's Linux view: lib/procfs' tree mounted at /proc and /sys,
 * served by the exporter at GET /proc/... and /sys/..., and lib/node's
 * folders for the CPU, network devices, mounts and disks present once
 * storage is up (node_cpu_seconds_total{cpu="0"}, node_filesystem_*...).
 * Left out of the image demo-nonode, the reference of the benchmarks
 * (main.c has empty defaults).
 *
 * demo.procbench=N times N open-read-close cycles of /proc/stat and of
 * /proc/meminfo through the VFS on the monotonic clock and prints the
 * microseconds per read on the console (scripts/bench-node.sh), beside
 * the rendering alone (what an exporter's GET /proc/... costs the
 * guest).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>

#include <uk/node.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/procfs.h>
#include <uk/prom.h>
#include <uk/vfs.h>

#include "demo.h"

/* The exporter's route: the file rendered into its window. */
static int procfs_route(void *arg, const char *path, char *buf, size_t size,
			size_t *len)
{
	return uk_procfs_render(path, buf, size, len);
}

void demo_linux_routes(void)
{
	if (uk_prom_route_add("/proc", procfs_route, NULL) ||
	    uk_prom_route_add("/sys", procfs_route, NULL))
		uk_pr_warn("demo: cannot serve /proc and /sys\n");
}

static char bench_buf[8192];

/* Nanoseconds per open-read-close of path (vfs 1) or per rendering. */
static uint64_t time_reads(const char *path, unsigned long n, int vfs)
{
	uint64_t t0 = uk_plat_time_mono_ns();
	unsigned long i;
	size_t len;

	for (i = 0; i < n; i++) {
		if (vfs) {
			int fd = uk_vfs_open(path, O_RDONLY, 0);

			if (fd < 0)
				return 0;
			while (uk_vfs_read(fd, bench_buf,
					   sizeof(bench_buf)) > 0)
				;
			uk_vfs_close(fd);
		} else if (uk_procfs_render(path, bench_buf,
					    sizeof(bench_buf), &len)) {
			return 0;
		}
	}
	return (uk_plat_time_mono_ns() - t0) / n;
}

static void procbench(unsigned long n)
{
	static const char *const files[] = { "/proc/stat", "/proc/meminfo" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		uint64_t vfs = time_reads(files[i], n, 1);
		uint64_t render = time_reads(files[i], n, 0);

		uk_pr_info("procbench: %s %lu reads: %llu.%03llu us per read "
			   "(open, read, close), %llu.%03llu us rendering\n",
			   files[i], n, (unsigned long long)(vfs / 1000),
			   (unsigned long long)(vfs % 1000),
			   (unsigned long long)(render / 1000),
			   (unsigned long long)(render % 1000));
	}
}

void demo_linux_start(void)
{
	const char *v = uk_plat_option("demo.procbench");
	int rc;

	rc = uk_procfs_mount();
	if (rc)
		uk_pr_warn("demo: cannot mount /proc and /sys (%d)\n", rc);
	rc = uk_node_sync();
	if (rc)
		uk_pr_warn("demo: node view incomplete (%d)\n", rc);
	if (v && atol(v) > 0)
		procbench((unsigned long)atol(v));
}
