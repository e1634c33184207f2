// The esbuild options both shipped forms share (scripts/bundle.mjs: the bundle and its lazy part;
// scripts/standalone.mjs: the single executable), so that the two behave the same.
import { readFileSync } from 'node:fs';

export const PACKAGE_VERSION = JSON.parse(readFileSync('package.json', 'utf8')).version;

export const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Production React, without its development checks,
  // and the package's version for --version, written in so that start-up reads no package.json.
  define: { 'process.env.NODE_ENV': '"production"', PACKAGE_VERSION: JSON.stringify(PACKAGE_VERSION) },
  // ink loads react-devtools-core only when DEV=true; it is not a dependency and is never shipped.
  external: ['react-devtools-core'],
};
