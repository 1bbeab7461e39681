/**
 * `datasets` (`torchaudio.datasets`): map-style datasets over the real on-disk layouts, for
 * core's DataLoader. With `download: true` the archive is fetched and unpacked; offline, the
 * error says where to put the files. `buildSpokenDigits` synthesises a small real dataset.
 * @module
 */
export { YESNO } from './yesno.js';
export type { YESNOOptions, YESNOItem } from './yesno.js';
export { SPEECHCOMMANDS } from './speechcommands.js';
export type { SPEECHCOMMANDSOptions, SPEECHCOMMANDSItem } from './speechcommands.js';
export { LIBRISPEECH } from './librispeech.js';
export type { LIBRISPEECHOptions, LIBRISPEECHItem } from './librispeech.js';
export { VCTK_092 } from './vctk.js';
export type { VCTKOptions, VCTKItem } from './vctk.js';
export { LJSPEECH } from './ljspeech.js';
export type { LJSPEECHOptions, LJSPEECHItem } from './ljspeech.js';
export { GTZAN, GTZAN_GENRES } from './gtzan.js';
export type { GTZANOptions, GTZANItem } from './gtzan.js';
export { gtzanSplit } from './gtzan-splits.js';
export type { GTZANSplit } from './gtzan-splits.js';
export { ARCHIVE_SHA256 } from './download.js';
export { AudioFolder } from './audio-folder.js';
export type { AudioFolderOptions } from './audio-folder.js';
export { buildSpokenDigits, DIGIT_WORDS } from './spoken-digits.js';
export type { SpokenDigitsOptions, SpokenDigitsResult } from './spoken-digits.js';
