import { NotifyClient } from 'notifications-node-client';
import type { Executor } from '../db/client.ts';
import { notifications } from '../db/schema/index.ts';

/** The messages Cairn sends; each maps to one GOV.UK Notify template. */
export type MessageTemplate = 'overdue-work-digest' | 'case-note-added' | 'letter';

/**
 * The Notify template for each message. Every Cairn email template is the same ((subject)) and
 * ((body)) shell, so a council that has not set up a separate one for letters sent by email can
 * leave it out and they go through the case note template.
 */
export type NotifyTemplateIds = Record<Exclude<MessageTemplate, 'letter'>, string> & { letter?: string };

/** What happened to a message: accepted by GOV.UK Notify (sent), or put in the embedded outbox (delivered). */
export interface SendResult {
  status: 'sent' | 'delivered';
  providerReference: string;
}

/** A letter to print and post, as the PDF to print, with its text for the embedded outbox. */
export interface OutgoingLetter {
  /** The council's reference for the letter, which Notify shows on its reports. */
  reference: string;
  pdf: Buffer;
  recipientName: string;
  subject: string;
  /** The letter as plain text (letterPlainText), what the embedded outbox shows. */
  plainText: string;
}

export interface OutgoingEmail {
  to: string;
  template: MessageTemplate;
  subject: string;
  body: string;
  /** Stable reference so a retried job does not send twice through Notify. */
  reference: string;
}

/**
 * Sends email. GOV.UK Notify in production; in embedded mode every message goes to the outbox
 * that users read in Cairn itself. Both keep a row in `notifications` so sending is auditable.
 */
export interface Notifier {
  sendEmail(executor: Executor, email: OutgoingEmail): Promise<SendResult>;
  /** Sends a letter to be printed and posted. */
  sendLetter(executor: Executor, letter: OutgoingLetter): Promise<SendResult>;
}

/** How the outbox shows a posted letter's recipient, as it has no email address. */
const byPost = (recipientName: string) => `${recipientName} (by post)`;

/** Keeps messages in the database for users to read at /outbox. */
export function createOutboxNotifier(): Notifier {
  return {
    async sendEmail(executor, email) {
      const [row] = await executor
        .insert(notifications)
        .values({
          recipientEmail: email.to,
          template: email.template,
          subject: email.subject,
          body: email.body,
          status: 'in-outbox',
          providerReference: email.reference,
        })
        .returning({ id: notifications.id });
      return { status: 'delivered', providerReference: row?.id ?? email.reference };
    },
    async sendLetter(executor, letter) {
      const [row] = await executor
        .insert(notifications)
        .values({
          recipientEmail: byPost(letter.recipientName),
          template: 'letter',
          subject: letter.subject,
          body: letter.plainText,
          status: 'in-outbox',
          providerReference: letter.reference,
        })
        .returning({ id: notifications.id });
      return { status: 'delivered', providerReference: row?.id ?? letter.reference };
    },
  };
}

/** The part of the Notify client Cairn uses; a narrow seam for tests. */
export interface NotifyEmailClient {
  sendEmail(templateId: string, emailAddress: string, options: { personalisation: Record<string, string>; reference: string }): Promise<{ data: { id: string } }>;
}

/** Notify's precompiled letters: Cairn lays out and renders the PDF itself, Notify prints and posts it. */
export interface NotifyLetterClient {
  sendPrecompiledLetter(reference: string, pdf: Buffer): Promise<{ data: { id: string } }>;
}

/** Sends through GOV.UK Notify. Each template carries the ((subject)) and ((body)) fields. */
export function createGovukNotifyNotifier(
  apiKey: string,
  templates: NotifyTemplateIds,
  client: NotifyEmailClient & Partial<NotifyLetterClient> = new NotifyClient(apiKey) as unknown as NotifyEmailClient & NotifyLetterClient,
): Notifier {
  return {
    async sendEmail(executor, email) {
      const templateId = email.template === 'letter' ? (templates.letter ?? templates['case-note-added']) : templates[email.template];
      const response = await client.sendEmail(templateId, email.to, {
        personalisation: { subject: email.subject, body: email.body },
        reference: email.reference,
      });
      await executor.insert(notifications).values({
        recipientEmail: email.to,
        template: email.template,
        subject: email.subject,
        body: email.body,
        status: 'sent',
        providerReference: response.data.id,
      });
      return { status: 'sent', providerReference: response.data.id };
    },
    async sendLetter(executor, letter) {
      if (!client.sendPrecompiledLetter) throw new Error('This GOV.UK Notify client cannot send letters');
      const response = await client.sendPrecompiledLetter(letter.reference, letter.pdf);
      await executor.insert(notifications).values({
        recipientEmail: byPost(letter.recipientName),
        template: 'letter',
        subject: letter.subject,
        body: letter.plainText,
        status: 'sent',
        providerReference: response.data.id,
      });
      return { status: 'sent', providerReference: response.data.id };
    },
  };
}
