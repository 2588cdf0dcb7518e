/**
 * Letters as an HTML fragment for previewing inside a GOV.UK page. Every piece of text is
 * escaped: names and addresses come from records that staff and schools can edit.
 */
import type { LetterBlock, TextRun } from './template.ts';
import { councilLines, recipientLines, referenceLine, SIGN_OFF, type Letter } from './letter.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

const lines = (items: readonly string[]) => items.map(escapeHtml).join('<br>');

export interface BlocksHtmlOptions {
  /** The heading level for `# ` headings; `## ` subheadings are one below. 2 unless the page needs otherwise. */
  headingLevel?: 2 | 3 | 4 | 5;
}

export function renderBlocksHtml(blocks: readonly LetterBlock[], options: BlocksHtmlOptions = {}): string {
  const level = options.headingLevel ?? 2;
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'heading':
          return `<h${level} class="${level <= 2 ? 'govuk-heading-m' : 'govuk-heading-s'}">${escapeHtml(block.text)}</h${level}>`;
        case 'subheading':
          return `<h${level + 1} class="govuk-heading-s">${escapeHtml(block.text)}</h${level + 1}>`;
        case 'paragraph':
          return `<p class="govuk-body">${runsHtml(block.runs)}</p>`;
        case 'list':
          return `<ul class="govuk-list govuk-list--bullet">${block.items.map((item) => `<li>${runsHtml(item)}</li>`).join('')}</ul>`;
      }
    })
    .join('\n');
}

function runsHtml(runs: readonly TextRun[]): string {
  return runs.map((run) => (run.bold ? `<strong>${escapeHtml(run.text)}</strong>` : escapeHtml(run.text))).join('');
}

/**
 * The whole letter. The subject is an h2, as the page around the preview has its own h1, and the
 * template's headings follow on from it.
 */
export function renderLetterHtml(letter: Letter): string {
  const council = councilLines(letter);
  const recipient = recipientLines(letter);
  const signOff = [letter.signOff.name, letter.signOff.jobTitle].filter((line) => line.trim() !== '');
  const footer = letter.footer?.trim() ?? '';

  const parts = [
    '<div class="app-letter">',
    '<div class="app-letter__sender">',
    `<p class="govuk-body"><strong>${escapeHtml(council.name)}</strong>${council.address.length > 0 ? `<br>${lines(council.address)}` : ''}</p>`,
    council.contact.length > 0 ? `<p class="govuk-body">${lines(council.contact)}</p>` : '',
    '</div>',
    recipient.length > 0 ? `<p class="govuk-body app-letter__recipient">${lines(recipient)}</p>` : '',
    `<p class="govuk-body">${escapeHtml(letter.date)}<br>${escapeHtml(referenceLine(letter))}</p>`,
    `<h2 class="govuk-heading-m">${escapeHtml(letter.subject)}</h2>`,
    renderBlocksHtml(letter.blocks, { headingLevel: 3 }),
    `<p class="govuk-body">${escapeHtml(SIGN_OFF)}</p>`,
    signOff.length > 0 ? `<p class="govuk-body">${lines(signOff)}</p>` : '',
    footer === '' ? '' : `<p class="govuk-body-s app-letter__footer">${escapeHtml(footer)}</p>`,
    '</div>',
  ];
  return parts.filter((part) => part !== '').join('\n');
}
