import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../../../services.ts';
import type { NoticeDraftView } from '../../../../../domain/family/notices.ts';
import { MAX_PROVIDERS, ON_ROLL_ANSWERS, PARENT_PROVIDER_TYPES, WHO_EDUCATES, type NoticeAnswers, type ProviderAnswers } from '../../../../../domain/family/notices-schemas.ts';
import { DomainError } from '../../../../../domain/errors.ts';
import { bodyOf, dateInputItems, dateParts, formErrors, isValidationError, text, type DateParts, type FormErrors } from '../../../../forms.ts';
import { noticePaths } from '../paths.ts';
import {
  applicablePages,
  checkAnswersRows,
  childFirstName,
  firstUnansweredUrl,
  nextUrl,
  pageFor,
  pageOfField,
  previousUrl,
  providerDetails,
  RATHER_NOT_SAY,
  readPage,
  readProvider,
  REASON_ITEMS,
  validatePage,
  validateProvider,
  withoutStaleAnswers,
  type NoticePage,
} from './journey.ts';

const CAPTION = 'Tell the council you are home educating';
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** A question as the page heading, in a fieldset legend or label, under the journey's caption. */
const headingHtml = (title: string) => `<span class="govuk-caption-l">${escapeHtml(CAPTION)}</span>${escapeHtml(title)}`;
const items = (options: Record<string, string>) => Object.entries(options).map(([value, label]) => ({ value, text: label }));

type Query = { change?: string; index?: string };

/** The question each page asks, in the child's name once known. */
function titleOf(page: NoticePage, draft: NoticeDraftView): string {
  const name = childFirstName(draft.answers, draft.children);
  const possessive = name === 'your child' ? 'your child’s' : `${name}’s`;
  const optional = draft.regimeInForce ? '' : ' (optional)';
  switch (page.slug) {
    case 'child':
      return 'Which child are you telling us about?';
    case 'child-details':
      return 'What is the child’s name and date of birth?';
    case 'start-date':
      return `When did or will home education start for ${name}?`;
    case 'school':
      return `Is ${name} still on a school roll?`;
    case 'reason':
      return `Why have you chosen to educate ${name} at home? (optional)`;
    case 'who-educates':
      return `Who provides ${possessive} education?${optional}`;
    case 'parent-hours':
      return `About how many hours a week is ${name} educated by a parent?${optional}`;
    case 'other-providers': {
      const count = draft.answers.providers?.length ?? 0;
      return count > 0 ? `You have added ${count} other ${count === 1 ? 'provider' : 'providers'}` : `Does anyone else provide part of ${possessive} education?${optional}`;
    }
    case 'time-without-parent':
      return `In total, about how many hours a week is ${name} educated without a parent there?${optional}`;
    default:
      return CAPTION;
  }
}

function pageLinks(page: NoticePage, answers: NoticeAnswers, change: boolean) {
  return {
    action: `${noticePaths.notify.question(page.slug)}${change ? '?change=1' : ''}`,
    backHref: change ? noticePaths.notify.check : previousUrl(page, answers),
  };
}

const dateFieldIds = (page: NoticePage) => Object.fromEntries((page.dates ?? []).map((f) => [f, `${f}-day`]));

/** The family service's home education notice: start page, question pages, providers, check answers and confirmation. */
export function registerNotifyRoutes(app: FastifyInstance, services: Services): void {
  function renderQuestion(reply: FastifyReply, page: NoticePage, draft: NoticeDraftView, change: boolean, values: NoticeAnswers, parts: Record<string, DateParts>, errors: FormErrors | null) {
    const v = values as Record<string, string | undefined>;
    const dateItems = Object.fromEntries((page.dates ?? []).map((field) => [field, dateInputItems(field, parts[field] ?? dateParts(v[field]), Boolean(errors?.fields[field]))]));
    const providers = (draft.answers.providers ?? []).map((p, index) => ({
      key: { text: p.name },
      value: { text: providerDetails(p) },
      actions: {
        items: [
          { href: `${noticePaths.notify.editProvider(index)}${change ? '&change=1' : ''}`, text: 'Change', visuallyHiddenText: p.name },
          { href: `${noticePaths.notify.removeProvider(index)}${change ? '&change=1' : ''}`, text: 'Remove', visuallyHiddenText: p.name },
        ],
      },
    }));
    return reply.status(errors ? 400 : 200).render(`family/notices/notify/${page.slug}.njk`, {
      noticePaths,
      pageTitle: titleOf(page, draft),
      title: titleOf(page, draft),
      legendHtml: headingHtml(titleOf(page, draft)),
      caption: CAPTION,
      page,
      childName: childFirstName({ ...draft.answers, ...values }, draft.children),
      regimeInForce: draft.regimeInForce,
      values: { ...values, eheReason: page.slug === 'reason' && 'eheReason' in values ? v['eheReason'] || RATHER_NOT_SAY : v['eheReason'] },
      dateItems,
      errors,
      childItems: [...draft.children.map((c) => ({ value: c.childId, text: c.name })), ...(draft.children.length ? [{ divider: 'or' }] : []), { value: 'other', text: 'A child not listed here' }],
      reasonItems: [...REASON_ITEMS, { divider: 'or' }, { value: RATHER_NOT_SAY, text: 'I would rather not say' }],
      onRollItems: items(ON_ROLL_ANSWERS),
      whoItems: items(WHO_EDUCATES),
      providers,
      canAddProvider: (draft.answers.providers?.length ?? 0) < MAX_PROVIDERS,
      ...pageLinks(page, draft.answers, change),
    });
  }

  app.get(noticePaths.notify.start, async (request, reply) => {
    const draft = await services.loadHomeEducationNoticeDraft(request.context());
    const started = Object.keys(draft.answers).length > 0;
    return reply.render('family/notices/notify/start.njk', {
      noticePaths,
      pageTitle: CAPTION,
      regimeInForce: draft.regimeInForce,
      started,
      startHref: noticePaths.notify.question(applicablePages(draft.answers)[0]!.slug),
      continueHref: started ? firstUnansweredUrl(draft.answers) : null,
    });
  });

  app.post(noticePaths.notify.startAgain, async (request, reply) => {
    await services.discardHomeEducationNoticeDraft(request.context());
    return reply.redirect(noticePaths.notify.question('child'), 303);
  });

  function renderCheck(reply: FastifyReply, draft: NoticeDraftView, errors: FormErrors | null) {
    const pages = applicablePages(draft.answers);
    return reply.status(errors ? 400 : 200).render('family/notices/notify/check.njk', {
      noticePaths,
      pageTitle: 'Check your answers before sending your notice',
      caption: CAPTION,
      rows: checkAnswersRows(draft.answers, draft.children),
      regimeInForce: draft.regimeInForce,
      backHref: noticePaths.notify.question(pages[pages.length - 1]!.slug),
      errors,
    });
  }

  app.get(noticePaths.notify.check, async (request, reply) => renderCheck(reply, await services.loadHomeEducationNoticeDraft(request.context()), null));

  app.post(noticePaths.notify.check, async (request, reply) => {
    const ctx = request.context();
    const draft = await services.loadHomeEducationNoticeDraft(ctx);
    try {
      const sent = await services.sendHomeEducationNotice(ctx, draft.answers);
      return reply.redirect(noticePaths.notify.sent(sent.submissionId), 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      const errors = formErrors(error);
      // Each message links to the page that asks the question, to change the answer there.
      errors.list = Object.entries(error.fields).map(([field, message]) => {
        const page = pageOfField(field);
        return { text: message, href: page ? `${noticePaths.notify.question(page.slug)}?change=1` : '#main-content' };
      });
      return renderCheck(reply, draft, errors);
    }
  });

  app.get<{ Params: { submissionId: string } }>('/family/notify/sent/:submissionId', async (request, reply) => {
    const sent = await services.viewNoticeConfirmation(request.context(), request.params.submissionId, ['home-education-notice']);
    const d = sent.details as { outcome?: string; regimeInForce?: boolean; notice?: { onRoll?: string; childId?: string; otherFirstName?: string; otherLastName?: string } };
    const childName = sent.childName ?? `${d.notice?.otherFirstName ?? ''} ${d.notice?.otherLastName ?? ''}`.trim();
    return reply.render('family/notices/notify/sent.njk', {
      noticePaths,
      pageTitle: 'Notice sent',
      reference: sent.reference,
      childName,
      outcome: d.outcome ?? 'recorded',
      regimeInForce: d.regimeInForce === true,
      writeToSchool: d.outcome === 'recorded' || d.notice?.onRoll === 'yes',
      lines: sent.lines.map((l) => ({ key: { text: l.label }, value: { text: l.value } })),
    });
  });

  // Other providers: the GOV.UK "add another" pattern, one provider per page.
  async function renderProvider(request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply, draft: NoticeDraftView, values: ProviderAnswers | null, errors: FormErrors | null) {
    const index = providerIndex(request.query.index, draft);
    const change = request.query.change === '1';
    const editing = index !== null ? draft.answers.providers![index]! : null;
    const name = childFirstName(draft.answers, draft.children);
    const title = editing ? `Change the details of ${editing.name}` : `Tell us about ${name === 'your child' ? 'your child’s' : `${name}’s`} other provider`;
    const query = [index !== null ? `index=${index}` : '', change ? 'change=1' : ''].filter(Boolean).join('&');
    return reply.status(errors ? 400 : 200).render('family/notices/notify/provider.njk', {
      noticePaths,
      pageTitle: title,
      title,
      caption: CAPTION,
      regimeInForce: draft.regimeInForce,
      childName: name,
      values: values ?? editing ?? {},
      typeItems: items(PARENT_PROVIDER_TYPES),
      errors,
      action: `${noticePaths.notify.provider}${query ? `?${query}` : ''}`,
      backHref: `${noticePaths.notify.question('other-providers')}${change ? '?change=1' : ''}`,
    });
  }

  function providerIndex(raw: string | undefined, draft: NoticeDraftView): number | null {
    if (raw === undefined || raw === '') return null;
    const index = Number(raw);
    if (!Number.isInteger(index) || index < 0 || index >= (draft.answers.providers?.length ?? 0)) throw new DomainError('not-found', 'The provider was not found.');
    return index;
  }

  app.get<{ Querystring: Query }>(noticePaths.notify.provider, async (request, reply) => renderProvider(request, reply, await services.loadHomeEducationNoticeDraft(request.context()), null, null));

  app.post<{ Querystring: Query }>(noticePaths.notify.provider, async (request, reply) => {
    const ctx = request.context();
    const draft = await services.loadHomeEducationNoticeDraft(ctx);
    const index = providerIndex(request.query.index, draft);
    const provider = readProvider(bodyOf(request.body));
    const problems = validateProvider(provider, draft.regimeInForce);
    if (Object.keys(problems).length > 0) return renderProvider(request, reply, draft, provider, formErrors(new DomainError('validation', 'There is a problem', problems)));
    const providers = [...(draft.answers.providers ?? [])];
    if (index === null && providers.length >= MAX_PROVIDERS) throw new DomainError('validation', `You can add up to ${MAX_PROVIDERS} providers.`);
    if (index === null) providers.push(provider);
    else providers[index] = provider;
    await services.saveHomeEducationNoticeDraft(ctx, withoutStaleAnswers({ ...draft.answers, hasProviders: 'yes', providers }));
    return reply.redirect(`${noticePaths.notify.question('other-providers')}${request.query.change === '1' ? '?change=1' : ''}`, 303);
  });

  app.get<{ Querystring: Query }>('/family/notify/provider/remove', async (request, reply) => {
    const draft = await services.loadHomeEducationNoticeDraft(request.context());
    const index = providerIndex(request.query.index, draft);
    if (index === null) throw new DomainError('not-found', 'The provider was not found.');
    return renderRemove(request, reply, draft, index, null);
  });

  function renderRemove(request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply, draft: NoticeDraftView, index: number, errors: FormErrors | null) {
    const provider = draft.answers.providers![index]!;
    const change = request.query.change === '1';
    return reply.status(errors ? 400 : 200).render('family/notices/notify/remove-provider.njk', {
      noticePaths,
      pageTitle: `Are you sure you want to remove ${provider.name}?`,
      title: `Are you sure you want to remove ${provider.name}?`,
      legendHtml: headingHtml(`Are you sure you want to remove ${provider.name}?`),
      caption: CAPTION,
      errors,
      action: `${noticePaths.notify.removeProvider(index)}${change ? '&change=1' : ''}`,
      backHref: `${noticePaths.notify.question('other-providers')}${change ? '?change=1' : ''}`,
    });
  }

  app.post<{ Querystring: Query }>('/family/notify/provider/remove', async (request, reply) => {
    const ctx = request.context();
    const draft = await services.loadHomeEducationNoticeDraft(ctx);
    const index = providerIndex(request.query.index, draft);
    if (index === null) throw new DomainError('not-found', 'The provider was not found.');
    const answer = text(bodyOf(request.body), 'remove');
    if (answer !== 'yes' && answer !== 'no') return renderRemove(request, reply, draft, index, formErrors(new DomainError('validation', 'There is a problem', { remove: 'Select yes if you want to remove this provider' })));
    if (answer === 'yes') {
      const providers = (draft.answers.providers ?? []).filter((_, i) => i !== index);
      await services.saveHomeEducationNoticeDraft(ctx, withoutStaleAnswers({ ...draft.answers, providers }));
    }
    return reply.redirect(`${noticePaths.notify.question('other-providers')}${request.query.change === '1' ? '?change=1' : ''}`, 303);
  });

  app.get<{ Params: { slug: string }; Querystring: Query }>('/family/notify/:slug', async (request, reply) => {
    const page = pageFor(request.params.slug);
    if (!page) throw new DomainError('not-found', 'The page was not found.');
    const draft = await services.loadHomeEducationNoticeDraft(request.context());
    if (!applicablePages(draft.answers).includes(page)) return reply.redirect(noticePaths.notify.check, 303);
    return renderQuestion(reply, page, draft, request.query.change === '1', draft.answers, {}, null);
  });

  app.post<{ Params: { slug: string }; Querystring: Query }>('/family/notify/:slug', async (request, reply) => {
    const page = pageFor(request.params.slug);
    if (!page) throw new DomainError('not-found', 'The page was not found.');
    const ctx = request.context();
    const change = request.query.change === '1';
    const draft = await services.loadHomeEducationNoticeDraft(ctx);
    if (!applicablePages(draft.answers).includes(page)) return reply.redirect(noticePaths.notify.check, 303);
    const body = bodyOf(request.body);

    if (page.slug === 'other-providers' && (draft.answers.providers?.length ?? 0) > 0) {
      // With providers added, the page asks whether to add another.
      const addAnother = text(body, 'addAnother');
      if (addAnother !== 'yes' && addAnother !== 'no') {
        return renderQuestion(reply, page, draft, change, draft.answers, {}, formErrors(new DomainError('validation', 'There is a problem', { addAnother: 'Select yes if you need to add another provider' })));
      }
      if (addAnother === 'yes' && (draft.answers.providers?.length ?? 0) < MAX_PROVIDERS) return reply.redirect(`${noticePaths.notify.provider}${change ? '?change=1' : ''}`, 303);
      if (!change) return reply.redirect(nextUrl(page, draft.answers), 303);
      // From Check your answers, the total time without a parent is asked only if it is still missing.
      return reply.redirect(draft.answers.hoursWithoutParentPerWeek === undefined ? `${noticePaths.notify.question('time-without-parent')}?change=1` : noticePaths.notify.check, 303);
    }

    const { values, parts } = readPage(page, body);
    const fields = validatePage(page, draft.answers, values, draft.regimeInForce, draft.today);
    const answers = withoutStaleAnswers({ ...draft.answers, ...values });
    try {
      if (Object.keys(fields).length > 0) throw new DomainError('validation', 'There is a problem', fields);
      await services.saveHomeEducationNoticeDraft(ctx, answers);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderQuestion(reply, page, draft, change, { ...draft.answers, ...values }, parts, formErrors(error, dateFieldIds(page)));
    }
    if (page.slug === 'other-providers' && values.hasProviders === 'yes') return reply.redirect(`${noticePaths.notify.provider}${change ? '?change=1' : ''}`, 303);
    // Choosing "a child not listed" from Check your answers still asks for their details.
    if (change && page.slug === 'child' && answers.childId === 'other' && !answers.otherFirstName) return reply.redirect(`${noticePaths.notify.question('child-details')}?change=1`, 303);
    return reply.redirect(change ? noticePaths.notify.check : nextUrl(page, answers), 303);
  });
}

