import { describe, it, expect } from 'vitest';
import { checkTemplate, LetterTemplateError, MAX_TEMPLATE_LENGTH, renderTemplate } from '../../../src/letters/index.ts';
import { NOTICE_TEMPLATE, noticeContext } from './fixtures.ts';

function templateError(run: () => unknown): LetterTemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof LetterTemplateError) return error;
    throw error;
  }
  throw new Error('Expected a LetterTemplateError');
}

const plain = (text: string) => ({ text, bold: false });
const bold = (text: string) => ({ text, bold: true });

describe('renderTemplate: blocks', () => {
  it('reads headings, subheadings, paragraphs, lists and bold runs', () => {
    expect(renderTemplate(NOTICE_TEMPLATE, noticeContext())).toEqual([
      { kind: 'heading', text: 'About Sam' },
      { kind: 'paragraph', runs: [plain('Dear Alex Taylor,')] },
      {
        kind: 'paragraph',
        runs: [
          plain('We are writing about '),
          bold('Sam Taylor'),
          plain(', born 4 May 2015. Our records show that Sam is not on the roll of a school.'),
        ],
      },
      { kind: 'subheading', text: 'What you need to do' },
      { kind: 'list', items: [[plain('Reply by '), bold('17 March 2027')], [plain("Tell us about Sam's education")]] },
      { kind: 'paragraph', runs: [plain('We will write to you again if we do not hear from you.')] },
    ]);
  });

  it('joins consecutive lines into one paragraph and splits paragraphs on blank lines', () => {
    expect(renderTemplate('One\n  two\nthree\n\n\nFour', {})).toEqual([
      { kind: 'paragraph', runs: [plain('One two three')] },
      { kind: 'paragraph', runs: [plain('Four')] },
    ]);
  });

  it('ends a list at the first line that is not an item, and needs a space after the marker', () => {
    expect(renderTemplate('- a\n- b\nAfter\n#Not a heading\n-Not an item', {})).toEqual([
      { kind: 'list', items: [[plain('a')], [plain('b')]] },
      { kind: 'paragraph', runs: [plain('After #Not a heading -Not an item')] },
    ]);
  });

  it('keeps an unmatched ** as written', () => {
    expect(renderTemplate('A **b** c ** d', {})).toEqual([{ kind: 'paragraph', runs: [plain('A '), bold('b'), plain(' c ** d')] }]);
  });

  it('follows {% if %} branches', () => {
    const source = 'Start\n{% if notice.final %}\nFinal notice.\n{% elif notice.second %}\nSecond notice.\n{% else %}\nFirst notice.\n{% endif %}\nEnd';
    const text = (notice: Record<string, unknown>) =>
      renderTemplate(source, { notice }).map((block) => (block.kind === 'paragraph' ? block.runs.map((run) => run.text).join('') : ''));
    expect(text({ final: true })).toEqual(['Start Final notice. End']);
    expect(text({ final: false, second: true })).toEqual(['Start Second notice. End']);
    expect(text({ final: false })).toEqual(['Start First notice. End']);
  });

  it('repeats {% for %} loops', () => {
    const source = 'Children:\n\n{% for child in children %}\n- {{ child.firstName }}\n{% endfor %}';
    expect(renderTemplate(source, { children: [{ firstName: 'Ava' }, { firstName: 'Ben' }] })).toEqual([
      { kind: 'paragraph', runs: [plain('Children:')] },
      { kind: 'list', items: [[plain('Ava')], [plain('Ben')]] },
    ]);
  });

  it('does not let values add bold, headings or line breaks', () => {
    const blocks = renderTemplate('Dear {{ name }}, thank you.', { name: '**Sam**\n# Heading\n\n- item' });
    expect(blocks).toEqual([{ kind: 'paragraph', runs: [plain('Dear **Sam** # Heading - item, thank you.')] }]);
  });

  it('does not escape values: escaping is for the HTML renderer', () => {
    expect(renderTemplate('{{ name }}', { name: '<b>Sam</b> & co' })).toEqual([{ kind: 'paragraph', runs: [plain('<b>Sam</b> & co')] }]);
  });
});

describe('renderTemplate: problems', () => {
  it('names a misspelt placeholder instead of leaving a blank', () => {
    const error = templateError(() => renderTemplate('Line one\nDear {{ child.frstName }}', noticeContext()));
    expect(error.problems).toEqual(['The template uses “child.frstName”, which is not available']);
    expect(error.message).toBe('The template uses “child.frstName”, which is not available');
  });

  it('names a missing value inside a loop', () => {
    const error = templateError(() => renderTemplate('{% for item in items %}{{ item.nme }}{% endfor %}', { items: [{ name: 'a' }] }));
    expect(error.problems).toEqual(['The template uses “item.nme”, which is not available']);
  });

  it('treats a null value as not available', () => {
    const error = templateError(() => renderTemplate('Reply by {{ notice.expiresOn }}', { notice: { expiresOn: null } }));
    expect(error.problems).toEqual(['The template uses “notice.expiresOn”, which is not available']);
  });

  it('says which line has a placeholder that is not closed', () => {
    const error = templateError(() => renderTemplate('One\nTwo\nDear {{ child.firstName }', noticeContext()));
    expect(error.problems).toEqual(['On line 3, a placeholder starts with {{ but does not end with }}']);
  });

  it('says which line opens an {% if %} that is never closed', () => {
    const error = templateError(() => renderTemplate('One\n{% if notice.final %}\nFinal', noticeContext()));
    expect(error.problems).toEqual(['On line 2, {% if %} is not closed with {% endif %}']);
  });

  it('says which line has an unknown or mismatched instruction', () => {
    expect(checkTemplate('One\n{% iff x %}\n{% endif %}', {})).toEqual([
      'On line 2, “iff” cannot be used in a letter template. Use only if, elif, else, endif, for and endfor',
      'On line 3, {% endif %} does not close an earlier {% if %}',
    ]);
    expect(checkTemplate('{% for x in xs %}\n{% if x %}\n{% endfor %}', {})).toEqual([
      'On line 3, {% endfor %} comes before the {% if %} on line 2 is closed with {% endif %}',
      'On line 1, {% for %} is not closed with {% endfor %}',
    ]);
  });

  it('says which line has a placeholder that Nunjucks cannot read', () => {
    const [problem, ...rest] = checkTemplate('One\nTwo\n{{ child..firstName }}', noticeContext());
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^On line 3, a placeholder or instruction is not written correctly/);
  });

  it('limits templates to 20,000 characters', () => {
    expect(MAX_TEMPLATE_LENGTH).toBe(20_000);
    expect(checkTemplate('a'.repeat(20_000), {})).toEqual([]);
    const error = templateError(() => renderTemplate('a'.repeat(20_001), {}));
    expect(error.problems).toEqual(['The template must be 20,000 characters or fewer']);
  });

  it('asks for some text when the template is empty', () => {
    expect(checkTemplate(' \n ', {})).toEqual(['Enter the text of the letter']);
  });
});

describe('renderTemplate: only placeholders, if and for', () => {
  it('refuses function calls, which could reach the JavaScript runtime', () => {
    const source = '{{ range.constructor("return process")() }}';
    const problems = checkTemplate(source, {});
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^On line 1, /);
    expect(() => renderTemplate(source, {})).toThrow(LetterTemplateError);
    expect(checkTemplate('{{ cycler("a") }}', {})).toEqual([
      'On line 1, the template uses brackets to call something. Letter templates can only use placeholders, such as {{ child.firstName }}, with {% if %} and {% for %}',
    ]);
  });

  it('refuses filters, so a misspelt placeholder cannot be filtered into a blank', () => {
    expect(checkTemplate('Dear\n{{ child.firstName | upper }}', noticeContext())).toEqual([
      'On line 2, “| upper” cannot be used. Letter templates can only use placeholders, such as {{ child.firstName }}, with {% if %} and {% for %}',
    ]);
  });

  it('refuses names that lead to functions, and computed lookups', () => {
    expect(checkTemplate('{{ child.constructor }}', noticeContext())).toEqual(['On line 1, “constructor” cannot be used in a placeholder']);
    expect(checkTemplate('{{ child["__proto__"] }}', noticeContext())).toEqual(['On line 1, “__proto__” cannot be used in a placeholder']);
    expect(checkTemplate('{{ child[key] }}', { ...noticeContext(), key: 'firstName' })).toHaveLength(1);
  });

  it('refuses other Nunjucks instructions', () => {
    expect(checkTemplate('{% set x = 1 %}{{ x }}', {})).toEqual([
      'On line 1, “set” cannot be used in a letter template. Use only if, elif, else, endif, for and endfor',
    ]);
    expect(checkTemplate('{% include "secret.njk" %}', {})).toHaveLength(1);
  });
});

describe('checkTemplate', () => {
  it('returns no problems for a good template', () => {
    expect(checkTemplate(NOTICE_TEMPLATE, noticeContext())).toEqual([]);
  });

  it('returns the problems as a list, for the GOV.UK error summary', () => {
    expect(checkTemplate('Dear {{ parent.nmae }}', noticeContext())).toEqual(['The template uses “parent.nmae”, which is not available']);
  });
});
