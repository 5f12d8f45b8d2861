// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drops clients that stop reading their response. The JDK server's response timeout
 * (sun.net.httpserver.maxRspTime) bounds the whole response from the moment the request was read,
 * so it would cut off a large download to a slow client that keeps reading. This watchdog bounds
 * instead how long one write may wait for the client: each write of a response goes through a
 * {@link Send}, and a write that has made no progress for the idle timeout is stopped by
 * interrupting the thread that waits in it. The exchange's socket channel is interruptible, so the
 * write ends with a {@link java.nio.channels.ClosedByInterruptException} and the connection
 * closes.
 *
 * <p>Writes go out in chunks of at most {@link #CHUNK_BYTES}, so a client that reads that much
 * within the timeout keeps its connection however long the whole response takes.
 */
final class SendWatchdog implements AutoCloseable {

    /** The largest piece of a response that one tracked write sends; progress is measured per piece. */
    static final int CHUNK_BYTES = 16 * 1024;

    private final long idleNanos;
    private final ScheduledExecutorService timer;
    private final Set<Send> sends = ConcurrentHashMap.newKeySet();
    private final LongAdder dropped = new LongAdder();

    /** Creates a watchdog that drops a client after {@code idleTimeout} without progress. */
    SendWatchdog(Duration idleTimeout) {
        this.idleNanos = idleTimeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kpc-send-watchdog").daemon(true)
                        .factory());
        // Checks four times per timeout, at most once a second, so a stalled client is dropped
        // within 1.25 timeouts, or a second after the timeout for timeouts above 4 seconds.
        long period = Math.max(1, Math.min(TimeUnit.SECONDS.toNanos(1), idleNanos / 4));
        timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    /** An operation on the response that may block on the client. */
    interface Write {
        void run() throws IOException;
    }

    /**
     * The writes of one response, all on the thread that opened it. The watchdog interrupts that
     * thread only while one of them waits.
     */
    final class Send implements AutoCloseable {
        private final Thread thread = Thread.currentThread();
        /** When the write in progress started, in {@link System#nanoTime()}, or 0 between writes. */
        private volatile long writeStart;
        private volatile boolean stalled;

        private Send() {
        }

        /**
         * Runs {@code write}, which the watchdog stops when it waits longer than the idle timeout.
         *
         * @throws IOException the write's, or one that reports that the client stalled
         */
        void run(Write write) throws IOException {
            checkNotStalled();
            writeStart = Math.max(1, System.nanoTime());
            try {
                write.run();
            } catch (IOException e) {
                if (stalled) {
                    throw stalledError(e);
                }
                throw e;
            } finally {
                writeStart = 0;
            }
            checkNotStalled();
        }

        private void checkNotStalled() throws IOException {
            if (stalled) {
                throw stalledError(null);
            }
        }

        private IOException stalledError(IOException cause) {
            // The interrupt was meant for the blocked write; the thread goes on to close the exchange.
            Thread.interrupted();
            return new IOException("the client read nothing for " + TimeUnit.NANOSECONDS.toMillis(idleNanos)
                            + " ms, so the response was stopped", cause);
        }

        /** Returns whether the watchdog stopped a write of this response. */
        boolean isStalled() {
            return stalled;
        }

        /** Returns a stream that writes {@code output} through {@link #run}, in pieces of at most {@link #CHUNK_BYTES}. */
        OutputStream wrap(OutputStream output) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    run(() -> output.write(b));
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    int done = 0;
                    while (done < length) {
                        int piece = Math.min(CHUNK_BYTES, length - done);
                        int start = offset + done;
                        run(() -> output.write(bytes, start, piece));
                        done += piece;
                    }
                }

                @Override
                public void flush() throws IOException {
                    run(output::flush);
                }

                @Override
                public void close() throws IOException {
                    run(output::close);
                }
            };
        }

        private void stopIfIdle(long now) {
            long start = writeStart;
            if (start != 0 && now - start > idleNanos && !stalled) {
                stalled = true;
                dropped.increment();
                thread.interrupt();
            }
        }

        @Override
        public void close() {
            sends.remove(this);
        }
    }

    /** Starts tracking the writes of a response on the calling thread; close the result when the response is done. */
    Send open() {
        Send send = new Send();
        sends.add(send);
        return send;
    }

    /** Returns the responses stopped so far because their client read nothing for the idle timeout. */
    long droppedCount() {
        return dropped.sum();
    }

    private void check() {
        long now = System.nanoTime();
        for (Send send : sends) {
            send.stopIfIdle(now);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
