import type { RunInTransaction } from './db/unit-of-work.ts';
import type { UseCaseContext } from './domain/auth/actor.ts';
import type { PolicySettings } from './domain/auth/policies.ts';
import * as children from './domain/children/use-cases.ts';
import * as users from './domain/users/use-cases.ts';
import * as deletionReturns from './domain/register/deletion-returns.ts';
import * as episodes from './domain/register/episodes.ts';
import * as admissions from './domain/register/admissions.ts';
import * as matchReturns from './domain/register/match-returns.ts';
import * as importReturns from './domain/register/import-deletion-returns.ts';
import * as referrals from './domain/register/referrals.ts';
import * as education from './domain/register/education.ts';
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
    changeSocialCareStatus: (ctx: UseCaseContext, childId: string, input: unknown) => children.changeSocialCareStatus(childDeps, ctx, childId, input),
    completeFollowUp: (ctx: UseCaseContext, noteId: string, input: unknown) => children.completeFollowUp(childDeps, ctx, noteId, input),
    listMyWork: (ctx: UseCaseContext) => children.listMyWork(childDeps, ctx),
    signInUser: (ctx: UseCaseContext, identity: { issuer: string; subject: string }) => users.signInUser(userDeps, ctx, identity),
    signOutUser: (ctx: UseCaseContext) => users.signOutUser(userDeps, ctx),
    createApiClient: (ctx: UseCaseContext, input: { name: string; role: string; schoolUrn?: string | undefined }) => users.createApiClient(userDeps, ctx, input),
    listMessages: (ctx: UseCaseContext, recipientEmail: string) => users.listMessages(userDeps, ctx, recipientEmail),
    // The register
    viewEducation: (ctx: UseCaseContext, childId: string) => education.viewEducation({ ...registerDeps, policy: deps.policy }, ctx, childId),
    recordEducationArrangement: (ctx: UseCaseContext, childId: string, input: unknown) => education.recordEducationArrangement({ ...registerDeps, policy: deps.policy }, ctx, childId, input),
    addEducationProvider: (ctx: UseCaseContext, childId: string, input: unknown) => education.addEducationProvider({ ...registerDeps, policy: deps.policy }, ctx, childId, input),
    endEducationProvider: (ctx: UseCaseContext, childId: string, providerId: string) => education.endEducationProvider({ ...registerDeps, policy: deps.policy }, ctx, childId, providerId),
    referChildNotInSchool: (ctx: UseCaseContext, input: unknown) => referrals.referChildNotInSchool(registerDeps, ctx, input),
    receiveHomeEducationNotification: (ctx: UseCaseContext, input: unknown) => referrals.receiveHomeEducationNotification(registerDeps, ctx, input),
    listReferrals: (ctx: UseCaseContext, input?: unknown) => referrals.listReferrals(registerDeps, ctx, input),
    viewReferral: (ctx: UseCaseContext, referralId: string) => referrals.viewReferral(registerDeps, ctx, referralId),
    matchReferral: (ctx: UseCaseContext, referralId: string, input: unknown) => referrals.matchReferral(registerDeps, ctx, referralId, input),
    notifyHomeEducation: (ctx: UseCaseContext, input: unknown) => referrals.notifyHomeEducation(registerDeps, ctx, input),
    recordCmeEnquiry: (ctx: UseCaseContext, episodeId: string, input: unknown) => episodes.recordCmeEnquiry(registerDeps, ctx, episodeId, input),
    markWhereaboutsUnknown: (ctx: UseCaseContext, episodeId: string, input: unknown) => episodes.markWhereaboutsUnknown(registerDeps, ctx, episodeId, input),
    recordChildLocated: (ctx: UseCaseContext, episodeId: string, input: unknown) => episodes.recordChildLocated(registerDeps, ctx, episodeId, input),
    allocateEpisode: (ctx: UseCaseContext, episodeId: string, input: unknown) => episodes.allocateEpisode(registerDeps, ctx, episodeId, input),
    viewEpisode: (ctx: UseCaseContext, episodeId: string) => episodes.viewEpisode(registerDeps, ctx, episodeId),
    listEpisodes: (ctx: UseCaseContext, input?: unknown) => episodes.listEpisodes(registerDeps, ctx, input),
    listCouncilOfficers: (ctx: UseCaseContext) => episodes.listCouncilOfficers(registerDeps, ctx),
    recordAdmission: (ctx: UseCaseContext, input: unknown) => admissions.recordAdmission(registerDeps, ctx, input),
    submitDeletionReturn: (ctx: UseCaseContext, input: unknown, source: deletionReturns.DeletionReturnSource) => deletionReturns.submitDeletionReturn(registerDeps, ctx, input, source),
    listDeletionReturns: (ctx: UseCaseContext, filter?: { status?: string | undefined }) => deletionReturns.listDeletionReturns(registerDeps, ctx, filter),
    checkDeletionReturnsFile: (ctx: UseCaseContext, bytes: Uint8Array, options?: importReturns.CheckOptions) => importReturns.checkDeletionReturnsFile(registerDeps, ctx, bytes, options),
    importDeletionReturns: (ctx: UseCaseContext, bytes: Uint8Array, options: importReturns.ImportOptions) => importReturns.importDeletionReturns(registerDeps, ctx, bytes, options),
    checkAndHoldDeletionReturnsFile: (ctx: UseCaseContext, bytes: Uint8Array, fileName: string) => importReturns.checkAndHoldDeletionReturnsFile(registerDeps, ctx, bytes, fileName),
    loadHeldDeletionReturnsImport: (ctx: UseCaseContext) => importReturns.loadHeldDeletionReturnsImport(registerDeps, ctx),
    importHeldDeletionReturnsFile: (ctx: UseCaseContext, input: { mode: importReturns.ImportOptions['mode']; sha256: string }) => importReturns.importHeldDeletionReturnsFile(registerDeps, ctx, input),
    discardHeldDeletionReturnsFile: (ctx: UseCaseContext) => importReturns.discardHeldDeletionReturnsFile(registerDeps, ctx),
    loadDeletionReturnDraft: (ctx: UseCaseContext) => matchReturns.loadDeletionReturnDraft(registerDeps, ctx),
    saveDeletionReturnDraft: (ctx: UseCaseContext, answers: matchReturns.DraftAnswers) => matchReturns.saveDeletionReturnDraft(registerDeps, ctx, answers),
    discardDeletionReturnDraft: (ctx: UseCaseContext) => matchReturns.discardDeletionReturnDraft(registerDeps, ctx),
    viewDeletionReturn: (ctx: UseCaseContext, returnId: string) => matchReturns.viewDeletionReturn(registerDeps, ctx, returnId),
    matchDeletionReturn: (ctx: UseCaseContext, returnId: string, input: unknown) => matchReturns.matchDeletionReturn(registerDeps, ctx, returnId, input),
  };
}

export type Services = ReturnType<typeof createServices>;
