// A small ELF reader: just enough to tell whether a binary is statically or dynamically
// linked. It reads the file header, the program headers, the interpreter (PT_INTERP) and
// the dynamic section's DT_NEEDED, DT_SONAME, DT_RPATH and DT_RUNPATH entries, for 32- and
// 64-bit files of either byte order (the layout is the System V gABI's, "Program Header"
// and "Dynamic Section"). Section headers are read only when the program header count
// overflows (PN_XNUM).

export class ElfError extends Error {}

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;

const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;

const PN_XNUM = 0xffff;

const ET_NAMES: Record<number, string> = { 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

export interface ElfInfo {
  bits: 32 | 64;
  endian: 'little' | 'big';
  /** e_type: "EXEC", "DYN" (PIE or shared object), ... or the number. */
  type: string;
  /** e_machine (62 = x86-64, 3 = i386, 183 = AArch64, ...). */
  machine: number;
  programHeaders: ProgramHeader[];
  /** The program interpreter PT_INTERP names ("/lib64/ld-linux-x86-64.so.2"), if any. */
  interp?: string;
  /** DT_NEEDED entries in order ("libc.so.6"). */
  needed: string[];
  soname?: string;
  rpath?: string;
  runpath?: string;
  /** Whether the binary needs the dynamic loader or a shared library to start. */
  dynamic: boolean;
}

/** A bounds-checked view of the file in its byte order. */
class Reader {
  constructor(
    readonly buf: Buffer,
    readonly little: boolean,
    readonly bits: 32 | 64,
  ) {}

  private need(off: number, n: number, what: string): void {
    if (!Number.isSafeInteger(off) || off < 0 || off + n > this.buf.length) {
      throw new ElfError(`truncated ELF file: ${what} at offset ${off} runs past the end (${this.buf.length} bytes)`);
    }
  }

  u16(off: number, what: string): number {
    this.need(off, 2, what);
    return this.little ? this.buf.readUInt16LE(off) : this.buf.readUInt16BE(off);
  }

  u32(off: number, what: string): number {
    this.need(off, 4, what);
    return this.little ? this.buf.readUInt32LE(off) : this.buf.readUInt32BE(off);
  }

  /** A 64-bit field as a number; values past 2^53 cannot be file offsets here, so they are an error. */
  u64(off: number, what: string): number {
    this.need(off, 8, what);
    const v = this.little ? this.buf.readBigUInt64LE(off) : this.buf.readBigUInt64BE(off);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} at offset ${off} is too large (${v})`);
    return Number(v);
  }

  /** A word: 4 bytes in ELF32, 8 in ELF64 (Elf_Addr, Elf_Off, Elf_Xword). */
  word(off: number, what: string): number {
    return this.bits === 32 ? this.u32(off, what) : this.u64(off, what);
  }

  /** A signed word (d_tag is Elf_Sword / Elf_Sxword); tags we read are small and positive. */
  sword(off: number, what: string): number {
    if (this.bits === 32) {
      this.need(off, 4, what);
      return this.little ? this.buf.readInt32LE(off) : this.buf.readInt32BE(off);
    }
    this.need(off, 8, what);
    const v = this.little ? this.buf.readBigInt64LE(off) : this.buf.readBigInt64BE(off);
    // Processor- and OS-specific tags may be huge; clamp them to something that matches no tag we read.
    return v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER) ? -1 : Number(v);
  }

  /** A NUL-terminated string starting at off, not reading past `limit`. */
  cstring(off: number, limit: number, what: string): string {
    const end = Math.min(limit, this.buf.length);
    if (off < 0 || off >= end) throw new ElfError(`${what} at offset ${off} is outside the file`);
    let i = off;
    while (i < end && this.buf[i] !== 0) i++;
    return this.buf.toString('latin1', off, i);
  }
}

/** Read an ELF file's linking facts. Throws ElfError with a clear message on anything that is not a well-formed ELF file. */
export function readElf(buf: Buffer): ElfInfo {
  if (buf.length < 16 || buf[0] !== 0x7f || buf[1] !== 0x45 || buf[2] !== 0x4c || buf[3] !== 0x46) {
    throw new ElfError('not an ELF file (no \\x7fELF magic)');
  }
  const cls = buf[4];
  const data = buf[5];
  if (cls !== 1 && cls !== 2) throw new ElfError(`bad ELF class ${cls} (want 1 for 32-bit or 2 for 64-bit)`);
  if (data !== 1 && data !== 2) throw new ElfError(`bad ELF data encoding ${data} (want 1 for little-endian or 2 for big-endian)`);
  const bits = cls === 1 ? 32 : 64;
  const r = new Reader(buf, data === 1, bits);

  // Elf32_Ehdr / Elf64_Ehdr: the offsets after e_entry differ by the word size.
  const w = bits === 32 ? 4 : 8;
  const eType = r.u16(16, 'e_type');
  const machine = r.u16(18, 'e_machine');
  const phoff = r.word(24 + w, 'e_phoff');
  const shoff = r.word(24 + 2 * w, 'e_shoff');
  const base = 24 + 3 * w + 4; // past e_flags
  const phentsize = r.u16(base + 2, 'e_phentsize');
  let phnum = r.u16(base + 4, 'e_phnum');
  const shentsize = r.u16(base + 6, 'e_shentsize');

  if (phnum === PN_XNUM) {
    // The real count is in the first section header's sh_info.
    if (shoff === 0) throw new ElfError('e_phnum is PN_XNUM but there is no section header table');
    const shInfo = shoff + (bits === 32 ? 28 : 44);
    if (shentsize < (bits === 32 ? 40 : 64)) throw new ElfError(`e_shentsize ${shentsize} is too small`);
    phnum = r.u32(shInfo, 'sh_info of section 0');
  }

  const minPhent = bits === 32 ? 32 : 56;
  const programHeaders: ProgramHeader[] = [];
  if (phnum > 0) {
    if (phentsize < minPhent) throw new ElfError(`e_phentsize ${phentsize} is smaller than a ${bits}-bit program header (${minPhent})`);
    if (phoff + phnum * phentsize > buf.length) {
      throw new ElfError(`truncated ELF file: ${phnum} program headers at offset ${phoff} run past the end (${buf.length} bytes)`);
    }
  }
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    // Elf32_Phdr: type, offset, vaddr, paddr, filesz, memsz, flags, align.
    // Elf64_Phdr: type, flags, offset, vaddr, paddr, filesz, memsz, align.
    const ph =
      bits === 32
        ? { type: r.u32(o, 'p_type'), offset: r.u32(o + 4, 'p_offset'), vaddr: r.u32(o + 8, 'p_vaddr'), filesz: r.u32(o + 16, 'p_filesz'), memsz: r.u32(o + 20, 'p_memsz') }
        : { type: r.u32(o, 'p_type'), offset: r.u64(o + 8, 'p_offset'), vaddr: r.u64(o + 16, 'p_vaddr'), filesz: r.u64(o + 32, 'p_filesz'), memsz: r.u64(o + 40, 'p_memsz') };
    programHeaders.push(ph);
  }

  const info: ElfInfo = {
    bits,
    endian: data === 1 ? 'little' : 'big',
    type: ET_NAMES[eType] ?? String(eType),
    machine,
    programHeaders,
    needed: [],
    dynamic: false,
  };

  const interp = programHeaders.find((p) => p.type === PT_INTERP);
  if (interp) info.interp = r.cstring(interp.offset, interp.offset + interp.filesz, 'PT_INTERP string');

  const dyn = programHeaders.find((p) => p.type === PT_DYNAMIC);
  if (dyn) readDynamic(r, dyn, programHeaders, info);

  info.dynamic = info.interp !== undefined || info.needed.length > 0;
  return info;
}

/** Walk the dynamic section; string entries are offsets into DT_STRTAB, a virtual address mapped back through PT_LOAD. */
function readDynamic(r: Reader, dyn: ProgramHeader, phs: ProgramHeader[], info: ElfInfo): void {
  const entSize = r.bits === 32 ? 8 : 16;
  const entries: { tag: number; val: number }[] = [];
  for (let o = dyn.offset; o + entSize <= dyn.offset + dyn.filesz; o += entSize) {
    const tag = r.sword(o, 'd_tag');
    if (tag === DT_NULL) break;
    // d_val of tags we do not read may be huge (processor-specific); only read ours.
    if (tag === DT_NEEDED || tag === DT_STRTAB || tag === DT_STRSZ || tag === DT_SONAME || tag === DT_RPATH || tag === DT_RUNPATH) {
      entries.push({ tag, val: r.word(o + entSize / 2, 'd_val') });
    }
  }
  const strtabAddr = entries.find((e) => e.tag === DT_STRTAB)?.val;
  if (strtabAddr === undefined) {
    if (entries.some((e) => e.tag !== DT_STRSZ)) throw new ElfError('dynamic section has string entries but no DT_STRTAB');
    return;
  }
  const load = phs.find((p) => p.type === PT_LOAD && strtabAddr >= p.vaddr && strtabAddr < p.vaddr + p.filesz);
  if (!load) throw new ElfError(`DT_STRTAB address 0x${strtabAddr.toString(16)} is in no PT_LOAD segment`);
  const strtab = load.offset + (strtabAddr - load.vaddr);
  const strsz = entries.find((e) => e.tag === DT_STRSZ)?.val ?? load.offset + load.filesz - strtab;
  const str = (off: number, what: string) => {
    if (off >= strsz) throw new ElfError(`${what} string offset ${off} is past DT_STRSZ ${strsz}`);
    return r.cstring(strtab + off, strtab + strsz, what);
  };
  for (const e of entries) {
    if (e.tag === DT_NEEDED) info.needed.push(str(e.val, 'DT_NEEDED'));
    else if (e.tag === DT_SONAME) info.soname = str(e.val, 'DT_SONAME');
    else if (e.tag === DT_RPATH) info.rpath = str(e.val, 'DT_RPATH');
    else if (e.tag === DT_RUNPATH) info.runpath = str(e.val, 'DT_RUNPATH');
  }
}
