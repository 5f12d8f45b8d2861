// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

/**
 * Bad input from the user: a missing or unreadable file, an invalid option value, an image that
 * cannot be decoded, or a plugin that lacks the requested function. {@link KpcMain} prints the
 * message as one line after "kpc: " and exits with status 1, without a stack trace.
 */
final class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidInputException(String message) {
        super(message, null, false, false);
    }
}
