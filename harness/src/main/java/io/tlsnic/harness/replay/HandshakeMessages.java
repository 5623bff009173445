package io.tlsnic.harness.replay;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits one direction's handshake content (possibly spread over records, several messages per record) into
 * handshake messages: {@code msg_type(1) | length(3) | body} (RFC 8446 section 4, RFC 5246 section 7.4).
 */
final class HandshakeMessages
{
    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    static final int NEW_SESSION_TICKET = 4;
    static final int SERVER_HELLO_DONE = 14;
    static final int CLIENT_KEY_EXCHANGE = 16;
    static final int FINISHED = 20;
    static final int KEY_UPDATE = 24;

    /** One message: type, body, and the whole message as the transcript hashes it. */
    record Message(int type, byte[] body, byte[] encoded)
    {
    }

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /**
     * @param content handshake content bytes.
     * @param offset  first byte.
     * @param length  byte count.
     * @return the messages completed by these bytes.
     */
    List<Message> feed(final byte[] content, final int offset, final int length)
    {
        pending.write(content, offset, length);
        final byte[] bytes = pending.toByteArray();
        final List<Message> messages = new ArrayList<>();
        int position = 0;
        while (bytes.length - position >= 4)
        {
            final int bodyLength = ((bytes[position + 1] & 0xFF) << 16) | ((bytes[position + 2] & 0xFF) << 8)
                | (bytes[position + 3] & 0xFF);
            if (bytes.length - position - 4 < bodyLength)
            {
                break;
            }
            messages.add(new Message(bytes[position] & 0xFF,
                Arrays.copyOfRange(bytes, position + 4, position + 4 + bodyLength),
                Arrays.copyOfRange(bytes, position, position + 4 + bodyLength)));
            position += 4 + bodyLength;
        }
        pending.reset();
        pending.write(bytes, position, bytes.length - position);
        return messages;
    }
}
