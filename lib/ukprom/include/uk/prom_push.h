/*
 * ukprom's push to a Prometheus Pushgateway, for instances that live
 * shorter than a scrape interval.
 *
 * The whole store, in the text format 0.0.4 made by the same encoder as
 * /metrics, is POSTed to http://HOST:PORT/PATH, PATH naming the job as
 * the Pushgateway wants it (/metrics/job/<job>[/<label>/<value>...]);
 * "/instance/<instance>" is appended (escaped by the Pushgateway's
 * rules) unless PATH already sets an instance.  The body goes in chunked
 * transfer coding, encoded as it is sent: a push allocates nothing (its
 * buffers are allocated by uk_prom_push_start()).
 *
 * A push is bounded: connecting, sending and reading the response all
 * happen within timeout_ms (2000 by default), whatever the server does,
 * and a failure prints one console line that says why
 * ("ukprom: push to ... failed: connection refused").
 *
 * When pushes happen:
 *   - uk_prom_push_final(), called by the application as it ends (the
 *     exit hook is the application's call, not the platform's: a push
 *     needs threads, interrupts and the network, which uk_plat_exit()
 *     no longer has, and a crash must not wait for the network);
 *   - every interval_ms, if set, from a thread of its own;
 *   - uk_prom_push_now(), whenever the application likes.
 * uk_prom_push_final() cancels a periodic push in flight and then makes
 * its own, all within timeout_ms of its call, so an application's exit
 * is delayed by at most timeout_ms (plus one _UKP_CLIENT_SLICE_MS, 50 ms,
 * for a push in flight to notice the cancel).
 *
 * Self-metrics (library ukprom): ukprom_pushes_total counts pushes
 * begun, counted before the body is encoded so that each pushed body
 * counts itself; ukprom_push_errors_total{reason=...} counts failed ones
 * (refused, timeout, reset, http, protocol, cancelled, other), as the
 * next push or a scrape sees them; ukprom_push_duration_seconds is the
 * last successful push's duration.
 *
 * Errors are 0 or a negative errno.
 */
#ifndef UK_PROM_PUSH_H
#define UK_PROM_PUSH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest request target (the path with the instance appended). */
#define UK_PROM_PUSH_TARGET_MAX 512
/** Default bound on one push, in ms. */
#define UK_PROM_PUSH_TIMEOUT_MS 2000

struct uk_prom_push;

/** A push's settings; zero (or NULL) picks the default. */
struct uk_prom_push_cfg {
	/**
	 * Where to push: "HOST:PORT/PATH" (an optional "http://" before),
	 * HOST an IPv4 address, PATH "/metrics/job/<job>[/<label>/<value>
	 * ...]" with the job and values escaped as the Pushgateway wants
	 * (percent-escapes, or "<label>@base64/<base64url>").  Required.
	 */
	const char *url;
	/**
	 * The grouping label instance (any bytes but NUL, up to 255),
	 * escaped and appended as "/instance/<instance>" unless the path
	 * sets one already; NULL: none appended.
	 */
	const char *instance;
	/** Push every interval_ms from a thread; 0: no periodic push. */
	uint32_t interval_ms;
	/** Bound on one push, connect to response; 0: 2000. */
	uint32_t timeout_ms;
	/** Libraries to push (NULL-terminated; NULL: all).  Tests. */
	const char *const *libs;
	/** Clock for the timeouts; NULL: uk_plat_time_mono_ns.  Tests. */
	uint64_t (*clock_ns)(void);
};

/**
 * Checks cfg, allocates the push's buffers and, with interval_ms set,
 * starts its thread.  Nothing is sent yet.  Returns 0 and sets *out;
 * -EINVAL for a malformed url or instance (the console says what is
 * wrong), -ENAMETOOLONG when the target passes UK_PROM_PUSH_TARGET_MAX,
 * -ENOMEM.
 */
int uk_prom_push_start(const struct uk_prom_push_cfg *cfg,
		       struct uk_prom_push **out);

/**
 * Pushes the store now and waits for the answer (at most timeout_ms;
 * one push at a time, so a push of the thread in progress is waited
 * for first).  Returns 0 on a 2xx answer, else -ECONNREFUSED,
 * -ETIMEDOUT, -ECONNRESET, -EPROTO (a malformed or partial answer),
 * -EREMOTEIO (an answer that is not 2xx), -ECANCELED, or another
 * negative errno; a failure is printed on the console.
 */
int uk_prom_push_now(struct uk_prom_push *p);

/**
 * The push of an ending application: stops the periodic thread
 * (cancelling a push in flight), pushes once more, prints the outcome
 * and frees p.  Returns within timeout_ms of its call (see above) with
 * uk_prom_push_now()'s result.  p NULL: nothing to do, returns 0.
 */
int uk_prom_push_final(struct uk_prom_push *p);

/** Stops the thread and frees p without pushing.  p may be NULL. */
void uk_prom_push_stop(struct uk_prom_push *p);

/** "HOST:PORT/target", what the console lines name; valid while p is. */
const char *uk_prom_push_where(const struct uk_prom_push *p);

/**
 * Starts a push from the boot options (kvm; linuxu has none):
 * ukprom.push=HOST:PORT/PATH (none: *out is set to NULL and 0 returned),
 * ukprom.push_interval=SECONDS (a periodic push; 1..86400),
 * ukprom.push_timeout_ms=N (the bound, 1..60000; default 2000), and
 * instance as the grouping label (the image passes its host name).
 * Returns uk_prom_push_start()'s result, or -EINVAL for a bad number
 * (printed).
 */
int uk_prom_push_boot(const char *instance, struct uk_prom_push **out);

#ifdef __cplusplus
}
#endif

#endif /* UK_PROM_PUSH_H */
