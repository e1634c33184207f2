// Exporting on the host and running an exported playbook from it over ssh to guests: shared by
// test/vm/export.test.ts and the fresh-run bench (bench/vm-fresh.ts).
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, log, q, sh } from '../e2e/machine.js';
import { runAsync, type RunResult } from './guest.js';

/** `export --format FORMAT --platform PLATFORM ANSWERS --out OUT` on the host (its state under `stateDir`). */
export function exportOnHost(format: string, platform: string, answers: string[], out: string, stateDir: string): void {
  const command = `node ${q(CLI)} export --format ${format} --platform ${platform} ${answers.map(q).join(' ')}`;
  const exported = sh(`XDG_STATE_HOME=${q(stateDir)} ${command} --out ${q(out)}`);
  log(`$ ${command}\n${exported.stdout}${exported.stderr}`);
  assert.equal(exported.code, 0, 'export exits 0');
}

/** Each host's PLAY RECAP counts: { bookworm: { ok: 12, changed: 0, … }, … }. */
export function recap(output: string): Record<string, Record<string, number>> {
  const hosts: Record<string, Record<string, number>> = {};
  const at = output.lastIndexOf('PLAY RECAP');
  for (const line of at === -1 ? [] : output.slice(at).split('\n').slice(1)) {
    const row = /^(\S+)\s*:\s*(ok=.*)$/.exec(line);
    if (!row) continue;
    hosts[row[1]!] = Object.fromEntries([...row[2]!.matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [k!, Number(v)]));
  }
  return hosts;
}

/**
 * `ansible-playbook ARGS` with ansible's own state (temporary files, ssh's control sockets) in
 * `ansibleHome`, not root's home; colourless output for the log and recap().
 */
export function ansiblePlaybook(ansibleHome: string, args: string[], echo: string): Promise<RunResult> {
  return runAsync('env', ['ANSIBLE_NOCOLOR=1', `ANSIBLE_HOME=${ansibleHome}`, 'ansible-playbook', ...args], {
    timeoutMs: 25 * 60_000,
    echo,
  });
}

/** ansible's ssh masters (ControlPersist) outlive the playbook: stop them before their guests go. */
export function closeControlMasters(ansibleHome: string): void {
  const dir = join(ansibleHome, 'cp');
  if (!existsSync(dir)) return;
  for (const socket of readdirSync(dir)) sh(`ssh -o ControlPath=${q(join(dir, socket))} -O exit any 2>&1`);
}
