import type { FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import { paths } from '../paths.ts';
import type { Role } from '../../domain/auth/roles.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page with the layout's shared context (user, CSRF token, CSP nonce, navigation). */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
  }
}

interface NavigationItem {
  href: string;
  text: string;
  active?: boolean;
}

const STAFF_WITH_SEARCH: readonly Role[] = ['ehe_officer', 'cme_officer', 'mash_worker', 'social_worker', 'team_manager', 'data_officer', 'school_user', 'health_visitor'];
const STAFF_WITH_WORK: readonly Role[] = ['ehe_officer', 'cme_officer', 'mash_worker', 'social_worker', 'team_manager'];

/** The service navigation a role sees; pages outside it are still refused by the use cases. */
export function navigationFor(role: Role | null, currentPath: string): NavigationItem[] {
  if (!role) return [];
  const items: NavigationItem[] = [{ href: paths.home, text: role === 'parent' ? 'Your children' : 'Home' }];
  if (STAFF_WITH_SEARCH.includes(role)) items.push({ href: paths.children.search, text: 'Find a child' });
  if (STAFF_WITH_WORK.includes(role)) items.push({ href: paths.work, text: 'Your work' });
  items.push({ href: paths.outbox, text: 'Messages' });
  return items.map((item) => ({ ...item, active: currentPath === item.href || (item.href !== paths.home && currentPath.startsWith(`${item.href}/`)) }));
}

type NonceReply = FastifyReply & { cspNonce?: { script: string; style: string } };

export function renderPage(env: nunjucks.Environment, request: FastifyRequest, reply: FastifyReply, template: string, context: Record<string, unknown> = {}): string {
  const session = request.session;
  const path = request.url.split('?')[0] ?? '/';
  return env.render(template, {
    currentUser: session?.user ?? null,
    csrfToken: session?.csrfToken ?? '',
    cspNonce: (reply as NonceReply).cspNonce?.script ?? '',
    navigation: navigationFor(session?.user.role ?? null, path),
    correlationId: request.id,
    ...context,
  });
}
