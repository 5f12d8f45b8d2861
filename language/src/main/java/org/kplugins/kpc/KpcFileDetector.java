// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc;

import com.oracle.truffle.api.TruffleFile;
import java.nio.charset.Charset;

/** Recognizes KPC plugin sources by their {@code .kpc} extension. */
public final class KpcFileDetector implements TruffleFile.FileTypeDetector {

    @Override
    public String findMimeType(TruffleFile file) {
        String name = file.getName();
        return name != null && name.endsWith(".kpc") ? KpcLanguage.MIME_TYPE : null;
    }

    @Override
    public Charset findEncoding(TruffleFile file) {
        return null;
    }
}
