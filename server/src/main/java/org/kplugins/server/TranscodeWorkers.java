// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A fixed pool of platform threads that run the transcoders, while the HTTP side runs on virtual
 * threads. The kernel keeps one instance of each plugin per thread that calls it (a polyglot
 * context with the plugin's address space), created on the thread's first call and kept until
 * the plugin is unloaded. Calling from a virtual thread per request would build a context per
 * request and keep every one of them; a fixed pool builds at most {@code workers} per plugin and
 * reuses them.
 *
 * <p>A caller that gives up on a task whose deadline passed abandons its worker: the pool starts
 * a replacement thread, so the other requests keep their workers, and shrinks again once the
 * abandoned task returns. At most as many workers as the pool has may be abandoned at once.
 */
final class TranscodeWorkers {

    private static final Logger LOG = Logger.getLogger(TranscodeWorkers.class.getPackageName());

    /**
     * The stack of each worker, in bytes, as bin/kpc gives its threads with -Xss64m: plugin calls
     * nest Java frames, and deep plugin recursion would otherwise overflow the Java stack before
     * the plugin's own stack is used up. Threads reserve the stack as virtual memory only.
     */
    private static final long STACK_BYTES = 64L << 20;

    /** The state of a task: running, returned, or abandoned by its caller while it ran. */
    private static final int RUNNING = 0;
    private static final int RETURNED = 1;
    private static final int ABANDONED = 2;

    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int maxQueued;
    /** Workers whose task was abandoned and still runs; guarded by {@code this}. */
    private int abandoned;

    /**
     * Creates a pool whose threads are named {@code namePrefix} and a number. Each thread runs
     * {@code onThreadExit} as it ends, for example to release its plugin instances.
     */
    TranscodeWorkers(String namePrefix, int threads, int maxQueued, Runnable onThreadExit) {
        this.threads = threads;
        this.maxQueued = maxQueued;
        ThreadFactory platform = Thread.ofPlatform().name(namePrefix, 1).stackSize(STACK_BYTES).daemon(true).factory();
        ThreadFactory factory = work -> platform.newThread(() -> {
            try {
                work.run();
            } finally {
                onThreadExit.run();
            }
        });
        // The queue has room for one call per worker more than maxQueued, because a worker may
        // still be finishing a call whose requester has already left. The server's admission
        // limit (workers + maxQueued requests) must then not meet a full queue.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(threads + maxQueued), factory);
        pool.prestartAllCoreThreads();
    }

    /**
     * Runs {@code task} on a worker and waits for its result.
     *
     * @throws HttpError 503 when {@code maxQueued} calls are waiting already, or the server is stopping;
     *                   any RuntimeException of the task, unchanged
     */
    <T> T run(Callable<T> task) {
        return run(task, 0, null);
    }

    /**
     * Runs {@code task} on a worker and waits for its result, at most {@code timeoutNanos} once it
     * has started (0 waits as long as it runs). When the task runs longer, its worker is
     * abandoned and the error from {@code onTimeout} is thrown; the task goes on until it returns.
     *
     * @throws HttpError as {@link #run(Callable)}, and the error from {@code onTimeout}
     */
    <T> T run(Callable<T> task, long timeoutNanos, Supplier<HttpError> onTimeout) {
        Job<T> job = new Job<>(task);
        Future<T> future;
        try {
            future = pool.submit(job);
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                throw new HttpError(503, "the server is stopping");
            }
            throw new HttpError(503, "server busy: " + maxQueued + " transcoder calls are waiting for a worker; retry later");
        }
        try {
            if (timeoutNanos == 0) {
                return future.get();
            }
            // The deadline counts from the start of the task, not from the time it waited in the queue.
            while (!job.started.await(50, TimeUnit.MILLISECONDS)) {
                if (future.isDone()) {
                    return resultOf(future);
                }
            }
            return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (job.state.compareAndSet(RUNNING, ABANDONED)) {
                abandon();
                throw onTimeout.get();
            }
            // The task returned just as the deadline passed.
            return resultOf(future);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the request was interrupted while waiting for a worker");
        } catch (ExecutionException e) {
            throw rethrow(e);
        } catch (CancellationException e) {
            throw new HttpError(503, "the server is stopping");
        }
    }

    private static <T> T resultOf(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the request was interrupted while waiting for a worker");
        } catch (ExecutionException e) {
            throw rethrow(e);
        } catch (CancellationException e) {
            throw new HttpError(503, "the server is stopping");
        }
    }

    private static RuntimeException rethrow(ExecutionException e) {
        switch (e.getCause()) {
            case RuntimeException runtime -> throw runtime;
            case Error error -> throw error;
            default -> throw new IllegalStateException("transcoder failed", e.getCause());
        }
    }

    /** A task with the state its caller and its worker agree on, and a latch that opens when it starts. */
    private final class Job<T> implements Callable<T> {
        private final Callable<T> task;
        final AtomicInteger state = new AtomicInteger(RUNNING);
        final CountDownLatch started = new CountDownLatch(1);

        Job(Callable<T> task) {
            this.task = task;
        }

        @Override
        public T call() throws Exception {
            started.countDown();
            try {
                return task.call();
            } finally {
                if (!state.compareAndSet(RUNNING, RETURNED)) {
                    replaceAbandoned();
                }
            }
        }
    }

    /**
     * Gives the pool one more thread in place of a worker whose caller left it running, unless as
     * many workers as the pool has are abandoned already: then the pool stays as it is and later
     * requests wait for the remaining workers or get 503.
     */
    private synchronized void abandon() {
        abandoned++;
        if (abandoned <= threads && !pool.isShutdown()) {
            pool.setMaximumPoolSize(threads + abandoned);
            pool.setCorePoolSize(threads + abandoned);
        }
        LOG.warning("a transcode worker is abandoned to a call that does not stop; " + abandoned
                        + " abandoned now, the pool runs " + pool.getCorePoolSize() + " threads");
    }

    /** Shrinks the pool again when an abandoned task has returned; one idle thread then ends. */
    private synchronized void replaceAbandoned() {
        abandoned--;
        if (!pool.isShutdown()) {
            int size = threads + Math.min(abandoned, threads);
            pool.setCorePoolSize(size);
            pool.setMaximumPoolSize(size);
        }
        LOG.info("an abandoned transcode call has returned; " + abandoned + " abandoned now");
    }

    /** Returns the workers whose caller gave up on a call that still runs. */
    synchronized int abandonedWorkers() {
        return abandoned;
    }

    /** Returns the calls waiting for a worker now. */
    int queued() {
        return pool.getQueue().size();
    }

    /**
     * Finishes the queued calls and stops the threads, waiting at most {@code grace}. Threads that
     * still run then are interrupted and left behind: they are daemon threads, so a call that does
     * not stop cannot keep the JVM from exiting.
     */
    void close(Duration grace) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(Math.max(grace.toMillis(), 1), TimeUnit.MILLISECONDS)) {
            // Calls that never started are cancelled, so their requests end with 503 instead of waiting.
            for (Runnable never : pool.shutdownNow()) {
                if (never instanceof Future<?> future) {
                    future.cancel(false);
                }
            }
        }
    }
}
