// What kind of machine this is: /etc/os-release, the service manager that runs, the system
// Python and whether it is externally managed. Read once at start-up; which platform of the
// table fits is decided from these facts by choosePlatform (src/engine/platforms.ts).
import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { choosePlatform, parseOsRelease, type MachineFacts } from '../engine/platforms.js';
import type { Platform, ServiceManager } from '../engine/types.js';

/**
 * systemd counts as running when /run/systemd/system exists (what sd_booted() checks); Upstart
 * when initctl exists and systemd does not run. Otherwise nothing would start a service: a
 * container or WSL without systemd (pitfalls #1, #2).
 */
export function detectServiceManager(): ServiceManager {
  if (existsSync('/run/systemd/system')) return 'systemd';
  if (onPath('initctl') || existsSync('/sbin/initctl')) return 'upstart';
  return 'none';
}

/** Where an executable of this name is on PATH (what `which` answers), or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir || '.', name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Whether an executable of this name is on PATH. */
export function onPath(name: string): boolean {
  return findOnPath(name) !== undefined;
}

/**
 * The system python3's version from its real name (/usr/bin/python3 → python3.11), and whether
 * its standard library carries EXTERNALLY-MANAGED (PEP 668). Nothing is known before python3 is
 * installed: the platform's row says what to expect.
 */
export function detectPython3(): Pick<MachineFacts, 'python3Version' | 'externallyManaged'> {
  let name: string;
  try {
    name = basename(realpathSync('/usr/bin/python3'));
  } catch {
    return {};
  }
  const version = /^python(3\.\d+)$/.exec(name)?.[1];
  if (!version) return {};
  return { python3Version: version, externallyManaged: existsSync(`/usr/lib/python${version}/EXTERNALLY-MANAGED`) };
}

export function detectPlatform(): Platform {
  let os: Record<string, string> = {};
  try {
    os = parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    // Without os-release we still know enough to plan: the table's current Debian.
  }
  return choosePlatform(os, { serviceManager: detectServiceManager(), ...detectPython3() });
}
