import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { paths } from '../paths.ts';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "22 November 2026", the GOV.UK date style. Accepts a Date or an ISO date string. */
export function formatDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value;
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

const UK_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "22 November 2026 at 3:04pm", in UK time. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  const parts = UK_DATE_TIME.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase().replace(/\s/g, '')}`;
}

/** The template environment: our pages plus GOV.UK Frontend's and MOJ Frontend's macros. */
export function createTemplateEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [here('../views'), here('../routes'), here('../../../node_modules/govuk-frontend/dist'), here('../../../node_modules/@ministryofjustice/frontend')],
      { noCache: false },
    ),
    { autoescape: true, throwOnUndefined: false },
  );
  env.addFilter('govukDate', formatDate);
  env.addFilter('govukDateTime', formatDateTime);
  env.addGlobal('paths', paths);
  env.addGlobal('serviceName', 'Cairn');
  return env;
}
