package io.tlsnic.stack.dev;

/**
 * The stack's per-socket TX offload state as a driver sees it on a packet (skb->sk's tls_offload_context_tx):
 * the device context it was installed with.
 */
public interface TlsTxOffload
{
    /** @return the handle {@link TlsDeviceOps#add} returned for this socket's TX context. */
    int deviceHandle();
}
