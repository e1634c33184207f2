// One command run in plain view: shown, its output as indented lines, everything in the transcript.
// `undo` and `doctor --fix` run their commands this way.
import { exitLine } from '../engine/journal.js';
import type { Transcript } from '../engine/ports.js';
import { lineSplitter } from '../ui/plain.js';
import type { Surroundings } from './surroundings.js';

/** Run one command, its output shown as plain lines and recorded in the transcript; resolves with its exit code. */
export async function runVisibly(s: Surroundings, commandLine: string, transcript: Transcript): Promise<number | null> {
  s.stdout.write(`$ ${commandLine}\n`);
  transcript.write(`$ ${commandLine}\n`);
  const output = lineSplitter();
  const outcome = await s.machine.system.start(
    { kind: 'command', id: 'visible', command: commandLine, explain: { en: '', ja: '' }, timeoutSec: 120 },
    (text) => {
      transcript.write(text);
      for (const line of output.push(text)) s.stdout.write(`  | ${line}\n`);
    },
  ).done;
  const rest = output.flush();
  if (rest !== undefined) s.stdout.write(`  | ${rest}\n`);
  transcript.write(`${exitLine(outcome)}\n`);
  return outcome.exitCode;
}
