/*
 * The file server's requests, on the VFS tree: GET and HEAD read any
 * file (a directory answers with its index.html), PUT writes a request
 * body to a file, DELETE removes a file or an empty directory, MOVE
 * (WebDAV's, with a Destination header) renames, each under the paths
 * that path.c lets through.  Changes are allowed only on mounts other
 * than the root ramfs (the image's own files are not for clients to
 * change) and not on read-only ones: in the demo, /data (a host folder
 * over 9P) and any ramfs mounted from the boot line (/tmp).
 *
 * PUT writes to a temporary file in the target's directory, then
 * renames it over the target, so a reader never sees half a file and a
 * failed upload leaves the old one; the body's size is bounded
 * (demo.put_max, 413 beyond it, refused before a byte is read), and a
 * full file system (ENOSPC) answers 507 after the rest of the body has
 * been read and dropped, so the connection stays usable.  A body must
 * arrive with progress at least every BODY_MS, else the connection is
 * reset.  Errors map to the status a WebDAV server would give (ENOENT
 * 404, EROFS 403, ENOTEMPTY 409, EXDEV 502, ENOSPC 507...).
 *
 * Every request is counted and written to the access log.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <uk/plat/time.h>
#include <uk/vfs.h>

#include "demo.h"

#define PATH_SIZE 512
#define HDR_SIZE 256
#define BODY_MS 5000         /* a request body's progress */

struct demo_http_cfg demo_http_cfg = { .put_max = 16 * 1024 * 1024 };

/* A request being answered. */
struct ctx {
	struct demo_req *r;
	char *hdr;               /* HDR_SIZE bytes for the response head */
	int keep;                /* keep-alive after this response */
	int status;
	uint64_t sent, received;
	char path[PATH_SIZE], dest[PATH_SIZE], tmp[PATH_SIZE];
};

static const char *reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default: return "Internal Server Error";
	}
}

/* The status for a file system error. */
static int status_of(int err)
{
	switch (err) {
	case -ENOENT: case -ENOTDIR: return 404;
	case -EROFS: case -EACCES: case -EPERM: return 403;
	case -EISDIR: case -ENOTEMPTY: case -EBUSY: case -EEXIST: return 409;
	case -EXDEV: return 502;
	case -ENOSPC: return 507;
	case -EFBIG: return 413;
	case -ENAMETOOLONG: return 414;
	case -EINVAL: return 400;
	case -EMFILE: case -ENFILE: case -ENOMEM: return 503;
	default: return 500;
	}
}

static int send_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = send(fd, p, len, 0);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Sends a response head (and a short text body for errors). */
static int respond(struct ctx *c, int status, const char *type,
		   uint64_t length, const char *extra, const char *body)
{
	int n;

	c->status = status;
	if (status >= 400 && !body)
		body = reason(status);
	if (body) {
		type = "text/plain";
		length = strlen(body) + 1;
	}
	n = snprintf(c->hdr, HDR_SIZE, "HTTP/1.1 %d %s\r\n%s%s%s"
		     "Content-Length: %llu\r\n%s%s\r\n", status,
		     reason(status), type ? "Content-Type: " : "",
		     type ? type : "", type ? "\r\n" : "",
		     (unsigned long long)length, extra ? extra : "",
		     c->keep ? "" : "Connection: close\r\n");
	if (n < 0 || n >= HDR_SIZE)
		return -1;
	if (send_all(c->r->fd, c->hdr, (size_t)n))
		return -1;
	if (body && (send_all(c->r->fd, body, strlen(body)) ||
		     send_all(c->r->fd, "\n", 1)))
		return -1;
	return 0;
}

/* The value of header name in head (len set), or NULL. */
static const char *header(const char *head, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	const char *p = strstr(head, "\r\n"), *v, *e;

	while (p && p[2]) {
		p += 2;
		if (!strncasecmp(p, name, nl) && p[nl] == ':') {
			v = p + nl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			e = strstr(v, "\r\n");
			if (!e)
				e = v + strlen(v);
			while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			*len = (size_t)(e - v);
			return v;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

static const char *content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html" }, { ".htm", "text/html" },
		{ ".txt", "text/plain" }, { ".log", "text/plain" },
		{ ".css", "text/css" }, { ".js", "text/javascript" },
		{ ".json", "application/json" }, { ".svg", "image/svg+xml" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" },
	};
	size_t i, n = strlen(path);

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && !strcmp(path + n - e, types[i].ext))
			return types[i].type;
	}
	return "application/octet-stream";
}

/* ---- GET and HEAD ------------------------------------------------------ */

static int get(struct ctx *c, int head)
{
	struct demo_req *r = c->r;
	struct stat st;
	uint64_t left;
	int fd, rc, tries;

	/* One walk per try: open, then ask what was opened. */
	for (tries = 0;; tries++) {
		fd = uk_vfs_open(c->path, O_RDONLY, 0);
		if (fd < 0)
			return respond(c, status_of(fd), NULL, 0, NULL, NULL);
		rc = uk_vfs_fstat(fd, &st);
		if (rc || S_ISREG(st.st_mode))
			break;
		uk_vfs_close(fd);
		if (tries || !S_ISDIR(st.st_mode))
			return respond(c, 404, NULL, 0, NULL, NULL);
		/* A directory: its index.html. */
		left = strlen(c->path);
		if (left + sizeof("/index.html") > sizeof(c->path))
			return respond(c, 414, NULL, 0, NULL, NULL);
		strcpy(c->path + (left > 1 ? left : 0), "/index.html");
	}
	if (rc) {
		uk_vfs_close(fd);
		return respond(c, status_of(rc), NULL, 0, NULL, NULL);
	}
	rc = respond(c, 200, content_type(c->path), (uint64_t)st.st_size,
		     NULL, NULL);
	if (rc || head) {
		uk_vfs_close(fd);
		return rc;
	}
	left = (uint64_t)st.st_size;
	rc = 0;
	while (left && !rc) {
		long n = uk_vfs_read(fd, r->io, left < r->iosize ? left :
				     r->iosize);

		/* The length is promised: a failed or short file can only
		 * end the connection. */
		if (n <= 0 || send_all(r->fd, r->io, (size_t)n))
			rc = -1;
		else {
			left -= (uint64_t)n;
			c->sent += (uint64_t)n;
		}
	}
	uk_vfs_close(fd);
	if (rc)
		c->status = 500;
	return rc;
}

/* ---- changes ----------------------------------------------------------- */

/*
 * Whether path's directory may be changed over HTTP: on a mount other
 * than the root's (the image's files), and not read-only.  Returns 0 or
 * a status.
 */
static int writable(const char *path)
{
	char dir[PATH_SIZE];
	struct statvfs sv;
	struct stat root, st;
	const char *slash = strrchr(path, '/');
	size_t n = (size_t)(slash - path);
	int rc;

	if (!strcmp(path, "/"))
		return 403;
	memcpy(dir, path, n ? n : 1);
	dir[n ? n : 1] = 0;
	rc = uk_vfs_stat(dir, &st);
	if (!rc && !S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	if (rc)
		return status_of(rc);
	if (uk_vfs_stat("/", &root) || root.st_dev == st.st_dev)
		return 403;
	if (uk_vfs_statvfs(dir, &sv) || (sv.f_flag & ST_RDONLY))
		return 403;
	return 0;
}

/* Waits for body bytes: 1 ready, 0 none within BODY_MS. */
static int body_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, BODY_MS) > 0;
}

/*
 * Reads len body bytes (the head's leftovers first), writing them to fd
 * when fd >= 0.  Returns 0, the first write error (the rest is still
 * read and dropped), or 1 when the body could not be read.
 */
static int body(struct ctx *c, int fd, uint64_t len)
{
	struct demo_req *r = c->r;
	int werr = 0;

	r->used = r->nrest < len ? r->nrest : (size_t)len;
	if (r->used) {
		long w = fd >= 0 ? uk_vfs_write(fd, r->rest, r->used) : 0;

		if (w < 0 || (fd >= 0 && (size_t)w < r->used))
			werr = w < 0 ? (int)w : -ENOSPC;
		len -= r->used;
		c->received += r->used;
	}
	while (len) {
		size_t want = len < r->iosize ? (size_t)len : r->iosize;
		ssize_t n;

		if (!body_ready(r->fd))
			return 1;
		n = recv(r->fd, r->io, want, 0);
		if (n <= 0)
			return 1;
		len -= (uint64_t)n;
		c->received += (uint64_t)n;
		if (fd >= 0 && !werr) {
			size_t done = 0;

			while (done < (size_t)n) {
				long w = uk_vfs_write(fd, r->io + done,
						      (size_t)n - done);

				if (w <= 0) {
					werr = w < 0 ? (int)w : -ENOSPC;
					break;
				}
				done += (size_t)w;
			}
		}
	}
	return werr;
}

/* The request body's length: 0 and *len, or a status. */
static int body_length(struct ctx *c, uint64_t *len)
{
	const char *v;
	size_t vl, i;
	uint64_t n = 0;

	if (header(c->r->head, "Transfer-Encoding", &vl))
		return 501;     /* chunked uploads: not here */
	v = header(c->r->head, "Content-Length", &vl);
	if (!v)
		return 411;
	if (!vl || vl > 19)
		return 400;
	for (i = 0; i < vl; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 400;
		n = n * 10 + (uint64_t)(v[i] - '0');
	}
	*len = n;
	return n > demo_http_cfg.put_max ? 413 : 0;
}

static int put(struct ctx *c)
{
	struct demo_req *r = c->r;
	const char *slash = strrchr(c->path, '/');
	struct stat st;
	uint64_t len = 0;
	int rc, fd, existed, st_code;
	size_t vl;

	st_code = writable(c->path);
	if (!st_code)
		st_code = body_length(c, &len);
	if (!st_code && !uk_vfs_stat(c->path, &st) && S_ISDIR(st.st_mode))
		st_code = 409;
	if (!st_code && (size_t)snprintf(c->tmp, sizeof(c->tmp),
					 "%.*s/.put-%u.tmp",
					 (int)(slash - c->path), c->path,
					 r->worker) >= sizeof(c->tmp))
		st_code = 414;
	if (st_code) {
		/* Refused before the body: it is not read, so the
		 * connection cannot go on. */
		c->keep = 0;
		return respond(c, st_code, NULL, 0, NULL, NULL);
	}
	if (header(r->head, "Expect", &vl) &&
	    send_all(r->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25))
		return -1;
	existed = !uk_vfs_stat(c->path, &st);
	fd = uk_vfs_open(c->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = body(c, fd, len);
	if (fd >= 0)
		uk_vfs_close(fd);
	else
		rc = rc == 1 ? 1 : fd;
	if (!rc)
		rc = uk_vfs_rename(c->tmp, c->path);
	if (rc && fd >= 0)
		uk_vfs_unlink(c->tmp);
	if (rc == 1)
		return -1;      /* the body never came: reset */
	if (rc)
		return respond(c, status_of(rc), NULL, 0, NULL, NULL);
	return respond(c, existed ? 204 : 201, NULL, 0, NULL, NULL);
}

static int delete(struct ctx *c)
{
	struct stat st;
	int rc = writable(c->path);

	if (rc)
		return respond(c, rc, NULL, 0, NULL, NULL);
	rc = uk_vfs_stat(c->path, &st);
	if (!rc)
		rc = S_ISDIR(st.st_mode) ? uk_vfs_rmdir(c->path) :
					   uk_vfs_unlink(c->path);
	if (rc)
		return respond(c, status_of(rc), NULL, 0, NULL, NULL);
	return respond(c, 204, NULL, 0, NULL, NULL);
}

/* WebDAV's MOVE: Destination is a path or an absolute URL. */
static int move(struct ctx *c)
{
	const char *v, *p;
	struct stat st;
	size_t vl;
	int rc, existed;

	v = header(c->r->head, "Destination", &vl);
	if (!v)
		return respond(c, 400, NULL, 0, NULL, "no Destination");
	p = memchr(v, ':', vl);
	if (p && p + 2 < v + vl && p[1] == '/' && p[2] == '/') {
		/* scheme://authority/path: the path. */
		p = memchr(p + 3, '/', (size_t)(v + vl - p - 3));
		if (!p)
			return respond(c, 400, NULL, 0, NULL, NULL);
		vl -= (size_t)(p - v);
		v = p;
	}
	rc = demo_path_decode(v, vl, c->dest, sizeof(c->dest));
	if (rc)
		return respond(c, rc, NULL, 0, NULL, NULL);
	rc = writable(c->path);
	if (!rc)
		rc = writable(c->dest);
	if (rc)
		return respond(c, rc, NULL, 0, NULL, NULL);
	existed = !uk_vfs_stat(c->dest, &st);
	v = header(c->r->head, "Overwrite", &vl);
	if (existed && v && vl == 1 && (*v == 'F' || *v == 'f'))
		return respond(c, 412, NULL, 0, NULL, NULL);
	rc = uk_vfs_rename(c->path, c->dest);
	if (rc)
		return respond(c, status_of(rc), NULL, 0, NULL, NULL);
	return respond(c, existed ? 204 : 201, NULL, 0, NULL, NULL);
}

/* ---- a request ------------------------------------------------------- */

static void log_request(struct ctx *c, const char *line, size_t len)
{
	uint64_t now = uk_plat_time_wall_ns();
	char out[400];
	int n;

	if (!demo_log_active())
		return;
	if (len > 250)
		len = 250;
	n = snprintf(out, sizeof(out), "%s - - [%llu.%03llu] \"%.*s\" %d "
		     "%llu %llu\n", c->r->peer,
		     (unsigned long long)(now / 1000000000ULL),
		     (unsigned long long)(now / 1000000ULL % 1000),
		     (int)len, line, c->status,
		     (unsigned long long)c->sent,
		     (unsigned long long)c->received);
	if (n > 0 && (size_t)n < sizeof(out))
		demo_log_line(out, (size_t)n);
}

static int dispatch(struct ctx *c, const char *m, size_t ml,
		    const char *target, size_t tl)
{
	int rc;

#define IS(s) (ml == sizeof(s) - 1 && !memcmp(m, s, ml))
	if (!IS("GET") && !IS("HEAD") && !IS("PUT") && !IS("DELETE") &&
	    !IS("MOVE"))
		return respond(c, 405, NULL, 0,
			       "Allow: GET, HEAD, PUT, DELETE, MOVE\r\n",
			       NULL);
	rc = demo_path_decode(target, tl, c->path, sizeof(c->path));
	if (rc)
		return respond(c, rc, NULL, 0, NULL, NULL);
	if (IS("GET") || IS("HEAD"))
		return get(c, IS("HEAD"));
	if (IS("PUT"))
		return put(c);
	if (IS("DELETE"))
		return delete(c);
	return move(c);
#undef IS
}

/* Answers one request (see demo.h): 1 keep, 0 close, -1 reset. */
int demo_http_answer(struct demo_req *r)
{
	struct ctx *c = malloc(sizeof(*c) + HDR_SIZE);
	const char *sp1, *sp2, *eol, *conn;
	size_t cl;
	int rc;

	r->used = 0;
	if (!c)
		return DEMO_HTTP_NOMEM;
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->hdr = (char *)(c + 1);
	eol = strstr(r->head, "\r\n");
	sp1 = strchr(r->head, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!eol || !sp1 || !sp2 || sp2 > eol) {
		rc = respond(c, 400, NULL, 0, NULL, NULL);
		eol = r->head + strlen(r->head);
	} else {
		conn = header(r->head, "Connection", &cl);
		c->keep = !strncmp(sp2 + 1, "HTTP/1.1", 8) &&
			  !(conn && cl == 5 && !strncasecmp(conn, "close", 5));
		rc = dispatch(c, r->head, (size_t)(sp1 - r->head), sp1 + 1,
			      (size_t)(sp2 - sp1 - 1));
	}
	demo_count_request(c->status, c->sent, c->received);
	log_request(c, r->head, (size_t)(eol - r->head));
	if (rc < 0)
		rc = -1;
	else
		rc = c->keep;
	free(c);
	return rc;
}
