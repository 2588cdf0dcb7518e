import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

import { ROLE_LABELS } from '../domain/auth/roles.ts';
import type { DemoAccount } from '../seed/demo-accounts.ts';

/** Where the main app serves GOV.UK Frontend's compiled stylesheet. */
export const GOVUK_STYLESHEET_HREF = '/assets/govuk/govuk-frontend.min.css';

const templatesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');
const govukFrontendDist = path.join(
  path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')),
  'dist',
);

// Autoescaping is on, so every value a page interpolates is HTML-escaped unless marked safe.
const environment = new nunjucks.Environment(
  new nunjucks.FileSystemLoader([templatesDir, govukFrontendDist]),
  { autoescape: true, throwOnUndefined: false },
);

const commonContext = { stylesheetHref: GOVUK_STYLESHEET_HREF, homeHref: '/' };

export const NO_ACCOUNT_CHOSEN = 'Select an account to sign in as';

export interface SignInPageInput {
  formAction: string;
  accounts: readonly DemoAccount[];
  selectedAccount: string | null;
  errorMessage: string | null;
}

/** The hint under each account: what the person does and who they work for. */
function accountHint(account: DemoAccount): string {
  const role = ROLE_LABELS[account.role];
  return account.organisation === undefined ? role : `${role}, ${account.organisation}`;
}

/** Renders the account chooser, so a visitor can sign in as any demo person offered to the client. */
export function renderSignInPage(input: SignInPageInput): string {
  return environment.render('sign-in.njk', {
    ...commonContext,
    pageTitle: 'Sign in to the Northshire demo',
    hasError: input.errorMessage !== null,
    errorMessage: input.errorMessage,
    formAction: input.formAction,
    selectedAccount: input.selectedAccount,
    accountItems: input.accounts.map((account) => ({
      value: account.subject,
      text: account.displayName,
      hint: { text: accountHint(account) },
    })),
  });
}

export interface SignOutPageInput {
  /** The provider's own hidden form (action and anti-forgery token), rendered as given. */
  logoutFormHtml: string;
  logoutFormId: string;
  accountName: string | null;
}

/** Renders the sign-out confirmation without script, so it works under a strict content security policy. */
export function renderSignOutPage(input: SignOutPageInput): string {
  return environment.render('sign-out.njk', {
    ...commonContext,
    pageTitle: 'Sign out',
    hasError: false,
    logoutFormHtml: input.logoutFormHtml,
    logoutFormId: input.logoutFormId,
    accountName: input.accountName,
  });
}

/** Renders a plain page with a heading and some paragraphs, for outcomes and errors. */
export function renderMessagePage(pageTitle: string, paragraphs: readonly string[]): string {
  return environment.render('message.njk', {
    ...commonContext,
    pageTitle,
    hasError: false,
    paragraphs,
  });
}
