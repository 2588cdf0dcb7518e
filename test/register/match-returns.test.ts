import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { auditLog, children, deletionReturns, domainEvents, enrolments, episodes } from '../../src/db/schema/index.ts';
import { DEMO_SCHOOL_URN } from '../../src/seed/demo-accounts.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { pupilOnDemoRoll as pupilOnRoll } from '../support/register.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

describe.each(ENGINES)('matching deletion returns that wait for an officer on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  const pupilOnDemoRoll = (offset: number) => pupilOnRoll(db(), { offset });

  const baseReturn = {
    parentName: 'Jo Example',
    parentAddressLine1: '1 Test Row',
    parentTown: 'Brackenthwaite',
    parentPostcode: 'nz1 1aa',
    emergencyPhone: '07700 900123',
    deletionDate: '2026-11-20',
    safeguardingConcerns: 'no',
    upn: '',
  };

  test('an officer links a waiting return to a candidate; the enrolment ends and the timeline says who matched it', async () => {
    const { school, child } = await pupilOnDemoRoll(5);
    const schoolCtx = await contextFor(db(), 'demo-school-user');
    // A different first name: Cairn is not sure, so the return waits.
    const sent = await services().submitDeletionReturn(schoolCtx, { ...baseReturn, pupilFirstName: 'Xanthe', pupilLastName: child.lastName, pupilDateOfBirth: child.dateOfBirth, ground: 'a' }, 'form');
    expect(sent.outcome).toBe('awaiting-match');

    const officer = await contextFor(db(), 'demo-data-officer');
    const view = await services().viewDeletionReturn(officer, sent.returnId);
    expect(view.canMatch).toBe(true);
    const candidate = view.candidates.find((c) => c.childId === child.id);
    expect(candidate?.reasons).toEqual(expect.arrayContaining(['Same date of birth', 'Same last name']));

    const result = await services().matchDeletionReturn(officer, sent.returnId, { childId: child.id });
    expect(result).toEqual({ childId: child.id, created: false, outcome: 'recorded' });
    const [saved] = await db().select().from(deletionReturns).where(eq(deletionReturns.id, sent.returnId));
    expect(saved).toMatchObject({ childId: child.id, status: 'processed' });
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school.id)));
    expect(enrolment).toMatchObject({ endDate: '2026-11-20', deletionGround: 'a' });
    const events = await db().select().from(domainEvents).where(eq(domainEvents.childId, child.id)).orderBy(desc(domainEvents.id)).limit(2);
    expect(events.map((e) => e.type).sort()).toEqual(['deletion-return.matched', 'deletion-return.received']);
    expect(events.find((e) => e.type === 'deletion-return.matched')!.summary).toContain('Sidney Carrowmore');
    const [audit] = await db().select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
    expect(audit).toMatchObject({ action: 'deletion-return.match', recordId: sent.returnId, childId: child.id });

    // Matched already: a second officer's match is refused as stale, and nothing changes.
    await expect(services().matchDeletionReturn(await contextFor(db(), 'demo-cme-officer'), sent.returnId, { create: true })).rejects.toMatchObject({ code: 'stale-version' });
  });

  test('an officer adds a new child from the return’s details, and the ground opens a missing-education case', async () => {
    const schoolCtx = await contextFor(db(), 'demo-school-user');
    const sent = await services().submitDeletionReturn(schoolCtx, { ...baseReturn, pupilFirstName: 'Nobody', pupilLastName: 'Knownhere', pupilDateOfBirth: '2013-03-03', ground: 'i' }, 'form');
    expect(sent.outcome).toBe('awaiting-match');
    const officer = await contextFor(db(), 'demo-cme-officer');
    const result = await services().matchDeletionReturn(officer, sent.returnId, { create: true });
    expect(result).toMatchObject({ created: true, outcome: 'cme-case-opened' });
    const [child] = await db().select().from(children).where(eq(children.id, result.childId));
    expect(child).toMatchObject({ firstName: 'Nobody', lastName: 'Knownhere', dateOfBirth: '2013-03-03', sex: 'U', addressLine1: '1 Test Row', town: 'Brackenthwaite', postcode: 'NZ1 1AA', postcodeKey: 'NZ11AA' });
    expect(child!.laChildId).toMatch(/^NS\d+$/);
    const [episode] = await db().select().from(episodes).where(eq(episodes.childId, result.childId));
    expect(episode).toMatchObject({ kind: 'cme', status: 'identified', reason: 'i', sourceId: sent.returnId });
    const types = (await db().select().from(domainEvents).where(eq(domainEvents.childId, result.childId))).map((e) => e.type).sort();
    expect(types).toEqual(['child.registered', 'cme-case.opened', 'deletion-return.matched', 'deletion-return.received']);
    const viewed = await services().viewDeletionReturn(officer, sent.returnId);
    expect(viewed).toMatchObject({ canMatch: false, candidates: [], outcome: 'cme-case-opened' });
    expect(viewed.child?.id).toBe(result.childId);
  });

  test('only EHE, CME and data officers match, with a choice that is checked', async () => {
    const schoolCtx = await contextFor(db(), 'demo-school-user');
    const sent = await services().submitDeletionReturn(schoolCtx, { ...baseReturn, pupilFirstName: 'Still', pupilLastName: 'Waiting', pupilDateOfBirth: '2012-02-02', ground: 'k' }, 'form');
    for (const subject of ['demo-school-user', 'demo-health-visitor', 'demo-parent', 'demo-social-worker', 'demo-administrator']) {
      await expect(services().matchDeletionReturn(await contextFor(db(), subject), sent.returnId, { create: true })).rejects.toMatchObject({ code: 'forbidden' });
    }
    const officer = await contextFor(db(), 'demo-ehe-officer');
    await expect(services().matchDeletionReturn(officer, sent.returnId, {})).rejects.toMatchObject({ code: 'validation' });
    await expect(services().matchDeletionReturn(officer, sent.returnId, { childId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'validation' });
    await expect(services().matchDeletionReturn(officer, 'not-an-id', { create: true })).rejects.toMatchObject({ code: 'not-found' });
    const [saved] = await db().select().from(deletionReturns).where(eq(deletionReturns.id, sent.returnId));
    expect(saved!.status).toBe('awaiting-match');
    // The school sees its own return, without candidates; a parent not at all.
    const own = await services().viewDeletionReturn(schoolCtx, sent.returnId);
    expect(own).toMatchObject({ canMatch: false, candidates: [], outcome: 'awaiting-match' });
    await expect(services().viewDeletionReturn(await contextFor(db(), 'demo-parent'), sent.returnId)).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('a person’s unsent answers are kept between pages and forgotten on request', async () => {
    const schoolCtx = await contextFor(db(), 'demo-school-user');
    await services().saveDeletionReturnDraft(schoolCtx, { pupilFirstName: 'Draft' });
    await services().saveDeletionReturnDraft(schoolCtx, { pupilFirstName: 'Draft', pupilLastName: 'Pupil' });
    const draft = await services().loadDeletionReturnDraft(schoolCtx);
    expect(draft).toMatchObject({ answers: { pupilFirstName: 'Draft', pupilLastName: 'Pupil' }, choosesSchool: false, school: { urn: DEMO_SCHOOL_URN } });
    const officer = await contextFor(db(), 'demo-ehe-officer');
    expect((await services().loadDeletionReturnDraft(officer)).answers).toEqual({});
    await expect(services().saveDeletionReturnDraft(officer, { schoolUrn: '999999' })).rejects.toMatchObject({ fields: { schoolUrn: 'There is no school with that URN in Cairn' } });
    await services().discardDeletionReturnDraft(schoolCtx);
    expect((await services().loadDeletionReturnDraft(schoolCtx)).answers).toEqual({});
    await expect(services().loadDeletionReturnDraft(await contextFor(db(), 'demo-health-visitor'))).rejects.toMatchObject({ code: 'forbidden' });
  });
});
