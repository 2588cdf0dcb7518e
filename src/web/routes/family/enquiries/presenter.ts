import type { EpisodeFamilyItem, FamilyLetterSummary } from '../../../../domain/family/enquiries.ts';
import type { CorrectionSummary, HeldItem, HeldSection, HeldSource } from '../../../../domain/family/records.ts';
import { STATUS_LABELS } from '../../../../domain/family/staff.ts';
import { formatLongDate } from '../../../../domain/calendar/index.ts';
import { escapeHtml } from '../../../../letters/index.ts';
import { fileSize, statusTag } from '../../family-items/routes.ts';
import { enquiryPaths } from './paths.ts';

/** "From the school’s deletion return, 3 September 2026". */
export function sourceText(source: HeldSource): string {
  return source.on ? `${source.text}, ${formatLongDate(source.on)}` : source.text;
}

/** Line breaks as <br>: GOV.UK's macros indent the HTML they are given, so preserved whitespace would show that indent. */
export const multiline = (value: string) => escapeHtml(value).split('\n').join('<br>');
const sourceHtml = (source: HeldSource) => `<p class="govuk-hint govuk-!-font-size-16 govuk-!-margin-top-1 govuk-!-margin-bottom-0">${escapeHtml(sourceText(source))}</p>`;

/** One GOV.UK summary list row per item: the value, where it came from, and a link to ask for a correction. */
export function heldRows(items: readonly HeldItem[], correctionHref: (key: string) => string) {
  return items.map((item) => ({
    key: { text: item.label },
    value: {
      html: [
        item.value ? multiline(item.value) : '',
        item.href ? `<p class="govuk-body govuk-!-margin-top-1 govuk-!-margin-bottom-0"><a class="govuk-link" href="${escapeHtml(item.href)}">${escapeHtml(item.href.startsWith('/family/letters/') ? 'Read the letter' : item.href.startsWith('/family/sent/') ? 'See what you sent' : 'See more')}<span class="govuk-visually-hidden">: ${escapeHtml(item.label)}</span></a></p>` : '',
        sourceHtml(item.source),
      ].join(''),
    },
    ...(item.correctable ? { actions: { items: [{ href: correctionHref(item.key), text: 'Ask us to correct this', visuallyHiddenText: item.label }] } } : {}),
  }));
}

/** Each section with its groups turned into summary list rows, and what to say when it is empty. */
export function presentSections(sections: readonly HeldSection[], correctionHref: (key: string) => string, empty: (sectionId: string) => string) {
  return sections.map((section) => ({
    id: section.id,
    title: section.title,
    empty: section.groups.every((g) => g.items.length === 0) ? empty(section.id) : null,
    groups: section.groups.filter((g) => g.items.length > 0).map((g) => ({ title: g.title, rows: heldRows(g.items, correctionHref) })),
  }));
}

/** The parent's correction requests as table rows: what, when, the status and what the council decided. */
export function correctionRows(corrections: readonly CorrectionSummary[]) {
  return corrections.map((c) => {
    const tag = statusTag(c.status, c.status === 'declined' ? 'Not corrected' : (STATUS_LABELS[c.status] ?? c.status));
    return [
      { html: `<a class="govuk-link" href="${escapeHtml(enquiryPaths.sent(c.id))}">${escapeHtml(c.reference)}</a>` },
      { html: `${escapeHtml(c.itemLabel)}<br><span class="govuk-hint govuk-!-font-size-16">You asked for: ${multiline(c.correction)}</span>` },
      { text: formatLongDate(c.sentOn) },
      {
        html: `<strong class="govuk-tag ${escapeHtml(tag.classes)}">${escapeHtml(tag.text)}</strong>${
          c.outcome ? `<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">${multiline(c.outcome)}</p>` : c.dueOn ? `<p class="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">We will reply by ${escapeHtml(formatLongDate(c.dueOn))}</p>` : ''
        }`,
      },
    ];
  });
}

/** How a letter stands for the family: a reply is asked for, they have replied, or it is for information. */
export function letterStatus(letter: Pick<FamilyLetterSummary, 'answerable' | 'replied' | 'replyBy' | 'service'>): { tag: { text: string; classes: string }; detail: string } {
  if (letter.answerable && letter.replied) return { tag: { text: 'You replied', classes: 'govuk-tag--green' }, detail: '' };
  if (letter.answerable) return { tag: { text: 'Reply asked for', classes: 'govuk-tag--blue' }, detail: letter.replyBy ? `By ${formatLongDate(letter.replyBy)}` : '' };
  return { tag: { text: 'For your information', classes: 'govuk-tag--grey' }, detail: letter.service === 'social-care' ? 'From children’s social care' : '' };
}

/** The family's replies on the officer's home education episode page, one summary card each. */
export function presentEpisodeFamilyItems(items: readonly EpisodeFamilyItem[]) {
  return items.map((item) => {
    const tag = statusTag(item.status, STATUS_LABELS[item.status] ?? item.status);
    return {
      id: item.id,
      card: {
        title: { text: `${item.kindLabel}, ${formatLongDate(item.receivedOn)}`, headingLevel: 3 },
        attributes: { id: `from-family-${item.id}` },
        actions: { items: [{ href: enquiryPaths.familyItem(item.id), text: 'Open', visuallyHiddenText: `${item.kindLabel} ${item.reference}` }] },
      },
      rows: [
        { key: { text: 'Reference' }, value: { text: item.reference } },
        { key: { text: 'From' }, value: { text: item.fromName } },
        { key: { text: 'Status' }, value: { html: `<strong class="govuk-tag ${escapeHtml(tag.classes)}">${escapeHtml(tag.text)}</strong>${item.late ? ' <strong class="govuk-tag govuk-tag--orange">After the reply date</strong>' : ''}` } },
        ...item.lines.map((line) => ({ key: { text: line.label }, value: { html: multiline(line.value) } })),
        ...(item.documents.length
          ? [
              {
                key: { text: 'Documents' },
                value: {
                  html: `<ul class="govuk-list">${item.documents
                    .map((d) => `<li><a class="govuk-link" href="${escapeHtml(enquiryPaths.document(d.id))}" download>${escapeHtml(d.fileName)}</a> (${escapeHtml(fileSize(d.sizeBytes))})</li>`)
                    .join('')}</ul>`,
                },
              },
            ]
          : []),
      ],
    };
  });
}
