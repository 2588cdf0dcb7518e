/**
 * Letters as tagged, accessible PDFs (PDF 1.7 with a structure tree), using the built-in
 * Helvetica fonts so nothing has to be embedded.
 *
 * Every piece of content is drawn inside a structure element (H1, H2, H3, P, L, LI, Lbl, LBody)
 * so screen readers get headings, paragraphs and lists in reading order. Page footers are marked
 * as pagination artifacts, which assistive technology skips.
 */
import PDFDocument from 'pdfkit';
import type { LetterBlock, TextRun } from './template.ts';
import { councilLines, recipientLines, referenceLine, runsText, SIGN_OFF, type Letter } from './letter.ts';

export interface LetterPdfOptions {
  compress?: boolean;
  /** Fixes the creation date, which otherwise is the time of rendering. Output is otherwise the same for the same letter. */
  creationDate?: Date;
}

type Doc = PDFKit.PDFDocument;
type Element = PDFKit.PDFStructureElement;

const MARGIN = 71; // 2.5 cm
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const SIZE = { body: 12, title: 16, heading: 14, subheading: 12, footer: 10 } as const;
const LINE_GAP = 3;
const BLOCK_GAP = 10;
const BULLET_INDENT = 18;

export function renderLetterPdf(letter: Letter, options: LetterPdfOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      pdfVersion: '1.7',
      tagged: true,
      lang: 'en-GB',
      displayTitle: true,
      bufferPages: true,
      compress: options.compress ?? true,
      font: REGULAR,
      info: {
        Title: metadataText(letter.subject),
        Author: metadataText(letter.council.name),
        Creator: 'Cairn',
        ...(options.creationDate === undefined ? {} : { CreationDate: options.creationDate }),
      },
    });
    const chunks: Uint8Array[] = [];
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      layOut(doc, letter);
      addFooters(doc, letter);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function layOut(doc: Doc, letter: Letter): void {
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - MARGIN * 2;

  // The council's name, address and contact details, top right.
  const council = councilLines(letter);
  doc.y = MARGIN;
  tag(doc, root, 'P', [council.name, ...council.address].join('\n'), () => {
    writeLines(doc, [council.name], { font: BOLD, width, align: 'right' });
    writeLines(doc, council.address, { font: REGULAR, width, align: 'right' });
  });
  if (council.contact.length > 0) {
    doc.y += BLOCK_GAP / 2;
    tag(doc, root, 'P', council.contact.join('\n'), () => writeLines(doc, council.contact, { font: REGULAR, width, align: 'right' }));
  }

  // The recipient, left. A withheld address prints nothing in its place.
  doc.y += BLOCK_GAP * 2;
  const recipient = recipientLines(letter);
  if (recipient.length > 0) {
    tag(doc, root, 'P', recipient.join('\n'), () => writeLines(doc, recipient, { font: REGULAR, width, align: 'left' }));
  }

  doc.y += BLOCK_GAP * 2;
  for (const line of [letter.date, referenceLine(letter)]) {
    tag(doc, root, 'P', line, () => writeLines(doc, [line], { font: REGULAR, width, align: 'left' }));
  }

  doc.y += BLOCK_GAP * 1.5;
  keepSpace(doc, lineHeight(doc, BOLD, SIZE.title) + lineHeight(doc, REGULAR, SIZE.body) * 2);
  tag(doc, root, 'H1', letter.subject, () => writeLines(doc, [letter.subject], { font: BOLD, size: SIZE.title, width, align: 'left' }));
  doc.y += BLOCK_GAP;

  for (const block of letter.blocks) {
    writeBlock(doc, root, block, width);
    doc.y += BLOCK_GAP;
  }

  // Keep the sign-off together rather than leave "Yours sincerely" alone at the foot of a page.
  keepSpace(doc, lineHeight(doc, REGULAR, SIZE.body) * 4 + BLOCK_GAP * 2);
  tag(doc, root, 'P', SIGN_OFF, () => writeLines(doc, [SIGN_OFF], { font: REGULAR, width, align: 'left' }));
  doc.y += BLOCK_GAP * 2;
  const signOff = [letter.signOff.name, letter.signOff.jobTitle].filter((line) => line.trim() !== '');
  if (signOff.length > 0) {
    tag(doc, root, 'P', signOff.join('\n'), () => writeLines(doc, signOff, { font: REGULAR, width, align: 'left' }));
  }
  root.end();
}

function writeBlock(doc: Doc, root: Element, block: LetterBlock, width: number): void {
  const body = lineHeight(doc, REGULAR, SIZE.body);
  switch (block.kind) {
    case 'heading':
    case 'subheading': {
      // The subject is the H1, so the template's headings sit one and two levels below it.
      const size = block.kind === 'heading' ? SIZE.heading : SIZE.subheading;
      keepSpace(doc, lineHeight(doc, BOLD, size) + body * 2);
      tag(doc, root, block.kind === 'heading' ? 'H2' : 'H3', block.text, () =>
        writeLines(doc, [block.text], { font: BOLD, size, width, align: 'left' }),
      );
      return;
    }
    case 'paragraph':
      keepSpace(doc, body * 2);
      tag(doc, root, 'P', runsText(block.runs), () => writeRuns(doc, block.runs, MARGIN, width));
      return;
    case 'list': {
      const list = doc.struct('L');
      root.add(list);
      for (const item of block.items) {
        keepSpace(doc, body);
        const entry = doc.struct('LI');
        list.add(entry);
        const top = doc.y;
        tag(doc, entry, 'Lbl', '•', () => {
          doc.font(REGULAR).fontSize(SIZE.body).text('•', MARGIN + 4, top, { lineBreak: false });
          doc.y = top;
        });
        tag(doc, entry, 'LBody', runsText(item), () => writeRuns(doc, item, MARGIN + BULLET_INDENT, width - BULLET_INDENT));
        entry.end();
        doc.y += BLOCK_GAP / 3;
      }
      list.end();
      return;
    }
  }
}

/**
 * Draws content inside a new structure element under `parent`. When the text had to be changed to
 * fit the built-in fonts, the element carries the original as its ActualText for screen readers.
 */
function tag(doc: Doc, parent: Element, type: string, text: string, draw: () => void): void {
  const unchanged = text.split('\n').every((line) => pdfText(line) === line);
  const element = doc.struct(type, unchanged ? {} : { actual: text });
  parent.add(element);
  element.add(draw);
  element.end();
}

function writeLines(doc: Doc, lines: readonly string[], options: { font: string; size?: number; width: number; align: 'left' | 'right' }): void {
  if (lines.length === 0) return;
  doc
    .font(options.font)
    .fontSize(options.size ?? SIZE.body)
    .text(lines.map(pdfText).join('\n'), MARGIN, doc.y, { width: options.width, align: options.align, lineGap: LINE_GAP });
}

/** Writes plain and bold runs as one flowing paragraph. */
function writeRuns(doc: Doc, runs: readonly TextRun[], x: number, width: number): void {
  doc.fontSize(SIZE.body);
  runs.forEach((run, index) => {
    const options = { width, lineGap: LINE_GAP, continued: index < runs.length - 1 };
    doc.font(run.bold ? BOLD : REGULAR);
    if (index === 0) doc.text(pdfText(run.text), x, doc.y, options);
    else doc.text(pdfText(run.text), options);
  });
}

function lineHeight(doc: Doc, font: string, size: number): number {
  doc.font(font).fontSize(size);
  return doc.currentLineHeight(true) + LINE_GAP;
}

/** Starts a new page when less than `height` is left, so headings and list bullets are not stranded. */
function keepSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY() && doc.y > doc.page.margins.top) {
    doc.continueOnNewPage();
  }
}

/** "Page N of M" and the optional footer text on every page, written once the page count is known. */
function addFooters(doc: Doc, letter: Letter): void {
  const range = doc.bufferedPageRange();
  const footer = letter.footer?.trim() ?? '';
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    const page = doc.page;
    const width = page.width - MARGIN * 2;
    const bottomMargin = page.margins.bottom;
    // Footers sit in the bottom margin; without this pdfkit would treat them as overflow.
    page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(REGULAR).fontSize(SIZE.footer);
    doc.y = page.height - bottomMargin + 16;
    if (footer !== '') {
      doc.text(pdfText(footer), MARGIN, doc.y, { width, align: 'center', lineGap: 1, height: doc.currentLineHeight(true) * 2 + 2, ellipsis: true });
    }
    doc.text(`Page ${index + 1} of ${range.count}`, MARGIN, doc.y, { width, align: 'center' });
    doc.endMarkedContent();
    page.margins.bottom = bottomMargin;
  }
}

/**
 * pdfkit copies the title and author into the XMP metadata without escaping them, so "&" or "<"
 * would make the metadata invalid XML ("Brighton & Hove City Council"). Both are replaced here.
 */
export function metadataText(text: string): string {
  return text.replace(/\s*&\s*/g, ' and ').replaceAll('<', '‹').replaceAll('>', '›').trim();
}

// ---------------------------------------------------------------------------------------------
// Text the built-in fonts can show
// ---------------------------------------------------------------------------------------------

/** Characters outside Latin-1 that the built-in fonts' WinAnsi encoding includes. */
const WIN_ANSI_EXTRAS = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a,
  0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/** Common characters that do not decompose into a letter and an accent. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't', ĸ: 'k', Ŀ: 'L', ŀ: 'l',
  '\u2010': '-', '\u2011': '-', '\u2212': '-', '\u2032': "'", '\u2033': '"',
};

const isWinAnsi = (code: number) => (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(code);

/**
 * The built-in fonts only cover the WinAnsi character set, and pdfkit writes other characters as
 * broken codes. Accented letters lose the accent ("Łucja Nowak" becomes "Lucja Nowak"); anything
 * else becomes "?". The original text is kept as ActualText on the structure element.
 */
export function pdfText(text: string): string {
  let result = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (isWinAnsi(code)) {
      result += character;
    } else if (/\s/.test(character)) {
      result += ' ';
    } else {
      const lookAlike = LOOK_ALIKES[character] ?? character.normalize('NFD').replace(/\p{M}/gu, '');
      result += lookAlike !== '' && [...lookAlike].every((c) => isWinAnsi(c.codePointAt(0) ?? 0)) ? lookAlike : '?';
    }
  }
  return result;
}
