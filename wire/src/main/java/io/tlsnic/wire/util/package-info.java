/** Small helpers every layer uses (hex text). */
package io.tlsnic.wire.util;
