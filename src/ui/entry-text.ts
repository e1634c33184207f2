// An entry of the journal in the person's language: the lists of `undo` and of a rollback. The
// engine's describeEntry keeps the run log's English; this is what a person reads on the screen.
import type { JournalEntry } from '../engine/journal.js';
import type { Lang, Started } from '../engine/types.js';
import { LABELS } from './labels.js';

function startedWords(what: Started, lang: Lang): string {
  const words = LABELS[lang].entry;
  switch (what.kind) {
    case 'systemd-unit':
      return words.systemdUnit({ name: what.name });
    case 'upstart-job':
      return words.upstartJob({ name: what.name });
    case 'uwsgi-daemon':
      return words.uwsgiDaemon({ pidFile: what.pidFile });
  }
}

export function entryWords(entry: JournalEntry, lang: Lang): string {
  const words = LABELS[lang].entry;
  switch (entry.kind) {
    case 'created':
      return words.created({ path: entry.path });
    case 'relinked':
      return words.relinked({ path: entry.path, previous: entry.previousTarget });
    case 'started':
      return words.started({ what: startedWords(entry.what, lang) });
    case 'opened':
      return words.opened({ rule: entry.rule });
    case 'certified':
      return words.certified({ name: entry.name });
    case 'file': {
      const change = entry.backup
        ? words.replaced({ path: entry.path, backup: entry.backup })
        : words.wrote({ path: entry.path });
      return entry.doctor === undefined ? change : words.doctorFix({ cause: entry.doctor, change });
    }
    case 'stored-undo':
      // A record of the previous version: what was started is its own words, kept as recorded.
      return entry.change === 'created'
        ? words.created({ path: entry.subject })
        : words.started({ what: entry.subject });
  }
}
