import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import type { UnitOfWork } from '../../db/unit-of-work.ts';
import { adults, childAdults, children, educationArrangements, educationProviders, eheSteps, enrolments, episodes } from '../../db/schema/index.ts';
import { loadCouncilSettings } from '../../db/repositories/councils.ts';
import { loadWorkingDayCalendar } from '../../db/repositories/calendar.ts';
import type { UseCaseContext } from '../auth/actor.ts';
import { addCalendarDays, formatLongDate, todayIn, type IsoDate } from '../calendar/index.ts';
import { registerRegimeInForce, type CouncilSettings } from '../council/settings.ts';
import { DomainError, forbidden, notFound, staleVersion } from '../errors.ts';
import { queueLettersToParents } from '../letters/queue.ts';
import { nextStatus } from '../register/lifecycles.ts';
import { parseInput } from '../validation.ts';
import { homeConsiderationDueOn, informalEnquiryReplyBy, nextProviderUpdateAllowedOn } from './clocks.ts';
import { EHE_TRANSITIONS, type EheStatus } from './lifecycle.ts';
import { EHE_ACTING_ROLES, type EheDeps } from './use-cases.ts';

/**
 * The children-not-in-school register of the Children's Wellbeing and Schools Act 2026 (new EA 1996
 * ss436B–G), for a council that has switched it on from a configured date. A registration records
 * the Act's items as they stand; the home is considered within the configured days; provider
 * details are requested no more often than the configured interval; and a parent who does not
 * register or update by the date asked can be served a preliminary notice, the first stage of the
 * School Attendance Order process. With the regime off, none of this applies and today's law runs.
 */

export type RegisterState = 'not-registered' | 'registered' | 'active';

export interface RegisterSummary {
  inForce: boolean;
  state: RegisterState;
  registeredOn: IsoDate | null;
  missingItems: string[];
  homeConsiderationDueOn: IsoDate | null;
  lastProviderRequestOn: IsoDate | null;
  nextProviderRequestOn: IsoDate | null;
  /** An open request whose date has passed: a trigger for the preliminary notice. */
  overdueRequest: { kind: string; dueOn: IsoDate } | null;
}

type StepRow = typeof eheSteps.$inferSelect;

/** Compulsory school age in England, simplified to the day: from the fifth birthday to the last Friday of June in the school year the child turns 16. */
export function isCompulsorySchoolAge(dateOfBirth: IsoDate, today: IsoDate): boolean {
  const [y, m] = dateOfBirth.split('-').map(Number) as [number, number];
  const fifth = `${y + 5}${dateOfBirth.slice(4)}`;
  const leavingYear = m >= 9 ? y + 17 : y + 16;
  const june30 = new Date(Date.UTC(leavingYear, 5, 30));
  const lastFriday = new Date(june30.getTime() - ((june30.getUTCDay() + 2) % 7) * 86_400_000).toISOString().slice(0, 10);
  return today >= fifth && today <= lastFriday;
}

/** Where a child's register entry stands, read from the episode's steps. */
export function registerSummary(settings: CouncilSettings, steps: readonly StepRow[], today: IsoDate): RegisterSummary {
  const registration = [...steps].reverse().find((s) => s.kind === 'registration');
  const home = steps.find((s) => s.kind === 'home-consideration');
  const requests = steps.filter((s) => s.kind === 'provider-update-request');
  const last = requests.at(-1) ?? null;
  const overdue = steps.find((s) => (s.kind === 'register-items-request' || s.kind === 'provider-update-request') && s.status === 'open' && s.dueOn !== null && s.dueOn < today) ?? null;
  return {
    inForce: registerRegimeInForce(settings, today),
    state: !registration ? 'not-registered' : home && home.status === 'done' ? 'active' : 'registered',
    registeredOn: registration?.startedOn ?? null,
    missingItems: ((registration?.details as { missing?: string[] } | undefined)?.missing ?? []).slice(),
    homeConsiderationDueOn: home && home.status === 'open' ? home.dueOn : null,
    lastProviderRequestOn: last?.startedOn ?? null,
    nextProviderRequestOn: last ? nextProviderUpdateAllowedOn(settings.periods, last.startedOn) : null,
    overdueRequest: overdue ? { kind: overdue.kind, dueOn: overdue.dueOn! } : null,
  };
}

const NOT_IN_FORCE = 'The children-not-in-school register is not in force for this council. An administrator can switch it on in Settings.';

interface Env {
  today: IsoDate;
  settings: CouncilSettings;
  calendar: Awaited<ReturnType<typeof loadWorkingDayCalendar>>;
}

async function withRegister<T>(deps: EheDeps, ctx: UseCaseContext, action: string, work: (uow: UnitOfWork, env: Env) => Promise<T>): Promise<T> {
  if (!EHE_ACTING_ROLES.includes(ctx.actor.role)) {
    await deps.runInTransaction(ctx, async (uow) => uow.audit({ action: `${action}.refused`, recordType: 'episode', recordId: null, childId: null, details: { role: ctx.actor.role } }));
    throw forbidden();
  }
  return deps.runInTransaction(ctx, async (uow) => {
    const settings = await loadCouncilSettings(uow.tx);
    const today = todayIn(ctx.now);
    if (!registerRegimeInForce(settings, today)) throw new DomainError('validation', NOT_IN_FORCE);
    return work(uow, { today, settings, calendar: await loadWorkingDayCalendar(uow.tx) });
  });
}

async function loadOpenEhe(tx: Tx, episodeId: string) {
  if (!z.uuid().safeParse(episodeId).success) throw notFound('The home education episode');
  const [episode] = await tx.select().from(episodes).where(and(eq(episodes.id, episodeId), eq(episodes.kind, 'ehe')));
  if (!episode) throw notFound('The home education episode');
  if (episode.closedOn) throw new DomainError('validation', 'This episode is closed.');
  return episode;
}

async function stepsOf(tx: Tx, episodeId: string) {
  return tx.select().from(eheSteps).where(eq(eheSteps.episodeId, episodeId)).orderBy(eheSteps.createdAt);
}

/** The Act's register items for a child as the council holds them now, and which mandatory ones are missing. */
async function registerItems(tx: Tx, childId: string) {
  const [child] = await tx.select().from(children).where(eq(children.id, childId));
  const parents = await tx
    .select({ a: adults, l: childAdults })
    .from(childAdults)
    .innerJoin(adults, eq(adults.id, childAdults.adultId))
    .where(eq(childAdults.childId, childId));
  const [arrangement] = await tx.select().from(educationArrangements).where(eq(educationArrangements.childId, childId)).orderBy(desc(educationArrangements.recordedAt)).limit(1);
  const providers = await tx.select().from(educationProviders).where(and(eq(educationProviders.childId, childId), isNull(educationProviders.endedOn)));
  const missing: string[] = [];
  if (parents.length === 0) missing.push('The name and address of each parent');
  if (!parents.some((p) => p.l.providesEducation)) missing.push('Which parents provide the education');
  if (!arrangement || arrangement.parentHoursPerWeek === null) missing.push('An estimate of the time educated by parents');
  if (!arrangement || (providers.length > 0 && arrangement.otherHoursPerWeek === null)) missing.push('An estimate of the time educated by others');
  return {
    items: {
      child: { name: `${child!.firstName} ${child!.lastName}`, dateOfBirth: child!.dateOfBirth, address: [child!.addressLine1, child!.addressLine2, child!.town, child!.postcode].filter(Boolean).join(', ') },
      parents: parents.map((p) => ({ name: `${p.a.firstName} ${p.a.lastName}`, providesEducation: p.l.providesEducation })),
      timeWithParents: arrangement?.parentHoursPerWeek ?? null,
      timeWithOthers: arrangement?.otherHoursPerWeek ?? null,
      providers: providers.map((p) => ({ name: p.name, type: p.type, addressOrWebsite: p.addressOrWebsite, hoursPerWeek: p.hoursPerWeek, hoursWithoutParentPerWeek: p.hoursWithoutParentPerWeek })),
    },
    missing,
    child: child!,
  };
}

async function addStep(uow: UnitOfWork, episode: { id: string; childId: string }, kind: string, open: boolean, startedOn: IsoDate, dueOn: IsoDate | null, details: Record<string, unknown>) {
  const [row] = await uow.tx
    .insert(eheSteps)
    .values({ episodeId: episode.id, childId: episode.childId, kind, status: open ? 'open' : 'done', startedOn, dueOn, completedOn: open ? null : startedOn, details, recordedBy: uow.ctx.actor.id, createdAt: uow.ctx.now })
    .returning();
  return row!;
}

async function register(uow: UnitOfWork, env: Env, episode: { id: string; childId: string }): Promise<{ registered: boolean; reason?: string; missing: string[] }> {
  const steps = await stepsOf(uow.tx, episode.id);
  if (steps.some((s) => s.kind === 'registration')) return { registered: false, reason: 'already registered', missing: [] };
  const { items, missing, child } = await registerItems(uow.tx, episode.childId);
  if (!isCompulsorySchoolAge(child.dateOfBirth, env.today)) return { registered: false, reason: 'not of compulsory school age', missing };
  const [onRoll] = await uow.tx.select({ id: enrolments.id }).from(enrolments).where(and(eq(enrolments.childId, episode.childId), isNull(enrolments.endDate))).limit(1);
  if (onRoll) return { registered: false, reason: 'on a school roll', missing };
  await addStep(uow, episode, 'registration', false, env.today, null, { items, missing });
  await addStep(uow, episode, 'home-consideration', true, env.today, homeConsiderationDueOn(env.calendar, env.settings.periods, env.today), {});
  if (missing.length) {
    const dueOn = informalEnquiryReplyBy(env.calendar, env.settings.periods, env.today);
    await addStep(uow, episode, 'register-items-request', true, env.today, dueOn, { missing });
  }
  uow.event({
    type: 'register.child-registered',
    aggregateType: 'episode',
    aggregateId: episode.id,
    childId: episode.childId,
    summary: missing.length ? `Registered on the children-not-in-school register; items still needed: ${missing.join('; ').toLowerCase()}` : 'Registered on the children-not-in-school register',
    visibility: 'family',
  });
  uow.audit({ action: 'register.register-child', recordType: 'episode', recordId: episode.id, childId: episode.childId, details: { missing } });
  return { registered: true, missing };
}

/** Registers one child whose home education episode is open. */
export async function registerChild(deps: EheDeps, ctx: UseCaseContext, episodeId: string) {
  return withRegister(deps, ctx, 'register.register-child', async (uow, env) => {
    const episode = await loadOpenEhe(uow.tx, episodeId);
    const result = await register(uow, env, episode);
    if (!result.registered) throw new DomainError('validation', `The child cannot be registered: ${result.reason}.`);
    return result;
  });
}

/** When the regime starts (and any day after): registers every eligible child with an open episode. */
export async function registerEligibleChildren(deps: EheDeps, ctx: UseCaseContext) {
  return withRegister(deps, ctx, 'register.register-eligible', async (uow, env) => {
    const open = await uow.tx
      .select({ id: episodes.id, childId: episodes.childId })
      .from(episodes)
      .where(and(eq(episodes.kind, 'ehe'), isNull(episodes.closedOn), ne(episodes.status, 'closed')));
    let registered = 0;
    let incomplete = 0;
    for (const episode of open) {
      const result = await register(uow, env, episode);
      if (result.registered) {
        registered += 1;
        if (result.missing.length) incomplete += 1;
      }
    }
    uow.audit({ action: 'register.register-eligible', recordType: 'episode', recordId: null, childId: null, details: { considered: open.length, registered, incomplete } });
    return { considered: open.length, registered, incomplete };
  });
}

const homeConsideredSchema = z.object({
  notes: z.string({ error: 'Enter what the council considered about the home' }).trim().min(1, 'Enter what the council considered about the home').max(10000, 'Notes must be 10,000 characters or fewer'),
  visitAsked: z.enum(['yes', 'no'], { error: 'Select whether the council asked to visit' }).transform((v) => v === 'yes'),
});

/** The council has considered where the child lives (within the configured days of registration). */
export async function recordHomeConsidered(deps: EheDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const h = parseInput(homeConsideredSchema, input);
  return withRegister(deps, ctx, 'register.home-considered', async (uow, env) => {
    const episode = await loadOpenEhe(uow.tx, episodeId);
    const [open] = await uow.tx.select().from(eheSteps).where(and(eq(eheSteps.episodeId, episode.id), eq(eheSteps.kind, 'home-consideration'), eq(eheSteps.status, 'open')));
    if (!open) throw new DomainError('validation', 'There is no home consideration waiting for this child.');
    await uow.tx.update(eheSteps).set({ status: 'done', completedOn: env.today, details: { notes: h.notes, visitAsked: h.visitAsked } }).where(eq(eheSteps.id, open.id));
    uow.event({ type: 'register.home-considered', aggregateType: 'episode', aggregateId: episode.id, childId: episode.childId, summary: 'The council considered the child’s home environment', visibility: 'staff' });
    uow.audit({ action: 'register.home-considered', recordType: 'episode', recordId: episode.id, childId: episode.childId });
  });
}

/** Asks the parents to update their other providers' details, no sooner than the configured interval. */
export async function requestProviderUpdate(deps: EheDeps, ctx: UseCaseContext, episodeId: string) {
  return withRegister(deps, ctx, 'register.provider-update-request', async (uow, env) => {
    const episode = await loadOpenEhe(uow.tx, episodeId);
    const summary = registerSummary(env.settings, await stepsOf(uow.tx, episode.id), env.today);
    if (summary.state === 'not-registered') throw new DomainError('validation', 'Register the child before asking for provider details.');
    if (summary.nextProviderRequestOn && env.today < summary.nextProviderRequestOn) {
      throw new DomainError('validation', `Provider details were last requested on ${formatLongDate(summary.lastProviderRequestOn!)}. They can next be requested on ${formatLongDate(summary.nextProviderRequestOn)}.`);
    }
    const dueOn = informalEnquiryReplyBy(env.calendar, env.settings.periods, env.today);
    const s = await addStep(uow, episode, 'provider-update-request', true, env.today, dueOn, { replyBy: dueOn });
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, stepId: s.id, templateKey: 'provider-update-request', data: { replyBy: formatLongDate(dueOn) } }, { baseUrl: deps.baseUrl });
    uow.event({ type: 'register.provider-update-requested', aggregateType: 'episode', aggregateId: episode.id, childId: episode.childId, summary: `Provider details requested; reply asked for by ${formatLongDate(dueOn)}`, visibility: 'family' });
    uow.audit({ action: 'register.provider-update-request', recordType: 'episode', recordId: episode.id, childId: episode.childId });
    return { replyBy: dueOn };
  });
}

const updateReceivedSchema = z.object({
  kind: z.enum(['register-items-request', 'provider-update-request'], { error: 'Select what the parent sent' }),
  summary: z.string({ error: 'Enter what the parent sent' }).trim().min(1, 'Enter what the parent sent').max(10000, 'Summary must be 10,000 characters or fewer'),
});

/** The parents sent the register items or provider details asked for: the request is answered. */
export async function recordRegisterUpdateReceived(deps: EheDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const u = parseInput(updateReceivedSchema, input);
  return withRegister(deps, ctx, 'register.update-received', async (uow, env) => {
    const episode = await loadOpenEhe(uow.tx, episodeId);
    const [open] = await uow.tx.select().from(eheSteps).where(and(eq(eheSteps.episodeId, episode.id), eq(eheSteps.kind, u.kind), eq(eheSteps.status, 'open')));
    if (!open) throw new DomainError('validation', 'There is no request of that kind waiting for a reply.');
    await uow.tx.update(eheSteps).set({ status: 'done', completedOn: env.today, details: { ...(open.details as Record<string, unknown>), reply: u.summary } }).where(eq(eheSteps.id, open.id));
    uow.event({ type: 'register.update-received', aggregateType: 'episode', aggregateId: episode.id, childId: episode.childId, summary: 'The parent sent the register details asked for', visibility: 'family' });
    uow.audit({ action: 'register.update-received', recordType: 'episode', recordId: episode.id, childId: episode.childId });
  });
}

const preliminarySchema = z.object({ version: z.coerce.number().int().min(1), reasons: z.string({ error: 'Enter the reasons' }).trim().min(1, 'Enter the reasons').max(10000, 'Reasons must be 10,000 characters or fewer') });

/**
 * 2026 Act: a parent who has not registered the child or updated provider details by the date asked
 * can be served a preliminary notice, the first stage of the School Attendance Order process.
 */
export async function servePreliminaryNotice(deps: EheDeps, ctx: UseCaseContext, episodeId: string, input: unknown) {
  const p = parseInput(preliminarySchema, input);
  return withRegister(deps, ctx, 'register.preliminary-notice', async (uow, env) => {
    const episode = await loadOpenEhe(uow.tx, episodeId);
    const to = nextStatus(EHE_TRANSITIONS, episode.status as EheStatus, 'serve-preliminary-notice');
    if (!to) throw new DomainError('validation', 'A preliminary notice cannot be served at this stage of the episode.');
    const summary = registerSummary(env.settings, await stepsOf(uow.tx, episode.id), env.today);
    if (!summary.overdueRequest) {
      throw new DomainError('validation', 'A preliminary notice can only be served when the parent has not registered the child or updated provider details by the date asked.');
    }
    if (episode.version !== p.version) throw staleVersion('home education episode');
    const [updated] = await uow.tx
      .update(episodes)
      .set({ status: to, version: p.version + 1, updatedAt: ctx.now })
      .where(and(eq(episodes.id, episode.id), eq(episodes.version, p.version)))
      .returning();
    if (!updated) throw staleVersion('home education episode');
    const dueOn = env.calendar.nextWorkingDayOnOrAfter(addCalendarDays(env.today, env.settings.periods.preliminaryNoticeDays));
    const s = await addStep(uow, episode, 'preliminary-notice', true, env.today, dueOn, { reasons: p.reasons, trigger: summary.overdueRequest.kind, expiresOn: dueOn });
    await queueLettersToParents(uow, { childId: episode.childId, episodeId: episode.id, stepId: s.id, templateKey: 'preliminary-notice', data: { servedOn: formatLongDate(env.today), expiresOn: formatLongDate(dueOn), reasons: p.reasons } }, { baseUrl: deps.baseUrl });
    uow.event({ type: 'ehe.preliminary-notice-served', aggregateType: 'episode', aggregateId: episode.id, childId: episode.childId, summary: `Preliminary notice served; it ends on ${formatLongDate(dueOn)}`, visibility: 'family' });
    uow.audit({ action: 'register.preliminary-notice', recordType: 'episode', recordId: episode.id, childId: episode.childId, details: { trigger: summary.overdueRequest.kind } });
    return updated;
  });
}
