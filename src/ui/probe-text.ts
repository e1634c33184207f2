// A check in words, in the person's language: what its probe looks for ("expected") and what it
// saw ("found"). The engine keeps both as data (the Probe, the Observation); only here do they
// become sentences. A program's own text (a command's output, a page's body, an error code) is put
// in as the program wrote it.
import { octal } from '../engine/plan.js';
import type { Observation } from '../engine/ports.js';
import type { Lang, Probe } from '../engine/types.js';
import { LABELS } from './labels.js';

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** What the probe looks for. */
export function expectedText(probe: Probe, lang: Lang): string {
  const w = LABELS[lang].probe.wants;
  const list = LABELS[lang].probe.listSeparator;
  switch (probe.kind) {
    case 'packages':
      return fill(w.installed, { names: probe.names.join(' ') });
    case 'command':
      return probe.expectOutput === undefined
        ? fill(w.exitsZero, { command: probe.command })
        : fill(w.exitsZeroAndPrints, { command: probe.command, pattern: probe.expectOutput });
    case 'file': {
      const wants = [
        w.exists,
        probe.content !== undefined ? w.content : '',
        probe.owner ? fill(w.owner, { owner: probe.owner }) : '',
        probe.group ? fill(w.group, { group: probe.group }) : '',
        probe.mode !== undefined ? fill(w.mode, { mode: octal(probe.mode) }) : '',
        probe.executable ? w.executable : '',
      ].filter(Boolean);
      return fill(w.file, { path: probe.path, wants: wants.join(list) });
    }
    case 'http':
      return fill(probe.host ? w.pageWithHost : w.page, {
        url: probe.url,
        host: probe.host ?? '',
        body: probe.expectBody,
      });
    case 'processes':
      return fill(w.processes, { count: probe.count, user: probe.user, match: probe.match });
    case 'socket':
      return fill(w.socket, { mode: probe.mode.toString(8), group: probe.group });
    case 'port-free':
      return fill(w.portFree, { port: probe.port });
  }
}

/** What the probe saw. `probe` names what the observation leaves out (the user, the port). */
export function foundText(observed: Observation, lang: Lang, probe?: Probe): string {
  const { saw: s, listSeparator, lineSeparator } = LABELS[lang].probe;
  switch (observed.kind) {
    case 'packages':
      return observed.missing.length === 0
        ? s.allInstalled
        : fill(s.notInstalled, { names: observed.missing.join(' ') });
    case 'command':
      return fill(s.exit, {
        code: observed.exitCode ?? s.noExitCode,
        output: observed.output.length > 0 ? observed.output.join(lineSeparator) : s.noOutput,
      });
    case 'file':
      if (!observed.exists) return observed.error ? fill(s.cannotRead, { error: observed.error }) : s.noFile;
      if (observed.differences.length === 0) return s.asExpected;
      return observed.differences
        .map((difference) => {
          switch (difference.what) {
            case 'content':
              return s.contentDiffers;
            case 'not-executable':
              return s.notExecutable;
            case 'owner':
              return fill(s.owner, { owner: difference.found });
            case 'group':
              return fill(s.group, { group: difference.found });
            case 'mode':
              return fill(s.mode, { mode: octal(difference.found) });
          }
          return '';
        })
        .join(listSeparator);
    case 'http':
      if ('status' in observed) return fill(s.page, { status: observed.status, body: observed.body || s.emptyBody });
      if (observed.error === 'ECONNREFUSED') return s.refused;
      if (observed.error === 'ETIMEDOUT') return s.noAnswer;
      return fill(s.cannotConnect, { error: observed.error });
    case 'processes':
      return observed.userMissing
        ? fill(s.noUser, { user: probe?.kind === 'processes' ? probe.user : '?' })
        : fill(s.running, { count: observed.running });
    case 'socket':
      if (!observed.exists) return observed.error ?? s.noSocket;
      return fill(observed.isSocket ? s.socket : s.notSocket, {
        mode: observed.mode.toString(8),
        group: observed.group,
      });
    case 'port-free':
      if (observed.error) return fill(s.cannotTell, { error: observed.error });
      return observed.inUse ? fill(s.inUse, { port: probe?.kind === 'port-free' ? probe.port : '?' }) : s.free;
    case 'error':
      return fill(s.checkFailed, { error: observed.message });
    case 'unrecorded':
      return s.unrecorded;
  }
}
