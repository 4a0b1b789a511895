/*
 * A 9P transport over a byte stream (a socket or pipe pair), for running
 * the client against a real server on linuxu: requests are written with
 * writev, replies are framed by their size field and scattered into the
 * request's reply buffers.  One request at a time (a lock around each
 * round trip); a reply too large for the buffers is read and dropped.
 */
#ifndef STREAM_TRANS_H
#define STREAM_TRANS_H

#include <uk/9p.h>

struct stream_trans {
	struct uk_9p_trans t;
	int rfd, wfd;
	uint32_t lock;
};

/* A transport named tag over rfd/wfd (nothing registered). */
void stream_trans_init(struct stream_trans *s, const char *tag, int rfd,
		       int wfd);

#endif
