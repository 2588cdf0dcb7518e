import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/web/routes/admin/policy-blocks.ts';

describe('reading the home education policy text', () => {
  it('reads headings, subheadings, paragraphs and bulleted lists', () => {
    const text = ['# Our policy', '', 'First line', 'joined to the second.', '', '## Support', '- advice', '-   exam centres  ', 'After the list.', '', '# Complaints', '## How to complain', 'Write to us.'].join('\r\n');
    expect(parsePolicy(text)).toEqual([
      { kind: 'heading', level: 2, text: 'Our policy' },
      { kind: 'paragraph', text: 'First line joined to the second.' },
      { kind: 'subheading', level: 3, text: 'Support' },
      { kind: 'list', items: ['advice', 'exam centres'] },
      { kind: 'paragraph', text: 'After the list.' },
      { kind: 'heading', level: 2, text: 'Complaints' },
      { kind: 'subheading', level: 3, text: 'How to complain' },
      { kind: 'paragraph', text: 'Write to us.' },
    ]);
  });

  it('keeps the outline without gaps when a subheading comes before any heading', () => {
    expect(parsePolicy('## What the law says\nSection 7.')).toEqual([
      { kind: 'subheading', level: 2, text: 'What the law says' },
      { kind: 'paragraph', text: 'Section 7.' },
    ]);
  });

  it('treats markup it does not know as words, leaving escaping to the page', () => {
    expect(parsePolicy('#not a heading\n<script>alert(1)</script>\n### three\n-no space\n# \n- \n##')).toEqual([
      { kind: 'paragraph', text: '#not a heading <script>alert(1)</script> ### three -no space' },
    ]);
    expect(parsePolicy('  \n\n')).toEqual([]);
  });
});
