// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.fault;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.InvalidArrayIndexException;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fault that ends the plugin call. The host receives it as a {@code PolyglotException} that
 * carries the guest frames. {@link #getMessage()} is the rendered
 * {@link FaultReport}.
 *
 * <p>Hosts read the report through interop, for example
 * {@code polyglotException.getGuestObject().getMember("kind").asString()}. The members are
 * {@code kind} and {@code access} (enum constant names), {@code address} (long, -1 when none),
 * {@code size}, {@code line} and {@code column} (int), and {@code plugin}, {@code detail},
 * {@code function} and {@code file} (strings). {@code function} and {@code file} are present only
 * when known.
 */
@ExportLibrary(InteropLibrary.class)
public final class PluginFault extends AbstractTruffleException {

    private static final long serialVersionUID = 1L;

    private static final String KIND = "kind";
    private static final String ADDRESS = "address";
    private static final String ACCESS = "access";
    private static final String SIZE = "size";
    private static final String FUNCTION = "function";
    private static final String FILE = "file";
    private static final String LINE = "line";
    private static final String COLUMN = "column";
    private static final String PLUGIN = "plugin";
    private static final String DETAIL = "detail";

    private final FaultReport report;

    /**
     * Creates the fault. {@code location} is the node that performed the faulting operation, or
     * null when there is none. Truffle builds the guest stack trace from it.
     */
    public PluginFault(FaultReport report, Node location) {
        super(null, null, UNLIMITED_STACK_TRACE, location);
        this.report = Objects.requireNonNull(report, "report");
    }

    /**
     * Creates a fault located at {@code location}, for a node's failing branch:
     * {@code throw PluginFault.raise(...)}. Function, file, line, column and source line come
     * from {@code location}'s root node and encapsulating source section, with file and line
     * mapped through the root node when it implements {@link LineDirectives}. When
     * {@code location} is null or has no source section, the report has line 0.
     *
     * @param address the faulting address as an unsigned 32-bit value, or
     *                {@link FaultReport#NO_ADDRESS}
     * @param size    access size in bytes, or 0 when the fault is not an access
     */
    @TruffleBoundary
    public static PluginFault raise(FaultKind kind, String detail, long address, Access access,
                    int size, Node location, String pluginName) {
        String function = null;
        String file = null;
        int line = 0;
        int column = 0;
        String sourceLine = null;

        if (location != null) {
            RootNode root = location.getRootNode();
            if (root != null) {
                function = root.getName();
            }
            SourceSection section = location.getEncapsulatingSourceSection();
            if (section != null && section.isAvailable() && section.hasLines()) {
                Source source = section.getSource();
                file = source.getName();
                line = section.getStartLine();
                column = section.hasColumns() ? section.getStartColumn() : 0;
                if (source.hasCharacters()) {
                    sourceLine = source.getCharacters(line).toString();
                }
                if (root instanceof LineDirectives directives) {
                    file = directives.reportedFile(source, line);
                    line = directives.reportedLine(source, line);
                }
            }
        }

        FaultReport report = new FaultReport(pluginName, function, file, line, column, kind,
                        detail, address, access, size, sourceLine);
        return new PluginFault(report, location);
    }

    public FaultReport report() {
        return report;
    }

    public FaultKind kind() {
        return report.kind();
    }

    @Override
    @TruffleBoundary
    public String getMessage() {
        return report.render();
    }

    @ExportMessage
    @SuppressWarnings("static-method")
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMembers(@SuppressWarnings("unused") boolean includeInternal) {
        List<String> names = new ArrayList<>(List.of(
                        KIND, ADDRESS, ACCESS, SIZE, LINE, COLUMN, PLUGIN, DETAIL));
        if (report.function() != null) {
            names.add(FUNCTION);
        }
        if (report.file() != null) {
            names.add(FILE);
        }
        return new MemberNames(names.toArray(new String[0]));
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberReadable(String member) {
        return memberValue(member) != null;
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String member) throws UnknownIdentifierException {
        Object value = memberValue(member);
        if (value == null) {
            throw UnknownIdentifierException.create(member);
        }
        return value;
    }

    /** Returns the interop value of a member, or null when the member does not exist. */
    private Object memberValue(String member) {
        return switch (member) {
            case KIND -> report.kind().name();
            case ADDRESS -> report.address();
            case ACCESS -> report.access().name();
            case SIZE -> report.size();
            case FUNCTION -> report.function();
            case FILE -> report.file();
            case LINE -> report.line();
            case COLUMN -> report.column();
            case PLUGIN -> report.plugin();
            case DETAIL -> report.detail();
            default -> null;
        };
    }

    /** The interop array that {@code getMembers} returns. */
    @ExportLibrary(InteropLibrary.class)
    static final class MemberNames implements TruffleObject {

        private final String[] names;

        MemberNames(String[] names) {
            this.names = names;
        }

        @ExportMessage
        @SuppressWarnings("static-method")
        boolean hasArrayElements() {
            return true;
        }

        @ExportMessage
        long getArraySize() {
            return names.length;
        }

        @ExportMessage
        boolean isArrayElementReadable(long index) {
            return index >= 0 && index < names.length;
        }

        @ExportMessage
        Object readArrayElement(long index) throws InvalidArrayIndexException {
            if (!isArrayElementReadable(index)) {
                throw InvalidArrayIndexException.create(index);
            }
            return names[(int) index];
        }
    }
}
