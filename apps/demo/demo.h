/*
 * The kvm demo's parts: the mounts (storage.c), the files built into the
 * image (site.c), the file server's connections (fileserver.c), its
 * requests (http.c), request paths (path.c) and access log
 * (accesslog.c).
 */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>
#include <stdint.h>

/* ---- storage.c --------------------------------------------------------- */

/*
 * Probes the block and 9P devices, mounts what the boot line asks
 * (vfs.mount=...) and the demo's defaults: the 9P share tagged "data"
 * on /data, the first disk holding a tar archive on /site (read-only),
 * the initrd's archive on /initrd.  Each mount, or why not, is on the
 * console.  Returns 0, or the first mount's error (the others are still
 * tried).
 */
int demo_storage_start(void);

/* ---- linux.c ----------------------------------------------------------- */

/* Adds the exporter's routes to /proc/... and /sys/... (before it starts). */
void demo_linux_routes(void);
/*
 * Mounts /proc and /sys, makes the node view's folders for the devices
 * and mounts present, and with demo.procbench=N times N reads of
 * /proc/stat and /proc/meminfo, printed on the console.  Problems are
 * warned about; the demo runs on without the Linux view.
 */
void demo_linux_start(void);

/* ---- site.c ------------------------------------------------------------ */

/* Fills the built-in files' contents; before any file call. */
void demo_site_init(void);

/* ---- fileserver.c ------------------------------------------------------ */

/*
 * Starts the file server on port, with an access log in /data when a
 * share is mounted there (unless demo_log_enabled is 0); 0 or a
 * negative errno.
 */
int demo_fileserver_start(uint16_t port);
/* Whether the file server keeps an access log (demo.accesslog=0: no). */
extern int demo_log_enabled;
/*
 * Counts one answered request: its status, body bytes sent and
 * received.
 */
void demo_count_request(int status, uint64_t sent, uint64_t received);

/* ---- http.c ------------------------------------------------------------ */

/* One request as a worker hands it over. */
struct demo_req {
	int fd;
	const char *peer;        /* the client's address, for the log */
	char *head;              /* the request head, NUL-terminated */
	const char *rest;        /* bytes received after the head */
	size_t nrest;
	size_t used;             /* out: bytes of rest the body took */
	char *io;                /* the worker's buffer for file data */
	size_t iosize;
	unsigned int worker;     /* its number (temporary file names) */
};

/* Limits of the file server's requests (boot options demo.*). */
struct demo_http_cfg {
	uint64_t put_max;        /* largest PUT body (demo.put_max) */
};
extern struct demo_http_cfg demo_http_cfg;

/*
 * Answers one request: GET, HEAD, PUT, DELETE or MOVE on the VFS tree.
 * Returns 1 to keep the connection, 0 to close it after the response,
 * -1 to reset it (a send failed, or a body could not be read), or
 * DEMO_HTTP_NOMEM (nothing sent: no memory for the request's state).
 */
#define DEMO_HTTP_NOMEM (-2)
int demo_http_answer(struct demo_req *r);

/* ---- path.c ------------------------------------------------------------ */

/*
 * Decodes a request target (len bytes; the query is ignored) into a VFS
 * path in out (size bytes): "/" or "/a/b", percent-escapes decoded, "."
 * and empty segments dropped.  Returns 0, 400 for a target that tries to
 * leave the tree or is malformed (a ".." segment however encoded, "%2f",
 * "%00", control characters, a bad escape, not starting with '/'), or
 * 414 when it does not fit.
 */
int demo_path_decode(const char *target, size_t len, char *out, size_t size);

/* ---- accesslog.c ------------------------------------------------------- */

/*
 * Opens (creates, appends to) the access log at path, rotated before it
 * passes rotate_bytes, keeping keep old files (path.1 ... path.keep).
 * Returns 0 or the open's error.
 */
int demo_log_open(const char *path, uint64_t rotate_bytes, unsigned int keep);
/* Whether a log is open. */
int demo_log_active(void);
/* Buffers one line (ending with '\n'); writes the buffer when full. */
void demo_log_line(const char *line, size_t len);
/* Writes what is buffered. */
void demo_log_flush(void);
/* Flushes and closes the log. */
void demo_log_close(void);

#endif
