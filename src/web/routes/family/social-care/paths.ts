/**
 * The addresses of the family service's social care and complaints pages, and of the social worker's
 * page for withholding a step from the family. Kept beside the pages so templates and redirects never
 * spell a URL by hand.
 */
export const familySocialCarePaths = {
  /** The family service's home page. */
  hub: '/family',
  list: '/family/social-care',
  episode: (episodeId: string) => `/family/social-care/${episodeId}`,
  declineVisit: (episodeId: string) => `/family/social-care/${episodeId}/decline-visit`,
  assessment: (episodeId: string) => `/family/social-care/${episodeId}/assessment`,
  closureConfirmation: (episodeId: string) => `/family/social-care/${episodeId}/closure-confirmation`,
  views: (episodeId: string) => `/family/social-care/${episodeId}/views`,
  letter: (episodeId: string, letterId: string) => `/family/social-care/${episodeId}/letters/${letterId}`,
  complaints: '/family/complaints',
  newComplaint: '/family/complaints/new',
  complaint: (submissionId: string) => `/family/complaints/${submissionId}`,
  escalate: (submissionId: string) => `/family/complaints/${submissionId}/escalate`,
  /** Staff pages this area links to: the handling page for a family item, and a family's document. */
  familyItem: (submissionId: string) => `/family-items/${submissionId}`,
  document: (documentId: string) => `/family/documents/${documentId}`,
  withhold: (episodeId: string, stepId: string) => `/social-care/episodes/${episodeId}/steps/${stepId}/withhold`,
} as const;
