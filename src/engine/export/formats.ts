// The export formats (issue 19), each a set of files rendered from the same model of the plan.
import { describePlatform } from '../platforms.js';
import type { ExportModel } from './model.js';
import { SHELL_TESTED_WITH, shellScript } from './shell.js';

export const EXPORT_FORMATS = ['shell'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RenderedFile {
  text: string;
  mode: number;
}

/** What every export says of itself first: what made it, for which machine, and what it was tested with. */
export function exportHeader(model: ExportModel, testedWith: string): string[] {
  return [
    'Written by uwsgi-nginx-guide export from the plan the wizard runs (uwsgi-nginx-guide --dry-run shows it).',
    `Platform: ${describePlatform(model.plan.platform)}`,
    `Tested with: ${testedWith}`,
  ];
}

export function renderExport(format: ExportFormat, model: ExportModel): Record<string, RenderedFile> {
  switch (format) {
    case 'shell':
      return { 'setup.sh': { text: shellScript(model, exportHeader(model, SHELL_TESTED_WITH)), mode: 0o755 } };
  }
}
