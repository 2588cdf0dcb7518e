import type { JobQueue } from './queue.ts';
import { notifyAllocatedWorkersOfNote, sendHomeEducationDigests, sendOverdueWorkDigests, type JobDeps } from './handlers.ts';
import { sendQueuedLetter } from './letters.ts';

/**
 * Starts handling Cairn's queues: in the web process by default, or on its own with `cairn worker`.
 * The digest is scheduled by cron; pg-boss makes sure one process runs each tick.
 */
export async function startWorkers(queue: JobQueue, deps: JobDeps, digestCron: string): Promise<void> {
  await queue.boss.work<{ noteId: string }>('case-note-added', async ([job]) => {
    if (job) await notifyAllocatedWorkersOfNote(deps, job.id, job.data);
  });
  await queue.boss.work('overdue-work-digest', async ([job]) => {
    if (job) {
      await sendOverdueWorkDigests(deps, job.id);
      await sendHomeEducationDigests(deps, job.id);
    }
  });
  await queue.boss.work<{ letterId: string }>('letter.send', async ([job]) => {
    if (job) await sendQueuedLetter(deps, job.id, job.data);
  });
  await queue.boss.schedule('overdue-work-digest', digestCron, null, { tz: 'Europe/London' });
}
