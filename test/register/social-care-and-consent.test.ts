import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { auditLog, childAddresses, children, councils, domainEvents, enrolments } from '../../src/db/schema/index.ts';
import { ENGINES } from '../support/databases.ts';
import { createTestRuntime } from '../support/app.ts';
import { contextFor } from '../support/actors.ts';
import { deletionReturnFor, pupilOnDemoRoll } from '../support/register.ts';
import { DomainError } from '../../src/domain/errors.ts';

type Setup = Awaited<ReturnType<typeof createTestRuntime>>;

describe.each(ENGINES)('social care status, consent to withdraw and address history on %s', (engine) => {
  let setup: Setup;
  const db = () => setup.runtime.database.db;
  const services = () => setup.runtime.services;
  const reload = async (id: string) => (await db().select().from(children).where(eq(children.id, id)))[0]!;
  const statusInput = (version: number, protectionStatus: string, extra: Record<string, string> = {}) => ({ version, lookedAfter: 'no', childInNeed: 'yes', protectionStatus, ...extra });

  beforeAll(async () => {
    setup = await createTestRuntime(engine);
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('a social worker records that a child is subject to a child protection plan; the change is audited and on the timeline', async () => {
    const { child } = await pupilOnDemoRoll(db(), { offset: 3, withoutEpisodes: true });
    const ctx = await contextFor(db(), 'demo-social-worker');
    const updated = await services().changeSocialCareStatus(ctx, child.id, statusInput(child.version, 'cp-plan'));
    expect(updated).toMatchObject({ protectionStatus: 'cp-plan', childInNeed: true, lookedAfter: false, version: child.version + 1 });
    const [event] = await db().select().from(domainEvents).where(eq(domainEvents.childId, child.id)).orderBy(desc(domainEvents.id)).limit(1);
    expect(event).toMatchObject({ type: 'child.social-care-status-changed', visibility: 'social-care' });
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.childId, child.id), eq(auditLog.action, 'child.social-care-status')));
    expect(audit).toBeDefined();
  });

  test.each(['demo-ehe-officer', 'demo-data-officer', 'demo-school-user', 'demo-parent'])('%s may not change a child’s social care status', async (username) => {
    const { child } = await pupilOnDemoRoll(db(), { offset: 4 });
    const ctx = await contextFor(db(), username);
    await expect(services().changeSocialCareStatus(ctx, child.id, statusInput(child.version, 'cp-plan'))).rejects.toMatchObject({ code: 'forbidden' });
    expect((await reload(child.id)).protectionStatus).toBe('none');
  });

  test('an out-of-date version or a missing answer is refused and nothing changes', async () => {
    const { child } = await pupilOnDemoRoll(db(), { offset: 5 });
    const ctx = await contextFor(db(), 'demo-team-manager');
    await expect(services().changeSocialCareStatus(ctx, child.id, statusInput(child.version + 7, 's47-enquiry'))).rejects.toMatchObject({ code: 'stale-version' });
    const missing = await services()
      .changeSocialCareStatus(ctx, child.id, { version: child.version, lookedAfter: 'no', childInNeed: '', protectionStatus: 'x' })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(DomainError);
    expect((missing as DomainError).fields).toMatchObject({ childInNeed: 'Select whether the child is a child in need', protectionStatus: expect.stringContaining('section 47') });
    expect((await reload(child.id)).protectionStatus).toBe('none');
  });

  test('ground f for a child on a child protection plan at a mainstream school is held for consent; the pupil stays on roll', async () => {
    const { school, child } = await pupilOnDemoRoll(db(), { offset: 3, withoutEpisodes: true });
    expect((await reload(child.id)).protectionStatus).toBe('cp-plan');
    expect(school.type).not.toBe('special');
    const result = await services().submitDeletionReturn(await contextFor(db(), 'demo-school-user'), deletionReturnFor(child, { ground: 'f', eheReason: 'lifestyle' }), 'api');
    expect(result.outcome).toBe('held-for-consent');
    const [enrolment] = await db().select().from(enrolments).where(and(eq(enrolments.childId, child.id), eq(enrolments.schoolId, school.id)));
    expect(enrolment!.endDate).toBeNull();
  });

  test('a plan that has ended needs consent only within the council’s look-back period', async () => {
    const first = await pupilOnDemoRoll(db(), { offset: 6, withoutEpisodes: true });
    const second = await pupilOnDemoRoll(db(), { offset: 7, withoutEpisodes: true });
    const worker = await contextFor(db(), 'demo-social-worker');
    for (const { child } of [first, second]) {
      const onPlan = await services().changeSocialCareStatus(worker, child.id, statusInput(child.version, 'cp-plan'));
      const ended = await services().changeSocialCareStatus(worker, child.id, statusInput(onPlan.version, 'none'));
      expect(ended.protectionEndedOn).toBe(worker.now.toISOString().slice(0, 10));
    }
    const school = await contextFor(db(), 'demo-school-user');
    const withoutLookBack = await services().submitDeletionReturn(school, deletionReturnFor(first.child, { ground: 'f' }), 'api');
    expect(withoutLookBack.outcome).toBe('ehe-episode-opened');

    const [council] = await db().select().from(councils).limit(1);
    await db().update(councils).set({ settings: { periods: { consentProtectionLookbackYears: 5 } } }).where(eq(councils.id, council!.id));
    try {
      const withLookBack = await services().submitDeletionReturn(school, deletionReturnFor(second.child, { ground: 'f' }), 'api');
      expect(withLookBack.outcome).toBe('held-for-consent');
    } finally {
      await db().update(councils).set({ settings: council!.settings }).where(eq(councils.id, council!.id));
    }
  });

  test('a change of address keeps the old address in the child’s address history, shown to council staff', async () => {
    const { child } = await pupilOnDemoRoll(db(), { offset: 8 });
    const officer = await contextFor(db(), 'demo-ehe-officer');
    const change = { version: child.version, firstName: child.firstName, lastName: child.lastName, dateOfBirth: child.dateOfBirth, sex: child.sex, town: child.town };
    await services().changeChildDetails(officer, child.id, { ...change, addressLine1: '1 New Street', postcode: 'NZ9 9ZZ' });
    const moved = await reload(child.id);
    await services().changeChildDetails(officer, child.id, { ...change, version: moved.version, addressLine1: '2 Later Road', postcode: 'NZ8 8ZZ' });
    const history = await db().select().from(childAddresses).where(eq(childAddresses.childId, child.id)).orderBy(childAddresses.recordedAt);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ addressLine1: child.addressLine1, postcode: child.postcode, livedFrom: null, source: 'officer' });
    expect(history[1]).toMatchObject({ addressLine1: '1 New Street', postcode: 'NZ9 9ZZ', livedFrom: history[0]!.livedTo });
    const record = await services().viewChildRecord(officer, child.id);
    expect(record.staffDetails!.previousAddresses.map((a) => a.addressLine1)).toEqual(expect.arrayContaining([child.addressLine1, '1 New Street']));
    const school = await services().viewChildRecord(await contextFor(db(), 'demo-school-user'), child.id).catch(() => null);
    if (school) expect(school.staffDetails).toBeNull();
  });

  test('changing details without moving adds nothing to the address history', async () => {
    const { child } = await pupilOnDemoRoll(db(), { offset: 9 });
    const officer = await contextFor(db(), 'demo-cme-officer');
    await services().changeChildDetails(officer, child.id, {
      version: child.version,
      firstName: child.firstName,
      lastName: child.lastName,
      preferredName: 'Sam',
      dateOfBirth: child.dateOfBirth,
      sex: child.sex,
      addressLine1: child.addressLine1,
      addressLine2: child.addressLine2 ?? '',
      town: child.town,
      postcode: child.postcode,
    });
    expect(await db().select().from(childAddresses).where(eq(childAddresses.childId, child.id))).toHaveLength(0);
  });
});
