import { describe, expect, test } from 'vitest';
import { checkTemplate, letterPlainText, renderTemplate } from '../../../src/letters/index.ts';
import { checkWording, renderSubject } from '../../../src/domain/letters/compose.ts';
import { LETTER_TEMPLATE_KEYS, placeholderNames, SHIPPED_TEMPLATES } from '../../../src/domain/letters/templates.ts';
import { sampleLetter } from './fixtures.ts';

const text = (key: (typeof LETTER_TEMPLATE_KEYS)[number], context: Record<string, unknown>) =>
  letterPlainText(sampleLetter({ subject: renderSubject(SHIPPED_TEMPLATES[key].subject, context), blocks: renderTemplate(SHIPPED_TEMPLATES[key].body, context) }));

describe('the shipped letter templates', () => {
  test.each(LETTER_TEMPLATE_KEYS)('%s renders with its own sample and has no problems', (key) => {
    const template = SHIPPED_TEMPLATES[key];
    expect(checkTemplate(template.body, template.sample)).toEqual([]);
    expect(checkTemplate(template.subject, template.sample)).toEqual([]);
    expect(checkWording(template.subject, template.body, template.sample)).toEqual([]);
    const blocks = renderTemplate(template.body, template.sample);
    expect(blocks.length).toBeGreaterThan(3);
    const subject = renderSubject(template.subject, template.sample);
    expect(subject).not.toMatch(/[{}%]/);
    expect(subject).toContain('Ellis');
  });

  test.each(LETTER_TEMPLATE_KEYS.filter((k) => !['social-care-closure', 'social-care-escalation', 'assessment-copy'].includes(k)))('%s ends with the family’s rights and how to respond', (key) => {
    const letter = text(key, SHIPPED_TEMPLATES[key].sample);
    expect(letter).toContain('Your rights and how to contact us');
    expect(letter).toContain('Telephone: 01632 960 000');
    expect(letter).toContain('Email: home.education@northshire.example');
    expect(letter).toContain('home education policy at https://cairn.northshire.example/home-education-policy');
    expect(letter).toContain('in another format');
    expect(letter).toContain('another language');
    expect(letter).toContain('team manager to look at it again');
    expect(letter).toContain('complaints procedure');
    expect(letter).not.toMatch(/\{\{|\{%|undefined|null/);
  });

  test('the social care closure letter says what was decided, that home education is not a concern in itself, and how to escalate', () => {
    const letter = text('social-care-closure', SHIPPED_TEMPLATES['social-care-closure'].sample);
    expect(letter).toContain('We have closed our enquiries');
    expect(letter).toContain('Home education is not in itself a safeguarding concern');
    expect(letter).toContain('team manager');
    expect(letter).toContain('complaints procedure');
    expect(letter).toContain('another language');
    expect(letter).not.toMatch(/\{\{|\{%|undefined|null/);
    const notHomeEducated = text('social-care-closure', { ...SHIPPED_TEMPLATES['social-care-closure'].sample, data: { ...(SHIPPED_TEMPLATES['social-care-closure'].sample['data'] as object), homeEducated: false } });
    expect(notHomeEducated).not.toContain('Home education is not in itself');
  });

  test('the informal enquiry is plain about home visits and keeps to writing when asked', () => {
    const sample = SHIPPED_TEMPLATES['informal-enquiry'].sample;
    const writtenOnly = text('informal-enquiry', { ...sample, writtenOnly: true });
    expect(writtenOnly).toContain('You do not have to agree to a home visit.');
    expect(writtenOnly).toContain('never, by itself, a reason');
    expect(writtenOnly).toContain('meet us somewhere neutral, such as a library');
    expect(writtenOnly).toContain('We will only contact you in writing.');
    expect(writtenOnly).toContain('by 24 March 2027');
    const any = text('informal-enquiry', { ...sample, writtenOnly: false });
    expect(any).not.toContain('in writing only');
  });

  test('the suitability outcome explains what comes next for each outcome', () => {
    const sample = SHIPPED_TEMPLATES['suitability-outcome'].sample;
    expect(text('suitability-outcome', sample)).toContain('We will contact you again around 3 March 2028');
    const data = { outcome: 'not-suitable', reasoning: 'No information was received.' };
    const notSuitable = text('suitability-outcome', { ...sample, data });
    expect(notSuitable).toContain('does not appear to be suitable');
    expect(notSuitable).toContain('section 437(1)');
    expect(notSuitable).toContain('How to respond');
    expect(text('suitability-outcome', { ...sample, data: { ...data, outcome: 'not-satisfied' } })).toContain('we are not satisfied');
  });

  test('the notice of intention lists every school and the date to choose by', () => {
    const letter = text('notice-of-intention', SHIPPED_TEMPLATES['notice-of-intention'].sample);
    expect(letter).toContain('- Brackenthwaite Primary School\n- Fellside Church of England Primary School');
    expect(letter).toContain('by 18 March 2027');
    expect(letter).toContain('section 437(3)');
  });

  test('the order names the offence and how to ask for it to be revoked', () => {
    const letter = text('school-attendance-order', SHIPPED_TEMPLATES['school-attendance-order'].sample);
    expect(letter).toContain('section 443');
    expect(letter).toContain('register Ellis as a pupil at Brackenthwaite Primary School');
    expect(letter).toContain('Asking us to revoke the order');
  });

  test('consent decisions say what follows for a grant and a refusal', () => {
    for (const key of ['consent-decision-parent', 'consent-decision-school'] as const) {
      const sample = SHIPPED_TEMPLATES[key].sample;
      const data = sample['data'] as Record<string, unknown>;
      const granted = text(key, { ...sample, data: { ...data, decision: 'granted' } });
      const refused = text(key, { ...sample, data: { ...data, decision: 'refused' } });
      expect(granted).toContain('section 434A of the Education Act 1996');
      expect(granted).toContain('Children’s Wellbeing and Schools Act 2026');
      expect(granted).toContain('Our decision: we consent');
      expect(refused).toContain('Our decision: we do not consent');
      expect(refused).toContain(String(data['reasons']));
    }
  });

  test('the placeholders listed for administrators come from the sample', () => {
    const names = placeholderNames(SHIPPED_TEMPLATES['notice-of-intention'].sample);
    expect(names).toContain('council.policyUrl');
    expect(names).toContain('child.dateOfBirth');
    expect(names).toContain('writtenOnly (true or false)');
    expect(names).toContain('data.schools (a list)');
  });
});
