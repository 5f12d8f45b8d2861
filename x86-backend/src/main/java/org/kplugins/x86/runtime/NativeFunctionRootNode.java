// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.monitor.fault.LineDirectives;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.Site;

/**
 * A plugin function of the native tier as a Truffle root node. Its call target is what the host calls:
 * the frame arguments are the plugin instance and the C arguments as Integer or Long, as for the
 * Truffle tier's {@code KpcFunctionRootNode}, and it runs the machine code from the top of the
 * plugin stack. Plugin functions call each other in machine code, never through this node.
 *
 * <p>Its children are one {@link SiteNode} per fault site of the function, so a fault report names
 * this function and the site's source location.
 */
final class NativeFunctionRootNode extends RootNode implements LineDirectives {

    private final NativeProgram program;
    private final Sections sections;
    private final IrFunction function;
    /** The native address of the function's code, or its address in the emulated code segment. */
    private final long address;
    private final SourceSection section;
    @Children private final SiteNode[] sites;

    NativeFunctionRootNode(KpcLanguage language, NativeProgram program, IrFunction function, long address,
                    Sections sections) {
        super(language);
        this.program = program;
        this.sections = sections;
        this.function = function;
        this.address = address;
        this.section = sections.of(function.location());
        this.sites = new SiteNode[function.sites().size()];
        for (Site site : function.sites()) {
            sites[site.id()] = new SiteNode(sections.of(site.location()));
        }
        adoptChildren();
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object[] arguments = frame.getArguments();
        PluginInstance instance = CompilerDirectives.castExact(arguments[0], PluginInstance.class);
        if (function.isVariadic()) {
            return program.call(this, instance, arguments, placeArgumentArea(instance, arguments));
        }
        if (instance.stackPointer - function.stackFrameSize() < PluginLayout.STACK_BOTTOM) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.stackOverflow(this, instance);
        }
        return program.call(this, instance, arguments, instance.stackPointer);
    }

    /**
     * Writes the arguments of a call from the host of a variadic function into an argument area
     * below the top of the plugin stack, as the Truffle tier's function body does. Returns the
     * area's start, which is the function's stack pointer.
     */
    @TruffleBoundary
    private int placeArgumentArea(PluginInstance instance, Object[] arguments) {
        int areaSize = 0;
        for (int i = 1; i < arguments.length; i++) {
            areaSize += arguments[i] instanceof Long ? 8 : 4;
        }
        int area = instance.stackPointer - ((areaSize + 15) & -16);
        if (area - function.stackFrameSize() < PluginLayout.STACK_BOTTOM) {
            throw Faults.stackOverflow(this, instance);
        }
        int address = area;
        for (int i = 1; i < arguments.length; i++) {
            if (arguments[i] instanceof Long value) {
                instance.memory().storeI64(this, address, value);
                address += 8;
            } else {
                instance.memory().storeI32(this, address, (Integer) arguments[i]);
                address += 4;
            }
        }
        return area;
    }

    IrFunction function() {
        return function;
    }

    /** Returns the address of the function's code, where a call from the host enters it. */
    long address() {
        return address;
    }

    /** Returns the node of a fault site of this function. */
    SiteNode site(Site site) {
        return sites[site.id()];
    }

    @Override
    public String reportedFile(Source source, int line) {
        return sections.reportedFile(source, line);
    }

    @Override
    public int reportedLine(Source source, int line) {
        return sections.reportedLine(source, line);
    }

    @Override
    public String getName() {
        return function.name();
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    @Override
    public String toString() {
        return function.name() + "()";
    }
}
