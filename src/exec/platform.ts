// What kind of machine this is: distribution, service manager, Python. Read once at start-up.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import shell from 'shelljs';
import type { Platform, ServiceManager } from '../engine/types.js';

export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
  return fields;
}

/**
 * systemd counts as running when /run/systemd/system exists (what sd_booted() checks); Upstart
 * when initctl exists and systemd does not run. Otherwise nothing would start a service: a
 * container or WSL without systemd (pitfalls #1, #2).
 */
export function detectServiceManager(): ServiceManager {
  if (existsSync('/run/systemd/system')) return 'systemd';
  if (shell.which('initctl') || existsSync('/sbin/initctl')) return 'upstart';
  return 'none';
}

function externallyManaged(): boolean {
  try {
    return readdirSync('/usr/lib').some((dir) => /^python3(\.\d+)?$/.test(dir) && existsSync(`/usr/lib/${dir}/EXTERNALLY-MANAGED`));
  } catch {
    return false;
  }
}

export function detectPlatform(): Platform {
  let os: Record<string, string> = {};
  try {
    os = parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    // Without os-release we still know enough to plan: assume a current Debian-like system.
  }
  const id = `${os.ID ?? 'linux'}-${os.VERSION_ID ?? 'unknown'}`;
  // Ubuntu 14.04 is the guide's own system, with Python 2 as the system Python.
  const python2 = id === 'ubuntu-14.04';
  return {
    id,
    prettyName: os.PRETTY_NAME ?? id,
    serviceManager: detectServiceManager(),
    systemPython: python2 ? '/usr/bin/python' : '/usr/bin/python3',
    pythonMajor: python2 ? 2 : 3,
    externallyManaged: externallyManaged(),
  };
}
