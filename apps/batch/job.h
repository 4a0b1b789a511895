/*
 * The batch image's job (job.c): compress one file into another with
 * lzss.c, check the result by decompressing it, and publish what it did
 * in the store (library batch).  Written against lib/vfs's uk_vfs_*
 * calls, so the same code runs in the VM and in test-batch-job on
 * linuxu.
 */
#ifndef BATCH_JOB_H
#define BATCH_JOB_H

#include <stdint.h>

/* The job's exit statuses, which the image exits with. */
enum batch_status {
	BATCH_OK = 0,
	BATCH_ERR_INPUT = 1,    /* the input could not be read */
	BATCH_ERR_COMPRESS = 2, /* compressing or the check failed */
	BATCH_ERR_OUTPUT = 3,   /* the output could not be written */
	BATCH_ERR_MEMORY = 4,   /* not enough memory for the buffers */
};

struct batch_cfg {
	const char *in;         /* file to compress */
	const char *out;        /* file to write (its folders are made) */
	uint64_t (*clock_ns)(void);      /* NULL: monotonic time */
	uint64_t (*wall_ns)(void);       /* NULL: wall time */
};

/*
 * Runs the job: reads cfg->in, compresses it, checks the stream by
 * decompressing it, creates cfg->out's missing folders and writes it.
 * Publishes bytes read and written, the ratio, the duration, the status
 * and the time of the last success in library batch, and prints one
 * console line saying what it did or what failed.  Returns the job's
 * status (enum batch_status).
 */
int batch_run(const struct batch_cfg *cfg);

#endif /* BATCH_JOB_H */
