import { findLetter, lockLetter, markLetterFailed, markLetterSent } from '../db/repositories/letters.ts';
import { SYSTEM_ACTOR, type UseCaseContext } from '../domain/auth/actor.ts';
import { letterPlainText, renderLetterPdf, type Letter } from '../letters/index.ts';
import type { SendResult } from '../notify/notifier.ts';
import type { JobDeps } from './handlers.ts';

export type LetterSendOutcome = 'sent' | 'delivered' | 'already-sent' | 'missing';

/**
 * Sends one queued letter: by post as the PDF, or by email as its plain text. The letter row is
 * locked while it is sent and a letter already sent is left alone, so a retried or duplicated job
 * never sends it twice through the outbox. A failure marks the letter failed, with the reason for
 * staff to see, and is thrown again so pg-boss retries it.
 */
export async function sendQueuedLetter(deps: JobDeps, jobId: string, data: { letterId: string }): Promise<LetterSendOutcome> {
  const ctx: UseCaseContext = { actor: SYSTEM_ACTOR, correlationId: `job:${jobId}`, now: deps.now() };
  try {
    return await deps.runInTransaction(ctx, async (uow) => {
      const letter = await lockLetter(uow.tx, data.letterId);
      if (!letter) return 'missing';
      if (letter.status === 'sent' || letter.status === 'delivered') return 'already-sent';
      const content = letter.content as Letter;
      const plainText = letterPlainText(content);
      let result: SendResult;
      if (letter.channel === 'email') {
        // A letter to a school goes to each of its users; their addresses are kept together.
        const addresses = (letter.emailAddress ?? '')
          .split(',')
          .map((address) => address.trim())
          .filter((address) => address !== '');
        if (addresses.length === 0) throw new Error('The letter has no email address to send it to');
        const results: SendResult[] = [];
        for (const to of addresses) {
          results.push(await deps.notifier.sendEmail(uow.tx, { to, template: 'letter', subject: letter.subject, body: plainText, reference: `letter:${letter.id}:${to}` }));
        }
        result = {
          status: results.every((r) => r.status === 'delivered') ? 'delivered' : 'sent',
          providerReference: results.map((r) => r.providerReference).join(', '),
        };
      } else {
        const pdf = await renderLetterPdf(content, { creationDate: letter.createdAt });
        result = await deps.notifier.sendLetter(uow.tx, { reference: letter.reference, pdf, recipientName: letter.recipientName, subject: letter.subject, plainText });
      }
      await markLetterSent(uow.tx, letter.id, { status: result.status, providerReference: result.providerReference, sentAt: ctx.now });
      uow.audit({ action: 'letter.send', recordType: 'letter', recordId: letter.id, childId: letter.childId, details: { channel: letter.channel, status: result.status } });
      return result.status;
    });
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await deps.runInTransaction(ctx, async (uow) => {
      const letter = await findLetter(uow.tx, data.letterId);
      if (!letter) return;
      await markLetterFailed(uow.tx, letter.id, detail);
      uow.audit({ action: 'letter.send-failed', recordType: 'letter', recordId: letter.id, childId: letter.childId, details: { channel: letter.channel, error: detail } });
    });
    throw error;
  }
}
