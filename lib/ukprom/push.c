/*
 * Pushing the store to a Prometheus Pushgateway (contract in
 * uk/prom_push.h): the push URL and its grouping key, the body (the
 * encoder's text format, pulled chunk by chunk by client.c), the
 * periodic thread, the final push of an ending application, the console
 * lines that say how a push went, and the push self-metrics in library
 * ukprom.
 *
 * The grouping key.  The Pushgateway takes it from the path:
 * /metrics/job/<job>/<label>/<value>..., each value percent-escaped, or,
 * when it holds a '/' (or is empty), given as "<label>@base64/<value in
 * base64url>".  The user's path names the job; the instance label (the
 * host name) is appended here with the same rules.
 *
 * Bounds.  Every push runs before one deadline, timeout_ms from its
 * start; the final push's deadline counts from the call of
 * uk_prom_push_final(), so the periodic push it cancels comes out of the
 * same budget.  A push holds p->lock throughout, so pushes never overlap
 * and share p's buffers; a push allocates nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/counter.h>
#include <uk/fmutex.h>
#include <uk/plat/cmdline.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/prom.h>
#include <uk/prom_push.h>
#include <uk/store_publish.h>
#include <uk/thread.h>
#include <uk/wait.h>

#include "client.h"
#include "push_impl.h"
#include "server_impl.h"

#define MS (UK_NSEC_PER_MSEC)
/* Chunks of the body (and room for the request and response heads). */
#define PUSH_BUF 4096

struct uk_prom_push {
	struct uk_alloc *a;
	char addr[16];
	uint16_t port;
	uint64_t timeout_ns;
	uint64_t interval_ns;
	uint64_t (*clock_ns)(void);
	const char *const *libs;
	struct uk_fmutex lock;   /* one push at a time (uncounted) */
	uint32_t stop;           /* the thread's futex word: 1 to end */
	uint32_t cancel;         /* a push in flight gives up when set */
	int last_rc;             /* the previous push's result */
	uint32_t npushed;        /* pushes completed, for the console */
	struct uk_thread *thread;
	char target[UK_PROM_PUSH_TARGET_MAX];
	char where[16 + 6 + UK_PROM_PUSH_TARGET_MAX];
	struct uk_prom_enc enc;
	char buf[PUSH_BUF];
};

/* ---- self-metrics -------------------------------------------------------- */

UK_STORE_LIB_EXTERN(ukprom);

static const char *const reasons[] = {
	"refused", "timeout", "reset", "http", "protocol", "cancelled",
	"other",
};
#define NREASONS (sizeof(reasons) / sizeof(reasons[0]))

static uint64_t pushes;
static uint64_t push_errors[NREASONS];
static uint64_t last_duration_ns;
/* Bare fmutexes, like the server's: a push encodes the lock metrics, and
 * its own locks must not count in them. */
static struct uk_fmutex stats_lock = UK_FMUTEX_INITIALIZER;
static int stats_ready;

static int get_u64(void *cookie, uint64_t *out)
{
	*out = uk_counter_read(cookie);
	return 0;
}

static int get_duration(void *cookie, double *out)
{
	*out = (double)uk_counter_read(&last_duration_ns) / UK_NSEC_PER_SEC;
	return 0;
}

UK_STORE_STATIC_ENTRY(ukprom, push_duration_seconds, dbl, gauge, seconds,
		      "How long the last successful push to the Pushgateway "
		      "took.", get_duration, NULL, NULL);
UK_STORE_STATIC_ENTRY(ukprom, pushes, u64, counter, none,
		      "Pushes to the Pushgateway begun, each counted before "
		      "its body is encoded (so a pushed body counts itself).",
		      get_u64, NULL, &pushes);

static const struct uk_store_entry error_tmpl[] = {
	UK_STORE_ENTRY(push_errors, u64, counter, none,
		       "Pushes to the Pushgateway that failed, by reason.",
		       get_u64, NULL, NULL),
};

/* Creates the reason folders once per process.  Returns 0 or -errno. */
static int stats_init(void)
{
	struct uk_store_folder *f;
	unsigned int i;
	int rc = 0;

	uk_fmutex_lock(&stats_lock);
	for (i = 0; i < NREASONS && !stats_ready; i++) {
		rc = uk_store_folder_add(&uk_store_lib_ukprom, "reason",
					 reasons[i], error_tmpl, 1,
					 &push_errors[i], NULL, &f);
		if (rc == -EEXIST)
			rc = 0;
		if (rc)
			break;
	}
	if (!rc)
		stats_ready = 1;
	UK_ASSERT(uk_fmutex_unlock(&stats_lock));
	return rc;
}

/* The reason folder a failed push with result rc counts in. */
static unsigned int reason_of(int rc)
{
	switch (rc) {
	case -ECONNREFUSED: return 0;
	case -ETIMEDOUT: return 1;
	case -ECONNRESET: return 2;
	case -EREMOTEIO: return 3;
	case -EPROTO: return 4;
	case -ECANCELED: return 5;
	default: return 6;
	}
}

/* ---- the URL and the grouping key ------------------------------------ */

static int is_unreserved(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

/*
 * Appends "/<name>/<value>" to out (of size, holding a string), value
 * escaped by the Pushgateway's rules.  Returns 0 or -ENAMETOOLONG.
 */
int _uk_prom_push_add_label(char *out, size_t size, const char *name,
			    const char *value)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789-_";
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *v = (const unsigned char *)value;
	size_t at = strlen(out), n = strlen(value), i;
	int base64 = !n || strchr(value, '/');
	uint32_t w;

#define PUT(c) do { if (at + 1 >= size) return -ENAMETOOLONG; \
		    out[at++] = (c); } while (0)
	PUT('/');
	for (i = 0; name[i]; i++)
		PUT(name[i]);
	if (base64)
		for (i = 0; "@base64"[i]; i++)
			PUT("@base64"[i]);
	PUT('/');
	if (base64 && !n) {
		PUT('=');
	} else if (base64) {
		for (i = 0; i < n; i += 3) {
			w = (uint32_t)v[i] << 16;
			if (i + 1 < n)
				w |= (uint32_t)v[i + 1] << 8;
			if (i + 2 < n)
				w |= v[i + 2];
			PUT(b64[w >> 18 & 63]);
			PUT(b64[w >> 12 & 63]);
			PUT(i + 1 < n ? b64[w >> 6 & 63] : '=');
			PUT(i + 2 < n ? b64[w & 63] : '=');
		}
	} else {
		for (i = 0; i < n; i++) {
			if (is_unreserved((char)v[i])) {
				PUT((char)v[i]);
				continue;
			}
			PUT('%');
			PUT(hex[v[i] >> 4]);
			PUT(hex[v[i] & 15]);
		}
	}
#undef PUT
	out[at] = '\0';
	return 0;
}

/* Whether the path's segment s[0..n) is the label name "instance". */
static int is_instance(const char *s, size_t n)
{
	if (n >= 7 && !memcmp(s + n - 7, "@base64", 7))
		n -= 7;
	return n == 8 && !memcmp(s, "instance", 8);
}

/*
 * Checks a Pushgateway path: "/metrics/job/<job>" then label/value
 * pairs, visible ASCII.  Returns 1 when it sets instance, 0 when not,
 * -EINVAL when malformed (*why says how).
 */
int _uk_prom_push_check_path(const char *path, const char **why)
{
	static const char pfx[] = "/metrics/job/";
	const char *s, *e;
	unsigned int seg = 0;
	int has_instance = 0;

	if (strncmp(path, pfx, sizeof(pfx) - 1)) {
		*why = "the path must start with /metrics/job/<job>";
		return -EINVAL;
	}
	for (s = path; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f) {
			*why = "the path holds a blank or non-ASCII byte";
			return -EINVAL;
		}
	/* Segments after the prefix: job, then name, value, ... */
	for (s = path + sizeof(pfx) - 1;; s = e + 1) {
		e = strchr(s, '/');
		if (!e)
			e = s + strlen(s);
		if (e == s) {
			*why = seg ? "the path has an empty segment" :
				     "the job name is empty";
			return -EINVAL;
		}
		if (seg % 2 && is_instance(s, (size_t)(e - s)))
			has_instance = 1;
		seg++;
		if (!*e)
			break;
	}
	if (!(seg % 2)) {
		*why = "a label in the path has no value";
		return -EINVAL;
	}
	return has_instance;
}

/*
 * Splits url ("[http://]HOST:PORT/PATH") into addr (16 bytes), port and
 * the path.  Returns 0, or -EINVAL with *why set.
 */
int _uk_prom_push_parse_url(const char *url, char *addr, uint16_t *port,
			    const char **path, const char **why)
{
	const char *colon, *slash, *d;
	unsigned long p = 0;

	if (!strncmp(url, "http://", 7))
		url += 7;
	colon = strchr(url, ':');
	slash = strchr(url, '/');
	if (!colon || !slash || slash < colon) {
		*why = "expected HOST:PORT/PATH";
		return -EINVAL;
	}
	if (colon == url || colon - url > 15) {
		*why = "the host must be an IPv4 address";
		return -EINVAL;
	}
	for (d = colon + 1; d < slash; d++) {
		if (*d < '0' || *d > '9' || p > 65535) {
			*why = "bad port";
			return -EINVAL;
		}
		p = p * 10 + (unsigned long)(*d - '0');
	}
	if (d == colon + 1 || !p || p > 65535) {
		*why = "bad port";
		return -EINVAL;
	}
	memcpy(addr, url, (size_t)(colon - url));
	addr[colon - url] = '\0';
	*port = (uint16_t)p;
	*path = slash;
	return 0;
}

/*
 * Builds the request target from the user's path and the instance into
 * out (size bytes).  Returns 0, -EINVAL (*why set) or -ENAMETOOLONG.
 */
int _uk_prom_push_target(const char *path, const char *instance, char *out,
			 size_t size, const char **why)
{
	int rc = _uk_prom_push_check_path(path, why);
	size_t n = strlen(path);

	if (rc < 0)
		return rc;
	if (instance && strlen(instance) > 255) {
		*why = "the instance name is longer than 255 bytes";
		return -EINVAL;
	}
	if (n >= size) {
		*why = "the path is too long";
		return -ENAMETOOLONG;
	}
	memcpy(out, path, n + 1);
	if (rc == 1 || !instance)
		return 0;
	rc = _uk_prom_push_add_label(out, size, "instance", instance);
	if (rc)
		*why = "the path is too long";
	return rc;
}

/* ---- one push ----------------------------------------------------------- */

/* The client's body source: the encoder, filling whole chunks. */
static size_t body(void *cookie, char *buf, size_t size)
{
	struct uk_prom_push *p = cookie;
	size_t n = 0, r;

	while (n < size) {
		r = uk_prom_enc_read(&p->enc, buf + n, size - n);
		if (!r)
			break;
		n += r;
	}
	return n;
}

static const char *phase_words(unsigned int phase)
{
	switch (phase) {
	case _UKP_PHASE_CONNECT: return "connecting";
	case _UKP_PHASE_SEND: return "sending";
	default: return "waiting for the response";
	}
}

/* Says on the console why a push failed (rc, res) after ms. */
static void report_failure(const struct uk_prom_push *p, int rc,
			   const struct _uk_prom_post_result *res,
			   uint64_t ms)
{
	char why[200];

	switch (rc) {
	case -ECONNREFUSED:
		snprintf(why, sizeof(why), "connection refused");
		break;
	case -ETIMEDOUT:
		snprintf(why, sizeof(why), "timed out after %llu ms %s",
			 (unsigned long long)(p->timeout_ns / MS),
			 phase_words(res->phase));
		break;
	case -ECONNRESET:
		snprintf(why, sizeof(why), "connection reset while %s",
			 phase_words(res->phase));
		break;
	case -EREMOTEIO:
		snprintf(why, sizeof(why), "HTTP %d %s", res->status,
			 res->msg);
		break;
	case -EPROTO:
		snprintf(why, sizeof(why), "bad response: %s", res->msg);
		break;
	default:
		snprintf(why, sizeof(why), "error %d while %s%s%s", rc,
			 phase_words(res->phase), res->msg[0] ? ": " : "",
			 res->msg);
	}
	uk_pr_err("ukprom: push to %s failed after %llu ms: %s\n", p->where,
		  (unsigned long long)ms, why);
}

/*
 * One push before deadline, p->lock held.  final: the application's last
 * (always reported).  Returns 0 or a negative errno (see the header).
 */
static int push_locked(struct uk_prom_push *p, uint64_t deadline, int final)
{
	struct _uk_prom_post_result res;
	struct _uk_prom_post q;
	uint64_t start = p->clock_ns(), ms;
	int rc;

	uk_counter_add_mt(&pushes, 1);
	uk_prom_enc_init_filter(&p->enc, UK_PROM_FMT_TEXT, p->libs);
	memset(&q, 0, sizeof(q));
	q.addr = p->addr;
	q.port = p->port;
	q.target = p->target;
	q.content_type = UK_PROM_CT_TEXT;
	q.body = body;
	q.cookie = p;
	q.buf = p->buf;
	q.size = sizeof(p->buf);
	q.deadline_ns = deadline;
	q.clock_ns = p->clock_ns;
	q.cancel = &p->cancel;
	rc = _uk_prom_post(&q, &res);
	if (p->enc.getter_errors)
		_uk_prom_stats_getter_errors(p->enc.getter_errors);
	uk_prom_enc_fini(&p->enc);
	ms = (p->clock_ns() - start) / MS;
	if (rc > 0)
		rc = rc < 300 ? 0 : -EREMOTEIO;
	if (!rc) {
		__atomic_store_n(&last_duration_ns, p->clock_ns() - start,
				 __ATOMIC_RELAXED);
		if (final || p->last_rc || !p->npushed)
			uk_pr_info("ukprom: pushed %llu bytes to %s in %llu ms "
				   "(HTTP %d)\n",
				   (unsigned long long)res.body_bytes,
				   p->where, (unsigned long long)ms,
				   res.status);
		p->npushed++;
	} else {
		uk_counter_add_mt(&push_errors[reason_of(rc)], 1);
		if (rc != -ECANCELED)
			report_failure(p, rc, &res, ms);
	}
	p->last_rc = rc;
	return rc;
}

/*
 * Pushes the store now, waiting for a push in progress first.  Returns 0
 * or a negative errno.
 */
int uk_prom_push_now(struct uk_prom_push *p)
{
	int rc;

	uk_fmutex_lock(&p->lock);
	rc = push_locked(p, p->clock_ns() + p->timeout_ns, 0);
	UK_ASSERT(uk_fmutex_unlock(&p->lock));
	return rc;
}

/* ---- the periodic thread, start and end -------------------------------- */

static void thread_fn(void *arg)
{
	struct uk_prom_push *p = arg;
	uint64_t next = uk_wait_now_ns() + p->interval_ns, now;

	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
		uk_wait_on(&p->stop, 0, next);
		if (__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE))
			break;
		now = uk_wait_now_ns();
		if (now < next)
			continue;       /* woken early: sleep on */
		uk_prom_push_now(p);
		next += p->interval_ns;
		now = uk_wait_now_ns();
		if (next <= now)
			next = now + p->interval_ns;
	}
}

/* Ends the thread, cancelling a push in flight. */
static void thread_end(struct uk_prom_push *p)
{
	if (!p->thread)
		return;
	__atomic_store_n(&p->cancel, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
	uk_wake(&p->stop, -1);
	uk_thread_join(p->thread);
	p->thread = NULL;
	__atomic_store_n(&p->cancel, 0, __ATOMIC_RELEASE);
}

/*
 * Checks cfg, allocates the push and starts its thread.  Returns 0 and
 * sets *out, or -EINVAL, -ENAMETOOLONG, -ENOMEM.
 */
int uk_prom_push_start(const struct uk_prom_push_cfg *cfg,
		       struct uk_prom_push **out)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_prom_push *p;
	const char *path, *why = "";
	int rc;

	if (!cfg || !cfg->url) {
		uk_pr_err("ukprom: push: no URL\n");
		return -EINVAL;
	}
	p = uk_calloc(a, 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->a = a;
	rc = _uk_prom_push_parse_url(cfg->url, p->addr, &p->port, &path,
				     &why);
	if (!rc)
		rc = _uk_prom_push_target(path, cfg->instance, p->target,
					  sizeof(p->target), &why);
	if (rc) {
		uk_pr_err("ukprom: push: bad URL %s: %s\n", cfg->url, why);
		uk_free(a, p);
		return rc;
	}
	snprintf(p->where, sizeof(p->where), "%s:%u%s", p->addr,
		 (unsigned int)p->port, p->target);
	p->timeout_ns = (uint64_t)(cfg->timeout_ms ? cfg->timeout_ms :
				   UK_PROM_PUSH_TIMEOUT_MS) * MS;
	p->interval_ns = (uint64_t)cfg->interval_ms * MS;
	p->clock_ns = cfg->clock_ns ? cfg->clock_ns : uk_plat_time_mono_ns;
	p->libs = cfg->libs;
	p->lock = (struct uk_fmutex)UK_FMUTEX_INITIALIZER;
	rc = stats_init();
	if (rc)
		uk_pr_warn("ukprom: push error counters unavailable (%d)\n",
			   rc);
	if (p->interval_ns) {
		rc = uk_thread_create(&p->thread, "ukprom-push", thread_fn, p,
				      0);
		if (rc) {
			uk_free(a, p);
			return rc;
		}
		uk_thread_set_class(p->thread, UK_THREAD_CLASS_SYSTEM);
	}
	*out = p;
	return 0;
}

/* Stops the thread and frees p without pushing. */
void uk_prom_push_stop(struct uk_prom_push *p)
{
	if (!p)
		return;
	thread_end(p);
	uk_free(p->a, p);
}

/*
 * The application's last push: within timeout_ms of this call, the
 * periodic thread ended and the store pushed.  Frees p.  Returns the
 * push's result.
 */
int uk_prom_push_final(struct uk_prom_push *p)
{
	uint64_t deadline;
	int rc;

	if (!p)
		return 0;
	deadline = p->clock_ns() + p->timeout_ns;
	thread_end(p);
	uk_fmutex_lock(&p->lock);
	rc = push_locked(p, deadline, 1);
	UK_ASSERT(uk_fmutex_unlock(&p->lock));
	uk_prom_push_stop(p);
	return rc;
}

/* "HOST:PORT/target" of p. */
const char *uk_prom_push_where(const struct uk_prom_push *p)
{
	return p->where;
}

/* A boot option as a number in [lo, hi]; 0 when absent; -EINVAL if bad. */
static long opt_num(const char *key, unsigned long lo, unsigned long hi)
{
	const char *v = uk_plat_option(key);
	unsigned long n;
	char *end;

	if (!v)
		return 0;
	n = strtoul(v, &end, 10);
	if (!*v || *end || *v == '-' || n < lo || n > hi) {
		uk_pr_err("ukprom: bad %s=%s (want %lu..%lu)\n", key, v, lo,
			  hi);
		return -EINVAL;
	}
	return (long)n;
}

/*
 * Starts a push from the boot options ukprom.push, ukprom.push_interval
 * and ukprom.push_timeout_ms.  Returns 0 (*out NULL when ukprom.push is
 * absent) or a negative errno.
 */
int uk_prom_push_boot(const char *instance, struct uk_prom_push **out)
{
	struct uk_prom_push_cfg cfg = { 0 };
	long interval, timeout;

	*out = NULL;
	cfg.url = uk_plat_option("ukprom.push");
	if (!cfg.url)
		return 0;
	interval = opt_num("ukprom.push_interval", 1, 86400);
	timeout = opt_num("ukprom.push_timeout_ms", 1, 60000);
	if (interval < 0 || timeout < 0)
		return -EINVAL;
	cfg.instance = instance;
	cfg.interval_ms = (uint32_t)interval * 1000;
	cfg.timeout_ms = (uint32_t)timeout;
	return uk_prom_push_start(&cfg, out);
}
