import { escapeHtml } from '../../../letters/index.ts';
import type { FormErrors } from '../../forms.ts';

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  queued: { text: 'Waiting to send', classes: 'govuk-tag--grey' },
  sent: { text: 'Sent', classes: 'govuk-tag--blue' },
  delivered: { text: 'Delivered', classes: 'govuk-tag--green' },
  failed: { text: 'Not sent', classes: 'govuk-tag--red' },
};

/** A letter's delivery status as a GOV.UK tag's text and classes. */
export function letterStatusTag(status: string): { text: string; classes: string } {
  return STATUS_TAGS[status] ?? { text: status, classes: 'govuk-tag--grey' };
}

export function letterStatusTagHtml(status: string): string {
  const tag = letterStatusTag(status);
  return `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>`;
}

export function channelLabel(channel: string): string {
  return channel === 'email' ? 'Email' : 'Post';
}

export type TemplateProblem = { field: 'subject' | 'body'; text: string };

/**
 * The GOV.UK error summary and inline messages for a template's problems: one summary item for
 * each, and every message for a field shown above that field, since a body can have several.
 */
export function templateErrors(problems: readonly TemplateProblem[]): FormErrors & { html: Record<string, string> } {
  const list = problems.map((problem) => ({ text: problem.text, href: `#${problem.field}` }));
  const fields: FormErrors['fields'] = {};
  const html: Record<string, string> = {};
  for (const field of ['subject', 'body'] as const) {
    const messages = problems.filter((problem) => problem.field === field).map((problem) => problem.text);
    const first = messages[0];
    if (first === undefined) continue;
    fields[field] = { text: first };
    html[field] = messages.map(escapeHtml).join('<br>');
  }
  return { list, fields, html };
}
