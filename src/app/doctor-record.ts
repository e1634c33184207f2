// What `doctor --fix` changed, kept in the app's record like the wizard's own changes, so that
// `undo` takes it back: each file a fix wrote, with the backup of what it held (none when the fix
// created it). The commands a fix runs (a reload, a restart, starting nginx) are not recorded:
// there is nothing to take back in them.
import type { FileEntry } from '../engine/journal.js';
import { emptyProgress } from '../engine/progress.js';
import type { Answers, Lang } from '../engine/types.js';
import { LABELS } from '../ui/labels.js';
import { recordOf, reportIgnoredProgress } from './answers.js';
import type { Surroundings } from './surroundings.js';

/**
 * Add the entry to this app's record at once (the file is already written), under the run lock the
 * caller holds. Without a record (a setup made by hand) one is begun, as a wizard's run begins it:
 * another app's record is shelved first, an ignored one set aside.
 */
export async function rememberDoctorFix(s: Surroundings, answers: Answers, lang: Lang, entry: FileEntry) {
  const { store } = s.machine;
  const updatedAt = s.now().toISOString();
  const { reading, record, recordPath } = await recordOf(s, answers);
  if (record) {
    await store.write({ ...record, journal: [...record.journal, entry], updatedAt }, recordPath);
    return;
  }
  reportIgnoredProgress(s, reading, lang);
  if (reading.kind === 'ignored') {
    const aside = store.setAside();
    if (aside) s.stderr.write(`${LABELS[lang].progressSetAside({ aside })}\n`);
  }
  await store.bringRecordForward(reading.kind === 'ok' ? reading.progress : undefined, answers);
  await store.write({ ...emptyProgress(answers, updatedAt), journal: [entry] });
}
