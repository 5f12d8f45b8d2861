// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.kplugins.kpc.KpcLanguage;

/**
 * The language's {@code kpc.tier} log of one engine (see {@link KpcTier#newEngine(Handler)}). The
 * setups of the auto tier's states read it to make sure that the plugin runs as machine code
 * before JMH times it.
 */
final class TierLog extends Handler {

    /** The text after the plugin name in the auto tier's log message of a switch: "plugin 'NAME' switched to the native tier at step ...". */
    private static final String SWITCHED = "' switched to the ";

    /**
     * Calls from the host after which the auto tier must have switched at the default threshold: a
     * call counts at least one step, and the call after the one that reaches the threshold compiles.
     */
    static final long MAX_CALLS_TO_SWITCH = KpcLanguage.DEFAULT_AUTO_THRESHOLD + 2;

    private final List<String> messages = new ArrayList<>();

    @Override
    public synchronized void publish(LogRecord record) {
        messages.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** Returns the switch message of the auto tier, or null while no plugin has switched. */
    synchronized String switchMessage() {
        for (String message : messages) {
            if (message.contains(SWITCHED)) {
                return message;
            }
        }
        return null;
    }

    /**
     * Runs {@code call} until the auto tier reports that it switched the plugin to machine code, at
     * most {@link #MAX_CALLS_TO_SWITCH} times, and returns the switch message. The call that
     * compiles runs the machine code too, so every call after this method returns does.
     *
     * @throws IllegalStateException with the log when the plugin did not switch, for example
     *                               because the x86 tier could not compile it
     */
    String callUntilSwitched(String subject, Runnable call) {
        for (long calls = 0; calls < MAX_CALLS_TO_SWITCH && switchMessage() == null; calls++) {
            call.run();
        }
        String message = switchMessage();
        if (message == null) {
            throw new IllegalStateException(subject + ": the auto tier did not switch to machine code within "
                            + MAX_CALLS_TO_SWITCH + " calls; the kpc.tier log: " + text());
        }
        return message;
    }

    /** Returns every message so far, one a line. */
    synchronized String text() {
        return String.join("\n", messages);
    }
}
