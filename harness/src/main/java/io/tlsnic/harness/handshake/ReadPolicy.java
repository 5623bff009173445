package io.tlsnic.harness.handshake;

/** How much the TLS library is given from the socket during the handshake. */
public enum ReadPolicy
{
    /**
     * One whole record at a time, and nothing once the handshake is complete (what OpenSSL does with kTLS RX: no
     * read-ahead). Every record after the last handshake record stays in TCP for kTLS.
     */
    RECORD_AT_A_TIME,
    /**
     * Every whole record TCP holds, as a library with read-ahead takes them. Application records the library
     * decrypted past the handshake are handed to the application before kTLS data and counted in the RX record
     * number; a partial record is never taken, so it stays in TCP for kTLS.
     */
    READ_AHEAD
}
