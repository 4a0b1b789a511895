/*
 * The exporter's HTTP/1.1 request-head parser (see http.h for the rules
 * it enforces).  It is written as one forward scan that can stop at any
 * byte: running out of input means "need more" unless the bytes seen so
 * far already break a rule or a size limit, so a server can detect a bad
 * request line, an oversized target or an oversized head as soon as the
 * offending bytes arrive rather than at the blank line.
 */
#include <errno.h>
#include <string.h>

#include "http.h"

/* Outcome of a scan step: more input needed, or a verdict. */
#define _MORE 0
#define _BAD (-1)

static int is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_vchar(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e;
}

static int is_value_byte(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int ieq(const char *a, size_t alen, const char *lit)
{
	size_t i, n = strlen(lit);

	if (alen != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lit[i])
			return 0;
	return 1;
}

static int iprefix(const char *a, size_t alen, const char *lit)
{
	size_t n = strlen(lit);

	return alen >= n && ieq(a, n, lit);
}

/*
 * At p, expects a line end.  Returns 1 and sets *next past it, _MORE when
 * the buffer ends inside it, _BAD for anything else (a bare CR).
 */
static int line_end(const char *b, size_t len, size_t p, size_t *next)
{
	if (p >= len)
		return _MORE;
	if (b[p] == '\n') {
		*next = p + 1;
		return 1;
	}
	if (b[p] != '\r')
		return _BAD;
	if (p + 1 >= len)
		return _MORE;
	if (b[p + 1] != '\n')
		return _BAD;
	*next = p + 2;
	return 1;
}

static int fail(struct uk_prom_http_req *req, unsigned int status)
{
	req->status = (uint16_t)status;
	return -EINVAL;
}

/* Applies the Connection field's tokens (comma-separated, any case). */
static void parse_connection(const char *v, size_t n, int *close, int *ka)
{
	size_t i = 0, s, e;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (ieq(v + s, e - s, "close"))
			*close = 1;
		else if (ieq(v + s, e - s, "keep-alive"))
			*ka = 1;
	}
}

/* Content-Length: 1*DIGIT, no list form.  Returns 0 or _BAD. */
static int parse_length(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (!n || n > 19)
		return _BAD;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return _BAD;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

/* Splits the target into its path (origin-form or absolute-form). */
static int split_target(struct uk_prom_http_req *req)
{
	const char *t = req->target;
	size_t n = req->target_len, i, skip;

	if (n == 1 && t[0] == '*') {
		req->path = t;
		req->path_len = 1;
		return 0;
	}
	if (t[0] != '/') {
		if (iprefix(t, n, "http://"))
			skip = 7;
		else if (iprefix(t, n, "https://"))
			skip = 8;
		else
			return _BAD;
		for (i = skip; i < n && t[i] != '/' && t[i] != '?'; i++)
			;
		if (i == skip)
			return _BAD;
		if (i == n || t[i] == '?') {
			req->path = "/";
			req->path_len = 1;
			return 0;
		}
		t += i;
		n -= i;
	}
	for (i = 0; i < n && t[i] != '?'; i++)
		;
	req->path = t;
	req->path_len = (uint32_t)i;
	return 0;
}

/* Records one header field that the exporter cares about. */
static int on_field(struct uk_prom_http_req *req, const char *name,
		    size_t nlen, const char *val, size_t vlen,
		    int *close, int *ka)
{
	uint64_t cl;

	if (ieq(name, nlen, "host")) {
		if (req->has_host)
			return _BAD;
		req->has_host = 1;
	} else if (ieq(name, nlen, "connection")) {
		parse_connection(val, vlen, close, ka);
	} else if (ieq(name, nlen, "accept")) {
		if (!req->accept) {
			req->accept = val;
			req->accept_len = (uint32_t)vlen;
		}
	} else if (ieq(name, nlen, "authorization")) {
		if (req->authz)
			return _BAD;
		req->authz = val;
		req->authz_len = (uint32_t)vlen;
	} else if (ieq(name, nlen, "transfer-encoding")) {
		req->has_te = 1;
	} else if (ieq(name, nlen, "content-length")) {
		if (parse_length(val, vlen, &cl))
			return _BAD;
		if (req->has_cl && cl != req->content_length)
			return _BAD;
		req->has_cl = 1;
		req->content_length = cl;
	}
	return 0;
}

/*
 * Parses the request line starting at p.  Returns 1 with *next at the
 * first field line, _MORE, or -EINVAL (req->status set).
 */
static int request_line(const char *b, size_t len, size_t p, size_t *next,
			struct uk_prom_http_req *req)
{
	static const char ver[] = "HTTP/1.";
	size_t i, t, v;
	int r;

	for (i = p; i < len && is_tchar((unsigned char)b[i]); i++)
		if (i - p >= UK_PROM_HTTP_METHOD_MAX)
			return fail(req, 400);
	if (i == len)
		return _MORE;
	if (i == p || b[i] != ' ')
		return fail(req, 400);
	req->mname = b + p;
	req->mname_len = (uint32_t)(i - p);
	if (i - p == 3 && !memcmp(b + p, "GET", 3))
		req->method = UK_PROM_HTTP_GET;
	else if (i - p == 4 && !memcmp(b + p, "HEAD", 4))
		req->method = UK_PROM_HTTP_HEAD;

	t = i + 1;
	for (i = t; i < len && is_vchar((unsigned char)b[i]); i++)
		if (i - t >= UK_PROM_HTTP_TARGET_MAX)
			return fail(req, 414);
	if (i == len)
		return _MORE;
	if (i == t || b[i] != ' ')
		return fail(req, 400);
	req->target = b + t;
	req->target_len = (uint32_t)(i - t);

	v = i + 1;
	for (i = 0; i < sizeof(ver) - 1; i++) {
		if (v + i >= len)
			return _MORE;
		if (b[v + i] != ver[i])
			return fail(req, 400);
	}
	v += sizeof(ver) - 1;
	if (v >= len)
		return _MORE;
	if (b[v] < '0' || b[v] > '9')
		return fail(req, 400);
	req->minor = b[v] == '0' ? 0 : 1;
	r = line_end(b, len, v + 1, next);
	if (r == _BAD)
		return fail(req, 400);
	if (r == _MORE)
		return _MORE;
	if (split_target(req))
		return fail(req, 400);
	return 1;
}

/* As uk_prom_http_parse() but without the size limits. */
static int parse(const char *b, size_t len, struct uk_prom_http_req *req,
		 int *in_line)
{
	size_t p = 0, n, ns, ne, vs, ve, next;
	int r, close = 0, ka = 0;

	*in_line = 1;
	/* Empty lines before the request line are ignored (RFC 9112 2.2). */
	while (p < len && (b[p] == '\r' || b[p] == '\n')) {
		r = line_end(b, len, p, &next);
		if (r == _BAD)
			return fail(req, 400);
		if (r == _MORE)
			return _MORE;
		p = next;
	}
	r = request_line(b, len, p, &p, req);
	if (r != 1)
		return r;
	*in_line = 0;

	for (;;) {
		if (p >= len)
			return _MORE;
		if (b[p] == '\r' || b[p] == '\n') {
			r = line_end(b, len, p, &next);
			if (r == _BAD)
				return fail(req, 400);
			if (r == _MORE)
				return _MORE;
			req->head_len = (uint32_t)next;
			break;
		}
		/* Field name, then ':' with no whitespace before it. */
		ns = p;
		for (n = p; n < len && is_tchar((unsigned char)b[n]); n++)
			;
		if (n == len)
			return _MORE;
		if (n == ns || b[n] != ':')
			return fail(req, 400);
		ne = n;
		/* Value: OWS, bytes up to the line end, OWS trimmed. */
		for (n = ne + 1; n < len && (b[n] == ' ' || b[n] == '\t'); n++)
			;
		vs = n;
		for (; n < len && b[n] != '\r' && b[n] != '\n'; n++)
			if (!is_value_byte((unsigned char)b[n]))
				return fail(req, 400);
		r = line_end(b, len, n, &next);
		if (r == _BAD)
			return fail(req, 400);
		if (r == _MORE)
			return _MORE;
		ve = n;
		while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t'))
			ve--;
		if (on_field(req, b + ns, ne - ns, b + vs, ve - vs,
			     &close, &ka))
			return fail(req, 400);
		p = next;
	}

	if (req->minor >= 1 && !req->has_host)
		return fail(req, 400);
	req->keep_alive = req->minor >= 1 ? !close : (ka && !close);
	return 1;
}

/* See http.h.  Returns 1 (complete), 0 (need more) or -EINVAL. */
int uk_prom_http_parse(const char *buf, size_t len,
		       struct uk_prom_http_req *req)
{
	int r, in_line;

	memset(req, 0, sizeof(*req));
	r = parse(buf, len > UK_PROM_HTTP_HEAD_MAX ? UK_PROM_HTTP_HEAD_MAX
		  : len, req, &in_line);
	if (r == _MORE && len >= UK_PROM_HTTP_HEAD_MAX)
		return fail(req, in_line ? 414 : 431);
	if (r < 0 && !req->status)
		req->status = 400;
	return r;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* See http.h.  Returns the decoded length or -EINVAL. */
int uk_prom_http_pct_decode(const char *src, size_t len, char *dst)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (src[i] != '%') {
			dst[o++] = src[i];
			continue;
		}
		if (i + 2 >= len)
			return -EINVAL;
		hi = hexval((unsigned char)src[i + 1]);
		lo = hexval((unsigned char)src[i + 2]);
		if (hi < 0 || lo < 0 || (hi | lo) == 0)
			return -EINVAL;
		dst[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	dst[o] = '\0';
	return (int)o;
}

/* See http.h. */
const char *uk_prom_http_reason(unsigned int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}
