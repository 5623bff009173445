/** Small helpers every layer uses: hex text, the project JVM flags. */
package io.tlsnic.wire.util;
