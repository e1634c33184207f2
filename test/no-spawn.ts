// Loaded with `node --import` by the simulation test: any attempt to start a process is written
// to SPAWN_SPY_FILE and refused, so that a simulated run that spawns anything is caught.
import { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const childProcess = require('node:child_process') as Record<string, unknown>;
const spyFile = process.env.SPAWN_SPY_FILE;
if (!spyFile) throw new Error('no-spawn: SPAWN_SPY_FILE is not set');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = (...args: unknown[]) => {
    appendFileSync(spyFile, `${name} ${JSON.stringify(args[0])}\n`);
    throw new Error(`no-spawn: ${name}(${JSON.stringify(args[0])}) was attempted`);
  };
}
// ESM named imports of builtins follow the patched CommonJS exports only after this.
syncBuiltinESMExports();
