// Python source as logical lines of tokens, enough to read a project's assignments and definitions
// without running any of it (issue 17): comments are dropped, strings are one token each (so that
// `# app = Flask(...)` or a docstring quoting it is never taken for code), brackets and a trailing
// backslash join physical lines. Not a Python parser: what it cannot read it leaves as tokens that
// match nothing.

export type Token =
  | { kind: 'name' | 'op' | 'number'; text: string }
  /** `value`: the string's content, escapes read; absent for an f-string (computed when it runs). */
  | { kind: 'string'; value?: string };

export interface LogicalLine {
  /** Columns of indentation of its first physical line: 0 is the module's own level. */
  indent: number;
  tokens: Token[];
}

const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
const TWO_CHAR_OPS = new Set([
  '==',
  '!=',
  '<=',
  '>=',
  ':=',
  '->',
  '**',
  '//',
  '<<',
  '>>',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
]);
const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_]/u;

export function pythonLines(source: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let tokens: Token[] = [];
  let indent = 0;
  let depth = 0;
  let atLineStart = true;
  let i = 0;
  const endLine = () => {
    if (tokens.length > 0) lines.push({ indent, tokens });
    tokens = [];
    atLineStart = true;
  };
  const push = (token: Token) => {
    const last = tokens.at(-1);
    // 'a' 'b' is one string in Python.
    if (token.kind === 'string' && last?.kind === 'string') {
      tokens[tokens.length - 1] =
        last.value === undefined || token.value === undefined
          ? { kind: 'string' }
          : { kind: 'string', value: last.value + token.value };
      return;
    }
    tokens.push(token);
  };
  while (i < source.length) {
    if (atLineStart && depth === 0) {
      let column = 0;
      while (source[i] === ' ' || source[i] === '\t') {
        column += source[i] === '\t' ? 8 - (column % 8) : 1;
        i += 1;
      }
      indent = column;
      atLineStart = false;
    }
    const c = source[i]!;
    if (c === '\n') {
      i += 1;
      if (depth === 0) endLine();
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (c === '\\' && (source[i + 1] === '\n' || source.startsWith('\r\n', i + 1))) {
      i += source[i + 1] === '\n' ? 2 : 3;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i += 1;
    } else if (c === '"' || c === "'") {
      i = readString(source, i, '', push);
    } else if (NAME_START.test(c)) {
      let end = i + 1;
      while (end < source.length && NAME_PART.test(source[end]!)) end += 1;
      const word = source.slice(i, end);
      const next = source[end];
      if ((next === '"' || next === "'") && STRING_PREFIXES.has(word.toLowerCase())) {
        i = readString(source, end, word.toLowerCase(), push);
      } else {
        push({ kind: 'name', text: word });
        i = end;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      let end = i + 1;
      while (end < source.length && /[0-9A-Za-z_.]/.test(source[end]!)) end += 1;
      push({ kind: 'number', text: source.slice(i, end) });
      i = end;
    } else {
      const two = source.slice(i, i + 2);
      const text = TWO_CHAR_OPS.has(two) ? two : c;
      if ('([{'.includes(text)) depth += 1;
      else if (')]}'.includes(text)) depth = Math.max(0, depth - 1);
      push({ kind: 'op', text });
      i += text.length;
    }
  }
  endLine();
  return lines;
}

/** Read the string literal whose opening quote is at `at`; returns where the code goes on. */
function readString(source: string, at: number, prefix: string, push: (token: Token) => void): number {
  const quote = source[at]!;
  const triple = source.startsWith(quote.repeat(3), at);
  const close = triple ? quote.repeat(3) : quote;
  let i = at + close.length;
  let raw = '';
  while (i < source.length && !source.startsWith(close, i)) {
    // A lone quote's string ends at the end of its line (Python refuses it; we read on).
    if (!triple && source[i] === '\n') break;
    if (source[i] === '\\' && i + 1 < source.length) {
      raw += source.slice(i, i + 2);
      i += 2;
    } else {
      raw += source[i];
      i += 1;
    }
  }
  const end = source.startsWith(close, i) ? i + close.length : i;
  if (prefix.includes('f')) push({ kind: 'string' });
  else push({ kind: 'string', value: prefix.includes('r') ? raw : readEscapes(raw) });
  return end;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' };

function readEscapes(raw: string): string {
  return raw.replace(/\\([\s\S])/g, (whole, c: string) => ESCAPES[c] ?? whole);
}

// ---------------------------------------------------------------------------------------------
// Reading tokens

export const isName = (token: Token | undefined, text?: string): boolean =>
  token?.kind === 'name' && (text === undefined || token.text === text);

export const isOp = (token: Token | undefined, text: string): boolean => token?.kind === 'op' && token.text === text;

/** `NAME = …` or `NAME: T = …`: the name and what is assigned; undefined for any other line. */
export function assignment(line: LogicalLine): { name: string; value: Token[] } | undefined {
  const [first, second] = line.tokens;
  if (first?.kind !== 'name') return undefined;
  if (isOp(second, '=')) return { name: first.text, value: line.tokens.slice(2) };
  if (!isOp(second, ':')) return undefined;
  const equals = line.tokens.findIndex((token) => isOp(token, '='));
  return equals === -1 ? undefined : { name: first.text, value: line.tokens.slice(equals + 1) };
}

/** Every name a line gives a value to: `X =`, `X +=`, `X: T =`, `def X(`, `class X`, `import … as X`, `for X in`. */
export function namesBound(line: LogicalLine): string[] {
  const t = line.tokens;
  const first = t[0];
  if (isName(first, 'def') || isName(first, 'class') || (isName(first, 'async') && isName(t[1], 'def'))) {
    const name = t.find((token, at) => at > 0 && token.kind === 'name' && !isName(token, 'def'));
    return name?.kind === 'name' ? [name.text] : [];
  }
  if (isName(first, 'from') || isName(first, 'import')) return importedNames(line).map((entry) => entry.as);
  if (first?.kind === 'name' && t[1]?.kind === 'op' && (t[1].text === ':' || t[1].text.endsWith('=')))
    return t[1].text === '==' ? [] : [first.text];
  return [];
}

/** `from M import a, b as c` / `import M as c`: each name bound, and from which module, as written. */
export function importedNames(line: LogicalLine): { from: string; name: string; as: string }[] {
  const t = line.tokens.filter((token) => !isOp(token, '(') && !isOp(token, ')'));
  const dotted = (start: number): [string, number] => {
    let text = '';
    let at = start;
    while (isOp(t[at], '.') || (t[at]?.kind === 'name' && !isName(t[at], 'import') && !isName(t[at], 'as'))) {
      text += t[at]!.kind === 'op' ? '.' : (t[at] as { text: string }).text;
      at += 1;
    }
    return [text, at];
  };
  const names: { from: string; name: string; as: string }[] = [];
  if (isName(t[0], 'from')) {
    const [module, at] = dotted(1);
    if (!isName(t[at], 'import')) return [];
    for (let k = at + 1; k < t.length; k += 1) {
      const token = t[k];
      if (token?.kind !== 'name') continue;
      const alias =
        isName(t[k + 1], 'as') && t[k + 2]?.kind === 'name' ? (t[k + 2] as { text: string }).text : undefined;
      names.push({ from: module, name: token.text, as: alias ?? token.text });
      if (alias) k += 2;
    }
  } else if (isName(t[0], 'import')) {
    const [module, at] = dotted(1);
    const alias = isName(t[at], 'as') && t[at + 1]?.kind === 'name' ? (t[at + 1] as { text: string }).text : undefined;
    names.push({ from: module, name: module, as: alias ?? module.split('.')[0]! });
  }
  return names;
}

/** The value of a plain string literal (`'x'`, `"x" "y"`), else undefined. */
export function stringValue(tokens: readonly Token[]): string | undefined {
  const [only] = tokens;
  return tokens.length === 1 && only?.kind === 'string' ? only.value : undefined;
}
