// `export` (issue 19): the plan the wizard would run on a machine of --platform, with these answers,
// written as a shell script, an Ansible playbook or cloud-init user-data, for machines the wizard
// will not be run on. Nothing on this machine is changed; the answers are checked as for --dry-run,
// but the app's account and the web server's group need not exist here (accountOnTarget).
import { curriculum } from '../../steps/index.js';
import { exportModel } from '../engine/export/model.js';
import { EXPORT_FORMATS, type ExportFormat, renderExport } from '../engine/export/formats.js';
import { ExportFilesError } from '../exec/export-files.js';
import { LABELS } from '../ui/labels.js';
import { prepare } from './answers.js';
import { EXIT, type Flags } from './common.js';
import type { Surroundings } from './surroundings.js';
import { UserError } from './user-error.js';

export async function runExport(s: Surroundings, flags: Flags): Promise<number> {
  const format = flags.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw UserError.of((l) => l.export.unknownFormat({ format: String(format) }));
  if (flags.platform === undefined) throw UserError.of((l) => l.export.noPlatform());
  // Exports run as root on their machines (sudo sh, become, cloud-init): planned as root, for an
  // account and a web server's group that they have (or make) there, not necessarily here.
  // The exports template the account (a variable, made on the target by adduser, user: or users:);
  // root is neither made nor a variable's value the plan can follow, and the wizard warns against it.
  if (flags.user === 'root') throw UserError.of((l) => l.export.rootNotExported());
  const { ctx, lang } = await prepare(s, { ...flags, dryRun: true }, false, 'plan', { forAnotherMachine: true });
  const planned = { ...ctx, privilege: { isRoot: true, runningAs: 'root' } };
  if (ctx.answers.user === 'root') throw UserError.of((l) => l.export.rootNotExported()); // from an answers file
  if (ctx.ownApp) throw UserError.of((l) => l.export.ownAppNotYet({ path: ctx.answers.appSource ?? '' }));
  // cloud-init runs at a first boot, under a service manager: a platform without one has no first boot for it.
  if (format === 'cloud-init' && ctx.platform.serviceManager === 'none')
    throw UserError.of((l) => l.export.noCloudInit({ platform: ctx.platform.id }));
  const files = renderExport(format, exportModel(curriculum, planned));
  const dir = flags.out ?? s.cwd;
  let written: string[];
  try {
    written = s.machine.writeExport(dir, files, Boolean(flags.force));
  } catch (error) {
    if (!(error instanceof ExportFilesError)) throw error;
    throw UserError.of((l) =>
      error.problem === 'exists'
        ? l.export.wouldOverwrite({ path: error.path })
        : l.export.outNotWritable({ dir: error.path, reason: error.reason }),
    );
  }
  s.stdout.write(`${LABELS[lang].export.wrote({ files: written.join(', ') })}\n`);
  return EXIT.ok;
}
