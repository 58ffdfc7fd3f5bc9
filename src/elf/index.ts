// Reading ELF binaries: whether they need the dynamic loader (PT_INTERP) and which shared
// libraries (DT_NEEDED). The oracle tests of cgo-net-linking use it on real builds.
export { readElf, ElfError, PT_DYNAMIC, PT_INTERP, PT_LOAD, type ElfInfo, type ProgramHeader } from './read';
