// Accounts and names of this machine, as the questions' defaults and the answers' checks need them.
import os from 'node:os';
import { shellLine } from '../engine/commands.js';
import { execQuiet } from './system.js';

export interface Account {
  name: string;
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
  const home = passwd?.split(':')[5];
  if (!home || !group) return undefined;
  return { name, home, primaryGroup: group };
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
