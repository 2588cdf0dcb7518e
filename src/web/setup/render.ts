import type { FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import { paths } from '../paths.ts';
import { canGlobally } from '../../domain/auth/policies.ts';
import { hasCaseworkRole, type Role } from '../../domain/auth/roles.ts';

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

/** The service navigation a role sees; pages outside it are still refused by the use cases. */
export function navigationFor(role: Role | null, currentPath: string): NavigationItem[] {
  if (!role) return [];
  if (role === 'parent') {
    const family: NavigationItem[] = [
      { href: '/family', text: 'Your family' },
      { href: '/family/letters', text: 'Letters' },
      { href: '/family/social-care', text: 'Social care' },
      { href: '/family/contact-preferences', text: 'Contact preferences' },
      { href: paths.outbox, text: 'Messages' },
    ];
    return family.map((item) => ({ ...item, active: currentPath === item.href || (item.href !== '/family' && currentPath.startsWith(`${item.href}/`)) }));
  }
  const items: NavigationItem[] = [{ href: paths.home, text: 'Home' }];
  const actor = { kind: 'user' as const, id: null, label: '', role, schoolId: null };
  if (canGlobally(actor, 'child.search')) items.push({ href: paths.children.search, text: 'Find a child' });
  if (role === 'ehe_officer' || role === 'team_manager') items.push({ href: paths.homeEducation.work, text: 'Home education' });
  if (role === 'mash_worker' || role === 'social_worker' || role === 'team_manager') items.push({ href: paths.socialCare.work, text: 'Social care' });
  if (role === 'cme_officer' || role === 'data_officer') items.push({ href: paths.matching.list, text: 'Data matching' });
  if (role === 'school_user' || role === 'health_visitor') items.push({ href: paths.informationRequests.list, text: 'Information requests' });
  if (hasCaseworkRole(role) || role === 'data_officer') items.push({ href: paths.register.list, text: 'Register' });
  if (hasCaseworkRole(role) || role === 'data_officer' || role === 'school_user') items.push({ href: paths.returns.list, text: 'Deletion returns' });
  if (hasCaseworkRole(role) || role === 'data_officer') items.push({ href: paths.referrals.list, text: 'Referrals' });
  if (['ehe_officer', 'cme_officer', 'data_officer', 'school_user'].includes(role)) items.push({ href: paths.imports.deletionReturns, text: 'Upload returns' });
  if (role === 'health_visitor') items.push({ href: paths.referrals.new, text: 'Refer a child' });
  if (hasCaseworkRole(role)) items.push({ href: paths.work, text: 'Your work' });
  if (hasCaseworkRole(role) || role === 'data_officer') items.push({ href: '/family-items', text: 'From families' });
  items.push({ href: paths.outbox, text: 'Messages' });
  if (role === 'administrator') items.push({ href: paths.admin.settings, text: 'Settings' });
  if (role === 'administrator') items.push({ href: paths.adminLetters, text: 'Letter templates' });
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
    currentPath: request.url,
    ...context,
  });
}
