import { describe, it, expect } from 'vitest';
import { letterPlainText } from '../../../src/letters/index.ts';
import { sampleLetter } from './fixtures.ts';

describe('letterPlainText', () => {
  it('gives the whole letter as plain text, without the bold markers', () => {
    expect(letterPlainText(sampleLetter())).toBe(
      [
        'Anyshire County Council\nCounty Hall\nHigh Street\nAnytown\nAN1 2CD\nTelephone: 01234 567 890\nEmail: cme@anyshire.gov.uk\nwww.anyshire.gov.uk',
        'Alex Taylor\n12 Mill Lane\nAnytown\nAN3 4EF',
        '3 March 2027\nOur reference: CME-2027-0042',
        'Your child’s education',
        'About Sam',
        'Dear Alex Taylor,',
        'We are writing about Sam Taylor, born 4 May 2015. Our records show that Sam is not on the roll of a school.',
        'What you need to do',
        "- Reply by 17 March 2027\n- Tell us about Sam's education",
        'We will write to you again if we do not hear from you.',
        'Yours sincerely',
        'Jordan Smith\nChildren Missing Education Officer',
        'Anyshire County Council, County Hall, Anytown AN1 2CD',
      ].join('\n\n') + '\n',
    );
  });

  it('goes straight from the name to the date when the address must not be disclosed', () => {
    const text = letterPlainText(sampleLetter({ recipient: { name: 'Alex Taylor', addressLines: null } }));
    expect(text).toContain('www.anyshire.gov.uk\n\nAlex Taylor\n\n3 March 2027\n');
    expect(text).not.toMatch(/Mill Lane|AN3 4EF|address|withheld/i);
  });

  it('leaves out blank address lines and contact details', () => {
    const letter = sampleLetter({ recipient: { name: 'Alex Taylor', addressLines: ['12 Mill Lane', ' ', ''] } });
    letter.council.phone = '';
    const text = letterPlainText(letter);
    expect(text).toContain('Alex Taylor\n12 Mill Lane\n\n3 March 2027');
    expect(text).not.toContain('Telephone');
  });
});
