// Root for a run by another account: sudo asked for once, up front, and root's run lock.
import type { Lang } from '../engine/types.js';
import { LABELS } from '../ui/labels.js';
import type { Surroundings } from './surroundings.js';
import { UserError } from './user-error.js';

/**
 * Not root: make sure the commands' sudo will work before anything runs, and ask for the password
 * now, once, in the plain terminal, never inside the screen (exec/sudo.ts says why and how it then
 * reaches the commands). An account that may sudo without a password is asked nothing. Refused: a
 * UserError (exit 2), before anything ran.
 */
export async function obtainSudo(s: Surroundings, lang: Lang): Promise<void> {
  const words = LABELS[lang].sudo;
  const user = s.privilege.runningAs;
  const need = await s.machine.sudo.need();
  if (need.kind === 'no-sudo') throw UserError.of((l) => l.sudo.noSudo({ user }));
  if (need.kind === 'refused') throw UserError.of((l) => l.sudo.notAllowed({ user, output: need.output.trim() }));
  if (need.kind === 'no-password') return;
  if (!s.stdinIsTTY) throw UserError.of((l) => l.sudo.noTerminal({ user }));
  const askpass = await s.machine.sudo.askpass(need.sudoPath);
  s.onExit(askpass.close);
  // The prompt goes where the person looks: the terminal, also when stdout is piped to a file.
  const output = s.stdout.isTTY ? s.stdout : s.stderr;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const message = words.password({ user });
    const typed = await s.prompts.password({ message, maskedText: words.hidden }, output);
    const { result, output: said } = await askpass.check(typed);
    if (result === 'accepted') {
      // From now on every command this process starts finds our sudo first on its PATH.
      askpass.use();
      return;
    }
    if (result === 'refused') {
      askpass.close();
      throw UserError.of((l) => l.sudo.notAllowed({ user, output: said.trim() }));
    }
    if (attempt < 2) output.write(`${words.wrong}\n`);
  }
  askpass.close();
  throw UserError.of((l) => l.sudo.gaveUp({ user }));
}

export function orphanStopped(s: Surroundings, lang: Lang): (group: number) => void {
  return (group) => void s.stderr.write(`${LABELS[lang].runLock.orphanStopped({ group })}\n`);
}

/**
 * A run by another account than root changes the machine as root too: it also takes root's lock,
 * the machine's, held through sudo by this same program as root (src/exec/run-lock.ts), once sudo
 * works and before anything is changed. Busy or refused: thrown, for explainFailure.
 */
export async function takeMachineLock(s: Surroundings, lang: Lang): Promise<void> {
  await s.machine.holdMachineLock(orphanStopped(s, lang));
}
