package org.higgsnarrator.runtime.ortapi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.higgsnarrator.pkg.ElementType;

/**
 * The few entries of ONNX Runtime's C API ({@code OrtApi}) that its Java API lacks: memory info, allocators,
 * tensors in a session's device memory and IoBinding. Called through {@code java.lang.foreign} on the very
 * {@code libonnxruntime} the ORT jar already loaded (so it is the same version, the same {@code OrtEnv} and the same
 * sessions); no native code of our own.
 *
 * <p>{@code OrtApi} is a struct of function pointers that only ever grows at its end, so an entry's index is fixed
 * forever: the indices below follow {@code struct OrtApi} in microsoft/onnxruntime
 * {@code include/onnxruntime/core/session/onnxruntime_c_api.h} (CreateStatus = 0 … ClearBoundOutputs = 142). We ask
 * {@code GetApi} for {@link #API_VERSION}, the oldest version that has all of them; a library too old for it, or one
 * whose table lacks an entry, fails with a message naming it. A self-check at load (a status made and read back
 * through entries 0–2 and 93) guards against a misread table.
 *
 * <p>Every pointer handed out here is native memory owned by the caller, who releases it with the matching
 * {@code release*} method.
 */
public final class OrtApi {
    /** IoBinding (CreateIoBinding … ClearBoundOutputs) completed at API version 2 (ORT 1.2); 4 leaves margin. */
    static final int API_VERSION = 4;

    /** {@code OrtAllocatorType.OrtArenaAllocator}. */
    private static final int ARENA_ALLOCATOR = 1;
    /** {@code OrtMemType.OrtMemTypeDefault}. */
    private static final int MEM_TYPE_DEFAULT = 0;

    /** The entries used, with their index in {@code struct OrtApi} and their C signature. */
    enum Entry {
        CreateStatus(0, FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS)),
        GetErrorCode(1, FunctionDescriptor.of(JAVA_INT, ADDRESS)),
        GetErrorMessage(2, FunctionDescriptor.of(ADDRESS, ADDRESS)),
        CreateTensorAsOrtValue(48, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS)),
        CreateTensorWithDataAsOrtValue(49, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS)),
        GetTensorMutableData(51, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS)),
        CreateMemoryInfo(68, FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS)),
        CreateCpuMemoryInfo(69, FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS)),
        AllocatorFree(76, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS)),
        GetAllocatorWithDefaultOptions(78, FunctionDescriptor.of(ADDRESS, ADDRESS)),
        ReleaseStatus(93, FunctionDescriptor.ofVoid(ADDRESS)),
        ReleaseMemoryInfo(94, FunctionDescriptor.ofVoid(ADDRESS)),
        ReleaseValue(96, FunctionDescriptor.ofVoid(ADDRESS)),
        CreateAllocator(131, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
        ReleaseAllocator(132, FunctionDescriptor.ofVoid(ADDRESS)),
        RunWithBinding(133, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
        CreateIoBinding(134, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS)),
        ReleaseIoBinding(135, FunctionDescriptor.ofVoid(ADDRESS)),
        BindInput(136, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
        BindOutput(137, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
        BindOutputToDevice(138, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
        GetBoundOutputValues(140, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS)),
        ClearBoundInputs(141, FunctionDescriptor.ofVoid(ADDRESS)),
        ClearBoundOutputs(142, FunctionDescriptor.ofVoid(ADDRESS));

        final int index;
        final FunctionDescriptor signature;

        Entry(int index, FunctionDescriptor signature) {
            this.index = index;
            this.signature = signature;
        }
    }

    /** A failure reported by the C API (its OrtStatus message) or a missing entry. */
    public static final class OrtApiException extends RuntimeException {
        OrtApiException(String message) {
            super(message);
        }
    }

    private static OrtApi instance;

    private final String version;
    private final Map<Entry, MethodHandle> handles = new EnumMap<>(Entry.class);
    private final MemorySegment defaultAllocator;

    /** The C API of the ORT library loaded by the ORT jar (loads it if needed). */
    public static synchronized OrtApi get() {
        if (instance == null) instance = new OrtApi();
        return instance;
    }

    private OrtApi() {
        OrtEnvironment.getEnvironment(); // makes the ORT jar load its libonnxruntime
        Linker linker = Linker.nativeLinker();
        MemorySegment getApiBase = findGetApiBase();
        try {
            MemorySegment base = ((MemorySegment) linker.downcallHandle(getApiBase, FunctionDescriptor.of(ADDRESS)).invokeExact())
                    .reinterpret(2 * ADDRESS.byteSize());
            MemorySegment getApi = base.get(ADDRESS, 0), getVersion = base.get(ADDRESS, ADDRESS.byteSize());
            version = ((MemorySegment) linker.downcallHandle(getVersion, FunctionDescriptor.of(ADDRESS)).invokeExact())
                    .reinterpret(64).getString(0);
            MemorySegment api = (MemorySegment) linker.downcallHandle(getApi, FunctionDescriptor.of(ADDRESS, JAVA_INT)).invokeExact(API_VERSION);
            if (api.equals(MemorySegment.NULL)) {
                throw new OrtApiException("ONNX Runtime " + version + " does not offer C API version " + API_VERSION
                        + " (IoBinding); use the ONNX Runtime version in the pom");
            }
            int size = Entry.ClearBoundOutputs.index + 1;
            api = api.reinterpret(size * ADDRESS.byteSize());
            for (Entry e : Entry.values()) {
                MemorySegment fn = api.getAtIndex(ADDRESS, e.index);
                if (fn.equals(MemorySegment.NULL)) {
                    throw new OrtApiException("ONNX Runtime " + version + " lacks the C API entry OrtApi::" + e.name() + " (index " + e.index + ")");
                }
                handles.put(e, linker.downcallHandle(fn, e.signature));
            }
        } catch (OrtApiException e) {
            throw e;
        } catch (Throwable t) {
            throw new OrtApiException("cannot reach ONNX Runtime's C API: " + t);
        }
        selfCheck();
        this.defaultAllocator = out(Entry.GetAllocatorWithDefaultOptions);
    }

    /**
     * {@code OrtGetApiBase}, exported by libonnxruntime: first among the libraries our class loader loaded (the ORT
     * jar loads it with System.load from the same class path), else from the mapped library file.
     */
    private static MemorySegment findGetApiBase() {
        Optional<MemorySegment> s = SymbolLookup.loaderLookup().find("OrtGetApiBase");
        if (s.isPresent()) return s.get();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int at = line.indexOf('/');
                if (at > 0 && line.contains("libonnxruntime.") && !line.contains("4j_jni")) {
                    return SymbolLookup.libraryLookup(Path.of(line.substring(at).trim()), Arena.global()).find("OrtGetApiBase").orElseThrow();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to the message below
        }
        throw new OrtApiException("cannot find OrtGetApiBase in the ONNX Runtime library loaded by the ORT jar");
    }

    /** A status made and read back: proves the table is read at the right offsets before anything else is called. */
    private void selfCheck() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = (MemorySegment) handles.get(Entry.CreateStatus).invokeExact(7, a.allocateFrom("higgs-probe"));
            int code = (int) handles.get(Entry.GetErrorCode).invokeExact(st);
            String msg = ((MemorySegment) handles.get(Entry.GetErrorMessage).invokeExact(st)).reinterpret(64).getString(0);
            handles.get(Entry.ReleaseStatus).invokeExact(st);
            if (code != 7 || !msg.equals("higgs-probe")) {
                throw new OrtApiException("ONNX Runtime " + version + ": the C API table does not match the layout this code was written for");
            }
        } catch (OrtApiException e) {
            throw e;
        } catch (Throwable t) {
            throw new OrtApiException("ONNX Runtime C API self-check failed: " + t);
        }
    }

    public String version() {
        return version;
    }

    // ---- calls ----

    private Object invoke(Entry e, Object... args) {
        try {
            return handles.get(e).invokeWithArguments(args);
        } catch (Throwable t) {
            throw new OrtApiException("OrtApi::" + e.name() + " failed: " + t);
        }
    }

    /** Calls an entry that returns an OrtStatus*; a non-null status becomes an exception with its message. */
    private void call(Entry e, Object... args) {
        MemorySegment status = (MemorySegment) invoke(e, args);
        if (status.equals(MemorySegment.NULL)) return;
        String msg = ((MemorySegment) invoke(Entry.GetErrorMessage, status)).reinterpret(Integer.MAX_VALUE).getString(0);
        invoke(Entry.ReleaseStatus, status);
        throw new OrtApiException("OrtApi::" + e.name() + ": " + msg);
    }

    /** Calls an entry whose last parameter is an out-pointer and returns what it wrote. */
    private MemorySegment out(Entry e, Object... args) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = a.allocate(ADDRESS);
            Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
            all[args.length] = slot;
            call(e, all);
            return slot.get(ADDRESS, 0);
        }
    }

    // ---- sessions ----

    /**
     * The {@code OrtSession*} behind a Java session: the ORT jar keeps it in the private field {@code nativeHandle}
     * (stable since ORT 1.0). Reading it lets the C API run the very session {@link ai.onnxruntime.OrtEnvironment}
     * built with all of {@code OrtRuntime}'s options, rather than a second copy of the weights in a session of our
     * own. The jar sits on the class path (an unnamed module), so no {@code --add-opens} is needed.
     */
    public static MemorySegment sessionHandle(OrtSession session) {
        try {
            Field f = OrtSession.class.getDeclaredField("nativeHandle");
            f.setAccessible(true);
            long h = f.getLong(session);
            if (h == 0) throw new OrtApiException("the ORT session is closed");
            return MemorySegment.ofAddress(h);
        } catch (NoSuchFieldException | IllegalAccessException | RuntimeException e) {
            if (e instanceof OrtApiException oe) throw oe;
            throw new OrtApiException("cannot reach the native handle of ai.onnxruntime.OrtSession (field nativeHandle) in this ORT jar: " + e
                    + "; run without --io-binding");
        }
    }

    // ---- memory ----

    /** Memory info of ordinary CPU memory. Release with {@link #releaseMemoryInfo}. */
    public MemorySegment cpuMemoryInfo() {
        return out(Entry.CreateCpuMemoryInfo, ARENA_ALLOCATOR, MEM_TYPE_DEFAULT);
    }

    /** Memory info of a CUDA device's memory. Release with {@link #releaseMemoryInfo}. */
    public MemorySegment cudaMemoryInfo(int deviceId) {
        try (Arena a = Arena.ofConfined()) {
            return out(Entry.CreateMemoryInfo, a.allocateFrom("Cuda"), ARENA_ALLOCATOR, deviceId, MEM_TYPE_DEFAULT);
        }
    }

    public void releaseMemoryInfo(MemorySegment info) {
        invoke(Entry.ReleaseMemoryInfo, info);
    }

    /** The session's allocator for the memory {@code info} describes. Release with {@link #releaseAllocator}. */
    public MemorySegment createAllocator(MemorySegment session, MemorySegment info) {
        return out(Entry.CreateAllocator, session, info);
    }

    public void releaseAllocator(MemorySegment allocator) {
        invoke(Entry.ReleaseAllocator, allocator);
    }

    // ---- values ----

    static int onnxType(ElementType t) {
        return switch (t) {
            case FLOAT32 -> 1;
            case INT32 -> 6;
            case INT64 -> 7;
            case FLOAT16 -> 10;
        };
    }

    /** A tensor allocated by {@code allocator} (device memory for a device allocator). Release with {@link #releaseValue}. */
    public MemorySegment createTensor(MemorySegment allocator, long[] shape, ElementType type) {
        try (Arena a = Arena.ofConfined()) {
            return out(Entry.CreateTensorAsOrtValue, allocator, a.allocateFrom(JAVA_LONG, shape), (long) shape.length, onnxType(type));
        }
    }

    /**
     * A tensor over memory we own ({@code data} must outlive the value; ORT reads and writes it in place). Release
     * with {@link #releaseValue}.
     */
    public MemorySegment createTensor(MemorySegment memoryInfo, MemorySegment data, long[] shape, ElementType type) {
        try (Arena a = Arena.ofConfined()) {
            return out(Entry.CreateTensorWithDataAsOrtValue, memoryInfo, data, data.byteSize(), a.allocateFrom(JAVA_LONG, shape),
                    (long) shape.length, onnxType(type));
        }
    }

    /** The address of a tensor's data (on its device), as a segment of {@code bytes} bytes. */
    public MemorySegment tensorData(MemorySegment value, long bytes) {
        return out(Entry.GetTensorMutableData, value).reinterpret(bytes);
    }

    public void releaseValue(MemorySegment value) {
        invoke(Entry.ReleaseValue, value);
    }

    // ---- IoBinding ----

    /** Release with {@link #releaseIoBinding}. */
    public MemorySegment createIoBinding(MemorySegment session) {
        return out(Entry.CreateIoBinding, session);
    }

    public void releaseIoBinding(MemorySegment binding) {
        invoke(Entry.ReleaseIoBinding, binding);
    }

    /** Binds a graph input. A value on another device than the node that reads it is copied at this call. */
    public void bindInput(MemorySegment binding, String name, MemorySegment value) {
        try (Arena a = Arena.ofConfined()) {
            call(Entry.BindInput, binding, a.allocateFrom(name), value);
        }
    }

    /** Binds a graph output to a tensor we allocated; the run writes into it. */
    public void bindOutput(MemorySegment binding, String name, MemorySegment value) {
        try (Arena a = Arena.ofConfined()) {
            call(Entry.BindOutput, binding, a.allocateFrom(name), value);
        }
    }

    /** Binds a graph output to a device; the run allocates it there ({@link #boundOutputs} returns it). */
    public void bindOutputToDevice(MemorySegment binding, String name, MemorySegment memoryInfo) {
        try (Arena a = Arena.ofConfined()) {
            call(Entry.BindOutputToDevice, binding, a.allocateFrom(name), memoryInfo);
        }
    }

    public void clearBindings(MemorySegment binding) {
        invoke(Entry.ClearBoundInputs, binding);
        invoke(Entry.ClearBoundOutputs, binding);
    }

    /** Runs the session on the binding (default run options). */
    public void run(MemorySegment session, MemorySegment binding) {
        call(Entry.RunWithBinding, session, MemorySegment.NULL, binding);
    }

    /**
     * The outputs of the last run, in the order they were bound; each is a new reference the caller releases with
     * {@link #releaseValue}.
     */
    public MemorySegment[] boundOutputs(MemorySegment binding) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment arr = a.allocate(ADDRESS), count = a.allocate(JAVA_LONG);
            call(Entry.GetBoundOutputValues, binding, defaultAllocator, arr, count);
            int n = (int) count.get(JAVA_LONG, 0);
            MemorySegment array = arr.get(ADDRESS, 0);
            if (n == 0) return new MemorySegment[0];
            array = array.reinterpret(n * ADDRESS.byteSize());
            MemorySegment[] out = new MemorySegment[n];
            for (int i = 0; i < n; i++) out[i] = array.getAtIndex(ADDRESS, i);
            call(Entry.AllocatorFree, defaultAllocator, array);
            return out;
        }
    }
}
