/*
 * access-tool: the exporter's SHA-256 and base64 decoder on stdin, for
 * access_coreutils.sh to compare with sha256sum and base64.
 *   access-tool sha256   prints the digest of stdin in hex
 *   access-tool b64dec   writes the decoding of stdin (one line, no
 *                        newline inside) to stdout; exit 1 if malformed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../access.h"

int main(int argc, char **argv)
{
	struct _uk_prom_sha256 c;
	static char in[1 << 20];
	static uint8_t out[1 << 20];
	uint8_t d[32];
	size_t n = 0, k;
	int i, r;

	if (argc != 2)
		return 2;
	while ((k = fread(in + n, 1, sizeof(in) - n, stdin)) > 0)
		n += k;
	if (!strcmp(argv[1], "sha256")) {
		_uk_prom_sha256_init(&c);
		_uk_prom_sha256_update(&c, in, n);
		_uk_prom_sha256_final(&c, d);
		for (i = 0; i < 32; i++)
			printf("%02x", d[i]);
		printf("\n");
		return 0;
	}
	if (!strcmp(argv[1], "b64dec")) {
		if (n && in[n - 1] == '\n')
			n--;
		r = _uk_prom_b64_decode(in, n, out, sizeof(out));
		if (r < 0)
			return 1;
		fwrite(out, 1, (size_t)r, stdout);
		return 0;
	}
	return 2;
}
