import { describe, expect, test } from 'vitest';
import { describeStepForFamily, familyStage, stageAfter, upcomingMeeting, type StepLike } from '../../src/domain/family/social-care-stages.ts';
import type { SocialCareStatus } from '../../src/domain/social-care/lifecycle.ts';

const step = (kind: string, details: Record<string, unknown> = {}, extra: Partial<StepLike> = {}): StepLike => ({ kind, status: 'done', startedOn: '2026-11-23', dueOn: null, details, withheldFromFamily: false, ...extra });

describe('the stage a family is shown', () => {
  test.each([
    [step('decision', { decision: 'nfa' }), 'closed'],
    [step('decision', { decision: 'early-help' }), 'early-help'],
    [step('decision', { decision: 'assessment' }), 'assessment'],
    [step('decision', { decision: 'strategy-discussion' }), 'strategy-discussion'],
    [step('consent', { consent: 'declined', escalated: true }), 'strategy-discussion'],
    [step('consent', { consent: 'given', escalated: false }), null],
    [step('assessment', { outcome: 'cin-plan' }), 'cin-plan'],
    [step('strategy-discussion', { outcome: 's47' }), 's47-enquiry'],
    [step('strategy-discussion', { outcome: 'no-s47' }), 'assessment'],
    [step('icpc', { outcome: 'plan' }), 'cp-plan'],
    [step('icpc', { outcome: 'no-plan' }), 'cin-plan'],
    [step('cp-review', { outcome: 'continue' }), null],
    [step('cp-review', { outcome: 'step-down-cin' }), 'cin-plan'],
    [step('cin-review', { outcome: 'close' }), 'closed'],
    [step('closure'), 'closed'],
    [step('family-contact', { method: 'phone' }), null],
  ] as const)('%o leads to %s', (s, stage) => {
    expect(stageAfter(s)).toBe(stage);
  });

  const journey = [step('decision', { decision: 'strategy-discussion' }), step('strategy-discussion', { outcome: 's47' }), step('s47-enquiry', {}, { status: 'open', dueOn: '2026-12-15' })];

  test('with nothing withheld, the stage is the episode’s own status', () => {
    expect(familyStage('s47-enquiry', journey)).toBe('s47-enquiry');
  });

  test('a withheld step leaves no trace: the stage is replayed from what the family may see', () => {
    const hidden = journey.map((s, i) => (i > 0 ? { ...s, withheldFromFamily: true } : s));
    expect(familyStage('s47-enquiry', hidden)).toBe('strategy-discussion');
    expect(familyStage('s47-enquiry', hidden.map((s) => ({ ...s, withheldFromFamily: true })))).toBe('initial-enquiries');
    expect(upcomingMeeting('s47-enquiry' as SocialCareStatus, hidden)).toBeNull();
    expect(upcomingMeeting('s47-enquiry', journey)).toMatchObject({ label: 'Initial child protection conference', step: { dueOn: '2026-12-15' } });
  });

  test('steps are described in plain words; withheld and unknown kinds are not described at all', () => {
    expect(describeStepForFamily(step('decision', { decision: 'assessment', reasons: 'To help.' }))).toEqual({ date: '2026-11-23', label: 'Our decision on the referral', text: 'A child and family assessment. Our reasons: To help.' });
    expect(describeStepForFamily(step('consent', { step: 'assessment', consent: 'declined' }))!.text).toBe('You said no to the child and family assessment.');
    expect(describeStepForFamily(step('cp-plan', { category: 'NEG' }, { status: 'open' }))!.text).toBe('The plan started. Category: neglect.');
    expect(describeStepForFamily(step('decision', { decision: 'nfa' }, { withheldFromFamily: true }))).toBeNull();
    expect(describeStepForFamily(step('information-request'))).toBeNull();
  });
});
