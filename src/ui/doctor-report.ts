// The doctor's report in words (issue 16): each layer passed or failed, each finding with why, its
// evidence as the machine gave it, its fix or what to try, in the person's language. Plain lines:
// the same for a terminal, a pipe and the log.
import { structuredPatch } from 'diff';
import type { DoctorReport } from '../engine/doctor/diagnose.js';
import type { Evidence, Finding, FixAction } from '../engine/doctor/model.js';
import type { AppPlace } from '../engine/doctor/survey.js';
import type { Lang } from '../engine/types.js';
import { causeSaid } from './doctor-text.js';
import { LABELS } from './labels.js';

const MARK = { ok: '✓', failed: '✗', 'not-checked': '·' } as const;

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

export function evidenceLines(evidence: Evidence, lang: Lang): string[] {
  const l = LABELS[lang].doctorRun;
  switch (evidence.kind) {
    case 'command':
      return [
        `$ ${evidence.command}  (${l.exit({ code: String(evidence.exitCode ?? '-') })})`,
        ...evidence.output.map((line) => `  | ${line}`),
      ];
    case 'log-line':
      return [l.logLine({ file: evidence.file }), `  | ${evidence.line}`];
    case 'config':
      return [l.configLine({ file: evidence.file, line: evidence.line }), `  | ${evidence.text}`];
    case 'stat':
      return [l.stat({ ...evidence, type: l.pathTypes[evidence.type], mode: octal(evidence.mode) })];
    case 'answer': {
      const status = evidence.status !== undefined ? String(evidence.status) : (evidence.error ?? '?');
      const body = evidence.body.replace(/\s+/g, ' ').trim().slice(0, 100);
      const said = evidence.via === 'nginx' ? l.answerThroughNginx({ status }) : l.answerFromSocket({ status });
      return [`${said}${body ? `  ${body}` : ''}`];
    }
  }
}

/** A fix as it will be made: commands as they run, files as the lines that change. */
export function fixActionLines(action: FixAction, before: string | undefined, lang: Lang): string[] {
  const l = LABELS[lang].doctorRun;
  if (action.kind === 'command') {
    const run = `${l.fixRun} $ ${action.command}`;
    return action.stopsByHand === undefined ? [run] : [l.fixStopsByHand({ pid: String(action.stopsByHand) }), run];
  }
  const lines = [l.fixWrite({ path: action.path, owner: action.owner, mode: octal(action.mode) })];
  if (before === undefined) return [...lines, ...action.content.split('\n').map((line) => `  | ${line}`)];
  const patch = structuredPatch(action.path, action.path, before, action.content, '', '', { context: 1 });
  for (const hunk of patch.hunks) lines.push(...hunk.lines.map((line) => `  ${line}`));
  return lines;
}

export function fixLines(finding: Finding, lang: Lang, before: (path: string) => string | undefined): string[] {
  const l = LABELS[lang].doctorRun;
  const said = causeSaid(finding, lang);
  const actions = finding.fix ?? [];
  return [
    '',
    l.fixTitle({ what: said.what }),
    ...(said.fix ? [`  ${said.fix}`] : []),
    ...actions.flatMap((action) =>
      fixActionLines(action, action.kind === 'file' ? before(action.path) : undefined, lang).map((line) => `  ${line}`),
    ),
  ];
}

/** A finding's why, its evidence, and its fix or what to try: the plain report's, and the screen's when opened. */
export function findingDetailLines(finding: Finding, lang: Lang): string[] {
  const l = LABELS[lang].doctorRun;
  const said = causeSaid(finding, lang);
  const lines = [`   ${l.why}: ${said.why}`];
  if (finding.evidence.length > 0) {
    lines.push(`   ${l.evidence}:`);
    for (const item of finding.evidence) lines.push(...evidenceLines(item, lang).map((line) => `     ${line}`));
  }
  if (finding.fix && said.fix) lines.push(`   ${l.fix}: ${said.fix}`);
  else lines.push(`   ${l.tryThis}: ${said.tryThis}`);
  return lines;
}

function findingLines(finding: Finding, index: number, lang: Lang): string[] {
  const l = LABELS[lang].doctorRun;
  const hint = finding.fix && causeSaid(finding, lang).fix ? [`     ${l.fixHint}`] : [];
  return [`${index}. ✗ ${causeSaid(finding, lang).what}`, ...findingDetailLines(finding, lang), ...hint];
}

/** The report's title and each layer passed, failed or not checked: the plain report's head, and the screen's. */
export function layerLines(report: DoctorReport, place: AppPlace, lang: Lang): string[] {
  const l = LABELS[lang].doctorRun;
  const lines = [l.title({ app: place.app, user: place.user, serverName: place.serverName })];
  for (const { layer, state } of report.layers) {
    lines.push(`  ${MARK[state]} ${l.layers[layer]}${state === 'not-checked' ? ` (${l.notChecked})` : ''}`);
  }
  return lines;
}

export function doctorReportLines(report: DoctorReport, place: AppPlace, lang: Lang): string[] {
  const l = LABELS[lang].doctorRun;
  const lines = [...layerLines(report, place, lang), ''];
  if (report.healthy) return [...lines, l.healthy];
  lines.push(l.found({ count: report.findings.length }));
  for (const [i, finding] of report.findings.entries()) lines.push(...findingLines(finding, i + 1, lang));
  return lines;
}

/** A step's failed checks, and what the doctor found (the wizard asks it then): shown with the failure. */
export function doctorOnFailureLines(finding: Finding, lang: Lang): string[] {
  const l = LABELS[lang].doctorRun;
  const said = causeSaid(finding, lang);
  return [
    l.onFailure,
    `  ✗ ${said.what}`,
    `    ${l.why}: ${said.why}`,
    ...finding.evidence.slice(0, 3).flatMap((item) => evidenceLines(item, lang).map((line) => `    ${line}`)),
    finding.fix && said.fix ? `    ${l.fix}: ${said.fix} ${l.fixHint}` : `    ${l.tryThis}: ${said.tryThis}`,
  ];
}
