import { NotifyClient } from 'notifications-node-client';
import type { Executor } from '../db/client.ts';
import { notifications } from '../db/schema/index.ts';

/** The messages Cairn sends; each maps to one GOV.UK Notify template. */
export type MessageTemplate = 'overdue-work-digest' | 'case-note-added';

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
  sendEmail(executor: Executor, email: OutgoingEmail): Promise<void>;
}

/** Keeps messages in the database for users to read at /outbox. */
export function createOutboxNotifier(): Notifier {
  return {
    async sendEmail(executor, email) {
      await executor.insert(notifications).values({
        recipientEmail: email.to,
        template: email.template,
        subject: email.subject,
        body: email.body,
        status: 'in-outbox',
        providerReference: email.reference,
      });
    },
  };
}

/** The part of the Notify client Cairn uses; a narrow seam for tests. */
export interface NotifyEmailClient {
  sendEmail(templateId: string, emailAddress: string, options: { personalisation: Record<string, string>; reference: string }): Promise<{ data: { id: string } }>;
}

/** Sends through GOV.UK Notify. Each template carries the ((subject)) and ((body)) fields. */
export function createGovukNotifyNotifier(
  apiKey: string,
  templates: Record<MessageTemplate, string>,
  client: NotifyEmailClient = new NotifyClient(apiKey) as unknown as NotifyEmailClient,
): Notifier {
  return {
    async sendEmail(executor, email) {
      const response = await client.sendEmail(templates[email.template], email.to, {
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
    },
  };
}
