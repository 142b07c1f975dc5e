package io.jzram.core;

import java.io.IOException;

/**
 * Every failure the engine reports: one class with a {@link Reason}, so that each caller maps
 * reasons to its own vocabulary in one place (the iSCSI target to SCSI sense data, the CLI to
 * zramctl-style messages and exit codes) and nothing is lost in a cast.
 */
public final class ZramException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why an operation failed, with the errno the kernel's zram would return for it. */
    public enum Reason {
        /** I/O to a device that has no disksize (or is being reset). Kernel: I/O beyond a zero capacity. */
        NOT_INITIALIZED("ENXIO", "No such device or address"),
        /** I/O outside the disk, or a length or offset that is not a whole number of sectors; counted in invalid_io. */
        OUT_OF_RANGE("EINVAL", "Invalid argument"),
        /** A write would take mem_used_total over mem_limit; the old contents are intact; counted in failed_writes. */
        NO_SPACE("ENOMEM", "Cannot allocate memory"),
        /** Stored data failed to decompress; counted in failed_reads. */
        READ_FAILED("EIO", "Input/output error"),
        /** The device is open, exported, or another administrative operation holds it. */
        BUSY("EBUSY", "Device or resource busy"),
        /** A bad administrative argument: disksize 0, unknown algorithm, malformed size. */
        INVALID_ARGUMENT("EINVAL", "Invalid argument"),
        /** hot_remove or lookup of a device id that does not exist. */
        NO_SUCH_DEVICE("ENODEV", "No such device"),
        /** A reset or drain waited longer than it was allowed to. */
        TIMED_OUT("ETIMEDOUT", "Connection timed out"),
        /** A sysfs attribute read that is write-only, or written that is read-only (the file's mode says no). */
        PERMISSION("EACCES", "Permission denied"),
        /** A sysfs attribute that the device does not have. */
        NO_SUCH_ATTRIBUTE("ENOENT", "No such file or directory"),
        /** A file named in a setting (a backing device, a dictionary) that does not exist. */
        NO_SUCH_FILE("ENOENT", "No such file or directory"),
        /** The backing device failed a write-back, or a file named in a setting could not be read. */
        IO_ERROR("EIO", "Input/output error"),
        /** The backing device has no free block for a write-back. */
        NO_SPACE_LEFT("ENOSPC", "No space left on device");

        private final String errno;
        private final String strerror;

        Reason(String errno, String strerror) {
            this.errno = errno;
            this.strerror = strerror;
        }

        /** The symbolic errno, e.g. {@code EBUSY}. */
        public String errno() {
            return errno;
        }

        /** The C library's text for the errno, as zramctl prints it. */
        public String strerror() {
            return strerror;
        }
    }

    private final Reason reason;

    public ZramException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ZramException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
