package io.tlsnic.harness.replay;

/**
 * How the receiving stack found a record (tls-offload.rst, "RX" and OFFLOAD-CONTRACT section 5): every part already
 * decrypted by the device, none (software decrypts), or some (software re-encrypts the decrypted parts, then
 * decrypts and authenticates the whole record).
 */
public enum RecordClass
{
    DEVICE, MIXED, SOFTWARE
}
