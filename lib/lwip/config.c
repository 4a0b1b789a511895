/*
 * Network configuration from boot-option strings: a strict IPv4 parser
 * and the "address/prefix" form of net.ip.  Strict on purpose: a typo in
 * a boot option must fail loudly at boot rather than give the VM a
 * surprising address (so no octal, no shorthand like "10.1", no spaces).
 */
#include <errno.h>
#include <stddef.h>

#include <uk/lwip.h>

/* Parses a decimal 0..max with no leading zero and no sign; advances *sp. */
static int parse_dec(const char **sp, unsigned int max, unsigned int *out)
{
	const char *s = *sp;
	unsigned int v = 0;
	int n = 0;

	while (*s >= '0' && *s <= '9') {
		if (n && v == 0)
			return -EINVAL; /* leading zero */
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > max)
			return -EINVAL;
		s++;
		n++;
	}
	if (!n)
		return -EINVAL;
	*sp = s;
	*out = v;
	return 0;
}

/* Parses "a.b.c.d" ending at *sp's terminator set by the caller. */
static int parse_quad(const char **sp, uint32_t *out)
{
	uint32_t a = 0;
	unsigned int v;
	int i;

	for (i = 0; i < 4; i++) {
		if (i) {
			if (**sp != '.')
				return -EINVAL;
			(*sp)++;
		}
		if (parse_dec(sp, 255, &v))
			return -EINVAL;
		a = a << 8 | v;
	}
	*out = a;
	return 0;
}

/* Parses a whole dotted quad.  Returns 0 or -EINVAL. */
int uk_lwip_ipv4_parse(const char *s, uint32_t *out)
{
	uint32_t a;

	if (!s || !out || parse_quad(&s, &a) || *s)
		return -EINVAL;
	*out = a;
	return 0;
}

/*
 * Fills cfg from net.ip ("a.b.c.d[/prefix]"), net.gw and net.dns, or asks
 * for DHCP when ip is NULL.  Returns 0 or -EINVAL (cfg untouched).
 */
int uk_lwip_ipcfg_parse(struct uk_lwip_ipcfg *cfg, const char *ip,
			const char *gw, const char *dns)
{
	struct uk_lwip_ipcfg c = { 0 };
	unsigned int prefix = 24;

	if (!cfg)
		return -EINVAL;
	if (!ip) {
		c.dhcp = 1;
		*cfg = c;
		return 0;
	}
	if (parse_quad(&ip, &c.addr))
		return -EINVAL;
	if (*ip == '/') {
		ip++;
		if (parse_dec(&ip, 32, &prefix))
			return -EINVAL;
	}
	if (*ip)
		return -EINVAL;
	c.prefix = (uint8_t)prefix;
	c.netmask = prefix ? ~(uint32_t)0 << (32 - prefix) : 0;
	if (gw && uk_lwip_ipv4_parse(gw, &c.gw))
		return -EINVAL;
	if (dns && uk_lwip_ipv4_parse(dns, &c.dns))
		return -EINVAL;
	*cfg = c;
	return 0;
}
