// Whether ufw guards this machine: asked before the questions, so that the firewall step is offered
// (and kept) only where ufw is active. `ufw status` needs root: through sudo, obtained by then.
import { existsSync } from 'node:fs';
import { shellLine } from '../engine/commands.js';
import { findOnPath } from './platform.js';
import { execQuiet } from './system.js';

export async function firewallState(asRoot: boolean): Promise<'absent' | 'inactive' | 'active'> {
  if (findOnPath('ufw') === undefined && !existsSync('/usr/sbin/ufw')) return 'absent';
  const status = await execQuiet(shellLine(...(asRoot ? [] : ['sudo']), 'ufw', 'status'));
  return /^Status: active/m.test(status.stdout) ? 'active' : 'inactive';
}
