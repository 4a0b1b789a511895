/*
 * The fake device and its peer for the lwip-test image (see
 * fake_peer.h): frames "sent" by the stack are answered into a small
 * receive queue right away, under the peer's own lock, and the stack's
 * receive thread is notified as by an interrupt.
 */
#include <errno.h>
#include <string.h>

#include <uk/lock.h>
#include <uk/netdev.h>

#include "fake_peer.h"

static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void swap(uint8_t *a, uint8_t *b, size_t n)
{
	while (n--) {
		uint8_t t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* ---- a minimal DHCP server for the peer (RFC 2131 happy path) ---- */

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t ip_csum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The DHCP message type (option 53) of the BOOTP message b, or 0. */
static int dhcp_type(const uint8_t *b, size_t len)
{
	size_t i = 240;

	if (len < 240 || get32(b + 236) != 0x63825363)
		return 0;
	while (i + 1 < len && b[i] != 255) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		if (b[i] == 53 && b[i + 1] == 1 && i + 2 < len)
			return b[i + 2];
		i += 2 + (size_t)b[i + 1];
	}
	return 0;
}

/* Answers DISCOVER with OFFER and REQUEST with ACK; returns the length. */
static size_t dhcp_answer(struct peer *pe, const uint8_t *f, size_t len,
			  uint8_t *r)
{
	const uint8_t *req = f + 14 + 20 + 8;
	uint8_t *ip = r + 14, *udp = ip + 20, *b = udp + 8, *o;
	int type = dhcp_type(req, len - (14 + 20 + 8));
	size_t blen = 300;

	if (type != 1 && type != 3)
		return 0;
	memset(r, 0, 14 + 20 + 8 + blen);
	memset(r, 0xff, 6);
	memcpy(r + 6, peer_mac, 6);
	put16(r + 12, 0x0800);
	b[0] = 2; /* BOOTREPLY */
	b[1] = 1;
	b[2] = 6;
	memcpy(b + 4, req + 4, 4); /* xid */
	put32(b + 16, DHCP_YIADDR);
	memcpy(b + 28, req + 28, 16); /* chaddr */
	put32(b + 236, 0x63825363);
	o = b + 240;
	*o++ = 53; *o++ = 1; *o++ = type == 1 ? 2 : 5; /* OFFER : ACK */
	*o++ = 54; *o++ = 4; put32(o, DHCP_SERVER); o += 4;
	*o++ = 51; *o++ = 4; put32(o, 3600); o += 4;
	*o++ = 1; *o++ = 4; put32(o, 0xffffff00u); o += 4;
	*o++ = 3; *o++ = 4; put32(o, DHCP_SERVER); o += 4;
	*o++ = 255;
	put16(udp, 67);
	put16(udp + 2, 68);
	put16(udp + 4, (uint16_t)(8 + blen)); /* checksum 0: none */
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + 8 + blen));
	ip[8] = 64;
	ip[9] = 17;
	put32(ip + 12, DHCP_SERVER);
	put32(ip + 16, 0xffffffffu);
	put16(ip + 10, ip_csum(ip, 20));
	pe->dhcp_replies++;
	return 14 + 20 + 8 + blen;
}

/* Builds the peer's answer to frame f in r; returns its length or 0. */
static size_t answer(struct peer *pe, const uint8_t *f, size_t len,
		     uint8_t *r)
{
	uint16_t type = len >= 14 ? get16(f + 12) : 0;

	if (type == 0x0806 && len >= 42 && get16(f + 20) == 1 &&
	    get32(f + 38) == PEER_IP) {
		memcpy(r, f + 6, 6);
		memcpy(r + 6, peer_mac, 6);
		put16(r + 12, 0x0806);
		put16(r + 14, 1);
		put16(r + 16, 0x0800);
		r[18] = 6;
		r[19] = 4;
		put16(r + 20, 2);
		memcpy(r + 22, peer_mac, 6);
		memcpy(r + 28, f + 38, 4);
		memcpy(r + 32, f + 22, 6);
		memcpy(r + 38, f + 28, 4);
		memset(r + 42, 0, 18);
		pe->arp_replies++;
		return 60;
	}
	if (pe->dhcpd && type == 0x0800 && len >= 14 + 20 + 8 + 240 &&
	    f[14] == 0x45 && f[23] == 17 && get16(f + 36) == 67)
		return dhcp_answer(pe, f, len, r);
	if (type == 0x0800 && len >= 42 && f[23] == 17 &&
	    get32(f + 30) == PEER_IP) {
		size_t ihl = (size_t)(f[14] & 0xf) * 4;

		if (14 + ihl + 8 > len)
			return 0;
		memcpy(r, f, len);
		memcpy(r, f + 6, 6);
		memcpy(r + 6, peer_mac, 6);
		swap(r + 26, r + 30, 4);
		swap(r + 14 + ihl, r + 14 + ihl + 2, 2);
		pe->last_src = get32(f + 26);
		pe->udp_echoes++;
		return len;
	}
	pe->ignored++;
	return 0;
}

static int peer_tx(struct uk_netdev *dev, const void *frame, size_t len)
{
	struct peer *pe = dev->priv;
	size_t n;
	int notify = 0;

	if (len > UK_NETDEV_FRAME_MAX(dev->mtu))
		return -EMSGSIZE;
	uk_mutex_lock(&pe->lock);
	if (!pe->mute && pe->count < PEER_QLEN) {
		unsigned int slot = (pe->head + pe->count) % PEER_QLEN;

		n = answer(pe, frame, len, pe->q[slot]);
		if (n) {
			pe->qlen[slot] = n;
			pe->count++;
			notify = pe->intr_on;
		}
	}
	uk_mutex_unlock(&pe->lock);
	/* What a driver's interrupt handler does. */
	if (notify)
		uk_netdev_rx_notify(dev);
	return 0;
}

static int peer_rx(struct uk_netdev *dev, void *buf, size_t size)
{
	struct peer *pe = dev->priv;
	int rc = 0;

	uk_mutex_lock(&pe->lock);
	if (pe->count) {
		size_t n = pe->qlen[pe->head];

		if (n > size) {
			rc = -EMSGSIZE;
		} else {
			memcpy(buf, pe->q[pe->head], n);
			rc = (int)n;
		}
		pe->head = (pe->head + 1) % PEER_QLEN;
		pe->count--;
	}
	uk_mutex_unlock(&pe->lock);
	return rc;
}

static int peer_intr(struct uk_netdev *dev, int on)
{
	struct peer *pe = dev->priv;
	int pending;

	uk_mutex_lock(&pe->lock);
	pe->intr_on = on;
	pending = on && pe->count;
	uk_mutex_unlock(&pe->lock);
	return pending;
}

static const struct uk_netdev_ops peer_ops = {
	.tx = peer_tx, .rx = peer_rx, .rx_intr_enable = peer_intr,
};

/* Sets pe up (not registered) with MAC 02:00:00:00:00:<last>. */
void peer_init(struct peer *pe, uint8_t last)
{
	memset(pe, 0, sizeof(*pe));
	uk_mutex_init(&pe->lock, NULL);
	pe->dev.ops = &peer_ops;
	pe->dev.mtu = 1500;
	pe->dev.priv = pe;
	memcpy(pe->dev.hwaddr, "\x02\x00\x00\x00\x00", 5);
	pe->dev.hwaddr[5] = last;
}
