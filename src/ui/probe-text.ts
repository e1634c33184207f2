// A check in words, in the person's language: what its probe looks for ("expected") and what it
// saw ("found"). The engine keeps both as data (the Probe, the Observation); only here do they
// become sentences. A program's own text (a command's output, a page's body, an error code) is put
// in as the program wrote it.
import { octal } from '../engine/plan.js';
import type { Observation } from '../engine/ports.js';
import { foundByHand, type KeptRunning } from '../engine/take-over.js';
import type { Check, Lang, Probe, UwsgiInstance } from '../engine/types.js';
import { LABELS } from './labels.js';

/** What the probe looks for. */
export function expectedText(probe: Probe, lang: Lang): string {
  const w = LABELS[lang].probe.wants;
  const list = LABELS[lang].probe.listSeparator;
  switch (probe.kind) {
    case 'packages':
      return w.installed({ names: probe.names.join(' ') });
    case 'command':
      return probe.expectOutput === undefined
        ? w.exitsZero({ command: probe.command })
        : w.exitsZeroAndPrints({ command: probe.command, pattern: probe.expectOutput });
    case 'file': {
      const wants = [
        w.exists,
        probe.content !== undefined ? w.content : '',
        probe.owner ? w.owner({ owner: probe.owner }) : '',
        probe.group ? w.group({ group: probe.group }) : '',
        probe.mode !== undefined ? w.mode({ mode: octal(probe.mode) }) : '',
        probe.executable ? w.executable : '',
      ].filter(Boolean);
      return w.file({ path: probe.path, wants: wants.join(list) });
    }
    case 'http':
      return (probe.host ? w.pageWithHost : w.page)({
        url: probe.url,
        host: probe.host ?? '',
        body: probe.expectBody,
      });
    case 'processes':
      return w.processes({ count: probe.count, user: probe.user, match: probe.match });
    case 'socket':
      return w.socket({ mode: probe.mode.toString(8), group: probe.group });
    case 'port-free':
      return w.portFree({ port: probe.port });
    case 'uwsgi':
      return probe.expect.kind === 'by-hand-none'
        ? w.uwsgiByHandNone
        : w.uwsgiService({ by: w.uwsgiBy[probe.expect.by], count: probe.expect.processes });
  }
}

/** One uWSGI found serving the app: pid, how it was started, since when, what it serves, its command line. */
export function uwsgiInstanceText(instance: UwsgiInstance, lang: Lang): string {
  const s = LABELS[lang].probe.saw;
  return s.uwsgiInstance({
    pid: instance.pid,
    how: s.uwsgiStartedBy[instance.startedBy],
    user: instance.user,
    since: instance.since.replace('T', ' ').replace('Z', ' UTC'),
    workers: instance.workers,
    serves: instance.serves.length > 0 ? instance.serves.join(', ') : s.uwsgiServesApp,
    command: instance.cwd ? s.uwsgiIn({ command: instance.command, cwd: instance.cwd }) : instance.command,
  });
}

/** A uWSGI the person kept running: each instance, as found. */
export function keptText(kept: KeptRunning, lang: Lang): string {
  return kept.found.map((instance) => uwsgiInstanceText(instance, lang)).join(LABELS[lang].probe.listSeparator);
}

/** What the probe saw. `probe` names what the observation leaves out (the user, the port). */
export function foundText(observed: Observation, lang: Lang, probe?: Probe): string {
  const { saw: s, listSeparator, lineSeparator } = LABELS[lang].probe;
  switch (observed.kind) {
    case 'packages':
      return observed.missing.length === 0 ? s.allInstalled : s.notInstalled({ names: observed.missing.join(' ') });
    case 'command':
      return s.exit({
        code: observed.exitCode ?? s.noExitCode,
        output: observed.output.length > 0 ? observed.output.join(lineSeparator) : s.noOutput,
      });
    case 'file':
      if (!observed.exists) return observed.error ? s.cannotRead({ error: observed.error }) : s.noFile;
      if (observed.differences.length === 0) return s.asExpected;
      return observed.differences
        .map((difference) => {
          switch (difference.what) {
            case 'content':
              return s.contentDiffers;
            case 'not-executable':
              return s.notExecutable;
            case 'owner':
              return s.owner({ owner: difference.found });
            case 'group':
              return s.group({ group: difference.found });
            case 'mode':
              return s.mode({ mode: octal(difference.found) });
          }
          return '';
        })
        .join(listSeparator);
    case 'http':
      if ('status' in observed) return s.page({ status: observed.status, body: observed.body || s.emptyBody });
      if (observed.error === 'ECONNREFUSED') return s.refused;
      if (observed.error === 'ETIMEDOUT') return s.noAnswer;
      return s.cannotConnect({ error: observed.error });
    case 'processes':
      return observed.userMissing
        ? s.noUser({ user: probe?.kind === 'processes' ? probe.user : '?' })
        : s.running({ count: observed.running });
    case 'socket':
      if (!observed.exists) return observed.error ?? s.noSocket;
      return (observed.isSocket ? s.socket : s.notSocket)({
        mode: observed.mode.toString(8),
        group: observed.group,
      });
    case 'port-free':
      if (observed.error) return s.cannotTell({ error: observed.error });
      return observed.inUse ? s.inUse({ port: probe?.kind === 'port-free' ? probe.port : '?' }) : s.free;
    case 'uwsgi':
      if (observed.found.length === 0) return s.noUwsgi;
      return observed.found.map((instance) => uwsgiInstanceText(instance, lang)).join(listSeparator);
    case 'error':
      return s.checkFailed({ error: observed.message });
    case 'unrecorded':
      return s.unrecorded;
  }
}

/**
 * The programs holding a port, from the lines of `ss -ltnp`: each by its name with its pids ("uwsgi (pid 2813,
 * 2814)"), not ss's columns; a line that names no program (ss without the right to see it) as it was printed.
 */
export function portHolders(lines: readonly string[], separator: string): string {
  const pids = new Map<string, Set<string>>();
  const unnamed: string[] = [];
  for (const line of lines) {
    const users = [...line.matchAll(/\("([^"]+)",pid=(\d+)/g)];
    if (users.length === 0 && line.trim() !== '') unnamed.push(line.trim().replace(/\s+/g, ' '));
    for (const [, name, pid] of users) pids.set(name!, (pids.get(name!) ?? new Set()).add(pid!));
  }
  const named = [...pids].map(([name, of]) => `${name} (pid ${[...of].join(', ')})`);
  return [...named, ...unnamed].join(separator);
}

/**
 * A pitfall that was found, in one sentence: the check's own `found`, with what its command printed in place of
 * `{output}` (or the programs holding a port in place of `{holders}`). A check without one says what it looked for
 * is not so, and what was seen.
 */
export function warningText(check: Check, observed: Observation, lang: Lang): string {
  const l = LABELS[lang];
  if (!check.found) return `${check.title[lang]} — ${l.notSo} (${l.found}: ${foundText(observed, lang, check.probe)})`;
  const sep = l.probe.listSeparator;
  if (observed.kind === 'command')
    return check.found[lang]
      .replaceAll('{output}', observed.output.join(sep))
      .replaceAll('{holders}', portHolders(observed.output, sep));
  const output = foundByHand(observed)
    .map((instance) => uwsgiInstanceText(instance, lang))
    .join(sep);
  return check.found[lang].replaceAll('{output}', output);
}

/** How a file's content differs, when the probe saw it: diff lines to show under the check, indented by the caller. */
export function diffLines(observed: Observation, lang: Lang): string[] {
  if (observed.kind !== 'file' || !observed.exists) return [];
  const content = observed.differences.find((d) => d.what === 'content');
  if (content?.what !== 'content' || !content.diff) return [];
  const more = content.more ? [LABELS[lang].probe.saw.moreDiffLines({ count: content.more })] : [];
  return [...content.diff, ...more];
}
