// The live-output bench's command: LINES lines of compiler-like output, evenly over SECONDS,
// each line written on its own (as a build that flushes every line does), so that whoever reads
// it gets many small chunks. It paces itself against the clock: a reader that keeps up sees it
// end after SECONDS; a slow reader blocks its writes and makes it end later.
import { writeSync } from 'node:fs';

const lines = Number(process.argv[2] ?? 200_000);
const seconds = Number(process.argv[3] ?? 5);
const pause = new Int32Array(new SharedArrayBuffer(4));
const startedAt = Date.now();
for (let i = 1; i <= lines; i++) {
  writeSync(1, `[thread ${i % 2}][x86_64-linux-gnu-gcc] plugins/bench/object-${String(i).padStart(6, '0')}.o\n`);
  if (i % 500 === 0) {
    const ahead = startedAt + (i / lines) * seconds * 1000 - Date.now();
    if (ahead > 0) Atomics.wait(pause, 0, 0, ahead);
  }
}
