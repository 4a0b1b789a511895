/*
 * ukprom: the Prometheus exporter.
 *
 * Two parts.  The encoder is a pure function from a ukstore walk to bytes
 * in the Prometheus text format 0.0.4 or OpenMetrics 1.0.0, written into a
 * caller's fixed buffer in chunks; it never allocates.  The server is an
 * HTTP/1.1 exporter on its own thread, written against BSD sockets and
 * poll(), so the same code serves over Linux sockets (linuxu) and lwIP
 * (kvm).  The server reports on itself through ukstore (library ukprom).
 *
 * Errors are 0 or a negative errno throughout.
 */
#ifndef UK_PROM_H
#define UK_PROM_H

#include <stddef.h>
#include <stdint.h>

#include <uk/store.h>

#ifdef __cplusplus
extern "C" {
#endif

enum uk_prom_format {
	UK_PROM_FMT_TEXT = 0,       /**< text/plain; version=0.0.4 */
	UK_PROM_FMT_OPENMETRICS,    /**< application/openmetrics-text 1.0.0 */
};

#define UK_PROM_CT_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define UK_PROM_CT_OPENMETRICS \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

/** Longest single line the encoder may need to hold (bounded memory). */
#define UK_PROM_LINE_MAX 512
/**
 * Longest metric family name the encoder handles; a family whose name is
 * longer is skipped and counted as a getter failure.
 */
#define UK_PROM_NAME_MAX 192

/**
 * Encoder state.  All of it lives here: the store cursor, the line being
 * written and where the caller's buffer left off.
 */
struct uk_prom_enc {
	uint8_t fmt;
	uint8_t done;
	uint8_t eof_sent;
	uint16_t step;          /* position inside a multi-line sample */
	struct uk_store_iter it;
	struct uk_store_ref ref;
	struct uk_store_value val;
	int have_ref;
	int first;
	char line[UK_PROM_LINE_MAX];
	uint32_t line_len, line_off;
	uint64_t getter_errors; /* failures seen by this encoding */
	uint64_t bytes;         /* bytes produced so far */
	/* Private to the encoder (enc.c, enc_render.c). */
	const char *const *libs; /* library filter, NULL: all */
	uint32_t rec_off;        /* bytes sent of a record too long for line */
	uint8_t rec_big;
	uint8_t val_ok;
	uint8_t it_end;          /* the store cursor is exhausted */
	uint8_t mtype;           /* how the current family is exposed */
	uint16_t name_len;
	uint16_t label_len;      /* UINT16_MAX: checked path (see enc.c) */
	const struct uk_store_entry *fentry; /* the family's first entry */
	char label[64];          /* the family's label name (folders) */
	char name[UK_PROM_NAME_MAX]; /* the current family's name */
};

/** Starts an encoding of the whole store in format fmt. */
void uk_prom_enc_init(struct uk_prom_enc *e, enum uk_prom_format fmt);
/**
 * Starts an encoding restricted to some libraries: libs is a
 * NULL-terminated array of library names (NULL: all), which must outlive
 * the encoding.  Tests use it to keep other libraries out of goldens.
 */
void uk_prom_enc_init_filter(struct uk_prom_enc *e, enum uk_prom_format fmt,
			     const char *const *libs);
/**
 * Writes up to size bytes of the encoding into buf.  Returns the number
 * written; 0 means the encoding is complete (so size must be at least 1).
 * The bytes do not depend on how the body is split into calls.  A getter
 * that fails drops only its own sample and is counted in e->getter_errors
 * (the exporter adds those up in ukprom_getter_errors_total); so does a
 * histogram that breaks the uk_store_hist_val rules.
 */
size_t uk_prom_enc_read(struct uk_prom_enc *e, char *buf, size_t size);
/** Releases the store references of an encoding stopped early. */
void uk_prom_enc_fini(struct uk_prom_enc *e);

/**
 * Picks the format from an Accept header value (NULL: none):
 * OpenMetrics 1.0.0 when the client prefers it by q-value over text,
 * otherwise text 0.0.4.
 */
enum uk_prom_format uk_prom_negotiate(const char *accept);

/* ---- the HTTP server ---------------------------------------------- */

struct uk_prom_server;

/**
 * The exporter's settings; zero (or NULL) picks the default.  At the
 * connection limit a newcomer replaces the connection whose request head
 * has been incomplete the longest, else the one idle longest between
 * keep-alive requests; a connection being answered is never replaced,
 * and when all are, the newcomer gets 503.
 */
struct uk_prom_server_cfg {
	const char *addr;            /**< IPv4 listen address; NULL: 0.0.0.0 */
	uint16_t port;               /**< 0: 9100 */
	uint8_t any_port;            /**< bind an ephemeral port (tests) */
	uint16_t max_conns;          /**< connection slots; 0: 32 */
	/**
	 * A request head must be complete this long after it started (at
	 * accept for a new connection, at its first byte on a keep-alive
	 * one), else 408; 0: 2000.
	 */
	uint32_t head_timeout_ms;
	uint32_t idle_timeout_ms;    /**< keep-alive idle; 0: 30000 */
	/** A response that makes no progress for this long is reset;
	 * 0: 10000. */
	uint32_t send_timeout_ms;
	/**
	 * Bytes of response window per connection slot, a multiple of
	 * 16384 up to 1 MiB (else -EINVAL); 0: 16384.  A streamed body
	 * (a scrape, a store listing) is produced into the window and
	 * handed to the socket a window at a time, so a larger one means
	 * fewer send() calls per scrape for max_conns times the memory.
	 * The bytes on the wire (chunk sizes included) do not depend on
	 * it: every chunk carries at most 16371 bytes of body whatever the
	 * window.
	 */
	uint32_t window;
	/**
	 * Clients allowed to connect, "CIDR[,CIDR...]" (IPv4, up to 16,
	 * "a.b.c.d" alone is /32); others are reset before anything is
	 * read.  NULL or "": everyone.
	 */
	const char *allow;
	/**
	 * HTTP basic authentication, "user:sha256hex" (the SHA-256 of the
	 * password in 64 hex digits): requests without these credentials
	 * get 401.  NULL or "": none.
	 */
	const char *auth;
	/** Clock for timeouts; NULL: uk_plat_time_mono_ns.  Tests inject. */
	uint64_t (*clock_ns)(void);
};

/**
 * Opens the listening socket and starts the exporter thread.  Returns 0
 * and sets *out, or a negative errno (-EADDRINUSE, -EINVAL for a bad
 * address, allow-list, auth or window setting, -ENOMEM).
 */
int uk_prom_server_start(const struct uk_prom_server_cfg *cfg,
			 struct uk_prom_server **out);
/** The bound TCP port. */
uint16_t uk_prom_server_port(const struct uk_prom_server *s);
/**
 * The connections the exporter is serving: those reading a request head
 * (accepted, or between its first byte and its end on a keep-alive
 * connection) or writing a response; keep-alive connections idle between
 * requests and lingering closes do not count.  The count is the one the
 * server's thread saw as it last began to wait for work, so it is
 * current whenever that thread is not running.  Any thread may call it.
 * An application starting slower parts after the exporter waits on it
 * so that a scrape already waiting is answered first.
 */
unsigned int uk_prom_server_busy(const struct uk_prom_server *s);

/** Most path prefixes uk_prom_route_add() takes. */
#define UK_PROM_ROUTES_MAX 4

/**
 * A handler of GET and HEAD requests under a path prefix (the exporter
 * serving files it does not know, such as lib/procfs' /proc/...): writes
 * the body of path (the decoded request path, prefix included) into buf,
 * size bytes, and its length into *len.  Returns 0 (200, text/plain),
 * -ENOENT or -EISDIR (404), or another negative errno (500; -ENOSPC when
 * the body does not fit).  It runs in the exporter's thread on every
 * such request: it must not block or allocate.
 */
typedef int (*uk_prom_route_fn)(void *arg, const char *path, char *buf,
				size_t size, size_t *len);

/**
 * Serves path prefix (starting with '/', without a trailing one, not
 * "/metrics" or "/store") and every path below it with fn(arg), in every
 * exporter of the program.  Call it before the requests come.  Returns 0,
 * -EINVAL (bad prefix or fn NULL), -EEXIST (prefix taken) or -ENOSPC
 * (UK_PROM_ROUTES_MAX taken).
 */
int uk_prom_route_add(const char *prefix, uk_prom_route_fn fn, void *arg);
/** Stops the thread, closes every socket and frees the server. */
void uk_prom_server_stop(struct uk_prom_server *s);

#ifdef __cplusplus
}
#endif

#endif /* UK_PROM_H */
