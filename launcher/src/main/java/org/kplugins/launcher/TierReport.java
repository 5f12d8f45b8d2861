// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.util.Map;
import org.kplugins.kpc.KpcLanguage;

/**
 * The tier a plugin ran in, as the summary of {@code kpc image} and the {@code --stats} output
 * print it, for example {@code emulated (hardware)} or
 * {@code auto, switched to native at call 2}. In the auto tier it reads the plugin's
 * {@code kpc:tier} member after each call from the host and keeps the first call after which the
 * member names machine code. That call reached the threshold, compiled the plugin and ran the
 * machine code.
 */
final class TierReport {

    private final PluginSession session;
    private final Arguments arguments;
    private final Map<String, String> polyglotOptions;
    /** The tier the auto tier switched to, as the language names it; null before the switch. */
    private String switchedTo;
    /** The call that switched, such as "call 2"; null before the switch. */
    private String switchCall;

    /** @param polyglotOptions the command line's polyglot options, which may turn the compiler off */
    TierReport(PluginSession session, Arguments arguments, Map<String, String> polyglotOptions) {
        this.session = session;
        this.arguments = arguments;
        this.polyglotOptions = polyglotOptions;
    }

    /** Records whether the plugin has moved to machine code, after the call from the host named {@code call}. */
    void afterCall(String call) {
        if (arguments.tier != Tier.AUTO || switchedTo != null) {
            return;
        }
        String tier = session.currentTier();
        if (!tier.equals(KpcLanguage.TRUFFLE_TIER)) {
            switchedTo = tier;
            switchCall = call;
        }
    }

    /** Returns the tier that ran, and in the auto tier whether and at which call the plugin switched to machine code. */
    String summary() {
        String tier = session.effectiveTier(arguments.tier, arguments.emulatedCodeInEffect(), polyglotOptions);
        if (arguments.tier != Tier.AUTO) {
            return tier;
        }
        if (switchedTo == null) {
            // A switch waits for the next call from the host, and a plugin the x86 tier rejects never switches.
            return tier + ", no switch to machine code (a call from the host switches once a function's steps, that call's"
                            + " included, reach --auto-threshold; --log.kpc.tier.level=FINE logs a plugin that cannot switch)";
        }
        return tier + ", switched to " + switchedTo + " at " + switchCall;
    }
}
