/**
 * The addresses of the family's letters, replies, records and corrections, so templates and
 * redirects never spell them by hand.
 */
export const enquiryPaths = {
  family: '/family',
  letters: '/family/letters',
  letter: (letterId: string) => `/family/letters/${letterId}`,
  letterPdf: (letterId: string) => `/family/letters/${letterId}.pdf`,
  reply: (letterId: string) => `/family/letters/${letterId}/reply`,
  replyInWriting: (letterId: string) => `/family/letters/${letterId}/reply/writing`,
  meeting: (letterId: string) => `/family/letters/${letterId}/reply/meeting`,
  declineVisit: (letterId: string) => `/family/letters/${letterId}/reply/decline-visit`,
  replySent: (letterId: string, submissionId: string) => `/family/letters/${letterId}/replies/${submissionId}`,
  child: (childId: string) => `/family/children/${childId}`,
  childCorrection: (childId: string, item?: string) => `/family/children/${childId}/correction${item ? `?item=${encodeURIComponent(item)}` : ''}`,
  you: '/family/about-you',
  youCorrection: (item?: string) => `/family/about-you/correction${item ? `?item=${encodeURIComponent(item)}` : ''}`,
  correctionSent: (submissionId: string) => `/family/corrections/${submissionId}`,
  /** Pages built elsewhere in the family service and the staff pages for what families send. */
  sent: (submissionId: string) => `/family/sent/${submissionId}`,
  document: (documentId: string) => `/family/documents/${documentId}`,
  socialCare: '/family/social-care',
  contactPreferences: '/family/contact-preferences',
  familyItem: (submissionId: string) => `/family-items/${submissionId}`,
} as const;
