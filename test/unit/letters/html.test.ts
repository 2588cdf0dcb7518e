import { describe, it, expect } from 'vitest';
import { renderBlocksHtml, renderLetterHtml, renderTemplate } from '../../../src/letters/index.ts';
import { NOTICE_TEMPLATE, noticeContext, sampleLetter } from './fixtures.ts';

describe('renderLetterHtml', () => {
  it('escapes every piece of text', () => {
    const script = '<script>alert("x")</script>';
    const html = renderLetterHtml(
      sampleLetter({
        blocks: renderTemplate(NOTICE_TEMPLATE, noticeContext(script)),
        recipient: { name: `Ms ${script}`, addressLines: [`1 ${script} Road`] },
        subject: `About ${script}`,
        reference: 'A&B',
        footer: `Footer ${script}`,
        signOff: { name: `Jo ${script}`, jobTitle: "O'Brien & Co" },
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('<h3 class="govuk-heading-s">About &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</h3>');
    expect(html).toContain('<strong>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Taylor</strong>');
    expect(html).toContain('Ms &lt;script&gt;');
    expect(html).toContain('1 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Road');
    expect(html).toContain('Our reference: A&amp;B');
    expect(html).toContain('O&#39;Brien &amp; Co');
    expect(html.match(/&lt;script&gt;/g)).toHaveLength(9);
  });

  it('uses GOV.UK Frontend classes inside an app-letter wrapper', () => {
    const html = renderLetterHtml(sampleLetter());
    expect(html.startsWith('<div class="app-letter">')).toBe(true);
    expect(html.endsWith('</div>')).toBe(true);
    expect(html).toContain('<h2 class="govuk-heading-m">Your child’s education</h2>');
    expect(html).toContain('<p class="govuk-body">Dear Alex Taylor,</p>');
    expect(html).toContain(
      '<ul class="govuk-list govuk-list--bullet"><li>Reply by <strong>17 March 2027</strong></li><li>Tell us about Sam&#39;s education</li></ul>',
    );
    expect(html).toContain('<p class="govuk-body app-letter__recipient">Alex Taylor<br>12 Mill Lane<br>Anytown<br>AN3 4EF</p>');
    expect(html).toContain('<p class="govuk-body">3 March 2027<br>Our reference: CME-2027-0042</p>');
    expect(html).toContain('<p class="govuk-body">Yours sincerely</p>');
    expect(html).toContain('<p class="govuk-body">Jordan Smith<br>Children Missing Education Officer</p>');
    expect(html).toContain('<p class="govuk-body-s app-letter__footer">Anyshire County Council, County Hall, Anytown AN1 2CD</p>');
  });

  it('prints no address block when the address must not be disclosed', () => {
    const html = renderLetterHtml(sampleLetter({ recipient: { name: 'Alex Taylor', addressLines: null } }));
    expect(html).toContain('<p class="govuk-body app-letter__recipient">Alex Taylor</p>');
    expect(html).not.toMatch(/Mill Lane|AN3 4EF|withheld|not disclosed/i);
  });

  it('leaves out the footer when there is none', () => {
    const { footer: _, ...letter } = sampleLetter();
    expect(renderLetterHtml(letter)).not.toContain('app-letter__footer');
  });
});

describe('renderBlocksHtml', () => {
  it('renders blocks on their own, headings starting at h2', () => {
    const blocks = renderTemplate('# Title\n## Part\nSome **bold** & <i>text</i>\n\n- one\n- two', {});
    expect(renderBlocksHtml(blocks)).toBe(
      [
        '<h2 class="govuk-heading-m">Title</h2>',
        '<h3 class="govuk-heading-s">Part</h3>',
        '<p class="govuk-body">Some <strong>bold</strong> &amp; &lt;i&gt;text&lt;/i&gt;</p>',
        '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>',
      ].join('\n'),
    );
  });
});
