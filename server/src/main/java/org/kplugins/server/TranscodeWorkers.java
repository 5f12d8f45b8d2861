// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool of platform threads that run the transcoders, while the HTTP side runs on virtual
 * threads. The kernel keeps one instance of each plugin per thread that calls it (a polyglot
 * context with the plugin's address space), created on the thread's first call and kept until
 * the plugin is unloaded. Calling from a virtual thread per request would build a context per
 * request and keep every one of them; a fixed pool builds at most {@code workers} per plugin and
 * reuses them.
 */
final class TranscodeWorkers {

    /**
     * The stack of each worker, in bytes, as bin/kpc gives its threads with -Xss64m: plugin calls
     * nest Java frames, and deep plugin recursion would otherwise overflow the Java stack before
     * the plugin's own stack is used up. Threads reserve the stack as virtual memory only.
     */
    private static final long STACK_BYTES = 64L << 20;

    private final ThreadPoolExecutor pool;
    private final int maxQueued;

    TranscodeWorkers(int threads, int maxQueued) {
        this("kpc-transcode-", threads, maxQueued);
    }

    /** Creates a pool whose threads are named {@code namePrefix} and a number. */
    TranscodeWorkers(String namePrefix, int threads, int maxQueued) {
        this.maxQueued = maxQueued;
        // The queue has room for one call per worker more than maxQueued, because a worker may
        // still be finishing a call whose requester has already left. The server's admission
        // limit (workers + maxQueued requests) must then not meet a full queue.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(threads + maxQueued),
                        Thread.ofPlatform().name(namePrefix, 1).stackSize(STACK_BYTES).daemon(true).factory());
        pool.prestartAllCoreThreads();
    }

    /**
     * Runs {@code task} on a worker and waits for its result.
     *
     * @throws HttpError 503 when {@code maxQueued} calls are waiting already, or the server is stopping;
     *                   any RuntimeException of the task, unchanged
     */
    <T> T run(Callable<T> task) {
        Future<T> future;
        try {
            future = pool.submit(task);
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                throw new HttpError(503, "the server is stopping");
            }
            throw new HttpError(503, "server busy: " + maxQueued + " transcoder calls are waiting for a worker; retry later");
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the request was interrupted while waiting for a worker");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException("transcoder failed", e.getCause());
            }
        }
    }

    /** Returns the calls waiting for a worker now. */
    int queued() {
        return pool.getQueue().size();
    }

    /** Finishes the queued calls and stops the threads, waiting at most {@code grace}. */
    void close(Duration grace) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(Math.max(grace.toMillis(), 1), TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }
}
