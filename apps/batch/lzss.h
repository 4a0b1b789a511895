/*
 * The batch job's compressor: LZSS (Storer and Szymanski's refinement of
 * LZ77) with a 4 KiB window, matches of 3..18 bytes, and a small header
 * that makes a stream self-checking.  Small and allocation-free: the
 * caller gives the buffers, and the compressor's hash chains
 * (struct lzss_work, 48 KiB) too.
 *
 * The stream ("ULZ1"):
 *   bytes 0..3   magic "ULZ1"
 *   bytes 4..7   the original length, little-endian
 *   bytes 8..11  the CRC-32 (IEEE 802.3, as zlib's) of the original
 *   then groups: a flag byte, then up to 8 items, bit i (least
 *   significant first) telling item i's kind: 0 a literal byte, 1 a
 *   match of two bytes b0 b1: offset - 1 = b0 | (b1 >> 4) << 8
 *   (1..4096 bytes back), length - 3 = b1 & 15 (3..18).  A match may
 *   overlap what it produces (offset < length repeats a pattern).  The
 *   stream ends when the original length is produced; a last group may
 *   have fewer than 8 items.
 *
 * Errors are 0 or a negative errno: -ENOSPC (the output buffer is too
 * small), -EFBIG (an input of 4 GiB or more), -EINVAL (a stream that is
 * malformed, truncated, points before its start or runs past its
 * length), -EBADMSG (a stream whose output fails its CRC).
 */
#ifndef BATCH_LZSS_H
#define BATCH_LZSS_H

#include <stddef.h>
#include <stdint.h>

#define LZSS_HEADER 12
#define LZSS_WINDOW 4096
#define LZSS_MIN_MATCH 3
#define LZSS_MAX_MATCH 18
#define LZSS_HASH_BITS 13

/* The compressor's hash chains, caller-provided (no allocation). */
struct lzss_work {
	uint32_t head[1u << LZSS_HASH_BITS]; /* newest position + 1, 0 none */
	uint32_t prev[LZSS_WINDOW];          /* the older one, by pos % W */
};

/* The largest stream n input bytes can give (all literals). */
static inline size_t lzss_bound(size_t n)
{
	return LZSS_HEADER + n + (n + 7) / 8;
}

/*
 * Compresses in[0..n) into out[0..cap) with work as scratch.  Returns
 * 0 and sets *out_len, -ENOSPC, or -EFBIG.
 */
int lzss_compress(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
		  size_t *out_len, struct lzss_work *work);

/*
 * The original length a stream declares.  Returns 0 and sets *len, or
 * -EINVAL (too short, bad magic).
 */
int lzss_original_len(const uint8_t *in, size_t n, size_t *len);

/*
 * Decompresses the stream in[0..n) into out[0..cap).  Returns 0 and sets
 * *out_len, -ENOSPC, -EINVAL or -EBADMSG.  Never reads or writes outside
 * the two buffers, whatever the stream holds.
 */
int lzss_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
		    size_t *out_len);

/* CRC-32 of p[0..n) continuing from crc (0 to start). */
uint32_t lzss_crc32(uint32_t crc, const uint8_t *p, size_t n);

#endif /* BATCH_LZSS_H */
