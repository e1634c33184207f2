// Accounts and names of this machine, as the questions' defaults and the answers' checks need them.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { createAccountCommand, type AccountFacts } from '../engine/app-account.js';
import { shellLine } from '../engine/commands.js';
import { execQuiet, type ExecResult } from './system.js';

export interface Account {
  name: string;
  uid: number;
  home: string;
  primaryGroup: string;
}

/** The person behind the wizard: SUDO_USER when run through sudo, else the current account. */
export function invokingUser(): string {
  const viaSudo = process.env.SUDO_USER;
  return viaSudo && viaSudo !== 'root' ? viaSudo : os.userInfo().username;
}

export async function lookupAccount(name: string): Promise<Account | undefined> {
  const result = await execQuiet(`${shellLine('getent', 'passwd', name)} && ${shellLine('id', '-gn', name)}`);
  if (result.code !== 0) return undefined;
  const [passwd, group] = result.stdout.trim().split('\n');
  const fields = passwd?.split(':') ?? [];
  const home = fields[5];
  if (!home || !group || !/^\d+$/.test(fields[2] ?? '')) return undefined;
  return { name, uid: Number(fields[2]), home, primaryGroup: group };
}

/** What the default account of the app is chosen from (engine/app-account.ts chooses). */
export async function accountFacts(): Promise<AccountFacts> {
  const [passwd, loginDefs] = await Promise.all([
    execQuiet(shellLine('getent', 'passwd')),
    readFile('/etc/login.defs', 'utf8').catch(() => ''),
  ]);
  return {
    passwd: passwd.code === 0 ? passwd.stdout : '',
    loginDefs,
    sudoUser: process.env.SUDO_USER,
    uid: process.getuid?.() ?? -1,
    runningAs: os.userInfo().username,
  };
}

/** Create the app's account, with the very command the person was shown and confirmed. */
export function createAccount(name: string): Promise<ExecResult> {
  return execQuiet(createAccountCommand(name), { timeoutMs: 60_000 });
}

export async function groupExists(name: string): Promise<boolean> {
  return (await execQuiet(shellLine('getent', 'group', name))).code === 0;
}

/** This machine's first public-looking IPv4 address, else its host name: what a browser would use. */
export function defaultServerName(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return os.hostname();
}
