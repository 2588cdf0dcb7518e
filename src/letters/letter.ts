/**
 * The letter model shared by the PDF, HTML and plain text renderers, so the three always say
 * the same thing.
 */
import type { LetterBlock, TextRun } from './template.ts';

export interface Letter {
  council: { name: string; addressLines: string[]; phone: string; email: string; website: string };
  /**
   * `addressLines: null` means the address must not be disclosed (for example, where a child may be
   * at risk). Nothing is printed in its place: even "Address withheld" would tell a reader something.
   */
  recipient: { name: string; addressLines: string[] | null };
  /** Already formatted, for example "3 March 2027". */
  date: string;
  reference: string;
  subject: string;
  blocks: LetterBlock[];
  signOff: { name: string; jobTitle: string };
  footer?: string;
}

/** The lines of the council's name, address and contact details, as printed at the top of the letter. */
export function councilLines(letter: Letter): { name: string; address: string[]; contact: string[] } {
  const { council } = letter;
  const contact = [
    council.phone === '' ? null : `Telephone: ${council.phone}`,
    council.email === '' ? null : `Email: ${council.email}`,
    council.website === '' ? null : council.website,
  ].filter((line) => line !== null);
  return { name: council.name, address: nonBlank(council.addressLines), contact };
}

/** The recipient's name and, only when it may be disclosed, their address. */
export function recipientLines(letter: Letter): string[] {
  return [letter.recipient.name, ...nonBlank(letter.recipient.addressLines ?? [])].filter((line) => line.trim() !== '');
}

export const referenceLine = (letter: Letter) => `Our reference: ${letter.reference}`;

export const SIGN_OFF = 'Yours sincerely';

export function runsText(runs: readonly TextRun[]): string {
  return runs.map((run) => run.text).join('');
}

/** The whole letter as plain text, for emails and for searching. */
export function letterPlainText(letter: Letter): string {
  const council = councilLines(letter);
  const sections: string[][] = [
    [council.name, ...council.address, ...council.contact],
    recipientLines(letter),
    [letter.date, referenceLine(letter)],
    [letter.subject],
    ...letter.blocks.map(blockLines),
    [SIGN_OFF],
    [letter.signOff.name, letter.signOff.jobTitle],
  ];
  if (letter.footer !== undefined && letter.footer.trim() !== '') sections.push([letter.footer]);
  return `${sections
    .map((lines) => lines.filter((line) => line.trim() !== '').join('\n'))
    .filter((section) => section !== '')
    .join('\n\n')}\n`;
}

function blockLines(block: LetterBlock): string[] {
  switch (block.kind) {
    case 'heading':
    case 'subheading':
      return [block.text];
    case 'paragraph':
      return [runsText(block.runs)];
    case 'list':
      return block.items.map((item) => `- ${runsText(item)}`);
  }
}

function nonBlank(lines: readonly string[]): string[] {
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}
