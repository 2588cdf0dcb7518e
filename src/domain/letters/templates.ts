/**
 * The wording Cairn ships for each letter. A council can replace the subject and body of any of
 * them with its own (the `letter_templates` table); these stay as the fallback and as the wording
 * "Use the shipped wording" goes back to.
 *
 * Every letter is rendered with the same context: `council`, `child`, `recipient`, `today` and
 * `writtenOnly`, plus a `data` object whose contents depend on the letter. Dates arrive already
 * formatted ("3 March 2027"), so templates never format anything themselves.
 */

export const LETTER_TEMPLATE_KEYS = [
  'informal-enquiry',
  'suitability-outcome',
  's437-notice',
  'notice-of-intention',
  'school-attendance-order',
  'sao-revoked',
  'consent-decision-parent',
  'consent-decision-school',
  'provider-update-request',
  'preliminary-notice',
  'social-care-closure',
  'social-care-escalation',
  'assessment-copy',
] as const;

export type LetterTemplateKey = (typeof LETTER_TEMPLATE_KEYS)[number];

export function isLetterTemplateKey(value: string): value is LetterTemplateKey {
  return (LETTER_TEMPLATE_KEYS as readonly string[]).includes(value);
}

/** The values every letter can use, whatever it is about. */
export interface LetterContextBase {
  council: { name: string; team: string; phone: string; email: string; website: string; policyUrl: string };
  child: { firstName: string; lastName: string; dateOfBirth: string };
  recipient: { name: string };
  today: string;
  /** The recipient asked for contact about home education in writing only. */
  writtenOnly: boolean;
}

export interface ShippedTemplate {
  title: string;
  description: string;
  subject: string;
  body: string;
  /** A complete, made-up context: for previews, for checking a council's wording, and for tests. */
  sample: Record<string, unknown>;
}

/**
 * How every letter ends: who to contact, where the policy is published, other formats and
 * languages, and how to challenge what the council did. The same for every letter, so a family
 * always knows their rights whichever letter they are reading.
 */
const RIGHTS_AND_CONTACT = `# Your rights and how to contact us

If you have any questions about this letter, contact the {{ council.team }} at {{ council.name }}.

{% if council.phone %}
- Telephone: {{ council.phone }}
{% endif %}
{% if council.email %}
- Email: {{ council.email }}
{% endif %}

Quote our reference when you contact us.

You can read our home education policy at {{ council.policyUrl }}

You can ask for this letter, and any letter we send you, in another format, such as large print, easy read or braille. You can also ask for it in another language. Contact us to ask.

If you disagree with what we have done, you can ask for a team manager to look at it again. Contact us to ask. You can also use the council’s complaints procedure{% if council.website %}, which is on our website at {{ council.website }}{% endif %}.
`;

const SAMPLE_BASE: LetterContextBase = {
  council: {
    name: 'Northshire Council',
    team: 'Elective Home Education Team',
    phone: '01632 960 000',
    email: 'home.education@northshire.example',
    website: 'https://www.northshire.example',
    policyUrl: 'https://cairn.northshire.example/home-education-policy',
  },
  child: { firstName: 'Ellis', lastName: 'Marchbank', dateOfBirth: '14 June 2015' },
  recipient: { name: 'Sam Marchbank' },
  today: '3 March 2027',
  writtenOnly: true,
};

const sample = (data: Record<string, unknown>, overrides: Partial<LetterContextBase> = {}): Record<string, unknown> => ({ ...SAMPLE_BASE, ...overrides, data });

const INFORMAL_ENQUIRY = `Dear {{ recipient.name }},

We understand that {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}, is being educated at home. We are writing to ask you about {{ child.firstName }}’s education.

Parents have the right to educate their children at home. The council has a duty to make sure every child receives a suitable education. We ask every family who educates at home for information, so this letter does not mean we think anything is wrong.

# What we are asking for

Tell us about the education {{ child.firstName }} is receiving by **{{ data.replyBy }}**.

You can choose how to show us. For example, you could:

- send us a written report about {{ child.firstName }}’s education
- send us some samples of {{ child.firstName }}’s work
- meet us somewhere neutral, such as a library
- invite us to visit you at home, if you would like to

You do not have to agree to a home visit. Choosing not to have a visit is never, by itself, a reason for us to decide that {{ child.firstName }}’s education is not suitable.

It helps us to know what {{ child.firstName }} learns, how, and how much time it takes each week. It also helps to hear what {{ child.firstName }} thinks about their education.

{% if writtenOnly %}
You have asked us to contact you in writing only. We will only contact you in writing.

{% endif %}
# What happens next

We will read what you send us and write to you to tell you what we think. If we need to know more, we will tell you what and why.

If we do not hear from you by {{ data.replyBy }}, we will have to decide whether {{ child.firstName }} is receiving a suitable education using the information we already have.

${RIGHTS_AND_CONTACT}`;

const SUITABILITY_OUTCOME = `Dear {{ recipient.name }},

Thank you for the information about {{ child.firstName }}’s education. We have looked at it carefully.

{% if data.outcome == "suitable" %}
# Our decision

We are satisfied that {{ child.firstName }} is receiving a suitable education.

# Our reasons

{{ data.reasoning }}

# What happens next

You do not need to do anything now. We will contact you again around **{{ data.nextContactOn }}** to ask how {{ child.firstName }}’s education is going.

Tell us if anything changes. For example, if {{ child.firstName }} starts at a school or you move house.
{% else %}
# Our decision

{% if data.outcome == "not-suitable" %}
We have decided that {{ child.firstName }}’s education does not appear to be suitable.
{% else %}
From the information we have, we are not satisfied that {{ child.firstName }} is receiving a suitable education.
{% endif %}

A suitable education is efficient and full-time. It must suit {{ child.firstName }}’s age, ability and aptitude, and any special educational needs {{ child.firstName }} has.

# Our reasons

{{ data.reasoning }}

# What happens next

We would like to work with you to put this right. You can send us more information at any time. For example, a written report, samples of work, or details of anyone else who teaches {{ child.firstName }}. We will consider everything you send.

If we still cannot be satisfied that {{ child.firstName }} is receiving a suitable education, we may serve a formal notice under section 437(1) of the Education Act 1996. The notice would give you a set time to show us that {{ child.firstName }} is receiving a suitable education. If you do not, the next step could be a School Attendance Order, which would require {{ child.firstName }} to be registered at a school.

# How to respond

Contact us to send more information or to arrange a time to talk. It helps if you reply within 15 days of the date of this letter.
{% endif %}

${RIGHTS_AND_CONTACT}`;

const S437_NOTICE = `Dear {{ recipient.name }},

# Notice under section 437(1) of the Education Act 1996

This is a formal notice about {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}. It was served on {{ data.servedOn }}.

It appears to the council that {{ child.firstName }} may not be receiving a suitable education, either by regular attendance at school or otherwise.

**You are required to satisfy the council, by {{ data.expiresOn }}, that {{ child.firstName }} is receiving a suitable education.**

# Why we are concerned

{{ data.concerns }}

# What you need to do

Send us information that shows {{ child.firstName }} is receiving a suitable education. A suitable education is efficient and full-time. It must suit {{ child.firstName }}’s age, ability and aptitude, and any special educational needs {{ child.firstName }} has.

You can choose how to show us. For example:

- a written report about {{ child.firstName }}’s education
- samples of {{ child.firstName }}’s work
- a meeting with us somewhere neutral, such as a library
- a visit at home, if you would like one

You do not have to agree to a home visit. Choosing not to have a visit is never, by itself, a reason for us to decide that the education is not suitable.

# What happens if we are not satisfied

If you have not satisfied us by {{ data.expiresOn }} that {{ child.firstName }} is receiving a suitable education, and we think {{ child.firstName }} should go to school, we will serve a notice of intention to serve a School Attendance Order (section 437(3) of the Education Act 1996).

That notice will name the school or schools we intend to name in the order. You will be able to choose a school.

A School Attendance Order requires you to register {{ child.firstName }} at the school named in it. Not following an order is a criminal offence.

${RIGHTS_AND_CONTACT}`;

const NOTICE_OF_INTENTION = `Dear {{ recipient.name }},

# Notice of intention to serve a School Attendance Order

This is a notice under section 437(3) of the Education Act 1996 about {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}. It was served on {{ data.servedOn }}.

We have not been satisfied that {{ child.firstName }} is receiving a suitable education, and we think {{ child.firstName }} should go to school. We intend to serve a School Attendance Order on you.

# The schools we intend to name

The order will name one of these schools:

{% for school in data.schools %}
- {{ school }}
{% endfor %}

# You can choose the school

You have 15 days to choose a school. Tell us by **{{ data.choiceEndsOn }}** which school you want {{ child.firstName }} to go to.

If you choose a school by then, we will name it in the order.

If you do not choose a school by {{ data.choiceEndsOn }}, we will choose one of the schools listed above.

# You can still show us that the education is suitable

If you send us information that satisfies us that {{ child.firstName }} is receiving a suitable education, we will not serve the order. Contact us as soon as you can.

${RIGHTS_AND_CONTACT}`;

const SCHOOL_ATTENDANCE_ORDER = `Dear {{ recipient.name }},

# School Attendance Order

This is a School Attendance Order under section 437 of the Education Act 1996 about {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}. It was served on {{ data.servedOn }}.

The council is not satisfied that {{ child.firstName }} is receiving a suitable education, and thinks {{ child.firstName }} should go to school.

**You are required to register {{ child.firstName }} as a pupil at {{ data.school }}.**

# What you need to do

Contact {{ data.school }} to arrange for {{ child.firstName }} to start. Then tell us when {{ child.firstName }} has been registered.

# If you do not follow the order

Not following a School Attendance Order is a criminal offence under section 443 of the Education Act 1996. It is not an offence if you can show that {{ child.firstName }} is receiving a suitable education other than at school.

If you do not follow the order, the council may prosecute you. If a court finds you guilty, you could be fined.

The order stays in force while {{ child.firstName }} is of compulsory school age, unless the council revokes it or a court directs that it should end.

# Asking us to revoke the order

You can ask us at any time to revoke the order because you have arranged for {{ child.firstName }} to receive a suitable education other than at school.

To ask, write to us with details of the education {{ child.firstName }} will receive. We will consider your request and tell you our decision. If we refuse, you can ask the Secretary of State for Education to direct us to revoke the order.

${RIGHTS_AND_CONTACT}`;

const SAO_REVOKED = `Dear {{ recipient.name }},

# School Attendance Order revoked

We have revoked the School Attendance Order for {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}. The order ended on {{ data.revokedOn }}.

You no longer have to register {{ child.firstName }} at the school named in the order.

# Our reasons

{{ data.reasons }}

# What happens next

If {{ child.firstName }} is educated at home, we will stay in touch, usually once a year, to ask how their education is going. Tell us if anything changes.

${RIGHTS_AND_CONTACT}`;

const CONSENT_DECISION_PARENT = `Dear {{ recipient.name }},

{{ data.schoolName }} told us that you want to educate {{ child.firstName }} {{ child.lastName }} at home.

In some cases, a school can only take a child off its roll to be educated at home if the council consents. This is under section 434A of the Education Act 1996, as inserted by the Children’s Wellbeing and Schools Act 2026. It applies to {{ child.firstName }}.

We made our decision on {{ data.decidedOn }}.

{% if data.decision == "granted" %}
# Our decision: we consent

We have given our consent. {{ data.schoolName }} may now take {{ child.firstName }} off its roll so that you can educate {{ child.firstName }} at home.

# Our reasons

{{ data.reasons }}

# What happens next

Until the school takes {{ child.firstName }} off its roll, {{ child.firstName }} is still a pupil there and should keep going to school.

After that, we will contact you to ask about the education {{ child.firstName }} is receiving, as we do with every family who educates at home.
{% else %}
# Our decision: we do not consent

We have refused consent. {{ child.firstName }} will stay on the roll of {{ data.schoolName }} and should keep going to school.

# Our reasons

{{ data.reasons }}

# What happens next

If things change, you can ask us to think again. Contact us to talk about what has changed.
{% endif %}

${RIGHTS_AND_CONTACT}`;

const CONSENT_DECISION_SCHOOL = `Dear {{ recipient.name }},

# Consent to take a pupil off roll for home education

This letter is about {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}, a pupil at {{ data.schoolName }}.

Under section 434A of the Education Act 1996, as inserted by the Children’s Wellbeing and Schools Act 2026, {{ child.firstName }} can only be taken off the school’s roll for home education if the council consents.

We made our decision on {{ data.decidedOn }}.

{% if data.decision == "granted" %}
# Our decision: we consent

We have given our consent. You may now take {{ child.firstName }} off roll for home education. Make the deletion from your admission register in the usual way and tell us the date.

# Our reasons

{{ data.reasons }}
{% else %}
# Our decision: we do not consent

We have refused consent. {{ child.firstName }} must stay on the school’s roll. Do not take {{ child.firstName }} off roll for home education.

Keep recording {{ child.firstName }}’s attendance and follow your usual procedures if {{ child.firstName }} does not attend.

# Our reasons

{{ data.reasons }}
{% endif %}

${RIGHTS_AND_CONTACT}`;

const PROVIDER_UPDATE_REQUEST = `Dear {{ recipient.name }},

The council keeps a register of children who are not in school, as the Children’s Wellbeing and Schools Act 2026 requires. It includes who else, apart from parents, provides each child’s education. We are writing to ask you to check and update these details for {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}.

# What we are asking for

By **{{ data.replyBy }}**, tell us about each person or organisation, other than you, who provides any of {{ child.firstName }}’s education. For example, a tutor, an online school, a tuition centre or a group. For each one, tell us:

- their name
- their address or website
- how many hours a week {{ child.firstName }} spends with them
- how many of those hours {{ child.firstName }} is there without a parent

If nobody else provides {{ child.firstName }}’s education, tell us that. If nothing has changed since you last told us, you can just say so.

{% if writtenOnly %}
You have asked us to contact you in writing only. We will only contact you in writing.

{% endif %}
# What happens next

We will update the register with what you tell us. If we do not hear from you by {{ data.replyBy }}, we may serve a preliminary notice. This is the first stage of the School Attendance Order process, so it is important that you reply.

${RIGHTS_AND_CONTACT}`;

const PRELIMINARY_NOTICE = `Dear {{ recipient.name }},

# Preliminary notice

This is a preliminary notice about {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}. It was served on {{ data.servedOn }}.

A preliminary notice is the first stage of the School Attendance Order process under the Education Act 1996, as amended by the Children’s Wellbeing and Schools Act 2026.

# Why we are serving this notice

{{ data.reasons }}

# What you need to do

**By {{ data.expiresOn }}, give us the details about {{ child.firstName }} and their education that we asked you for.**

Contact us if you are not sure what we need, or if something is making it hard for you to reply. We want to help you put this right.

# What happens if you do not

If you do not give us the details by {{ data.expiresOn }}, we may move to the next stage of the School Attendance Order process. A School Attendance Order would require you to register {{ child.firstName }} at a school.

${RIGHTS_AND_CONTACT}`;

const SOCIAL_CARE_CLOSURE = `Dear {{ recipient.name }},

# We have closed our enquiries

Children’s social care received a referral about {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}, on {{ data.referralDate }}. We have finished our enquiries and closed the case on {{ data.closedOn }}.

# What we decided

{{ data.outcome }}

{% if data.reasons %}
{{ data.reasons }}
{% endif %}

{% if data.homeEducated %}
Home education is not in itself a safeguarding concern. Nothing in this letter is about your right to educate {{ child.firstName }} at home.
{% endif %}

# What this means for you

- We will take no further action on this referral.
- You can ask us for a copy of what we recorded about the referral and our enquiries.
- If something changes and you would like support, you can contact us at any time.

# If you are unhappy

You can ask to speak to a team manager about how we dealt with the referral, and you can use the council’s complaints procedure. An advocacy service can help you do this.

# How to contact us

{% if council.phone %}
- Telephone: {{ council.phone }}
{% endif %}
{% if council.email %}
- Email: {{ council.email }}
{% endif %}

You can ask for this letter in another format, such as large print or easy read, or in another language.`;

/** How every letter from children's social care ends: who to contact, escalation, advocacy, other formats. */
const SOCIAL_CARE_CONTACT = `# How to contact us

{% if council.phone %}
- Telephone: {{ council.phone }}
{% endif %}
{% if council.email %}
- Email: {{ council.email }}
{% endif %}

You can ask to speak to a team manager, and you can use the council’s complaints procedure. An advocacy service can help you. You can ask for this letter in another format, such as large print or easy read, or in another language.`;

const SOCIAL_CARE_ESCALATION = `Dear {{ recipient.name }},

# Why we are taking further steps

You told us that you do not want a {{ data.step }} for {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}. You have the right to say no to this help: it is offered under section 17 of the Children Act 1989, which is voluntary.

We are writing to tell you, openly, that on {{ data.decidedOn }} we decided to hold a strategy discussion with other professionals. This is because:

{{ data.reasons }}

# What happens next

A strategy discussion decides whether there is reasonable cause to suspect that {{ child.firstName }} is suffering, or is likely to suffer, significant harm. If there is, we must make enquiries under section 47 of the Children Act 1989. Those enquiries are not voluntary.

We will tell you what the strategy discussion decides. You can send us your views, and {{ child.firstName }}’s views, to be considered.

You may want to get independent legal advice.

${SOCIAL_CARE_CONTACT}`;

const ASSESSMENT_COPY = `Dear {{ recipient.name }},

# Your copy of the assessment

We completed the child and family assessment for {{ child.firstName }} {{ child.lastName }}, born {{ child.dateOfBirth }}, on {{ data.completedOn }}. This is your copy.

# What the assessment found

{{ data.summary }}

# Education

{{ data.educationSection }}

# What happens next

{{ data.outcome }}

# Your comments

You can tell us if you think anything in the assessment is wrong, or add your own comments. We will record them on the assessment, alongside it, so anyone reading it sees both.

${SOCIAL_CARE_CONTACT}`;

export const SHIPPED_TEMPLATES: Record<LetterTemplateKey, ShippedTemplate> = {
  'social-care-escalation': {
    title: 'Further steps after declined help',
    description: 'Tells the family, when they have declined section 17 help, that the team is escalating to a strategy discussion, and why.',
    subject: 'Further steps about {{ child.firstName }} {{ child.lastName }}',
    body: SOCIAL_CARE_ESCALATION,
    sample: sample({ step: 'child and family assessment', decidedOn: '3 March 2027', reasons: 'The school and the GP have both told us that Ellis has lost a lot of weight, and we have not been able to see Ellis.' }),
  },
  'assessment-copy': {
    title: 'Copy of the assessment',
    description: 'Sends the parents their copy of a completed child and family assessment and asks for their comments.',
    subject: 'Your copy of the assessment for {{ child.firstName }} {{ child.lastName }}',
    body: ASSESSMENT_COPY,
    sample: sample({
      completedOn: '3 March 2027',
      summary: 'Ellis is happy and well cared for. The family would like help with respite for Ellis’s younger brother.',
      educationSection: 'Ellis is educated at home. The council’s home education team judged the education suitable in January.',
      outcome: 'We will offer a Child in Need plan, with your agreement, for short breaks support.',
    }),
  },
  'social-care-closure': {
    title: 'Social care case closed',
    description: 'Tells the family in writing that children’s social care has finished its enquiries and closed the case, and what that means.',
    subject: 'We have closed our enquiries about {{ child.firstName }} {{ child.lastName }}',
    body: SOCIAL_CARE_CLOSURE,
    sample: sample({
      referralDate: '1 March 2027',
      closedOn: '3 March 2027',
      outcome: 'After speaking with you and with Ellis’s GP, we found no concerns about Ellis’s safety or welfare.',
      reasons: 'The referral said only that Ellis had left school to be educated at home.',
      homeEducated: true,
    }),
  },
  'informal-enquiry': {
    title: 'Informal enquiry',
    description: 'Asks a family, respectfully, for information about the education their child is receiving at home.',
    subject: 'Your child’s education: {{ child.firstName }} {{ child.lastName }}',
    body: INFORMAL_ENQUIRY,
    sample: sample({ replyBy: '24 March 2027' }),
  },
  'suitability-outcome': {
    title: 'Decision on suitability',
    description: 'Tells the family whether the council is satisfied that the education is suitable, with the reasons.',
    subject: 'Our decision about {{ child.firstName }} {{ child.lastName }}’s education',
    body: SUITABILITY_OUTCOME,
    sample: sample({
      outcome: 'suitable',
      reasoning: 'Your report and the samples of work show a broad curriculum, with daily English and maths, a weekly science group and regular reading. The work shows clear progress since September.',
      nextContactOn: '3 March 2028',
    }),
  },
  's437-notice': {
    title: 'Notice under section 437(1)',
    description: 'The formal notice requiring the parent to satisfy the council, within a set period, that the child is receiving a suitable education.',
    subject: 'Notice under section 437(1) of the Education Act 1996: {{ child.firstName }} {{ child.lastName }}',
    body: S437_NOTICE,
    sample: sample({
      servedOn: '3 March 2027',
      expiresOn: '18 March 2027',
      concerns: 'We wrote to you on 6 January 2027 and 3 February 2027 asking about Ellis’s education. We have not received any information about the education Ellis is receiving.',
    }),
  },
  'notice-of-intention': {
    title: 'Notice of intention to serve a School Attendance Order',
    description: 'Tells the parent the council intends to serve a School Attendance Order, lists the schools, and gives them 15 days to choose one.',
    subject: 'Notice of intention to serve a School Attendance Order: {{ child.firstName }} {{ child.lastName }}',
    body: NOTICE_OF_INTENTION,
    sample: sample({ servedOn: '3 March 2027', choiceEndsOn: '18 March 2027', schools: ['Brackenthwaite Primary School', 'Fellside Church of England Primary School'] }),
  },
  'school-attendance-order': {
    title: 'School Attendance Order',
    description: 'The order requiring the parent to register the child at the named school, with what happens if they do not and how to ask for it to be revoked.',
    subject: 'School Attendance Order: {{ child.firstName }} {{ child.lastName }}',
    body: SCHOOL_ATTENDANCE_ORDER,
    sample: sample({ servedOn: '3 March 2027', school: 'Brackenthwaite Primary School' }),
  },
  'sao-revoked': {
    title: 'School Attendance Order revoked',
    description: 'Tells the parent that the council has revoked a School Attendance Order, and why.',
    subject: 'School Attendance Order revoked: {{ child.firstName }} {{ child.lastName }}',
    body: SAO_REVOKED,
    sample: sample({ revokedOn: '3 March 2027', reasons: 'You sent us a detailed plan for Ellis’s education at home, with samples of work. We are satisfied that Ellis is now receiving a suitable education other than at school.' }),
  },
  'consent-decision-parent': {
    title: 'Consent decision (to the parent)',
    description: 'Tells the parent whether the council consents to the school taking their child off roll for home education, with the reasons.',
    subject: 'Our decision on taking {{ child.firstName }} {{ child.lastName }} off the school roll',
    body: CONSENT_DECISION_PARENT,
    sample: sample({
      decision: 'granted',
      reasons: 'We spoke with you, with Ellis and with the school. Your plan for Ellis’s education is clear, and the social worker agrees that home education is in Ellis’s best interests.',
      schoolName: 'Brackenthwaite Primary School',
      decidedOn: '3 March 2027',
    }),
  },
  'consent-decision-school': {
    title: 'Consent decision (to the school)',
    description: 'Tells the headteacher whether the council consents to the pupil being taken off roll for home education, with the reasons.',
    subject: 'Consent decision for {{ child.firstName }} {{ child.lastName }}: home education',
    body: CONSENT_DECISION_SCHOOL,
    sample: sample(
      {
        decision: 'refused',
        reasons: 'Taking into account the views of the family, the school and the social worker, we think attending school is in Ellis’s best interests at present.',
        schoolName: 'Brackenthwaite Primary School',
        decidedOn: '3 March 2027',
      },
      { recipient: { name: 'Headteacher' }, writtenOnly: false },
    ),
  },
  'provider-update-request': {
    title: 'Request for details of other education providers',
    description: 'Asks the family to check and update who else provides the child’s education, for the children not in school register.',
    subject: 'Details needed: who provides {{ child.firstName }} {{ child.lastName }}’s education',
    body: PROVIDER_UPDATE_REQUEST,
    sample: sample({ replyBy: '24 March 2027' }),
  },
  'preliminary-notice': {
    title: 'Preliminary notice',
    description: 'The first stage of the School Attendance Order process, when the family has not given the register details asked for by the date asked.',
    subject: 'Preliminary notice: {{ child.firstName }} {{ child.lastName }}',
    body: PRELIMINARY_NOTICE,
    sample: sample({
      servedOn: '3 March 2027',
      expiresOn: '18 March 2027',
      reasons: 'We wrote to you on 6 January 2027 asking for details of the people who teach Ellis. We asked for a reply by 3 February 2027 and have not received one.',
    }),
  },
};

/**
 * The placeholders a template can use, read from its sample, for the hint beside the editor.
 * A list is marked as one, since it is used with `{% for %}` rather than printed.
 */
export function placeholderNames(sampleContext: Record<string, unknown>, prefix = ''): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(sampleContext)) {
    const name = `${prefix}${key}`;
    if (Array.isArray(value)) names.push(`${name} (a list)`);
    else if (typeof value === 'object' && value !== null) names.push(...placeholderNames(value as Record<string, unknown>, `${name}.`));
    else if (typeof value === 'boolean') names.push(`${name} (true or false)`);
    else names.push(name);
  }
  return names;
}
