package io.jzram.target.scsi;

/**
 * READ DEFECT DATA(10) 37h and (12) B7h (SBC-3 5.15, 5.16): memory has no defective blocks, so
 * both return an empty defect list. The header echoes which lists were asked for (PLISTV, GLISTV:
 * both lists exist, and are empty) and the DEFECT LIST FORMAT asked for: with no descriptors any
 * format is met. The reserved formats 001b, 010b and 111b are 05/24/00 pointing at the field.
 * (10) has a 4-byte header with a 16-bit DEFECT LIST LENGTH, (12) an 8-byte one with a 32-bit
 * length; both lengths are 0. An allocation length shorter than the header truncates it, as any
 * allocation length does.
 */
final class DefectData {
    private DefectData() {}

    static ScsiResponse readDefectData(byte[] cdb, java.nio.ByteBuffer dataIn) {
        boolean twelve = (cdb[0] & 0xFF) == Cdb.READ_DEFECT_DATA_12;
        int flagsByte = twelve ? 1 : 2;
        int flags = cdb[flagsByte] & 0xFF;
        int format = flags & 0x07;
        if (format == 0b001 || format == 0b010 || format == 0b111) {
            throw ScsiError.invalidFieldInCdb(flagsByte, 2);
        }
        boolean plist = (flags & 0x10) != 0;
        boolean glist = (flags & 0x08) != 0;
        long allocation = twelve ? Cdb.u32(cdb, 6) : Cdb.u16(cdb, 7);
        byte[] d = new byte[twelve ? 8 : 4];
        d[1] = (byte) ((plist ? 0x10 : 0) | (glist ? 0x08 : 0) | format); // PLISTV, GLISTV, DEFECT LIST FORMAT
        // DEFECT LIST LENGTH: 0 (bytes 2-3 of (10), 4-7 of (12))
        return Responses.data(dataIn, d, allocation);
    }
}
