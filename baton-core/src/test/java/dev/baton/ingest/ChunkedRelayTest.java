package dev.baton.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChunkedRelayTest {
    @Test
    void relaysEveryByteInOrderAcrossChunksAndClosesTheTarget() throws IOException {
        byte[] data = new byte[100_003];
        new Random(7).nextBytes(data);
        ClosingBuffer target = new ClosingBuffer();
        try (ChunkedRelay relay = new ChunkedRelay(target, 1024, 2, "test-relay")) {
            relay.write(data[0]);
            int offset = 1;
            int step = 1;
            while (offset < data.length) {
                int n = Math.min(step, data.length - offset);
                relay.write(data, offset, n);
                offset += n;
                step = step * 3 % 2999 + 1;
            }
        }
        assertThat(target.toByteArray()).isEqualTo(data);
        assertThat(target.closed).isTrue();
    }

    @Test
    void aFailingTargetFailsTheWriter() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        assertThatThrownBy(() -> {
            try (ChunkedRelay relay = new ChunkedRelay(broken, 16, 2, "test-relay")) {
                for (int i = 0; i < 1000; i++) {
                    relay.write(new byte[16], 0, 16);
                }
            }
        }).isInstanceOf(IOException.class).hasMessage("Broken pipe");
    }

    @Test
    void theWriterGoesAheadOfASlowReaderByTheGivenChunks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ClosingBuffer target = new ClosingBuffer() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.write(b, off, len);
            }
        };
        ChunkedRelay relay = new ChunkedRelay(target, 100, 4, "test-relay");
        long start = System.nanoTime();
        // One chunk is being written, four wait in the queue, one is being filled.
        relay.write(new byte[500], 0, 500);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        release.countDown();
        relay.close();
        assertThat(target.size()).isEqualTo(500);
    }

    private static class ClosingBuffer extends ByteArrayOutputStream {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
