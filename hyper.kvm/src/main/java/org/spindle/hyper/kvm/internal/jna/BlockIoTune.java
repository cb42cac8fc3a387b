package org.spindle.hyper.kvm.internal.jna;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.libvirt.Domain;
import org.libvirt.jna.DomainPointer;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * {@code virDomainSetBlockIoTune} and {@code virDomainGetBlockIoTune}, which libvirt-java 0.5.4 does not
 * bind. The {@code virTypedParameter} array is laid out by hand (it is a flat C array of fixed-size structs),
 * which is simpler and safer than JNA structure arrays.
 */
public final class BlockIoTune {

    /** The libvirt functions bound here. */
    interface Api extends Library {
        int virDomainSetBlockIoTune(Pointer dom, String disk, Pointer params, int nparams, int flags);

        int virDomainGetBlockIoTune(Pointer dom, String disk, Pointer params, IntByReference nparams, int flags);

        void virTypedParamsClear(Pointer params, int nparams);

        int virGetLastErrorCode();

        String virGetLastErrorMessage();
    }

    /** {@code VIR_TYPED_PARAM_FIELD_LENGTH}. */
    static final int FIELD_LENGTH = 80;
    /** {@code char field[80]; int type; (4 bytes padding) union value (8 bytes, 8-aligned)}. */
    static final int TYPE_OFFSET = 80;
    static final int VALUE_OFFSET = 88;
    static final int SIZE = 96;

    static final int TYPE_INT = 1;
    static final int TYPE_UINT = 2;
    static final int TYPE_LLONG = 3;
    static final int TYPE_ULLONG = 4;

    /** {@code VIR_DOMAIN_AFFECT_*}. */
    public static final int AFFECT_CURRENT = 0;
    public static final int AFFECT_LIVE = 1;
    public static final int AFFECT_CONFIG = 2;

    private static final class Holder {
        static final Api API = Native.load("virt", Api.class);
    }

    private static final Field DOMAIN_POINTER;

    static {
        try {
            DOMAIN_POINTER = Domain.class.getDeclaredField("vdp");
            DOMAIN_POINTER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("libvirt-java Domain has no 'vdp' pointer field: " + e);
        }
    }

    private BlockIoTune() {
    }

    /** Sets the given unsigned long long parameters on disk {@code disk} (a target dev) of {@code domain}. */
    public static void set(Domain domain, String disk, Map<String, Long> params, int flags) {
        Memory array = new Memory((long) SIZE * Math.max(1, params.size()));
        array.clear();
        int i = 0;
        for (Map.Entry<String, Long> p : params.entrySet()) {
            byte[] name = p.getKey().getBytes(StandardCharsets.US_ASCII);
            if (name.length >= FIELD_LENGTH) {
                throw new IllegalArgumentException("typed parameter name too long: " + p.getKey());
            }
            long base = (long) i * SIZE;
            array.write(base, name, 0, name.length);
            array.setInt(base + TYPE_OFFSET, TYPE_ULLONG);
            array.setLong(base + VALUE_OFFSET, p.getValue());
            i++;
        }
        try {
            int rc = Holder.API.virDomainSetBlockIoTune(pointer(domain), disk, array, params.size(), flags);
            if (rc < 0) {
                throw lastError("virDomainSetBlockIoTune");
            }
        } finally {
            Reference.reachabilityFence(domain);
        }
    }

    /** The numeric I/O tune parameters of disk {@code disk}, by name (string ones such as group_name are left out). */
    public static Map<String, Long> get(Domain domain, String disk, int flags) {
        try {
            Pointer dom = pointer(domain);
            IntByReference n = new IntByReference(0);
            if (Holder.API.virDomainGetBlockIoTune(dom, disk, null, n, flags) < 0) {
                throw lastError("virDomainGetBlockIoTune");
            }
            int count = n.getValue();
            Map<String, Long> out = new LinkedHashMap<>();
            if (count == 0) {
                return out;
            }
            Memory array = new Memory((long) SIZE * count);
            array.clear();
            if (Holder.API.virDomainGetBlockIoTune(dom, disk, array, n, flags) < 0) {
                throw lastError("virDomainGetBlockIoTune");
            }
            try {
                for (int i = 0; i < n.getValue(); i++) {
                    long base = (long) i * SIZE;
                    String name = array.getString(base, StandardCharsets.US_ASCII.name());
                    switch (array.getInt(base + TYPE_OFFSET)) {
                        case TYPE_ULLONG, TYPE_LLONG -> out.put(name, array.getLong(base + VALUE_OFFSET));
                        case TYPE_UINT -> out.put(name, Integer.toUnsignedLong(array.getInt(base + VALUE_OFFSET)));
                        case TYPE_INT -> out.put(name, (long) array.getInt(base + VALUE_OFFSET));
                        default -> { /* group_name (string) and others: not limits */ }
                    }
                }
            } finally {
                // frees the strings libvirt allocated inside the array (the array itself is ours)
                Holder.API.virTypedParamsClear(array, n.getValue());
            }
            return out;
        } finally {
            Reference.reachabilityFence(domain);
        }
    }

    private static Pointer pointer(Domain domain) {
        try {
            DomainPointer p = (DomainPointer) DOMAIN_POINTER.get(domain);
            return p.getPointer();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read libvirt-java's domain pointer", e);
        }
    }

    private static LibvirtCallException lastError(String function) {
        int code = Holder.API.virGetLastErrorCode();
        String message = Holder.API.virGetLastErrorMessage();
        return new LibvirtCallException(function, code, message);
    }
}
