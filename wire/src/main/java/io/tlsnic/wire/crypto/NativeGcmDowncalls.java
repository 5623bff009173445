package io.tlsnic.wire.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * The kernel's start, update and tag as FFM critical downcalls over heap arrays (JDK 22+: {@code Linker.Option
 * .critical(true)}): the native code gets the arrays' addresses directly, without the JNI transition and the
 * pinning of {@code GetPrimitiveArrayCritical}, which together cost about as much as the crypto of a short
 * segment. The API is reached by reflection and the handles are composed with {@link MethodHandles}, so the
 * project still compiles for Java 17; on JDK 17 to 21, or if anything here fails, {@link #isAvailable()} is false
 * and {@link NativeGcm} calls the same kernel through JNI. {@code -Dtlsnic.crypto.native.ffm=false} forces JNI.
 *
 * <p>Only linked after {@link NativeGcm} loaded the library (the symbols are found in its class loader's libraries).
 */
final class NativeGcmDowncalls
{
    /** System property that forces JNI when set to {@code false}. */
    static final String PROPERTY = "tlsnic.crypto.native.ffm";

    /** {@code (long state, int encrypt, byte[] nonce, int nonceOffset, byte[] aad, int aadOffset, int aadLength)}. */
    static final MethodHandle START;
    /** {@code (long state, byte[] in, int inOffset, int length, byte[] out, int outOffset)}. */
    static final MethodHandle UPDATE;
    /** {@code (long state, byte[] out, int outOffset)}. */
    static final MethodHandle TAG;

    static
    {
        MethodHandle start = null;
        MethodHandle update = null;
        MethodHandle tag = null;
        final boolean wanted = !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
        if (wanted && Runtime.version().feature() >= 22)
        {
            try
            {
                final Ffm ffm = new Ffm();
                start = ffm.downcall("tlsnic_gcm_start", 0b0010100, "J", "I", "A", "I", "A", "I", "I");
                update = ffm.downcall("tlsnic_gcm_update", 0b010010, "J", "A", "I", "I", "A", "I");
                tag = ffm.downcall("tlsnic_gcm_tag", 0b010, "J", "A", "I");
            }
            catch (final ReflectiveOperationException | RuntimeException | LinkageError e)
            {
                start = null;
                update = null;
                tag = null;
            }
        }
        START = start;
        UPDATE = update;
        TAG = tag;
    }

    private NativeGcmDowncalls()
    {
    }

    /** @return whether the downcalls are linked (JDK 22+, not switched off). */
    static boolean isAvailable()
    {
        return UPDATE != null;
    }

    /** The few pieces of {@code java.lang.foreign} needed, by reflection. */
    private static final class Ffm
    {
        private final Class<?> memorySegment = Class.forName("java.lang.foreign.MemorySegment");
        private final Class<?> memoryLayout = Class.forName("java.lang.foreign.MemoryLayout");
        private final Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        private final Class<?> functionDescriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
        private final Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        private final Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
        private final Class<?> symbolLookup = Class.forName("java.lang.foreign.SymbolLookup");
        private final Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        private final Object lookup = symbolLookup.getMethod("loaderLookup").invoke(null);
        private final MethodHandle ofArray = MethodHandles.publicLookup()
            .findStatic(memorySegment, "ofArray", MethodType.methodType(memorySegment, byte[].class));

        Ffm() throws ReflectiveOperationException
        {
        }

        /**
         * @param symbol the C function.
         * @param arrays bit i set when argument i is a {@code byte[]} passed as its address.
         * @param types argument layouts: "J" long, "I" int, "A" address.
         * @return a handle taking {@code long}, {@code int} and {@code byte[]} arguments, returning void.
         */
        MethodHandle downcall(final String symbol, final int arrays, final String... types)
            throws ReflectiveOperationException
        {
            final Object layouts = Array.newInstance(memoryLayout, types.length);
            for (int i = 0; i < types.length; i++)
            {
                final String field = types[i].equals("J") ? "JAVA_LONG"
                    : types[i].equals("I") ? "JAVA_INT" : "ADDRESS";
                Array.set(layouts, i, valueLayout.getField(field).get(null));
            }
            final Object descriptor = functionDescriptor.getMethod("ofVoid", layouts.getClass()).invoke(null, layouts);
            final Object options = Array.newInstance(option, 1);
            Array.set(options, 0, option.getMethod("critical", boolean.class).invoke(null, true));
            final Optional<?> address = (Optional<?>)symbolLookup.getMethod("find", String.class).invoke(lookup, symbol);
            MethodHandle handle = (MethodHandle)linkerClass
                .getMethod("downcallHandle", memorySegment, functionDescriptor, options.getClass())
                .invoke(linker, address.orElseThrow(), descriptor, options);
            for (int i = 0; i < types.length; i++)
            {
                if ((arrays & (1 << i)) != 0)
                {
                    handle = MethodHandles.filterArguments(handle, i, ofArray);
                }
            }
            return handle;
        }
    }
}
