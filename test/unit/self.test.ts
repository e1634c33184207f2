// "This same program" (src/exec/self.ts) when run by a Node on the machine: the bundle's form. The
// standalone executable's form (its recordings read from inside it) is proven in standalone.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtInFile, isStandalone, selfCommand } from '../../src/exec/self.js';

const SELF = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'exec', 'self.js');
const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-self-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('selfCommand', () => {
  it('is Node and the script it runs, in a process that is not the standalone executable', () => {
    assert.equal(isStandalone(), false);
    assert.deepEqual(selfCommand(), [process.execPath, process.argv[1]]);
    assert.equal(builtInFile('recordings/debian-12-noinit.json'), undefined, 'nothing is built into a plain Node');
  });

  it('runs this same program again: a script started with its words is the script itself', () => {
    // Started plainly, the script prints its selfCommand(); started with "again" by those words,
    // it says so: the words named that very script (by its absolute path, from any directory).
    const script = join(work, 'program.mjs');
    writeFileSync(
      script,
      [
        `import { selfCommand } from ${JSON.stringify(pathToFileURL(SELF).href)};`,
        "if (process.argv[2] === 'again') console.log('again: ' + process.argv[1]);",
        'else console.log(JSON.stringify(selfCommand()));',
      ].join('\n'),
    );
    const first = spawnSync(process.execPath, ['program.mjs'], { cwd: work, encoding: 'utf8' });
    assert.equal(first.status, 0, first.stderr);
    const words = JSON.parse(first.stdout) as string[];
    assert.deepEqual(words, [process.execPath, script], 'absolute, though started as a relative path');
    const [file, ...args] = words;
    const again = spawnSync(file!, [...args, 'again'], { cwd: tmpdir(), encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout.trim(), `again: ${script}`);
  });
});
