// Recordings of version 1 held a probe's answer as the English sentences the real System made then
// ({ok, expected, found}). Version 2 holds what the probe saw, as data (ports.ts Observation).
// This converter reads a version 1 recording's answers into version 2, so that a recording made
// before the change still replays. It is the one place that reads those sentences, and it reads
// only the few shapes src/exec/system.ts wrote in version 1.
import type { FileDifference, Observation, ProbeAnswer } from '../engine/ports.js';
import type { Probe } from '../engine/types.js';
import type { RecordedAnswer } from './recording.js';

interface V1ProbeAnswer {
  ok: boolean;
  expected: string;
  found: string;
}

const V1_LINE_SEPARATOR = ' ⏎ ';

/** A version 1 answer as version 2 has it; any other answer (a path, a write, a text) as it is. */
export function migrateV1Answer(recorded: RecordedAnswer): RecordedAnswer {
  const answer = recorded.answer as Partial<V1ProbeAnswer>;
  if (!recorded.key.startsWith('probe ') || typeof answer.found !== 'string') return recorded;
  const probe = JSON.parse(recorded.key.slice('probe '.length)) as Pick<Probe, 'kind'>;
  const migrated: ProbeAnswer = { ok: answer.ok === true, observed: observationOf(probe.kind, answer.found) };
  return { ...recorded, answer: migrated };
}

function lines(text: string, none: string): string[] {
  return text === none ? [] : text.split(V1_LINE_SEPARATOR);
}

function observationOf(kind: Probe['kind'], found: string): Observation {
  switch (kind) {
    case 'packages':
      return { kind, missing: found === 'all installed' ? [] : found.replace(/^not installed: /, '').split(' ') };
    case 'command': {
      const [, code = 'null', output = found] = /^exit (\S+): (.*)$/s.exec(found) ?? [];
      return { kind, exitCode: code === 'null' ? null : Number(code), output: lines(output, '(no output)') };
    }
    case 'file': {
      if (found === 'no such file') return { kind, exists: false };
      if (found === 'as expected') return { kind, exists: true, differences: [] };
      const differences = found.split(', ').map((part): FileDifference | undefined => {
        const [what = '', value = ''] = part.split(' ');
        if (part === 'content differs') return { what: 'content' };
        if (part === 'not executable') return { what: 'not-executable' };
        if (what === 'mode') return { what, found: parseInt(value, 8) };
        if (what === 'owner' || what === 'group') return { what, found: value };
        return undefined;
      });
      return differences.every((d) => d !== undefined)
        ? { kind, exists: true, differences }
        : { kind, exists: false, error: found };
    }
    case 'http': {
      const page = /^HTTP (\d+): (.*)$/s.exec(found);
      if (page) return { kind, status: Number(page[1]), body: page[2] === '(empty body)' ? '' : page[2]! };
      return { kind, error: found === 'no answer within 5 s' ? 'ETIMEDOUT' : found };
    }
    case 'processes':
      return found.startsWith('no user ')
        ? { kind, running: 0, userMissing: true }
        : { kind, running: Number(/^(\d+) running/.exec(found)?.[1] ?? 0) };
    case 'socket': {
      const seen = /^(.+), mode (\d+), group (.*)$/.exec(found);
      if (seen)
        return { kind, exists: true, isSocket: seen[1] === 'socket', mode: parseInt(seen[2]!, 8), group: seen[3]! };
      return found.endsWith('No such file or directory')
        ? { kind, exists: false }
        : { kind, exists: false, error: found };
    }
    case 'port-free':
      if (found === 'free') return { kind, inUse: false };
      return / is in use$/.test(found) ? { kind, inUse: true } : { kind, inUse: false, error: found };
    case 'uwsgi':
      // Version 1 had no such probe.
      return { kind: 'error', message: found };
  }
}
