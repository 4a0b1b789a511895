/*
 * The socket headers' close() (posix/uk_sockets.h): lwIP's lwip_close(),
 * except that a TCP socket with SO_LINGER {1, 0} is reset first, as BSD
 * and Linux do.  lwIP 2.1.3 resets on such a close only while sent data
 * is unacknowledged (lwip_netconn_do_close_internal); with everything
 * acknowledged it sends a FIN, and if the peer never closes its end the
 * PCB lingers in FIN-WAIT-2 for TCP_FIN_WAIT_TIMEOUT (20 s).  A server
 * that drops unwanted clients (ukprom's exporter) would then lose its
 * PCB pool to anyone opening connections faster than that.
 *
 * tcp_abort() is what lwIP itself calls for a linger-0 close with data
 * in flight: under the core lock it sends the RST, frees the PCB and
 * tells the netconn (err_tcp), and lwip_close() then only frees the
 * socket and netconn, as after a reset by the peer.
 */
#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/sockets.h"
#include "lwip/tcpip.h"

#include "uk_sockets.h"

#undef close

/* See uk_sockets.h.  Returns lwip_close()'s result. */
int uk_lwip_sock_close(int s)
{
	struct lwip_sock *sock;
	struct netconn *conn;
	struct tcp_pcb *pcb;

	LOCK_TCPIP_CORE();
	sock = lwip_socket_dbg_get_socket(s);
	conn = sock ? sock->conn : NULL;
	if (conn && NETCONNTYPE_GROUP(netconn_type(conn)) == NETCONN_TCP &&
	    conn->linger == 0) {
		pcb = conn->pcb.tcp;
		if (pcb && pcb->state != LISTEN && pcb->state != CLOSED)
			tcp_abort(pcb);
	}
	UNLOCK_TCPIP_CORE();
	return lwip_close(s);
}
