package dev.switchboard.router.forwarding;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A body collected chunk by chunk up to a limit: webhook bodies on the way in, backend answers on the way back.
 * A growable array without ByteArrayOutputStream's locking; one per message, used on one event loop.
 */
public final class BoundedBytes {

    private final int max;
    private byte[] bytes;
    private int size;

    public BoundedBytes(int initial, int max) {
        this.max = max;
        this.bytes = new byte[Math.max(16, Math.min(initial, max))];
    }

    /** Appends the chunk, or returns false (appending nothing) when it would take the total over the limit. */
    public boolean append(ByteBuf chunk) {
        int n = chunk.readableBytes();
        if (size + n > max) {
            return false;
        }
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(max, Math.max(size + n, bytes.length * 2)));
        }
        chunk.getBytes(chunk.readerIndex(), bytes, size, n);
        size += n;
        return true;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
