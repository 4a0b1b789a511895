/*
 * Content negotiation for the exporter: reads an HTTP Accept header (a
 * comma-separated list of media ranges with parameters and q-values, RFC
 * 9110 section 12.5.1) and decides between the Prometheus text format and
 * OpenMetrics 1.0.0.  For each of the two formats the q-value is the one
 * of the most specific range that matches it (type/subtype over type/any
 * over any/any), as HTTP prescribes; OpenMetrics wins only with a strictly
 * higher q-value, so text stays the default for anything ambiguous,
 * missing or malformed.  A range with an unparsable q-value is ignored.
 */
#include <stddef.h>

#include <uk/prom.h>

/* What one media range says about one format. */
struct score {
	int spec; /* 0: no match; 1: * / *; 2: type/ *; 3: exact */
	int q;    /* thousandths */
};

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s[0..n) equals the lower-case word w, ignoring case. */
static int eq(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!w[i] || lower(s[i]) != w[i])
			return 0;
	return !w[n];
}

/* A qvalue: "0", "0.d{0,3}", "1", "1.0{0,3}"; returns thousandths or -1. */
static int parse_q(const char *s, size_t n)
{
	int q, scale = 100;
	size_t i;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static void note(struct score *sc, int spec, int q)
{
	if (spec > sc->spec) {
		sc->spec = spec;
		sc->q = q;
	} else if (spec == sc->spec && q > sc->q) {
		sc->q = q;
	}
}

/* Parses one media range s[0..n) and scores it for both formats. */
static void range(const char *s, size_t n, struct score *text,
		  struct score *om)
{
	const char *end = s + n, *t, *sub, *sube, *v;
	size_t tl, sl;
	int q = 1000, version_ok = 1, text_spec, om_spec;

	while (s < end && is_ows(*s))
		s++;
	t = s;
	while (s < end && *s != '/' && *s != ';')
		s++;
	if (s >= end || *s != '/')
		return;
	tl = (size_t)(s - t);
	while (tl && is_ows(t[tl - 1]))
		tl--;
	sub = ++s;
	while (s < end && *s != ';')
		s++;
	sube = s;
	while (sube > sub && is_ows(sube[-1]))
		sube--;
	sl = (size_t)(sube - sub);
	while (s < end) {
		const char *name, *ne, *ve;

		s++; /* ';' */
		while (s < end && is_ows(*s))
			s++;
		name = s;
		while (s < end && *s != '=' && *s != ';')
			s++;
		ne = s;
		while (ne > name && is_ows(ne[-1]))
			ne--;
		if (s >= end || *s != '=')
			continue;
		s++;
		while (s < end && is_ows(*s))
			s++;
		if (s < end && *s == '"') {
			v = ++s;
			while (s < end && *s != '"') {
				if (*s == '\\' && s + 1 < end)
					s++;
				s++;
			}
			ve = s;
			while (s < end && *s != ';')
				s++;
		} else {
			v = s;
			while (s < end && *s != ';')
				s++;
			ve = s;
			while (ve > v && is_ows(ve[-1]))
				ve--;
		}
		if (eq(name, (size_t)(ne - name), "q")) {
			q = parse_q(v, (size_t)(ve - v));
			if (q < 0)
				return;
		} else if (eq(name, (size_t)(ne - name), "version")) {
			version_ok = eq(v, (size_t)(ve - v), "1.0.0");
		}
	}
	if (eq(t, tl, "*") && eq(sub, sl, "*")) {
		note(text, 1, q);
		note(om, 1, q);
		return;
	}
	text_spec = eq(t, tl, "text") ? (eq(sub, sl, "*") ? 2
				: eq(sub, sl, "plain") ? 3 : 0) : 0;
	om_spec = eq(t, tl, "application") ? (eq(sub, sl, "*") ? 2
				: eq(sub, sl, "openmetrics-text") ? 3 : 0) : 0;
	if (text_spec)
		note(text, text_spec, q);
	/* We only speak OpenMetrics 1.0.0. */
	if (om_spec == 3 && !version_ok)
		om_spec = 0;
	if (om_spec)
		note(om, om_spec, q);
}

/* See uk/prom.h. */
enum uk_prom_format uk_prom_negotiate(const char *accept)
{
	struct score text = { 0, 0 }, om = { 0, 0 };
	const char *s, *start;
	int quoted = 0;

	if (!accept)
		return UK_PROM_FMT_TEXT;
	for (s = start = accept;; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (*s == '\\' && quoted && s[1])
			s++;
		else if ((*s == ',' && !quoted) || !*s) {
			range(start, (size_t)(s - start), &text, &om);
			if (!*s)
				break;
			start = s + 1;
		}
	}
	return om.spec && om.q > (text.spec ? text.q : 0)
		? UK_PROM_FMT_OPENMETRICS : UK_PROM_FMT_TEXT;
}
