import { formatLongDate, type IsoDate } from '../calendar/index.ts';
import { VOLUNTARY_STATUSES, type SocialCareStatus } from '../social-care/lifecycle.ts';

/**
 * How a social care episode looks from the family's side: the stage in plain words, what happens
 * next, and each step the family may see. A step a social worker has withheld from the family is
 * left out entirely, and the stage is worked out as if it had never happened, so nothing on the
 * family's pages hints that there is more (no counts, no gaps, no stage that only it explains).
 */

export interface StepLike {
  kind: string;
  status: string;
  startedOn: IsoDate;
  dueOn: IsoDate | null;
  details: unknown;
  withheldFromFamily: boolean;
}

export const FAMILY_STAGE_LABELS: Record<SocialCareStatus, string> = {
  'initial-enquiries': 'We are deciding what to do next',
  'early-help': 'Early help: support your family has agreed to',
  assessment: 'A social worker is assessing your family’s needs (a child and family assessment)',
  'strategy-discussion': 'Professionals are discussing concerns about your child’s safety (a strategy discussion)',
  's47-enquiry': 'Child protection enquiries, before a child protection conference',
  'cin-plan': 'Child in need plan',
  'cp-plan': 'Child protection plan',
  closed: 'Closed',
};

export const FAMILY_WHAT_NEXT: Record<SocialCareStatus, readonly string[]> = {
  'initial-enquiries': [
    'Someone from children’s social care is finding out more. They may talk to you, to your child, and to people who know your child, such as their school or doctor.',
    'We will then decide whether to take no further action, point you to other services, offer early help, or assess your family’s needs. We will tell you what we decide and why.',
  ],
  'early-help': ['A practitioner will agree a plan of support with you. Early help is voluntary: you can stop at any time.'],
  assessment: [
    'A social worker will talk with you and your child, and with people who know your family, about what help you might need.',
    'When the assessment is finished we will give you a copy, and you can add your comments and your child’s comments.',
  ],
  'strategy-discussion': ['Professionals such as social care, the police and health services are talking about whether your child may be at risk of significant harm. We will tell you what they decide.'],
  's47-enquiry': [
    'A social worker is making enquiries under section 47 of the Children Act 1989, to find out whether your child is at risk of significant harm.',
    'If concerns remain, we will hold an initial child protection conference. You will be invited, and you can send your views and your child’s views before it.',
  ],
  'cin-plan': ['A child in need plan sets out the help your family has agreed to. It is reviewed regularly; you and your child are invited to each review and can send your views before it.'],
  'cp-plan': [
    'A child protection plan sets out what must happen to keep your child safe. It is not voluntary.',
    'The plan is reviewed at review conferences: the first within 3 months of the initial conference, then at least every 6 months. You can send your views and your child’s views before each one.',
  ],
  closed: ['We have closed the case. We must tell you that it is closed, by letter or by phone. You can ask for written confirmation at any time.'],
};

/** The stage a step moves the episode to, when it moves it at all (see the lifecycle in social-care/lifecycle.ts). */
export function stageAfter(step: Pick<StepLike, 'kind' | 'details'>): SocialCareStatus | null {
  const d = (step.details ?? {}) as Record<string, unknown>;
  const pick = (value: unknown, table: Record<string, SocialCareStatus | null>) => (typeof value === 'string' ? (table[value] ?? null) : null);
  switch (step.kind) {
    case 'decision':
      return pick(d['decision'], { nfa: 'closed', signposting: 'closed', 'early-help': 'early-help', assessment: 'assessment', 'strategy-discussion': 'strategy-discussion' });
    case 'consent':
      return d['escalated'] === true ? 'strategy-discussion' : null;
    case 'assessment':
      return pick(d['outcome'], { nfa: 'closed', signposting: 'closed', 'early-help': 'early-help', 'cin-plan': 'cin-plan', 'strategy-discussion': 'strategy-discussion' });
    case 'strategy-discussion':
      return d['outcome'] === 's47' ? 's47-enquiry' : 'assessment';
    case 'icpc':
      return d['outcome'] === 'plan' ? 'cp-plan' : 'cin-plan';
    case 'cp-review':
    case 'cin-review':
      return pick(d['outcome'], { continue: null, 'step-down-cin': 'cin-plan', 'step-down-early-help': 'early-help', close: 'closed' });
    case 'closure':
      return 'closed';
    default:
      return null;
  }
}

/**
 * The stage the family is shown. With nothing withheld it is the episode's own status; otherwise it
 * is replayed from the steps the family may see, so a withheld step leaves no trace in the stage.
 */
export function familyStage(status: SocialCareStatus, steps: readonly StepLike[]): SocialCareStatus {
  if (!steps.some((s) => s.withheldFromFamily)) return status;
  let stage: SocialCareStatus = 'initial-enquiries';
  for (const step of steps) {
    if (step.withheldFromFamily) continue;
    stage = stageAfter(step) ?? stage;
  }
  return stage;
}

/** Section 17 work needs the parents' agreement; section 47 enquiries and child protection plans do not. */
export function isVoluntaryStage(stage: SocialCareStatus): boolean {
  return VOLUNTARY_STATUSES.includes(stage);
}

/** The meeting a family can send views for at this stage: its open step, name and date. */
export function upcomingMeeting<S extends StepLike>(stage: SocialCareStatus, steps: readonly S[]): { step: S; label: string } | null {
  const kinds: Partial<Record<SocialCareStatus, { kind: string; label: string }>> = {
    's47-enquiry': { kind: 's47-enquiry', label: 'Initial child protection conference' },
    'cp-plan': { kind: 'cp-plan', label: 'Child protection review conference' },
    'cin-plan': { kind: 'cin-plan', label: 'Child in need plan review' },
  };
  const wanted = kinds[stage];
  if (!wanted) return null;
  const step = [...steps].reverse().find((s) => s.kind === wanted.kind && s.status === 'open' && !s.withheldFromFamily);
  return step ? { step, label: wanted.label } : null;
}

const DECISIONS_PLAIN: Record<string, string> = {
  nfa: 'No further action',
  signposting: 'We pointed you to other services that may help',
  'early-help': 'We offered early help',
  assessment: 'A child and family assessment',
  'strategy-discussion': 'A strategy discussion about your child’s safety',
};
const S17_PLAIN: Record<string, string> = { assessment: 'the child and family assessment', 'early-help': 'early help', 'cin-plan': 'the child in need plan' };
const CONSENT_PLAIN: Record<string, string> = { given: 'You agreed to', declined: 'You said no to', withdrawn: 'You withdrew your agreement to' };
const REVIEW_PLAIN: Record<string, string> = {
  continue: 'The plan continues',
  'step-down-cin': 'The child protection plan ended; a child in need plan continues',
  'step-down-early-help': 'The plan ended; early help continues',
  close: 'The plan ended and the case closed',
};
const CATEGORIES_PLAIN: Record<string, string> = { NEG: 'neglect', PHY: 'physical abuse', SAB: 'sexual abuse', EMO: 'emotional abuse', MUL: 'more than one category' };

/** What each kind of step is called on the family's pages; kinds not listed are not shown to families. */
export const FAMILY_STEP_LABELS: Record<string, string> = {
  decision: 'Our decision on the referral',
  consent: 'Your agreement',
  'family-contact': 'We contacted you',
  visit: 'Home visit',
  'visit-declined': 'You said no to a home visit',
  assessment: 'Child and family assessment finished',
  'strategy-discussion': 'Strategy discussion',
  's47-enquiry': 'Section 47 enquiries began',
  icpc: 'Initial child protection conference',
  'cp-plan': 'Child protection plan',
  'cin-plan': 'Child in need plan',
  'cp-review': 'Child protection review conference',
  'cin-review': 'Child in need plan review',
  direction: 'Something the plan says must happen',
  closure: 'Case closed',
  'family-told-of-closure': 'We told you the case is closed',
  escalation: 'You asked a team manager to look again',
  complaint: 'Your complaint',
};

/** One visible step in the family's words: when, what, and what it means. */
export function describeStepForFamily(step: StepLike): { date: IsoDate; label: string; text: string } | null {
  const label = FAMILY_STEP_LABELS[step.kind];
  if (!label || step.withheldFromFamily) return null;
  const d = (step.details ?? {}) as Record<string, unknown>;
  const str = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  let text = '';
  switch (step.kind) {
    case 'decision':
      text = `${DECISIONS_PLAIN[str('decision')] ?? 'Decision recorded'}.${str('reasons') ? ` Our reasons: ${str('reasons')}` : ''}`;
      break;
    case 'consent':
      text = `${CONSENT_PLAIN[str('consent')] ?? 'You told us about'} ${S17_PLAIN[str('step')] ?? 'help under section 17'}.`;
      break;
    case 'family-contact':
      text = str('method') === 'letter' ? 'We wrote to you.' : 'We spoke to you on the phone.';
      break;
    case 'visit':
      text = 'A visit to your home, with your agreement.';
      break;
    case 'visit-declined':
      text = 'You told us you did not agree to a home visit.';
      break;
    case 'assessment':
      text = str('sharedOn') ? `We sent you a copy on ${formatLongDate(str('sharedOn'))}.` : 'We will send you a copy.';
      break;
    case 'strategy-discussion':
      text = str('outcome') === 's47' ? 'Professionals decided to make enquiries under section 47.' : 'Professionals decided that section 47 enquiries were not needed.';
      break;
    case 's47-enquiry':
      text = 'Enquiries under section 47 of the Children Act 1989.';
      break;
    case 'icpc':
      text = str('outcome') === 'plan' ? 'The conference decided your child needs a child protection plan.' : 'The conference decided your child does not need a child protection plan; a child in need plan started.';
      break;
    case 'cp-plan':
      text = `${step.status === 'open' ? 'The plan started' : 'The plan has ended'}.${str('category') ? ` Category: ${CATEGORIES_PLAIN[str('category')] ?? str('category')}.` : ''}`;
      break;
    case 'cin-plan':
      text = step.status === 'open' ? 'The plan started.' : 'The plan has ended.';
      break;
    case 'cp-review':
    case 'cin-review':
      text = `${REVIEW_PLAIN[str('outcome')] ?? 'Review held'}.`;
      break;
    case 'direction':
      text = str('text');
      break;
    case 'closure':
      text = 'We closed the case.';
      break;
    case 'family-told-of-closure':
      text = str('method') === 'phone' ? 'We told you by phone.' : 'We sent you a letter.';
      break;
    case 'escalation':
    case 'complaint':
      text = `${str('summary')}${str('outcome') ? ` Outcome: ${str('outcome')}` : ''}`;
      break;
  }
  return { date: step.startedOn, label, text };
}
