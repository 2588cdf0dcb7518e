/** Every page's address in one place, so templates and redirects never spell a URL by hand. */
export const paths = {
  start: '/',
  home: '/home',
  signIn: '/sign-in',
  signInParent: '/sign-in/parent',
  signInCallback: '/auth/callback',
  signOut: '/sign-out',
  signedOut: '/signed-out',
  accessibility: '/accessibility',
  children: {
    search: '/children',
    record: (childId: string) => `/children/${childId}`,
    newNote: (childId: string) => `/children/${childId}/notes/new`,
    changeDetails: (childId: string) => `/children/${childId}/details`,
  },
  work: '/work',
  followUpDone: (noteId: string) => `/work/${noteId}/done`,
  outbox: '/outbox',
} as const;
