/*
 * The batch job on linuxu's VFS (the root ramfs): a file compressed into
 * a folder the job creates, the output decompressing to the input, the
 * job's metrics in the store (with an injected clock and wall clock, so
 * the duration and the success time are exact), and each failure's
 * status: a missing input, an output under a regular file.  The steps
 * share the job's static counters, so one case runs them in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <uk/plat/time.h>
#include <uk/store.h>
#include <uk/test.h>
#include <uk/vfs.h>

#include "../job.h"
#include "../lzss.h"

static uint64_t fake_now;

/* Each reading is 250 ms after the previous one. */
static uint64_t fake_clock(void)
{
	return fake_now += 250 * UK_NSEC_PER_MSEC;
}

static uint64_t fake_wall(void)
{
	return 1700000000ull * UK_NSEC_PER_SEC;
}

static int put_file(const char *path, const uint8_t *b, size_t n)
{
	int fd = uk_vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return fd;
	if (uk_vfs_write(fd, b, n) != (ssize_t)n)
		return -EIO;
	return uk_vfs_close(fd);
}

static ssize_t get_file(const char *path, uint8_t *b, size_t cap)
{
	int fd = uk_vfs_open(path, O_RDONLY, 0);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = uk_vfs_read(fd, b, cap);
	uk_vfs_close(fd);
	return n;
}

static double num(const char *path)
{
	struct uk_store_value v;

	if (uk_store_read_path(path, &v))
		return -1000;
	switch (v.type) {
	case UK_STORE_U64: return (double)v.u;
	case UK_STORE_S32: return (double)v.s;
	case UK_STORE_DOUBLE: return v.d;
	default: return -2000;
	}
}

UK_TEST(batch_job)
{
	static uint8_t in[50000], z[60000], back[50000];
	struct batch_cfg cfg = { 0 };
	size_t i, zn, bn;
	ssize_t n;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)("batch job input "[i % 16] + (i / 1000) % 3);
	UK_TEST_EQ(uk_vfs_mkdir("/in", 0755), 0);
	UK_TEST_EQ(put_file("/in/input", in, sizeof(in)), 0);
	UK_TEST_EQ(num("batch/exit_status"), -1.0);

	cfg.in = "/in/input";
	cfg.out = "/data/sub/out.lz";   /* /data and /data/sub are made */
	cfg.clock_ns = fake_clock;
	cfg.wall_ns = fake_wall;
	UK_TEST_EQ(batch_run(&cfg), BATCH_OK);
	n = get_file("/data/sub/out.lz", z, sizeof(z));
	UK_TEST_ASSERT(n > LZSS_HEADER);
	zn = (size_t)n;
	UK_TEST_EQ(lzss_decompress(z, zn, back, sizeof(back), &bn), 0);
	UK_TEST_EQ(bn, sizeof(in));
	UK_TEST_EQ(memcmp(back, in, bn), 0);
	UK_TEST_EQ(num("batch/read"), (double)sizeof(in));
	UK_TEST_EQ(num("batch/written"), (double)zn);
	UK_TEST_EQ(num("batch/compression_ratio"),
		   (double)sizeof(in) / (double)zn);
	/* Three readings: start, end, and the duration's. */
	UK_TEST_EQ(num("batch/duration_seconds"), 0.25);
	UK_TEST_EQ(num("batch/exit_status"), 0.0);
	UK_TEST_EQ(num("batch/last_success_timestamp_seconds"), 1.7e9);

	/* Again over an existing output: truncated and rewritten. */
	UK_TEST_EQ(batch_run(&cfg), BATCH_OK);
	UK_TEST_EQ(get_file("/data/sub/out.lz", z, sizeof(z)), n);
	UK_TEST_EQ(num("batch/read"), 2.0 * sizeof(in));

	/* A missing input. */
	cfg.in = "/in/nothing";
	UK_TEST_EQ(batch_run(&cfg), BATCH_ERR_INPUT);
	UK_TEST_EQ(num("batch/exit_status"), (double)BATCH_ERR_INPUT);
	/* The input is a folder. */
	cfg.in = "/in";
	UK_TEST_EQ(batch_run(&cfg), BATCH_ERR_INPUT);
	/* An output under a regular file. */
	cfg.in = "/in/input";
	cfg.out = "/in/input/out.lz";
	UK_TEST_EQ(batch_run(&cfg), BATCH_ERR_OUTPUT);
	UK_TEST_EQ(num("batch/exit_status"), (double)BATCH_ERR_OUTPUT);
	/* An empty input compresses to a bare header. */
	UK_TEST_EQ(put_file("/in/empty", in, 0), 0);
	cfg.in = "/in/empty";
	cfg.out = "/data/empty.lz";
	UK_TEST_EQ(batch_run(&cfg), BATCH_OK);
	UK_TEST_EQ(get_file("/data/empty.lz", z, sizeof(z)),
		   (ssize_t)LZSS_HEADER);
}
