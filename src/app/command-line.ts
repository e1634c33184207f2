// A command line commander refused (an unknown option, a value missing or not allowed, a stray
// argument), as data, so that it is said in the person's language: commander's own sentences are
// English only, and its errors carry nothing but their code and that sentence.
import type { Labels } from '../ui/labels.js';
import { EXIT } from './common.js';
import { UserError } from './user-error.js';

export type CommandLineMistake =
  | { kind: 'unknown-option'; option: string; suggestion?: string }
  | { kind: 'missing-value'; option: string }
  | { kind: 'bad-value'; option: string; value: string; allowed?: string }
  /** A word where a command was expected (`stauts`), with the commands there are. */
  | { kind: 'unknown-command'; name: string; commands: string }
  /** A word a command takes no place for (`status extra`). */
  | { kind: 'unexpected-word'; word: string; command: string }
  /** One this wizard does not expect (no option of ours is mandatory, none conflicts): commander's words. */
  | { kind: 'other'; text: string };

/** The first word commander quoted: '--lang <lang>' names the option --lang. */
const optionName = (flags: string) => flags.split(/[ ,|]/).find((word) => word.startsWith('-')) ?? flags;

/**
 * What commander refused, read from its error's code and message (commander 14's wording, which
 * test/unit/command-line.test.ts holds against the real commander; a reading that fails says
 * commander's own words rather than nothing).
 */
/** Where commander refused it: in which command, with which words besides the options. */
export interface RefusedIn {
  /** undefined: the wizard's own command line, before any subcommand. */
  command?: string;
  operands: readonly string[];
  /** How many of the operands the command takes (glossary: one). */
  takes: number;
  commands: readonly string[];
}

export function readCommandLineMistake(code: string, message: string, where: RefusedIn): CommandLineMistake {
  const text = message.replace(/^error: /, '');
  const suggestion = /\(Did you mean (\S+?)\?\)/.exec(text)?.[1];
  const quoted = [...text.matchAll(/'([^']*)'/g)].map((match) => match[1]!);
  if (code === 'commander.unknownOption' && quoted[0]) {
    return { kind: 'unknown-option', option: quoted[0], ...(suggestion ? { suggestion } : {}) };
  }
  if (code === 'commander.optionMissingArgument' && quoted[0]) {
    return { kind: 'missing-value', option: optionName(quoted[0]) };
  }
  if (code === 'commander.invalidArgument' && quoted[0] && quoted[1] !== undefined) {
    const allowed = /Allowed choices are (.+)\.$/.exec(text)?.[1];
    return { kind: 'bad-value', option: optionName(quoted[0]), value: quoted[1], ...(allowed ? { allowed } : {}) };
  }
  const extra = where.operands[where.takes];
  if (code === 'commander.excessArguments' && extra !== undefined) {
    // The wizard itself takes no word: one there is a command mistyped.
    return where.command === undefined
      ? { kind: 'unknown-command', name: extra, commands: where.commands.map((name) => `\`${name}\``).join(', ') }
      : { kind: 'unexpected-word', word: extra, command: where.command };
  }
  return { kind: 'other', text };
}

/** The refusal the person reads (exit 2: nothing ran), pointing to the --help of the command they typed. */
export function commandLineRefused(mistake: CommandLineMistake, command: string | undefined): UserError {
  const help = `uwsgi-nginx-guide${command ? ` ${command}` : ''} --help`;
  return UserError.of((l) => ({ message: mistakeSaid(l, mistake), tryThis: help }), EXIT.badInput);
}

function mistakeSaid(l: Labels, mistake: CommandLineMistake): string {
  const w = l.commandLine;
  switch (mistake.kind) {
    case 'unknown-option':
      return w.unknownOption(mistake);
    case 'missing-value':
      return w.missingValue(mistake);
    case 'bad-value':
      return w.badValue(mistake);
    case 'unknown-command':
      return w.unknownCommand(mistake);
    case 'unexpected-word':
      return w.unexpectedWord(mistake);
    case 'other':
      return w.other(mistake);
  }
}
