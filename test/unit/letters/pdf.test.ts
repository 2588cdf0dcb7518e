import { describe, it, expect } from 'vitest';
import { letterPlainText, renderLetterPdf, renderTemplate } from '../../../src/letters/index.ts';
import { pdfText } from '../../../src/letters/pdf.ts';
import { noticeContext, sampleLetter } from './fixtures.ts';
import { decodePdfString, readPdf } from './pdf-reader.ts';

const CREATED = new Date('2027-03-03T09:00:00Z');
const render = (letter = sampleLetter(), compress = false) => renderLetterPdf(letter, { compress, creationDate: CREATED });

/** Page objects, not the /Pages tree node. */
const countPageObjects = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page(?![a-zA-Z])/g)?.length ?? 0;

const longLetter = () =>
  sampleLetter({
    blocks: renderTemplate(
      Array.from({ length: 80 }, (_, i) => `Paragraph ${i + 1}: {{ child.firstName }} has not been seen at school since the start of term, and we need to find out where they are being educated.`).join('\n\n'),
      noticeContext(),
    ),
  });

describe('renderLetterPdf', () => {
  it('writes a PDF 1.7 file with the subject as its title and the council as its author', async () => {
    const pdf = await render();
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const { info } = readPdf(pdf);
    expect(info['Title']).toBe('Your child’s education');
    expect(info['Author']).toBe('Anyshire County Council');
  });

  it('keeps the XMP metadata valid when the title or author has an ampersand', async () => {
    const letter = sampleLetter({ subject: 'Attendance & <education>' });
    letter.council.name = 'Brighton & Hove City Council';
    const pdf = await render(letter);
    expect(readPdf(pdf).info).toMatchObject({ Title: 'Attendance and ‹education›', Author: 'Brighton and Hove City Council' });
    const xmp = /<x:xmpmeta[\s\S]*<\/x:xmpmeta>/.exec(pdf.toString('utf8'))?.[0] ?? '';
    expect(xmp).toContain('<rdf:li>Brighton and Hove City Council</rdf:li>');
    expect(xmp).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
    // The letter itself still says what the council is called.
    expect(readPdf(pdf).pages[0]?.[0]).toBe('Brighton & Hove City Council');
  });

  it('prints every part of the letter, in reading order', async () => {
    const { pages } = readPdf(await render());
    expect(pages).toHaveLength(1);
    expect(pages[0]).toEqual([
      'Anyshire County Council',
      'County Hall',
      'High Street',
      'Anytown',
      'AN1 2CD',
      'Telephone: 01234 567 890',
      'Email: cme@anyshire.gov.uk',
      'www.anyshire.gov.uk',
      'Alex Taylor',
      '12 Mill Lane',
      'Anytown',
      'AN3 4EF',
      '3 March 2027',
      'Our reference: CME-2027-0042',
      'Your child’s education',
      'About Sam',
      'Dear Alex Taylor,',
      'We are writing about Sam Taylor, born 4 May 2015. Our records show that Sam is',
      'not on the roll of a school.',
      'What you need to do',
      '•Reply by 17 March 2027',
      "•Tell us about Sam's education",
      'We will write to you again if we do not hear from you.',
      'Yours sincerely',
      'Jordan Smith',
      'Children Missing Education Officer',
      'Anyshire County Council, County Hall, Anytown AN1 2CD',
      'Page 1 of 1',
    ]);
  });

  it('reads the same when compressed, the default', async () => {
    const compressed = await renderLetterPdf(sampleLetter(), { creationDate: CREATED });
    expect(compressed.toString('latin1')).toContain('/FlateDecode');
    expect(readPdf(compressed).pages).toEqual(readPdf(await render()).pages);
  });

  it('sets bold runs in Helvetica-Bold, body text at 12 point and the subject larger', async () => {
    const runs = readPdf(await render()).runs[0] ?? [];
    const run = (text: string) => runs.find((candidate) => candidate.text === text);
    expect(run('Sam Taylor')).toEqual({ text: 'Sam Taylor', font: 'Helvetica-Bold', size: 12 });
    expect(run('We are writing about ')).toEqual({ text: 'We are writing about ', font: 'Helvetica', size: 12 });
    expect(run('17 March 2027')?.font).toBe('Helvetica-Bold');
    expect(run('Your child’s education')).toEqual({ text: 'Your child’s education', font: 'Helvetica-Bold', size: 16 });
    expect(run('About Sam')).toEqual({ text: 'About Sam', font: 'Helvetica-Bold', size: 14 });
    expect(run('Page 1 of 1')?.size).toBeLessThan(12);
  });

  it('flows a long letter onto more pages, with a footer on each', async () => {
    const pdf = await render(longLetter());
    const { pages } = readPdf(pdf);
    expect(pages.length).toBeGreaterThan(1);
    expect(countPageObjects(pdf)).toBe(pages.length);
    pages.forEach((lines, index) => {
      expect(lines.at(-1)).toBe(`Page ${index + 1} of ${pages.length}`);
      expect(lines.at(-2)).toBe('Anyshire County Council, County Hall, Anytown AN1 2CD');
    });
    const all = pages.flat().join('\n');
    for (const n of [1, 40, 80]) expect(all).toContain(`Paragraph ${n}: Sam has not been seen`);
    expect(pages.at(-1)).toContain('Yours sincerely');
  });

  it('leaves out the footer text when there is none, but still numbers the pages', async () => {
    const { footer: _, ...letter } = sampleLetter();
    const { pages } = readPdf(await render(letter));
    expect(pages[0]?.at(-1)).toBe('Page 1 of 1');
    expect(pages[0]?.at(-2)).toBe('Children Missing Education Officer');
  });

  it('prints nothing in place of an address that must not be disclosed', async () => {
    const withheld = sampleLetter({ recipient: { name: 'Alex Taylor', addressLines: null } });
    const text = letterPlainText(withheld);
    expect(text).toContain('Alex Taylor\n\n3 March 2027');
    expect(text).not.toContain('12 Mill Lane');
    expect(text).not.toMatch(/withheld|not disclosed|confidential/i);

    const lines = readPdf(await render(withheld)).pages[0] ?? [];
    const name = lines.indexOf('Alex Taylor');
    expect(name).toBeGreaterThan(0);
    expect(lines[name + 1]).toBe('3 March 2027');
    expect(lines.join('\n')).not.toMatch(/Mill Lane|AN3 4EF|withheld|not disclosed/i);

    // The same letter with the address does print it, so the check above can fail.
    const shown = readPdf(await render()).pages[0] ?? [];
    expect(shown[shown.indexOf('Alex Taylor') + 1]).toBe('12 Mill Lane');
  });

  it('is a tagged PDF in British English, showing its title', async () => {
    const pdf = await render();
    const { catalog, objects } = readPdf(pdf);
    expect(catalog.dictionary).toContain('/Lang (en-GB)');
    const markInfo = objects.get(Number(/\/MarkInfo (\d+) 0 R/.exec(catalog.dictionary)?.[1]));
    expect(markInfo?.dictionary).toMatch(/\/Marked true/);
    const structTreeRoot = objects.get(Number(/\/StructTreeRoot (\d+) 0 R/.exec(catalog.dictionary)?.[1]));
    expect(structTreeRoot?.dictionary).toContain('/Type /StructTreeRoot');
    const viewerPreferences = objects.get(Number(/\/ViewerPreferences (\d+) 0 R/.exec(catalog.dictionary)?.[1]));
    expect(viewerPreferences?.dictionary).toContain('/DisplayDocTitle true');
  });

  it('tags headings, paragraphs and lists, and marks footers as artifacts', async () => {
    const pdf = await render();
    const { objects, contents } = readPdf(pdf);
    const types = [...objects.values()].map((object) => /\/S \/(\w+)/.exec(object.dictionary)?.[1]).filter((type) => type !== undefined);
    expect(new Set(types)).toEqual(new Set(['Document', 'H1', 'H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody']));
    expect(types.filter((type) => type === 'LI')).toHaveLength(2);
    const page = contents[0] ?? '';
    expect(page).toMatch(/\/H1 <<\s*\/MCID \d+\s*>> BDC/);
    expect(page).toMatch(/\/Artifact <<\s*\/Type \/Pagination\s*>> BDC/);
  });

  it('opens and closes marked content evenly on every page of a long letter', async () => {
    const { contents } = readPdf(await render(longLetter()));
    expect(contents.length).toBeGreaterThan(1);
    for (const content of contents) {
      const opened = content.match(/\bBDC\b/g)?.length ?? 0;
      expect(opened).toBeGreaterThan(0);
      expect(content.match(/\bEMC\b/g)?.length).toBe(opened);
    }
  });

  it('gives the same bytes for the same letter and creation date', async () => {
    const [first, second] = await Promise.all([render(longLetter(), true), render(longLetter(), true)]);
    expect(first.equals(second)).toBe(true);
    const other = await renderLetterPdf(longLetter(), { compress: true, creationDate: new Date('2027-03-04T09:00:00Z') });
    expect(first.equals(other)).toBe(false);
  });

  it('approximates characters the built-in fonts lack, keeping the original for screen readers', async () => {
    expect(pdfText('Łucja Nowak-Ødegård')).toBe('Lucja Nowak-Ødegård');
    expect(pdfText('Zoë “Jo” O’Neil – 5 €')).toBe('Zoë “Jo” O’Neil – 5 €');
    expect(pdfText('Ayşe Çelik')).toBe('Ayse Çelik');
    expect(pdfText('李 小龙')).toBe('? ??');

    const letter = sampleLetter({ recipient: { name: 'Łucja Nowak', addressLines: ['1 Ulica'] } });
    const { pages, objects } = readPdf(await render(letter));
    expect(pages[0]).toContain('Lucja Nowak');
    const actualTexts = [...objects.values()].flatMap((object) => {
      const literal = /\/ActualText (\((?:\\.|[^\\)])*\))/.exec(object.dictionary)?.[1];
      return literal === undefined ? [] : [decodePdfString(literal)];
    });
    expect(actualTexts).toEqual(['Łucja Nowak\n1 Ulica']);
  });
});
