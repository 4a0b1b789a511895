/*
 * libFuzzer target for the exposition encoder.  The input describes a
 * store (library "fuzzenc": up to 8 folders with arbitrary names, some of
 * one label and some of three with arbitrary values, and a set of static
 * entries) holding values of every type, including odd doubles, strings
 * with any bytes, histograms that may break the rules, info label sets
 * whose names may be invalid or clash with the folder's, and getters that
 * fail; a family of static entries and folders, families of several
 * entries with constant labels, and untyped entries; then the format and
 * a list of chunk sizes.  It checks that the chunked encoding equals the
 * one-shot encoding, that every line is well formed (a comment, or a
 * metric name, an optional label set with only legal escapes and no label
 * twice, a space and a value token), that each family's TYPE comes once
 * and its samples follow it together, that the body is valid UTF-8, and
 * that OpenMetrics ends with exactly one "# EOF".  The input also goes to
 * uk_prom_negotiate() as an Accept header.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uk/prom.h>
#include <uk/store.h>

UK_STORE_LIBRARY(fuzzenc);

#define NF 8
#define MAXSTR 96

struct spec {
	uint64_t u;
	int64_t s;
	double d;
	uint8_t fail;  /* one bit per entry: its getter fails */
	char str[MAXSTR + 1];
	uint32_t nb;   /* may exceed the maximum */
	double le[UK_STORE_HIST_MAX_BUCKETS + 2];
	uint64_t cum[UK_STORE_HIST_MAX_BUCKETS];
	uint64_t count;
	double sum;
	char lv[2][MAXSTR / 4 + 1];  /* a three-label folder's other values */
	char lval[4][MAXSTR / 4 + 1];
	struct uk_store_labels_val lab;
};

/* specs[NF] backs the static entries. */
static struct spec specs[NF + 1];

/* A cursor over the fuzzer's input; reads past the end give zeros. */
struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t in_u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t in_u64(struct in *in)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | in_u8(in);
	return v;
}

static double in_dbl(struct in *in)
{
	uint8_t k = in_u8(in);
	uint64_t b;
	double d;

	/* Mostly metric-like values, sometimes any bit pattern. */
	switch (k & 3) {
	case 0:
		return (double)(int16_t)in_u64(in) / 4;
	case 1:
		return (double)in_u64(in) / 1e6;
	default:
		b = in_u64(in);
		memcpy(&d, &b, sizeof(d));
		return d;
	}
}

static void in_str(struct in *in, char *s, size_t max)
{
	size_t l = in_u8(in) % (max + 1), i;

	for (i = 0; i < l; i++) {
		s[i] = (char)in_u8(in);
		if (!s[i])
			s[i] = 'z';
	}
	s[l] = '\0';
}

static void in_spec(struct in *in, struct spec *sp)
{
	uint32_t i;

	sp->u = in_u64(in);
	sp->s = (int64_t)in_u64(in);
	sp->d = in_dbl(in);
	sp->fail = in_u8(in);
	if (sp->fail & 0x80)
		sp->fail = 0; /* mostly no failures */
	in_str(in, sp->str, MAXSTR);
	sp->nb = in_u8(in) % (UK_STORE_HIST_MAX_BUCKETS + 3);
	for (i = 0; i < sp->nb && i < UK_STORE_HIST_MAX_BUCKETS + 2; i++)
		sp->le[i] = i ? sp->le[i - 1] + (double)(in_u8(in) % 7)
			      : in_dbl(in);
	for (i = 0; i < sp->nb && i < UK_STORE_HIST_MAX_BUCKETS; i++)
		sp->cum[i] = (i ? sp->cum[i - 1] : 0) + in_u8(in) % 5;
	sp->count = (sp->nb ? sp->cum[sp->nb > UK_STORE_HIST_MAX_BUCKETS
				     ? 0 : sp->nb - 1] : 0) + in_u8(in) % 3;
	if (in_u8(in) == 0xff)
		sp->count = 0; /* sometimes below the last bucket */
	sp->sum = in_dbl(in);
	for (i = 0; i < 2; i++)
		in_str(in, sp->lv[i], MAXSTR / 4);
	/* Label pairs, their names good, bad or clashing. */
	sp->lab.n = in_u8(in) % 6;
	for (i = 0; i < sp->lab.n; i++) {
		static const char *const names[] = {
			"a", "b", "c", "dev", "mp", "op", "value", "1x",
			"__x", "", NULL };

		sp->lab.l[i].name = names[in_u8(in) % 11];
		if (i < 4) {
			in_str(in, sp->lval[i], MAXSTR / 4);
			sp->lab.l[i].value = sp->lval[i];
		} else {
			sp->lab.l[i].value = NULL;
		}
	}
	if (in_u8(in) == 0xfe)
		sp->lab.n = UK_STORE_LABELS_MAX + 1;
}

#define FAILS(c, bit) (((struct spec *)(c))->fail & (1u << (bit)))

static int g_u64(void *c, uint64_t *o)
{
	*o = ((struct spec *)c)->u;
	return FAILS(c, 0) ? -5 : 0;
}

static int g_s64(void *c, int64_t *o)
{
	*o = ((struct spec *)c)->s;
	return FAILS(c, 1) ? -5 : 0;
}

static int g_s8(void *c, int8_t *o)
{
	*o = (int8_t)((struct spec *)c)->s;
	return FAILS(c, 2) ? -5 : 0;
}

static int g_dbl(void *c, double *o)
{
	*o = ((struct spec *)c)->d;
	return FAILS(c, 3) ? -5 : 0;
}

static int g_str(void *c, const char **o)
{
	*o = ((struct spec *)c)->str;
	return FAILS(c, 4) ? -5 : 0;
}

static int g_hist(void *c, struct uk_store_hist_val *h)
{
	struct spec *sp = c;

	h->nbuckets = sp->nb;
	h->le = sp->le;
	memcpy(h->cum, sp->cum, sizeof(h->cum));
	h->count = sp->count;
	h->sum = sp->sum;
	return FAILS(c, 5) ? -5 : 0;
}

static int g_labels(void *c, struct uk_store_labels_val *l)
{
	*l = ((struct spec *)c)->lab;
	return FAILS(c, 6) ? -5 : 0;
}

static const struct uk_store_entry tmpl[] = {
	UK_STORE_ENTRY(rx_total, u64, counter, bytes, "Bytes \\ in\n",
		       g_u64, NULL, NULL),
	UK_STORE_ENTRY(delta, s64, gauge, none, "A \"delta\"", g_s64, NULL,
		       NULL),
	UK_STORE_ENTRY(small, s8, gauge, none, "", g_s8, NULL, NULL),
	UK_STORE_ENTRY(temp, dbl, gauge, seconds, "Temp", g_dbl, NULL, NULL),
	UK_STORE_ENTRY(name, str, info, none, "Name", g_str, NULL, NULL),
	UK_STORE_ENTRY(lat, hist, histogram, seconds, "Latency", g_hist,
		       NULL, NULL),
};

/* For folders of three labels: families of several entries. */
static const struct uk_store_entry tmpl3[] = {
	UK_STORE_ENTRY_L(ops_read, ops_total, op, "read", u64, counter, none,
			 "Ops", g_u64, NULL, NULL),
	UK_STORE_ENTRY(wait, dbl, untyped, seconds, "U", g_dbl, NULL, NULL),
	UK_STORE_ENTRY_L(ops_write, ops_total, op, "wr\"ite", u64, counter,
			 none, "Ops", g_u64, NULL, NULL),
	UK_STORE_ENTRY(info, labels, info, none, "I", g_labels, NULL, NULL),
	UK_STORE_ENTRY_L(sf_t, sfam, l, "t", s64, gauge, none, "S", g_s64,
			 NULL, NULL),
	UK_STORE_ENTRY_L(lat_r, lat3, op, "r", hist, histogram, seconds, "L",
			 g_hist, NULL, NULL),
	UK_STORE_ENTRY(n_untyped, s8, untyped, none, "", g_s8, NULL, NULL),
};
static const char *const labels3[] = { "dev", "mp", "kind" };

/* sfam: two static entries apart, and tmpl3's sf_t in every folder. */
UK_STORE_STATIC_ENTRY_L(fuzzenc, sf_b, sfam, l, "b", s64, gauge, none, "S",
			g_s64, NULL, &specs[NF]);
UK_STORE_STATIC_ENTRY(fuzzenc, s_lab, labels, info, none, "sl", g_labels,
		      NULL, &specs[NF]);
UK_STORE_STATIC_ENTRY_L(fuzzenc, sf_a, sfam, l, "a", s64, gauge, none, "S",
			g_s64, NULL, &specs[NF]);
UK_STORE_STATIC_ENTRY(fuzzenc, s_hist, hist, histogram, none, "h", g_hist,
		      NULL, &specs[NF]);
UK_STORE_STATIC_ENTRY(fuzzenc, s_str, str, info, none, "s\ns", g_str, NULL,
		      &specs[NF]);
UK_STORE_STATIC_ENTRY(fuzzenc, s_dbl_seconds, dbl, counter, seconds, "d",
		      g_dbl, NULL, &specs[NF]);
UK_STORE_STATIC_ENTRY(fuzzenc, s_u64, u64, counter, none, "u", g_u64, NULL,
		      &specs[NF]);

#define OUTMAX (1 << 20)
static char one[OUTMAX], chunked[OUTMAX], accept[4097];

static size_t encode(int fmt, const uint16_t *sizes, unsigned int nsizes,
		     char *b)
{
	static const char *const libs[] = { "fuzzenc", NULL };
	struct uk_prom_enc e;
	size_t len = 0, n, want;
	unsigned int k = 0;

	uk_prom_enc_init_filter(&e, (enum uk_prom_format)fmt, libs);
	for (;;) {
		want = nsizes ? sizes[k++ % nsizes] : OUTMAX / 2;
		if (len + want > OUTMAX)
			abort();
		n = uk_prom_enc_read(&e, b + len, want);
		if (n > want)
			abort();
		if (!n)
			break;
		len += n;
	}
	uk_prom_enc_fini(&e);
	return len;
}

static int name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c == ':';
}

static int name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

/*
 * A sample line [s, e) (no newline), of the family whose TYPE came last
 * (fam, fl bytes; NULL before any): its name must start with the
 * family's.  Aborts when malformed, or when a label comes twice.
 */
static void check_sample(const char *s, const char *e, const char *fam,
			 size_t fl)
{
	const char *lab[48];
	size_t llen[48];
	unsigned int nl = 0, k;

	if (s == e || !name_start(*s))
		abort();
	if (!fam || (size_t)(e - s) < fl || memcmp(s, fam, fl))
		abort();
	while (s < e && name_char(*s))
		s++;
	if (s < e && *s == '{') {
		s++;
		for (;;) {
			const char *l = s;

			if (s >= e || !name_start(*s))
				abort();
			while (s < e && name_char(*s))
				s++;
			for (k = 0; k < nl; k++)
				if (llen[k] == (size_t)(s - l) &&
				    !memcmp(lab[k], l, llen[k]))
					abort();
			if (nl == 48)
				abort();
			lab[nl] = l;
			llen[nl++] = (size_t)(s - l);
			if (s + 1 >= e || s[0] != '=' || s[1] != '"')
				abort();
			for (s += 2; s < e && *s != '"'; s++)
				if (*s == '\\' && (s + 1 >= e ||
						   !strchr("\\\"n", *++s)))
					abort();
			if (s >= e)
				abort();
			s++;
			if (s < e && *s == ',') {
				s++;
				continue;
			}
			if (s >= e || *s != '}')
				abort();
			s++;
			break;
		}
	}
	if (s >= e || *s != ' ')
		abort();
	if (++s >= e)
		abort();
	for (; s < e; s++)
		if (*s == ' ' || *s == '"' || *s == '{')
			abort();
}

/* The body must be UTF-8: decode every sequence, check its range. */
static void check_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	uint32_t cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2, cp = s[i] & 0x1f, min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3, cp = s[i] & 0x0f, min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4, cp = s[i] & 0x07, min = 0x10000;
		} else {
			abort();
		}
		if (i + len > n)
			abort();
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			abort();
		i += len;
	}
}

/*
 * Checks the body's lines; each TYPE must name a family not seen before
 * (its samples all follow it), and samples must belong to the last one.
 */
static void check_lines(const char *b, size_t len, int om)
{
	const char *s = b, *end = b + len, *nl, *fam = NULL;
	const char *fams[64];
	size_t fl = 0, flen[64];
	unsigned int nfams = 0, k;
	int eof = 0;

	if (len && b[len - 1] != '\n')
		abort();
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (eof)
			abort(); /* nothing after # EOF */
		if (*s == '#') {
			if (om && nl - s == 5 && !memcmp(s, "# EOF", 5))
				eof = 1;
			else if (nl - s < 8 || (memcmp(s, "# HELP ", 7) &&
						memcmp(s, "# TYPE ", 7) &&
						(!om || memcmp(s, "# UNIT ", 7))))
				abort();
			if (!memcmp(s, "# TYPE ", 7)) {
				const char *sp = memchr(s + 7, ' ',
							(size_t)(nl - s - 7));

				if (!sp)
					abort();
				fam = s + 7;
				fl = (size_t)(sp - fam);
				for (k = 0; k < nfams; k++)
					if (flen[k] == fl &&
					    !memcmp(fams[k], fam, fl))
						abort();
				if (nfams == 64)
					abort();
				fams[nfams] = fam;
				flen[nfams++] = fl;
			}
		} else {
			check_sample(s, nl, fam, fl);
		}
		s = nl + 1;
	}
	if (om != eof)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uk_store_folder *f[NF];
	struct in in = { data, size };
	uint16_t sizes[16];
	unsigned int nf, i, nsizes;
	size_t l1, l2;
	int fmt;

	fmt = in_u8(&in) & 1;
	nf = in_u8(&in) % (NF + 1);
	for (i = 0; i < nf; i++) {
		const char *values[3];
		char name[24], value[24];
		uint8_t kind = in_u8(&in);

		in_str(&in, name, 20);
		in_str(&in, value, 20);
		in_spec(&in, &specs[i]);
		/* One label (the name), or three (the first maybe valued). */
		values[0] = kind & 2 ? value : NULL;
		values[1] = specs[i].lv[0];
		values[2] = specs[i].lv[1];
		if (kind & 1 ? uk_store_folder_add_labels(
				       &uk_store_lib_fuzzenc, labels3, values, 3,
				       name, tmpl3,
				       sizeof(tmpl3) / sizeof(tmpl3[0]),
				       &specs[i], NULL, &f[i])
			     : uk_store_folder_add(
				       &uk_store_lib_fuzzenc, "dev", name, tmpl,
				       sizeof(tmpl) / sizeof(tmpl[0]),
				       &specs[i], NULL, &f[i]))
			f[i] = NULL;
	}
	in_spec(&in, &specs[NF]);
	nsizes = in_u8(&in) % 17;
	for (i = 0; i < nsizes; i++)
		sizes[i] = (uint16_t)(1 + ((in_u8(&in) << 8 | in_u8(&in)) %
					   4096));

	/* The same bytes as an Accept header: any answer, no crash. */
	if (size < sizeof(accept)) {
		memcpy(accept, data, size);
		accept[size] = '\0';
		if (uk_prom_negotiate(accept) > UK_PROM_FMT_OPENMETRICS)
			abort();
	}

	l1 = encode(fmt, NULL, 0, one);
	l2 = encode(fmt, sizes, nsizes, chunked);
	if (l1 != l2 || memcmp(one, chunked, l1))
		abort();
	check_lines(one, l1, fmt);
	check_utf8((const unsigned char *)one, l1);

	for (i = 0; i < nf; i++)
		if (f[i])
			uk_store_folder_remove(f[i]);
	return 0;
}
