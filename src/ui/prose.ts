// Step text wrapped to the terminal once. A step's text is written with its own line breaks at
// about 90 columns; ink wraps each of those lines again on a narrower terminal, which leaves a
// long line, a short one, a long one… Here the lines of a paragraph or a list item are joined
// first and then wrapped to the width, a list item's later lines hanging under its text; blank
// lines stay, and an indented line that belongs to no item (code), or one spaced into columns (a
// table's row), is kept as it is.
import stringWidth from 'string-width';

/** A paragraph or list item: `lead` begins its first line (a bullet, a number), its later lines hang under the text. */
interface Block {
  lead: string;
  text: string;
  /** A list item's first line as written: its continuation lines show where its text hangs. */
  item?: { first: string; indent: number; hung: boolean };
}

type Part = Block | { pre: string } | 'blank';

const BULLET = /^(\s*)(?:[•*-]|\d+[.)])\s+/;
// Words spaced into columns ("Stop uWSGI:   systemctl stop …"): a table's row, kept as written.
const COLUMNS = /\S {2,}\S/;
// Hiragana, katakana, CJK ideographs and full-width forms: a line may break between any two.
const WIDE = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
// What may not begin a line in Japanese: it stays with the character before it.
const NO_LINE_START = /[、。，．」』）】〉》・ーぁぃぅぇぉっゃゅょァィゥェォッャュョ！？：；)\]]/;

/** Two pieces of one sentence joined: with a space, except between two Japanese characters. */
function join(before: string, after: string): string {
  if (before === '') return after;
  return WIDE.test(before.at(-1) ?? '') && WIDE.test(after[0] ?? '') ? before + after : `${before} ${after}`;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function partsOf(text: string): Part[] {
  const parts: Part[] = [];
  for (const line of text.split('\n')) {
    const last = parts.at(-1);
    const block = typeof last === 'object' && 'text' in last ? last : undefined;
    const indent = indentOf(line);
    const bullet = BULLET.exec(line);
    if (line.trim() === '') parts.push('blank');
    else if (bullet)
      parts.push({
        lead: bullet[0],
        text: line.slice(bullet[0].length).trimEnd(),
        item: { first: line, indent, hung: false },
      });
    else if (block?.item && indent > block.item.indent) {
      // The first continuation line shows where the item's text hangs ("  • WSGI  – a…" then
      // twelve spaces): the first line up to there is the lead, when it ends at a space.
      const head = block.item.first.slice(0, indent);
      if (!block.item.hung && indent > block.lead.length && head.endsWith(' ') && stringWidth(head) === indent) {
        block.lead = head;
        block.text = block.item.first.slice(indent).trim();
      }
      block.item.hung = true;
      block.text = join(block.text, line.trim());
    } else if (indent > 0 || COLUMNS.test(line)) parts.push({ pre: line });
    else if (block && !block.item) block.text = join(block.text, line.trim());
    else parts.push({ lead: '', text: line.trim() });
  }
  return parts;
}

/** The pieces a line may break between: words, and each Japanese character with what must follow it. */
function tokensOf(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/\s+|[^\s]/gu)) {
    const piece = match[0];
    const last = tokens.at(-1);
    const glue =
      last !== undefined &&
      !/\s/.test(piece) &&
      !/\s$/.test(last) &&
      (NO_LINE_START.test(piece) || (!WIDE.test(piece) && !WIDE.test(last.at(-1) ?? '')));
    if (glue) tokens[tokens.length - 1] = last + piece;
    else tokens.push(piece);
  }
  // A shell prompt stays with its command: "$ chgrp …" is never broken after the "$".
  for (let i = tokens.length - 3; i >= 0; i--)
    if (tokens[i] === '$' && /^\s+$/.test(tokens[i + 1]!)) tokens.splice(i, 3, `$ ${tokens[i + 2]}`);
  return tokens;
}

/**
 * `text` in lines of at most `columns` (a word longer than that is cut): the first begins with
 * `lead`, the others with `hang` spaces (as many as the lead is wide). No line ends with a space.
 */
export function wrapHanging(text: string, columns: number, lead = '', hang = stringWidth(lead)): string[] {
  // Too narrow to hang under the lead: the later lines start at the margin.
  const indent = columns - hang >= 20 ? ' '.repeat(hang) : '';
  const lines: string[] = [];
  let line = lead;
  let started = false;
  // The spaces before the next word, as written (they may align columns), unless a line ends there.
  let space = '';
  for (const token of tokensOf(text)) {
    if (/^\s+$/.test(token)) {
      space = started ? (token.includes('\n') ? ' ' : token) : '';
      continue;
    }
    const candidate = `${line}${space}${token}`;
    if (!started || stringWidth(candidate) <= columns) {
      line = started ? candidate : line + token;
    } else {
      lines.push(line);
      line = indent + token;
    }
    started = true;
    space = '';
    // A word longer than the whole line: cut it at the width, the rest goes on.
    while (stringWidth(line) > columns && [...line].length > 1) {
      const chars = [...line];
      let cut = chars.length - 1;
      while (cut > 1 && stringWidth(chars.slice(0, cut).join('')) > columns) cut--;
      lines.push(chars.slice(0, cut).join(''));
      line = indent + chars.slice(cut).join('');
    }
  }
  lines.push(line);
  return lines;
}

/**
 * A line kept as written, unless it is wider than the terminal: then a table's row goes on under
 * its value (when its longest word fits there), a line of code two columns under its indentation.
 */
function preLines(line: string, columns: number): string[] {
  if (stringWidth(line) <= columns) return [line];
  const indent = /^\s*/.exec(line)![0];
  const row = indent === '' ? /^(.*?\S {2,})(\S.*)$/.exec(line) : null;
  const longest = (text: string) => Math.max(...text.split(/\s+/).map((word) => stringWidth(word)));
  if (row && columns - stringWidth(row[1]!) >= longest(row[2]!)) return wrapHanging(row[2]!, columns, row[1]);
  return wrapHanging(line.trim(), columns, indent, indent.length + 2);
}

// What a report's line begins with before its text: its indentation, its marks (▶ ✗ ✓ · ⚠, an
// output's |, a command's $, a number), and a short label ("why: ", "理由: ", "try this: "): one of
// at most LABEL_COLUMNS, so that a sentence with a colon in it is not taken for one.
const REPORT_MARKS = /^\s*(?:(?:[▶✗✓·⚠|$]|\d+\.)\s+)*/;
const REPORT_LABEL = /^[^\s:：/][^:：/]*?: /;
const LABEL_COLUMNS = 12;

/**
 * Lines of a report (the doctor's) wrapped to the width, each line's later rows hanging under its text,
 * after its marks and its label, as a list item's do: a long "why: …" goes on under the "why"'s text.
 */
export function hangingLines(lines: readonly string[], columns: number): string[] {
  return lines.flatMap((line) => {
    if (stringWidth(line) <= columns) return [line];
    const marks = REPORT_MARKS.exec(line)![0];
    const label = REPORT_LABEL.exec(line.slice(marks.length))?.[0] ?? '';
    const lead = marks + (stringWidth(label) <= LABEL_COLUMNS + 2 ? label : '');
    return wrapHanging(line.slice(lead.length), columns, lead);
  });
}

/** A step's text as the lines to draw at this width: paragraphs and list items wrapped once. */
export function proseLines(text: string, columns: number): string[] {
  return partsOf(text).flatMap((part) => {
    if (part === 'blank') return [''];
    if ('pre' in part) return preLines(part.pre, columns);
    return wrapHanging(part.text, columns, part.lead);
  });
}

/** The width of the widest line of a text, in columns. */
export function widestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map((line) => stringWidth(line)));
}

/**
 * Items in lines of at most `columns`, a line broken only between two items: the keys of a key
 * bar (`[s] skip`, never parted from its word), the parts of the stack line.
 */
export function packItems(items: readonly string[], columns: number, gap = '   '): string[][] {
  const lines: string[][] = [];
  let width = 0;
  for (const item of items) {
    const line = lines.at(-1);
    const needed = stringWidth(item) + (line && line.length > 0 ? stringWidth(gap) : 0);
    if (line && width + needed <= columns) {
      line.push(item);
      width += needed;
    } else {
      lines.push([item]);
      width = stringWidth(item);
    }
  }
  return lines;
}

/** A key bar's text, as the labels write it, cut into its keys. */
export function keysOf(text: string): string[] {
  return text
    .split(/\s{2,}/)
    .map((key) => key.trim())
    .filter((key) => key !== '');
}
