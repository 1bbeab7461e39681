#!/usr/bin/env node
// flint-audio-digits DIR: synthesises the spoken-digit set (espeak-ng + sox) into DIR/<digit>/*.wav.
import { datasets } from '../dist/index.js';

const dir = process.argv[2];
if (dir === undefined || dir === '-h' || dir === '--help') {
  console.log('Usage: flint-audio-digits DIR\n\nWrites DIR/<digit>/<voice>_s<speed>_p<pitch>.wav: the digits 0-9 spoken by espeak-ng\n(4 voices x 3 speeds x 2 pitches, 16 kHz mono), for datasets.AudioFolder. Needs espeak-ng and sox.');
  process.exit(dir === undefined ? 2 : 0);
}
try {
  const { written, files } = datasets.buildSpokenDigits(dir);
  console.log(`${files.length} clips in ${dir} (${written} written now)`);
} catch (e) {
  console.error(`flint-audio-digits: ${e.message}`);
  process.exit(1);
}
