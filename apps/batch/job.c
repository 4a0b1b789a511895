/*
 * The batch job: one file compressed into another (contract in job.h).
 *
 * Steps, each failure ending the job with its own status and a console
 * line naming the step, the path and the error:
 *   1. read the input whole (uk_vfs_open/fstat/read);
 *   2. compress it (lzss.c), then decompress the stream and compare, so
 *      that a job never reports success for an output it cannot undo;
 *   3. create the output's missing folders (/data by default: the root
 *      ramfs today, a 9p share mounted there later) and write it.
 * The buffers (input, stream, check, the compressor's chains) come from
 * the default allocator and are freed at the end.
 *
 * Metrics (library batch; the job's own, pushed with everything else):
 *   batch_read_bytes_total, batch_written_bytes_total   counters, bytes
 *   batch_compression_ratio    input bytes / output bytes (0: no output)
 *   batch_duration_seconds     the job's duration
 *   batch_exit_status          0 ok, else enum batch_status; -1 running
 *   batch_last_success_timestamp_seconds   wall time of the last
 *                              success (0: none), the Pushgateway's
 *                              usual batch-job alert source
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/counter.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/store_publish.h>
#include <uk/vfs.h>

#include "job.h"
#include "lzss.h"

UK_STORE_LIBRARY(batch);

static uint64_t read_bytes;
static uint64_t written_bytes;
static double ratio;
static double duration_s;
static int32_t exit_status = -1;
static double last_success_s;

static int get_u64(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

/* The doubles are read by scrapes and pushes while the job sets them. */
static int get_dbl(void *cookie, double *out)
{
	__atomic_load((double *)cookie, out, __ATOMIC_RELAXED);
	return 0;
}

static void set_dbl(double *p, double v)
{
	__atomic_store(p, &v, __ATOMIC_RELAXED);
}

static int get_status(void *cookie, int32_t *out)
{
	*out = __atomic_load_n(&exit_status, __ATOMIC_RELAXED);
	return 0;
}

/* Laid down last first, so that the exposition reads in this order. */
UK_STORE_STATIC_ENTRY(batch, last_success_timestamp_seconds, dbl, gauge,
		      seconds, "Wall time of the job's last success (0: "
		      "none yet).", get_dbl, NULL, &last_success_s);
UK_STORE_STATIC_ENTRY(batch, exit_status, s32, gauge, none,
		      "The job's exit status: 0 ok, 1 input, 2 compression, "
		      "3 output, 4 memory; -1 while it runs.", get_status,
		      NULL, NULL);
UK_STORE_STATIC_ENTRY(batch, duration_seconds, dbl, gauge, seconds,
		      "How long the job took.", get_dbl, NULL, &duration_s);
UK_STORE_STATIC_ENTRY(batch, compression_ratio, dbl, gauge, none,
		      "Input bytes per output byte (0 until written).",
		      get_dbl, NULL, &ratio);
UK_STORE_STATIC_ENTRY(batch, written, u64, counter, bytes,
		      "Bytes the job wrote.", get_u64, NULL, &written_bytes);
UK_STORE_STATIC_ENTRY(batch, read, u64, counter, bytes,
		      "Bytes the job read.", get_u64, NULL, &read_bytes);

/* What one run holds, freed by its end. */
struct run {
	const struct batch_cfg *cfg;
	struct uk_alloc *a;
	uint8_t *in, *z, *check;
	struct lzss_work *work;
	size_t in_len, z_len;
};

static void *alloc(struct run *r, size_t n)
{
	return uk_malloc(r->a, n ? n : 1);
}

/* Reads the whole input.  Returns 0 or a negative errno. */
static int read_input(struct run *r)
{
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	fd = uk_vfs_open(r->cfg->in, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	rc = uk_vfs_fstat(fd, &st);
	if (rc)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	r->in = alloc(r, (size_t)st.st_size);
	if (!r->in) {
		rc = -ENOMEM;
		goto out;
	}
	while (r->in_len < (size_t)st.st_size) {
		n = uk_vfs_read(fd, r->in + r->in_len,
				(size_t)st.st_size - r->in_len);
		if (n <= 0) {
			rc = n ? (int)n : -EIO;  /* shorter than stat said */
			goto out;
		}
		r->in_len += (size_t)n;
		uk_counter_add_mt(&read_bytes, (uint64_t)n);
	}
out:
	uk_vfs_close(fd);
	return rc;
}

/* Compresses and checks the stream.  Returns 0 or a negative errno. */
static int compress(struct run *r)
{
	size_t back;
	int rc;

	r->z = alloc(r, lzss_bound(r->in_len));
	r->check = alloc(r, r->in_len);
	r->work = alloc(r, sizeof(*r->work));
	if (!r->z || !r->check || !r->work)
		return -ENOMEM;
	rc = lzss_compress(r->in, r->in_len, r->z, lzss_bound(r->in_len),
			   &r->z_len, r->work);
	if (rc)
		return rc;
	rc = lzss_decompress(r->z, r->z_len, r->check, r->in_len, &back);
	if (rc)
		return rc;
	return back == r->in_len && !memcmp(r->check, r->in, back) ? 0
								  : -EIO;
}

/* Creates each missing folder on the way to path's last component. */
static int make_parents(const char *path)
{
	char dir[UK_VFS_PATH_MAX];
	size_t i, n = strlen(path);
	int rc;

	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n + 1);
	for (i = 1; i < n; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		rc = uk_vfs_mkdir(dir, 0755);
		dir[i] = '/';
		if (rc && rc != -EEXIST)
			return rc;
	}
	return 0;
}

/* Writes the stream to the output.  Returns 0 or a negative errno. */
static int write_output(struct run *r)
{
	size_t done = 0;
	ssize_t n;
	int fd, rc;

	rc = make_parents(r->cfg->out);
	if (rc)
		return rc;
	fd = uk_vfs_open(r->cfg->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fd;
	while (done < r->z_len) {
		n = uk_vfs_write(fd, r->z + done, r->z_len - done);
		if (n <= 0) {
			rc = n ? (int)n : -ENOSPC;
			break;
		}
		done += (size_t)n;
		uk_counter_add_mt(&written_bytes, (uint64_t)n);
	}
	if (!rc)
		rc = uk_vfs_fsync(fd);
	/* A file system without fsync has nothing to flush. */
	if (rc == -EINVAL)
		rc = 0;
	n = uk_vfs_close(fd);
	return rc ? rc : (int)n;
}

static void release(struct run *r)
{
	uk_free(r->a, r->in);
	uk_free(r->a, r->z);
	uk_free(r->a, r->check);
	uk_free(r->a, r->work);
}

/* Runs the job (see job.h).  Returns its status. */
int batch_run(const struct batch_cfg *cfg)
{
	uint64_t (*clock)(void) = cfg->clock_ns ? cfg->clock_ns
						: uk_plat_time_mono_ns;
	uint64_t (*wall)(void) = cfg->wall_ns ? cfg->wall_ns
					      : uk_plat_time_wall_ns;
	struct run r;
	uint64_t t0 = clock(), t1, ms;
	int rc, status = BATCH_OK;
	const char *step = "";

	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.a = uk_alloc_get_default();
	__atomic_store_n(&exit_status, -1, __ATOMIC_RELAXED);
	rc = read_input(&r);
	if (rc) {
		status = rc == -ENOMEM ? BATCH_ERR_MEMORY : BATCH_ERR_INPUT;
		step = "read";
		goto out;
	}
	rc = compress(&r);
	if (rc) {
		status = rc == -ENOMEM ? BATCH_ERR_MEMORY : BATCH_ERR_COMPRESS;
		step = "compress";
		goto out;
	}
	rc = write_output(&r);
	if (rc) {
		status = BATCH_ERR_OUTPUT;
		step = "write";
		goto out;
	}
	set_dbl(&ratio, r.z_len ? (double)r.in_len / (double)r.z_len : 0);
	set_dbl(&last_success_s, (double)wall() / UK_NSEC_PER_SEC);
out:
	t1 = clock();
	set_dbl(&duration_s, (double)(t1 - t0) / UK_NSEC_PER_SEC);
	ms = (t1 - t0) / UK_NSEC_PER_MSEC;
	__atomic_store_n(&exit_status, status, __ATOMIC_RELAXED);
	if (status)
		uk_pr_err("batch: %s %s failed (%d): exit status %d\n", step,
			  status == BATCH_ERR_OUTPUT ? cfg->out : cfg->in, rc,
			  status);
	else
		uk_pr_info("batch: compressed %s (%zu bytes) into %s (%zu "
			   "bytes) in %llu ms\n", cfg->in, r.in_len, cfg->out,
			   r.z_len, (unsigned long long)ms);
	release(&r);
	return status;
}
