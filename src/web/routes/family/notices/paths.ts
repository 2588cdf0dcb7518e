/** The addresses of the family service's notice pages, so templates and redirects never spell one by hand. */
export const noticePaths = {
  family: '/family',
  notify: {
    start: '/family/notify',
    question: (slug: string) => `/family/notify/${slug}`,
    provider: '/family/notify/provider',
    editProvider: (index: number) => `/family/notify/provider?index=${index}`,
    removeProvider: (index: number) => `/family/notify/provider/remove?index=${index}`,
    check: '/family/notify/check',
    startAgain: '/family/notify/start-again',
    sent: (submissionId: string) => `/family/notify/sent/${submissionId}`,
  },
  changes: {
    start: '/family/changes',
    address: '/family/changes/address',
    provider: '/family/changes/provider',
    sent: (submissionId: string) => `/family/changes/sent/${submissionId}`,
  },
  contactPreferences: '/family/contact-preferences',
  support: {
    start: '/family/support',
    sent: (submissionId: string) => `/family/support/sent/${submissionId}`,
  },
} as const;
