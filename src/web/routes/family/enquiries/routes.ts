import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../../services.ts';
import { ACCEPTED_UPLOAD_EXTENSIONS, ACCEPTED_UPLOAD_LABELS, MAX_UPLOAD_BYTES, MAX_UPLOADS_PER_SUBMISSION } from '../../../../domain/family/core.ts';
import { LATE_LINE_LABEL, MEETING_PLACES, type FamilyLetterView, type SentReply } from '../../../../domain/family/enquiries.ts';
import type { CorrectionTarget } from '../../../../domain/family/records.ts';
import { DomainError, notFound } from '../../../../domain/errors.ts';
import { escapeHtml, renderLetterHtml } from '../../../../letters/index.ts';
import { bodyOf, formErrors, isValidationError, text, type FormErrors } from '../../../forms.ts';
import { formatDate } from '../../../setup/nunjucks.ts';
import { acceptMultipart, MultipartError, type MultipartBody } from '../../imports/multipart.ts';
import { enquiryPaths } from './paths.ts';
import { correctionRows, heldRows, letterStatus, multiline, presentSections, sourceText } from './presenter.ts';

type LetterRequest = FastifyRequest<{ Params: { letterId: string } }>;
type Values = Record<string, string>;

const acceptedTypes = `${ACCEPTED_UPLOAD_LABELS.slice(0, -1).join(', ')} or ${ACCEPTED_UPLOAD_LABELS.at(-1)}`;

const childOrYours = (letter: FamilyLetterView) => letter.childFirstName ?? 'your child';

/** Every field's error, and each file's under the one file input, with GOV.UK summary links. */
function replyErrors(error: DomainError): FormErrors & { documentHtml: string | null } {
  const ids: Record<string, string> = { reply: 'reply' };
  for (const field of Object.keys(error.fields)) if (field.startsWith('documents')) ids[field] = 'documents';
  const errors = formErrors(error, ids);
  const documentMessages = Object.entries(error.fields)
    .filter(([field]) => field.startsWith('documents'))
    .map(([, message]) => escapeHtml(message));
  return { ...errors, documentHtml: documentMessages.length ? documentMessages.join('<br>') : null };
}

const EMPTY: Record<string, string> = {
  about: 'The council holds nothing under this heading.',
  schools: 'The council holds no school records for this child.',
  education: 'The council holds no details of education outside school.',
  parents: 'The council holds no details of parents or carers.',
  'home-education': 'The council holds no home education records for this child.',
  'social-care': 'The council holds no records from children’s social care for this child.',
  letters: 'The council has not written to you about this child through this service.',
  sent: 'You have not sent anything about this child through this service.',
};

/**
 * The family's letters and replies (/family/letters/…), what the council holds about their children
 * and about them (/family/children/…, /family/about-you), and their requests for corrections.
 */
export function registerEnquiryRoutes(app: FastifyInstance, services: Services): void {
  // Letters -------------------------------------------------------------------------------------

  app.get(enquiryPaths.letters, async (request, reply) => {
    const list = await services.listFamilyLetters(request.context());
    return reply.render('family/enquiries/letters.njk', {
      pageTitle: 'Letters from the council',
      familyHref: enquiryPaths.family,
      letters: list.map((l) => ({ ...l, href: enquiryPaths.letter(l.id), status: letterStatus(l) })),
    });
  });

  app.get<{ Params: { letterId: string } }>('/family/letters/:letterId.pdf', async (request, reply) => {
    const { fileName, pdf } = await services.familyLetterPdf(request.context(), request.params.letterId);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(pdf);
  });

  app.get<{ Params: { letterId: string } }>('/family/letters/:letterId', async (request, reply) => {
    const letter = await services.viewFamilyLetter(request.context(), request.params.letterId);
    const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
    return reply.render('family/enquiries/letter.njk', {
      pageTitle: letter.subject,
      letter,
      lettersHref: enquiryPaths.letters,
      replyHref: enquiryPaths.reply(letter.id),
      pdfHref: enquiryPaths.letterPdf(letter.id),
      socialCareHref: enquiryPaths.socialCare,
      rows: [
        row('Written on', formatDate(letter.writtenOn)),
        ...(letter.childName ? [row('About', letter.childName)] : []),
        row('Our reference', letter.reference),
        ...(letter.reply?.replyBy ? [row('Reply asked for by', formatDate(letter.reply.replyBy))] : []),
      ],
      replies: letter.replies.map((r) => ({ ...r, href: enquiryPaths.sent(r.id) })),
      letterHtml: renderLetterHtml(letter.content),
    });
  });

  /** The letter, if it can be answered (and, for a meeting or a declined visit, if it offers one). */
  const answerable = async (request: LetterRequest, needsMeeting = false): Promise<FamilyLetterView> => {
    const letter = await services.viewFamilyLetter(request.context(), request.params.letterId);
    if (!letter.reply || (needsMeeting && !letter.reply.meeting)) throw notFound('The page');
    return letter;
  };

  const renderChoice = (reply: FastifyReply, letter: FamilyLetterView, errors: FormErrors | null, how = '', status = 200) =>
    reply.status(status).render('family/enquiries/reply.njk', {
      pageTitle: 'Reply to the letter',
      letter,
      rights: letter.reply?.rights,
      reply: letter.reply,
      child: childOrYours(letter),
      letterHref: enquiryPaths.letter(letter.id),
      replyHref: enquiryPaths.reply(letter.id),
      writingHref: enquiryPaths.replyInWriting(letter.id),
      howItems: [
        { value: 'writing', text: 'Reply in writing', hint: { text: 'Write to the council and send documents, such as a report or samples of work' }, checked: how === 'writing' },
        { value: 'meeting', text: 'Choose a meeting', hint: { text: 'At home, somewhere else, or by phone or video' }, checked: how === 'meeting' },
        { value: 'decline-visit', text: 'Decline a home visit', hint: { text: 'You can still send information in writing' }, checked: how === 'decline-visit' },
      ],
      errors,
    });

  app.get<{ Params: { letterId: string } }>('/family/letters/:letterId/reply', async (request, reply) => renderChoice(reply, await answerable(request), null));

  app.post<{ Params: { letterId: string } }>('/family/letters/:letterId/reply', async (request, reply) => {
    const letter = await answerable(request, true);
    const how = text(bodyOf(request.body), 'how');
    const next: Record<string, string> = { writing: enquiryPaths.replyInWriting(letter.id), meeting: enquiryPaths.meeting(letter.id), 'decline-visit': enquiryPaths.declineVisit(letter.id) };
    const target = next[how];
    if (target) return reply.redirect(target, 303);
    return renderChoice(reply, letter, formErrors(new DomainError('validation', 'There is a problem', { how: 'Select how you want to reply' }), { how: 'how' }), '', 400);
  });

  // Reply in writing, with documents --------------------------------------------------------------

  const renderWriting = (reply: FastifyReply, letter: FamilyLetterView, values: Values, errors: (FormErrors & { documentHtml: string | null }) | null, chooseAgain = false, status = 200) =>
    reply.status(status).render('family/enquiries/writing.njk', {
      pageTitle: 'Reply in writing',
      letter,
      backHref: enquiryPaths.reply(letter.id),
      formAction: enquiryPaths.replyInWriting(letter.id),
      hint: letter.reply?.rights === 'informal-enquiry' ? `Tell us about ${childOrYours(letter)}’s education: what ${childOrYours(letter)} learns, how, and roughly how much time it takes each week. You can write as much or as little as you like.` : 'Write your reply. You can write as much or as little as you like.',
      maxFiles: MAX_UPLOADS_PER_SUBMISSION,
      acceptedTypes,
      acceptAttribute: ACCEPTED_UPLOAD_EXTENSIONS.join(','),
      values,
      errors,
      documentErrorHtml: errors?.documentHtml ?? null,
      chooseAgain,
    });

  app.get<{ Params: { letterId: string } }>('/family/letters/:letterId/reply/writing', async (request, reply) => renderWriting(reply, await answerable(request), {}, null));

  const sentTo = (sent: SentReply) => enquiryPaths.replySent(sent.letterId, sent.submissionId);

  // Only this route reads multipart bodies: the reply with its files.
  void app.register(async (scope) => {
    acceptMultipart(scope, MAX_UPLOADS_PER_SUBMISSION * MAX_UPLOAD_BYTES + 1024 * 1024);
    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
      if (!request.session || !(tooLarge || error instanceof MultipartError)) throw error;
      const letter = await answerable(request as LetterRequest);
      const message = tooLarge
        ? `Your reply was not sent because the files were too large. Each file must be smaller than 10MB. Enter your reply again and choose your files again`
        : error.message === 'The form has too many parts'
          ? `Select up to ${MAX_UPLOADS_PER_SUBMISSION} files`
          : 'The selected files could not be read. Choose them again';
      return renderWriting(reply, letter, {}, replyErrors(new DomainError('validation', 'There is a problem', { documents: message })), false, 400);
    });
    scope.post<{ Params: { letterId: string } }>('/family/letters/:letterId/reply/writing', async (request, reply) => {
      const ctx = request.context();
      const body = request.body as MultipartBody | undefined;
      const values = { reply: body?.fields?.['reply'] ?? '' };
      const files = (body?.fileLists?.['documents'] ?? []).map((f) => ({ fileName: f.fileName, data: new Uint8Array(f.data) }));
      try {
        const sent = await services.replyInWriting(ctx, request.params.letterId, values, files);
        return reply.redirect(sentTo(sent), 303);
      } catch (error) {
        if (!isValidationError(error)) throw error;
        const letter = await answerable(request);
        const chose = files.some((f) => f.fileName !== '' || f.data.length > 0);
        return renderWriting(reply, letter, values, replyErrors(error), chose, 400);
      }
    });
  });

  // Choose a meeting, or decline a visit ----------------------------------------------------------

  const renderMeeting = (reply: FastifyReply, letter: FamilyLetterView, values: Values, errors: FormErrors | null, status = 200) =>
    reply.status(status).render('family/enquiries/meeting.njk', {
      pageTitle: 'Choose a meeting',
      letter,
      child: childOrYours(letter),
      places: MEETING_PLACES,
      backHref: enquiryPaths.reply(letter.id),
      formAction: enquiryPaths.meeting(letter.id),
      values,
      errors,
    });

  app.get<{ Params: { letterId: string } }>('/family/letters/:letterId/reply/meeting', async (request, reply) => renderMeeting(reply, await answerable(request, true), {}, null));

  app.post<{ Params: { letterId: string } }>('/family/letters/:letterId/reply/meeting', async (request, reply) => {
    const body = bodyOf(request.body);
    const values = { where: text(body, 'where'), place: text(body, 'place'), when: text(body, 'when'), notes: text(body, 'notes') };
    try {
      return reply.redirect(sentTo(await services.chooseMeeting(request.context(), request.params.letterId, values)), 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderMeeting(reply, await answerable(request, true), values, formErrors(error, { where: 'where', place: 'place', when: 'when', notes: 'notes' }), 400);
    }
  });

  const renderDecline = (reply: FastifyReply, letter: FamilyLetterView, values: Values, errors: FormErrors | null, status = 200) =>
    reply.status(status).render('family/enquiries/decline-visit.njk', {
      pageTitle: 'Decline a home visit',
      letter,
      child: childOrYours(letter),
      backHref: enquiryPaths.reply(letter.id),
      writingHref: enquiryPaths.replyInWriting(letter.id),
      meetingHref: enquiryPaths.meeting(letter.id),
      formAction: enquiryPaths.declineVisit(letter.id),
      values,
      errors,
    });

  app.get<{ Params: { letterId: string } }>('/family/letters/:letterId/reply/decline-visit', async (request, reply) => renderDecline(reply, await answerable(request, true), {}, null));

  app.post<{ Params: { letterId: string } }>('/family/letters/:letterId/reply/decline-visit', async (request, reply) => {
    const values = { reason: text(bodyOf(request.body), 'reason') };
    try {
      return reply.redirect(sentTo(await services.declineVisit(request.context(), request.params.letterId, values)), 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderDecline(reply, await answerable(request, true), values, formErrors(error, { reason: 'reason' }), 400);
    }
  });

  app.get<{ Params: { letterId: string; submissionId: string } }>('/family/letters/:letterId/replies/:submissionId', async (request, reply) => {
    const view = await services.viewFamilySubmission(request.context(), request.params.submissionId);
    if (view.letter?.id !== request.params.letterId) throw notFound('The page');
    const late = view.lines.some((l) => l.label === LATE_LINE_LABEL);
    const kind = view.submission.kind;
    const texts: Record<string, { title: string; what: string; next: string[] }> = {
      'enquiry-reply': { title: 'Reply sent', what: 'reply', next: ['The council will read your reply and any documents. If it needs to know more, it will tell you what and why.', 'It will write to you to tell you what it decides.'] },
      'meeting-chosen': { title: 'Meeting request sent', what: 'choice of meeting', next: ['The council will contact you to arrange the meeting at a time that suits you.'] },
      'visit-declined': { title: 'Visit declined', what: 'answer', next: ['The council will not visit your home about this letter.', 'You can still send information about the education in writing at any time, or choose to meet somewhere else.'] },
    };
    const t = texts[kind] ?? { title: 'Sent', what: 'reply', next: [] };
    return reply.render('family/enquiries/reply-sent.njk', {
      pageTitle: t.title,
      title: t.title,
      what: t.what,
      next: t.next,
      reference: view.submission.reference,
      late,
      sentHref: enquiryPaths.sent(view.submission.id),
      letterHref: enquiryPaths.letter(request.params.letterId),
      familyHref: enquiryPaths.family,
    });
  });

  // What the council holds, and corrections -------------------------------------------------------

  app.get<{ Params: { childId: string } }>('/family/children/:childId', async (request, reply) => {
    const held = await services.viewHeldAboutChild(request.context(), request.params.childId);
    const correctionHref = (key: string) => enquiryPaths.childCorrection(held.child.id, key);
    return reply.render('family/enquiries/child.njk', {
      pageTitle: `What the council holds about ${held.child.firstName}`,
      held,
      familyHref: enquiryPaths.family,
      youHref: enquiryPaths.you,
      sections: presentSections(held.sections, correctionHref, (id) => EMPTY[id] ?? 'Nothing held.'),
      corrections: correctionRows(held.corrections),
      timelineRows: heldRows(
        held.timeline.map((i) => ({ ...i, label: i.source.on ? formatDate(i.source.on) : '', value: i.label, source: { text: i.source.text, on: null } })),
        correctionHref,
      ),
    });
  });

  app.get(enquiryPaths.you, async (request, reply) => {
    const held = await services.viewHeldAboutYou(request.context());
    return reply.render('family/enquiries/you.njk', {
      pageTitle: 'What the council holds about you',
      held,
      familyHref: enquiryPaths.family,
      contactHref: enquiryPaths.contactPreferences,
      sections: presentSections(held.sections, (key) => enquiryPaths.youCorrection(key), () => 'Nothing held.'),
      corrections: correctionRows(held.corrections),
    });
  });

  const renderCorrection = async (request: FastifyRequest, reply: FastifyReply, target: CorrectionTarget, key: string, values: Values, errors: FormErrors | null, status = 200) => {
    const found = await services.viewCorrectionItem(request.context(), target, key);
    const backHref = target.childId === null ? enquiryPaths.you : enquiryPaths.child(target.childId);
    return reply.status(status).render('family/enquiries/correction.njk', {
      pageTitle: 'Ask us to correct this',
      caption: found.childName ? `${found.childName}: ${found.section}` : found.section,
      itemKey: found.item.key,
      itemRows: [
        { key: { text: 'What we hold' }, value: { html: `<strong>${escapeHtml(found.item.label)}</strong>${found.item.value ? `<br>${multiline(found.item.value)}` : ''}` } },
        { key: { text: 'Where it came from' }, value: { text: sourceText(found.item.source) } },
      ],
      backHref,
      formAction: target.childId === null ? enquiryPaths.youCorrection() : enquiryPaths.childCorrection(target.childId),
      values,
      errors,
    });
  };

  const postCorrection = async (request: FastifyRequest, reply: FastifyReply, target: CorrectionTarget) => {
    const body = bodyOf(request.body);
    const key = text(body, 'item');
    const values = { whatIsWrong: text(body, 'whatIsWrong'), correction: text(body, 'correction') };
    try {
      const sent = await services.requestCorrection(request.context(), target, key, values);
      return reply.redirect(enquiryPaths.correctionSent(sent.submissionId), 303);
    } catch (error) {
      if (!isValidationError(error)) throw error;
      return renderCorrection(request, reply, target, key, values, formErrors(error, { whatIsWrong: 'whatIsWrong', correction: 'correction' }), 400);
    }
  };

  app.get<{ Params: { childId: string }; Querystring: { item?: string } }>('/family/children/:childId/correction', async (request, reply) =>
    renderCorrection(request, reply, { childId: request.params.childId }, request.query.item ?? '', {}, null),
  );
  app.post<{ Params: { childId: string } }>('/family/children/:childId/correction', async (request, reply) => postCorrection(request, reply, { childId: request.params.childId }));
  app.get<{ Querystring: { item?: string } }>('/family/about-you/correction', async (request, reply) => renderCorrection(request, reply, { childId: null }, request.query.item ?? '', {}, null));
  app.post('/family/about-you/correction', async (request, reply) => postCorrection(request, reply, { childId: null }));

  app.get<{ Params: { submissionId: string } }>('/family/corrections/:submissionId', async (request, reply) => {
    const view = await services.viewFamilySubmission(request.context(), request.params.submissionId);
    if (view.submission.kind !== 'correction-request') throw notFound('The page');
    const childId = view.submission.childId;
    return reply.render('family/enquiries/correction-sent.njk', {
      pageTitle: 'Request sent',
      reference: view.submission.reference,
      dueOn: view.submission.dueOn,
      backHref: childId ? enquiryPaths.child(childId) : enquiryPaths.you,
      backText: childId ? `Back to what the council holds about ${view.submission.childName ?? 'your child'}` : 'Back to what the council holds about you',
      familyHref: enquiryPaths.family,
    });
  });
}
