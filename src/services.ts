import type { RunInTransaction } from './db/unit-of-work.ts';
import type { UseCaseContext } from './domain/auth/actor.ts';
import type { PolicySettings } from './domain/auth/policies.ts';
import * as children from './domain/children/use-cases.ts';
import * as users from './domain/users/use-cases.ts';
import * as deletionReturns from './domain/register/deletion-returns.ts';
import type { ChildMatcher } from './domain/register/matching.ts';

/**
 * Every business operation, bound to its dependencies. Pages, the JSON API, jobs and the CLI all
 * call these same functions; none of them holds a business rule of its own.
 */
export function createServices(deps: { runInTransaction: RunInTransaction; policy: PolicySettings; matcher: ChildMatcher }) {
  const childDeps = { runInTransaction: deps.runInTransaction, policy: deps.policy };
  const userDeps = { runInTransaction: deps.runInTransaction };
  const registerDeps = { runInTransaction: deps.runInTransaction, matcher: deps.matcher };
  return {
    searchChildren: (ctx: UseCaseContext, input: unknown) => children.searchChildren(childDeps, ctx, input),
    listMyChildren: (ctx: UseCaseContext) => children.listMyChildren(childDeps, ctx),
    viewChildRecord: (ctx: UseCaseContext, childId: string) => children.viewChildRecord(childDeps, ctx, childId),
    addCaseNote: (ctx: UseCaseContext, childId: string, input: unknown) => children.addCaseNote(childDeps, ctx, childId, input),
    changeChildDetails: (ctx: UseCaseContext, childId: string, input: unknown) => children.changeChildDetails(childDeps, ctx, childId, input),
    completeFollowUp: (ctx: UseCaseContext, noteId: string, input: unknown) => children.completeFollowUp(childDeps, ctx, noteId, input),
    listMyWork: (ctx: UseCaseContext) => children.listMyWork(childDeps, ctx),
    signInUser: (ctx: UseCaseContext, identity: { issuer: string; subject: string }) => users.signInUser(userDeps, ctx, identity),
    signOutUser: (ctx: UseCaseContext) => users.signOutUser(userDeps, ctx),
    createApiClient: (ctx: UseCaseContext, input: { name: string; role: string; schoolUrn?: string | undefined }) => users.createApiClient(userDeps, ctx, input),
    listMessages: (ctx: UseCaseContext, recipientEmail: string) => users.listMessages(userDeps, ctx, recipientEmail),
    // The register
    submitDeletionReturn: (ctx: UseCaseContext, input: unknown, source: deletionReturns.DeletionReturnSource) => deletionReturns.submitDeletionReturn(registerDeps, ctx, input, source),
    listDeletionReturns: (ctx: UseCaseContext, filter?: { status?: string | undefined }) => deletionReturns.listDeletionReturns(registerDeps, ctx, filter),
  };
}

export type Services = ReturnType<typeof createServices>;
