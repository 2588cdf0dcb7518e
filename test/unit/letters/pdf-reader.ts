/**
 * Just enough of a PDF reader to test the letters pdfkit writes: objects found through the xref
 * table, page content streams (inflated when compressed) and the text shown on each page.
 *
 * pdfkit writes text in the built-in fonts as hex strings of WinAnsi codes inside TJ arrays, one
 * BT…ET block per run of text.
 */
import { inflateSync } from 'node:zlib';

export interface PdfObject {
  id: number;
  dictionary: string;
  stream: Buffer | null;
}

export interface ReadPdf {
  header: string;
  objects: Map<number, PdfObject>;
  catalog: PdfObject;
  info: Record<string, string>;
  /** The text lines of each page, in page order. */
  pages: string[][];
  /** The raw content stream of each page, in page order. */
  contents: string[];
  /** Each BT…ET block of each page: its text and the base font it is set in. */
  runs: TextRunRead[][];
}

export interface TextRunRead {
  text: string;
  font: string;
  size: number;
}

export function readPdf(pdf: Buffer): ReadPdf {
  const raw = pdf.toString('latin1');
  const startXref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(raw)?.[1]);
  if (!Number.isInteger(startXref)) throw new Error('No startxref');
  const xref = /^xref\s+0 (\d+)\s+([\s\S]*?)trailer\s*<<([\s\S]*?)>>/.exec(raw.slice(startXref));
  if (xref === null) throw new Error('No xref table');
  const entries = (xref[2] ?? '').trim().split(/\s*\n\s*/);

  const objects = new Map<number, PdfObject>();
  entries.forEach((entry, id) => {
    const [offset, , kind] = entry.split(' ');
    if (kind !== 'n') return;
    objects.set(id, readObject(raw, id, Number(offset)));
  });

  const trailer = xref[3] ?? '';
  const catalog = objects.get(referenceIn(trailer, 'Root'));
  if (catalog === undefined) throw new Error('No catalog');

  const info: Record<string, string> = {};
  const infoObject = objects.get(referenceIn(trailer, 'Info'));
  for (const [, key, id] of infoObject?.dictionary.matchAll(/\/(\w+) (\d+) 0 R/g) ?? []) {
    const value = objects.get(Number(id))?.dictionary.trim() ?? '';
    if (value.startsWith('(')) info[key ?? ''] = decodePdfString(value);
  }

  const pagesRoot = objects.get(referenceIn(catalog.dictionary, 'Pages'));
  const kids = /\/Kids \[([^\]]*)\]/.exec(pagesRoot?.dictionary ?? '')?.[1] ?? '';
  const pageObjects = [...kids.matchAll(/(\d+) 0 R/g)].map(([, id]) => objects.get(Number(id)));
  const contents = pageObjects.map((page) => {
    const content = page === undefined ? undefined : objects.get(referenceIn(page.dictionary, 'Contents'));
    return content === undefined ? '' : streamText(content);
  });
  const runs = pageObjects.map((page, index) => {
    const resources = page === undefined ? undefined : objects.get(referenceIn(page.dictionary, 'Resources'));
    const fonts = /\/Font <<([^>]*)>>/.exec(resources?.dictionary ?? '')?.[1] ?? '';
    const baseFont = (name: string) => {
      const font = objects.get(referenceIn(fonts, name));
      return /\/BaseFont \/([\w-]+)/.exec(font?.dictionary ?? '')?.[1] ?? name;
    };
    return textBlocks(contents[index] ?? '').map(({ text, font, size }) => ({ text, font: baseFont(font), size }));
  });

  return { header: raw.slice(0, raw.indexOf('\n')), objects, catalog, info, pages: contents.map(textLines), contents, runs };
}

function readObject(raw: string, id: number, offset: number): PdfObject {
  const start = raw.indexOf('obj', offset) + 3;
  const end = raw.indexOf('endobj', start);
  const streamStart = raw.indexOf('>>\nstream\n', start);
  if (streamStart !== -1 && streamStart < end) {
    const dictionary = raw.slice(start, streamStart + 2);
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    const from = streamStart + '>>\nstream\n'.length;
    return { id, dictionary, stream: Buffer.from(raw.slice(from, from + length), 'latin1') };
  }
  return { id, dictionary: raw.slice(start, end), stream: null };
}

function referenceIn(dictionary: string, key: string): number {
  return Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dictionary)?.[1]);
}

export function streamText(object: PdfObject): string {
  if (object.stream === null) return '';
  const bytes = object.dictionary.includes('/FlateDecode') ? inflateSync(object.stream) : object.stream;
  return bytes.toString('latin1');
}

/** WinAnsi codes 0x80 to 0x9F; the rest of the range matches Latin-1. */
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWinAnsi(hex: string): string {
  let text = '';
  for (let i = 0; i < hex.length; i += 2) {
    const code = Number.parseInt(hex.slice(i, i + 2), 16);
    text += code >= 0x80 && code <= 0x9f ? (WIN_ANSI_HIGH[code - 0x80] ?? '') : String.fromCharCode(code);
  }
  return text;
}

function textBlocks(content: string): { text: string; font: string; size: number; y: string | undefined }[] {
  return [...content.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)].map(([, block = '']) => {
    const font = /\/(\w+) ([\d.]+) Tf/.exec(block);
    const text = [...block.matchAll(/\[([^\]]*)\]\s*TJ/g)]
      .map(([, array = '']) => [...array.matchAll(/<([0-9a-fA-F]*)>/g)].map(([, hex = '']) => decodeWinAnsi(hex)).join(''))
      .join('');
    return { text, font: font?.[1] ?? '', size: Number(font?.[2]), y: /\S+ \S+ \S+ \S+ \S+ (\S+) Tm/.exec(block)?.[1] };
  });
}

/**
 * The lines of text in a content stream. Each BT…ET block holds one run; runs on the same baseline
 * (a paragraph's bold words, a list item's bullet) are joined into one line, without the space
 * pdfkit leaves at the end of a wrapped line.
 */
export function textLines(content: string): string[] {
  const lines: string[] = [];
  let lastY: string | undefined;
  for (const { text, y } of textBlocks(content)) {
    if (y !== undefined && y === lastY && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
    lastY = y;
  }
  return lines.map((line) => line.trimEnd());
}

/** Decodes a PDF literal string, "(…)", including UTF-16BE strings with a byte order mark. */
export function decodePdfString(literal: string): string {
  const body = literal.trim().replace(/^\(/, '').replace(/\)$/, '');
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
  const bytes = body.replace(/\\([0-7]{1,3}|.)/g, (_, escaped: string) =>
    /^[0-7]+$/.test(escaped) ? String.fromCharCode(Number.parseInt(escaped, 8)) : (escapes[escaped] ?? escaped),
  );
  if (bytes.startsWith('\xfe\xff')) return Buffer.from(bytes.slice(2), 'latin1').swap16().toString('utf16le');
  return bytes;
}
