/*
 * LZSS with a 4 KiB window (format and contract in lzss.h).
 *
 * The compressor is greedy with one step of lazy matching: at each
 * position it finds the longest match among the earlier positions that
 * share the next three bytes (a hash of them heads a chain through the
 * window, followed for at most CHAIN_MAX links), and emits the match
 * unless the next position has a longer one, in which case it emits a
 * literal and takes that one instead.  Chains hold positions + 1 in
 * 32 bits, so an input must stay below 4 GiB.
 *
 * The decompressor trusts nothing: every match's offset is checked
 * against what was produced and its length against the declared length
 * and the output buffer; a stream that ends early or goes on after the
 * declared length is refused; the CRC of the output must match.
 */
#include <errno.h>
#include <string.h>

#include "lzss.h"

/* Chain links followed per position: ratio against time. */
#define CHAIN_MAX 48

static uint32_t crc_table[256];
static int crc_ready;

static void crc_init(void)
{
	uint32_t c;
	unsigned int i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

/* CRC-32 (reflected, polynomial 0x04C11DB7) continuing from crc. */
uint32_t lzss_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	size_t i;

	if (!crc_ready)
		crc_init();
	crc = ~crc;
	for (i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t hash3(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];

	return (v * 2654435761u) >> (32 - LZSS_HASH_BITS);
}

/* Enters position pos (with 3 bytes after it) into the chains. */
static void insert(struct lzss_work *w, const uint8_t *in, size_t pos)
{
	uint32_t h = hash3(in + pos);

	w->prev[pos % LZSS_WINDOW] = w->head[h];
	w->head[h] = (uint32_t)pos + 1;
}

/*
 * The longest match for pos among the chained earlier positions: sets
 * *off and returns its length (0 if under LZSS_MIN_MATCH).
 */
static size_t longest(const struct lzss_work *w, const uint8_t *in,
		      size_t n, size_t pos, size_t *off)
{
	size_t best = 0, max = n - pos, l, c;
	uint32_t cand;
	unsigned int chain = CHAIN_MAX;

	if (max < LZSS_MIN_MATCH)
		return 0;
	if (max > LZSS_MAX_MATCH)
		max = LZSS_MAX_MATCH;
	for (cand = w->head[hash3(in + pos)]; cand && chain--;
	     cand = w->prev[c % LZSS_WINDOW]) {
		c = cand - 1;
		if (pos - c > LZSS_WINDOW)
			break;
		for (l = 0; l < max && in[c + l] == in[pos + l]; l++)
			;
		if (l > best) {
			best = l;
			*off = pos - c;
			if (l == max)
				break;
		}
	}
	return best >= LZSS_MIN_MATCH ? best : 0;
}

/* Where the compressed stream is being written. */
struct writer {
	uint8_t *out;
	size_t cap, at, flag_at;
	unsigned int items;     /* items under the current flag byte */
};

/* Makes room for an item of size bytes (a new flag byte every 8). */
static int item(struct writer *wr, int match, size_t size)
{
	if (wr->items == 8) {
		if (wr->at >= wr->cap)
			return -ENOSPC;
		wr->flag_at = wr->at++;
		wr->out[wr->flag_at] = 0;
		wr->items = 0;
	}
	if (wr->at + size > wr->cap)
		return -ENOSPC;
	if (match)
		wr->out[wr->flag_at] |= (uint8_t)(1u << wr->items);
	wr->items++;
	return 0;
}

static int put_literal(struct writer *wr, uint8_t b)
{
	int rc = item(wr, 0, 1);

	if (!rc)
		wr->out[wr->at++] = b;
	return rc;
}

static int put_match(struct writer *wr, size_t off, size_t len)
{
	int rc = item(wr, 1, 2);

	if (!rc) {
		wr->out[wr->at++] = (uint8_t)(off - 1);
		wr->out[wr->at++] = (uint8_t)((off - 1) >> 8 << 4 |
					      (len - LZSS_MIN_MATCH));
	}
	return rc;
}

/*
 * Compresses in[0..n) into out[0..cap).  Returns 0 and sets *out_len,
 * -ENOSPC or -EFBIG.
 */
int lzss_compress(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
		  size_t *out_len, struct lzss_work *w)
{
	struct writer wr = { out, cap, LZSS_HEADER, 0, 8 };
	size_t pos = 0, len, off = 0, len2, off2 = 0, i;
	int rc;

	if (n >= 0xffffffffu)
		return -EFBIG;
	if (cap < LZSS_HEADER)
		return -ENOSPC;
	memcpy(out, "ULZ1", 4);
	put32(out + 4, (uint32_t)n);
	put32(out + 8, lzss_crc32(0, in, n));
	memset(w->head, 0, sizeof(w->head));
	while (pos < n) {
		len = longest(w, in, n, pos, &off);
		if (pos + LZSS_MIN_MATCH <= n)
			insert(w, in, pos);
		/* Lazy matching: a longer match one byte on wins. */
		if (len && len < LZSS_MAX_MATCH &&
		    pos + 1 + LZSS_MIN_MATCH <= n) {
			len2 = longest(w, in, n, pos + 1, &off2);
			if (len2 > len) {
				rc = put_literal(&wr, in[pos++]);
				if (rc)
					return rc;
				insert(w, in, pos);
				len = len2;
				off = off2;
			}
		}
		if (!len) {
			rc = put_literal(&wr, in[pos++]);
			if (rc)
				return rc;
			continue;
		}
		rc = put_match(&wr, off, len);
		if (rc)
			return rc;
		for (i = 1; i < len; i++)
			if (pos + i + LZSS_MIN_MATCH <= n)
				insert(w, in, pos + i);
		pos += len;
	}
	*out_len = wr.at;
	return 0;
}

/* The declared original length.  Returns 0 or -EINVAL. */
int lzss_original_len(const uint8_t *in, size_t n, size_t *len)
{
	if (n < LZSS_HEADER || memcmp(in, "ULZ1", 4))
		return -EINVAL;
	*len = get32(in + 4);
	return 0;
}

/*
 * Decompresses in[0..n) into out[0..cap).  Returns 0 and sets *out_len,
 * or -ENOSPC, -EINVAL, -EBADMSG.
 */
int lzss_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
		    size_t *out_len)
{
	size_t want, at = LZSS_HEADER, pos = 0, off, len, i;
	unsigned int flags = 0, items = 8;
	int rc;

	rc = lzss_original_len(in, n, &want);
	if (rc)
		return rc;
	if (want > cap)
		return -ENOSPC;
	while (pos < want) {
		if (items == 8) {
			if (at >= n)
				return -EINVAL;
			flags = in[at++];
			items = 0;
		}
		if (!(flags >> items++ & 1)) {
			if (at >= n)
				return -EINVAL;
			out[pos++] = in[at++];
			continue;
		}
		if (at + 2 > n)
			return -EINVAL;
		off = ((size_t)in[at] | (size_t)(in[at + 1] >> 4) << 8) + 1;
		len = (size_t)(in[at + 1] & 15) + LZSS_MIN_MATCH;
		at += 2;
		if (off > pos || len > want - pos)
			return -EINVAL;
		/* Byte by byte: an overlapping match repeats a pattern. */
		for (i = 0; i < len; i++, pos++)
			out[pos] = out[pos - off];
	}
	/* Unused flag bits must be clear, and nothing may follow. */
	if (at != n || (items < 8 && flags >> items))
		return -EINVAL;
	if (lzss_crc32(0, out, want) != get32(in + 8))
		return -EBADMSG;
	*out_len = want;
	return 0;
}
