/*
 * ukprom's HTTP/1.1 request-head parser (private to the exporter).
 *
 * A pure function over a byte buffer: no allocation, no I/O, no state
 * between calls, so the server simply re-runs it on the whole buffered
 * head when new bytes arrive, and the fuzzer drives it directly.  It
 * parses the request line and the header fields up to the blank line and
 * records only what the exporter acts on (method, target, version, Host,
 * Connection, Accept, Authorization, Content-Length, Transfer-Encoding);
 * every other field is syntax-checked and skipped.
 *
 * Rules chosen where RFC 9112 leaves room (the exporter's documented
 * behaviour; server_resp.c adds the rules about bodies):
 * - A line ends with CRLF or a bare LF (RFC 9112 2.2); a CR not followed
 *   by LF is malformed.
 * - Empty lines before the request line are skipped.
 * - Methods are tokens of at most UK_PROM_HTTP_METHOD_MAX bytes; the
 *   target is origin-form ("/p?q"), absolute-form ("http://h/p") or "*",
 *   made of visible ASCII only; the version is exactly "HTTP/1.d" (1.0 is
 *   1.0, 1.1 to 1.9 act as 1.1).  Anything else in the line is 400.
 * - A target longer than UK_PROM_HTTP_TARGET_MAX is 414, even while the
 *   line is still arriving.  A head longer than UK_PROM_HTTP_HEAD_MAX
 *   (request line plus fields plus the blank line) is 431, or 414 when
 *   that many bytes hold no end of the request line.
 * - Field names are tokens followed directly by ':' (whitespace before
 *   the colon is 400); obsolete line folding is 400; values may hold
 *   VCHAR, SP, HTAB and bytes >= 0x80, no other control bytes.
 * - HTTP/1.1 needs exactly one Host field; two Host fields are 400 in
 *   any version.  Repeated Content-Length fields must agree.
 * - Only the first Accept field is kept.  Two Authorization fields are
 *   400 (whose credentials would count is ambiguous).
 */
#ifndef UK_PROM_HTTP_H
#define UK_PROM_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define UK_PROM_HTTP_HEAD_MAX 8192
#define UK_PROM_HTTP_TARGET_MAX 2048
#define UK_PROM_HTTP_METHOD_MAX 32

enum uk_prom_http_method {
	UK_PROM_HTTP_OTHER = 0,
	UK_PROM_HTTP_GET,
	UK_PROM_HTTP_HEAD,
};

/*
 * A parsed request head.  Pointers point into the parsed buffer; lengths
 * are byte counts (nothing is NUL-terminated).
 */
struct uk_prom_http_req {
	uint8_t method;          /* enum uk_prom_http_method */
	uint8_t minor;           /* 0 for HTTP/1.0, 1 for 1.1 and later */
	uint8_t keep_alive;      /* connection persists after the response */
	uint8_t has_host;
	uint8_t has_te;          /* a Transfer-Encoding field was present */
	uint8_t has_cl;          /* a Content-Length field was present */
	uint16_t status;         /* error status when parsing failed */
	const char *mname;       /* method as sent */
	uint32_t mname_len;
	const char *target;      /* the whole request target */
	uint32_t target_len;
	const char *path;        /* target's path, without scheme/authority */
	uint32_t path_len;       /* and without the query */
	const char *accept;      /* first Accept value, OWS trimmed; or NULL */
	uint32_t accept_len;
	const char *authz;       /* Authorization value, OWS trimmed; or NULL */
	uint32_t authz_len;
	uint64_t content_length;
	uint32_t head_len;       /* bytes of the head, blank line included */
};

/*
 * Parses the request head at the start of buf[0..len).  Returns 1 when
 * the head is complete (*req filled, req->head_len bytes consumed), 0 when
 * more bytes are needed and nothing is wrong so far, or -EINVAL when the
 * head is malformed or over a limit; then req->status holds the HTTP
 * status to answer (400, 414 or 431).
 */
int uk_prom_http_parse(const char *buf, size_t len,
		       struct uk_prom_http_req *req);

/*
 * Percent-decodes src[0..len) into dst (which may equal src: the result
 * is never longer) and NUL-terminates it; dst must hold len + 1 bytes.
 * Returns the decoded length, or -EINVAL for a malformed escape or an
 * escape that decodes to NUL.
 */
int uk_prom_http_pct_decode(const char *src, size_t len, char *dst);

/* The reason phrase for status (e.g. "Not Found"); "Unknown" if none. */
const char *uk_prom_http_reason(unsigned int status);

#endif /* UK_PROM_HTTP_H */
