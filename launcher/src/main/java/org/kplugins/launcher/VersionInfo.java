// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.graalvm.polyglot.Engine;

/** The lines {@code kpc --version} prints. */
final class VersionInfo {

    /** The Truffle jar stores its release here; Engine.getVersion() reports "Development Build" for the Maven jars. */
    private static final String TRUFFLE_VERSION_RESOURCE = "META-INF/graalvm/org.graalvm.truffle/version";
    private static final String COMPILER_VERSION_RESOURCE = "META-INF/graalvm/jdk.graal.compiler/version";
    private static final String COMPILER_MODULE = "jdk.graal.compiler";

    private VersionInfo() {
    }

    /**
     * Returns the version lines. Runtime compilation is reported as active when an engine runs
     * on a Truffle runtime other than the fallback runtime, which Truffle names "Interpreted".
     */
    static List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("kpc " + kpcVersion());
        lines.add("GraalVM Truffle " + truffleVersion());
        lines.add("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
                        + " (" + System.getProperty("java.vm.vendor") + ")");

        String runtimeName;
        try (Engine engine = Engine.newBuilder().option("engine.WarnInterpreterOnly", "false").build()) {
            runtimeName = engine.getImplementationName();
        }
        if (PluginSession.FALLBACK_RUNTIME_NAME.equals(runtimeName)) {
            lines.add("Runtime compilation: inactive (Truffle fallback runtime \"" + runtimeName + "\"; "
                            + "start the JVM with -XX:+EnableJVMCI and the Graal compiler jars on --upgrade-module-path, as bin/kpc does)");
        } else {
            lines.add("Runtime compilation: active (Truffle runtime \"" + runtimeName + "\", Graal compiler "
                            + compilerVersion().orElse("of unknown version") + ")");
        }
        return lines;
    }

    /** Returns the kpc version from the build, for example {@code 0.1.0-SNAPSHOT}. */
    static String kpcVersion() {
        Properties properties = new Properties();
        try (InputStream input = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (input == null) {
                throw new IllegalStateException("version.properties is missing from the launcher's resources");
            }
            properties.load(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static String truffleVersion() {
        return readResource(Engine.class.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : Engine.class.getClassLoader(),
                        TRUFFLE_VERSION_RESOURCE).orElse("(version unknown)");
    }

    /** Returns the version of the Graal compiler module in the boot layer, if it is there. */
    private static Optional<String> compilerVersion() {
        return ModuleLayer.boot().findModule(COMPILER_MODULE).flatMap(module -> {
            try (InputStream input = module.getResourceAsStream(COMPILER_VERSION_RESOURCE)) {
                return input == null ? Optional.empty() : Optional.of(new String(input.readAllBytes(), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<String> readResource(ClassLoader loader, String name) {
        try (InputStream input = loader.getResourceAsStream(name)) {
            return input == null ? Optional.empty() : Optional.of(new String(input.readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
