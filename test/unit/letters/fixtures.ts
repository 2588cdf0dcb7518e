import type { Letter } from '../../../src/letters/index.ts';
import { renderTemplate } from '../../../src/letters/index.ts';

export const NOTICE_TEMPLATE = `# About {{ child.firstName }}

Dear {{ parent.name }},

We are writing about **{{ child.firstName }} {{ child.lastName }}**, born {{ child.dateOfBirth }}.
Our records show that {{ child.firstName }} is not on the roll of a school.

## What you need to do
- Reply by **{{ notice.expiresOn }}**
- Tell us about {{ child.firstName }}'s education

{% if notice.final %}
This is our final notice.
{% else %}
We will write to you again if we do not hear from you.
{% endif %}
`;

export const noticeContext = (firstName = 'Sam') => ({
  child: { firstName, lastName: 'Taylor', dateOfBirth: '4 May 2015' },
  parent: { name: 'Alex Taylor' },
  notice: { expiresOn: '17 March 2027', final: false },
});

export function sampleLetter(overrides: Partial<Letter> = {}): Letter {
  return {
    council: {
      name: 'Anyshire County Council',
      addressLines: ['County Hall', 'High Street', 'Anytown', 'AN1 2CD'],
      phone: '01234 567 890',
      email: 'cme@anyshire.gov.uk',
      website: 'www.anyshire.gov.uk',
    },
    recipient: { name: 'Alex Taylor', addressLines: ['12 Mill Lane', 'Anytown', 'AN3 4EF'] },
    date: '3 March 2027',
    reference: 'CME-2027-0042',
    subject: 'Your child’s education',
    blocks: renderTemplate(NOTICE_TEMPLATE, noticeContext()),
    signOff: { name: 'Jordan Smith', jobTitle: 'Children Missing Education Officer' },
    footer: 'Anyshire County Council, County Hall, Anytown AN1 2CD',
    ...overrides,
  };
}
