import type { RunInTransaction } from './db/unit-of-work.ts';
import type { UseCaseContext } from './domain/auth/actor.ts';
import type { PolicySettings } from './domain/auth/policies.ts';
import * as children from './domain/children/use-cases.ts';
import * as users from './domain/users/use-cases.ts';
import * as merge from './domain/children/merge.ts';
import * as council from './domain/council/use-cases.ts';
import * as deletionReturns from './domain/register/deletion-returns.ts';
import * as episodes from './domain/register/episodes.ts';
import * as admissions from './domain/register/admissions.ts';
import * as matchReturns from './domain/register/match-returns.ts';
import * as importReturns from './domain/register/import-deletion-returns.ts';
import * as referrals from './domain/register/referrals.ts';
import * as education from './domain/register/education.ts';
import * as exercises from './domain/register/matching-exercise.ts';
import type { ChildMatcher } from './domain/register/matching.ts';
import * as ehe from './domain/ehe/use-cases.ts';
import * as consent from './domain/ehe/consent.ts';
import * as registerRegime from './domain/ehe/register-regime.ts';
import * as socialCare from './domain/social-care/use-cases.ts';
import * as letters from './domain/letters/use-cases.ts';
import * as familyStaff from './domain/family/staff.ts';
import { noticeServices } from './domain/family/notices.ts';
import { enquiryServices } from './domain/family/enquiries.ts';
import { socialCareFamilyServices } from './domain/family/social-care.ts';

/**
 * Every business operation, bound to its dependencies. Pages, the JSON API, jobs and the CLI all
 * call these same functions; none of them holds a business rule of its own.
 */
export function createServices(deps: { runInTransaction: RunInTransaction; policy: PolicySettings; matcher: ChildMatcher; baseUrl?: string }) {
  const childDeps = { runInTransaction: deps.runInTransaction, policy: deps.policy };
  const userDeps = { runInTransaction: deps.runInTransaction };
  const registerDeps = { runInTransaction: deps.runInTransaction, matcher: deps.matcher };
  const eheDeps = { runInTransaction: deps.runInTransaction, baseUrl: deps.baseUrl };
  const familyDeps = { runInTransaction: deps.runInTransaction, baseUrl: deps.baseUrl, policy: deps.policy };
  return {
    // The family service (parents and carers), and what staff do with what families send
    ...noticeServices(familyDeps),
    ...enquiryServices(familyDeps),
    ...socialCareFamilyServices(familyDeps),
    viewFamilyHome: (ctx: UseCaseContext) => familyStaff.viewFamilyHome(familyDeps, ctx),
    listFamilySubmissions: (ctx: UseCaseContext, input?: unknown) => familyStaff.listFamilySubmissions(familyDeps, ctx, input),
    listChildFamilySubmissions: (ctx: UseCaseContext, childId: string) => familyStaff.listChildFamilySubmissions(familyDeps, ctx, childId),
    viewFamilySubmission: (ctx: UseCaseContext, submissionId: string) => familyStaff.viewFamilySubmission(familyDeps, ctx, submissionId),
    handleFamilySubmission: (ctx: UseCaseContext, submissionId: string, input: unknown) => familyStaff.handleFamilySubmission(familyDeps, ctx, submissionId, input),
    downloadFamilyDocument: (ctx: UseCaseContext, documentId: string) => familyStaff.downloadFamilyDocument(familyDeps, ctx, documentId),
    searchChildren: (ctx: UseCaseContext, input: unknown) => children.searchChildren(childDeps, ctx, input),
    listMyChildren: (ctx: UseCaseContext) => children.listMyChildren(childDeps, ctx),
    viewChildRecord: (ctx: UseCaseContext, childId: string) => children.viewChildRecord(childDeps, ctx, childId),
    addCaseNote: (ctx: UseCaseContext, childId: string, input: unknown) => children.addCaseNote(childDeps, ctx, childId, input),
    changeChildDetails: (ctx: UseCaseContext, childId: string, input: unknown) => children.changeChildDetails(childDeps, ctx, childId, input),
    changeSocialCareStatus: (ctx: UseCaseContext, childId: string, input: unknown) => children.changeSocialCareStatus(childDeps, ctx, childId, input),
    completeFollowUp: (ctx: UseCaseContext, noteId: string, input: unknown) => children.completeFollowUp(childDeps, ctx, noteId, input),
    listMyWork: (ctx: UseCaseContext) => children.listMyWork(childDeps, ctx),
    mergeChildren: (ctx: UseCaseContext, input: unknown) => merge.mergeChildren(childDeps, ctx, input),
    unmergeChildren: (ctx: UseCaseContext, mergeId: string) => merge.unmergeChildren(childDeps, ctx, mergeId),
    compareForMerge: (ctx: UseCaseContext, survivorId: string, otherReference: string) => merge.compareForMerge(childDeps, ctx, survivorId, otherReference),
    signInUser: (ctx: UseCaseContext, identity: { issuer: string; subject: string }) => users.signInUser(userDeps, ctx, identity),
    signOutUser: (ctx: UseCaseContext) => users.signOutUser(userDeps, ctx),
    createApiClient: (ctx: UseCaseContext, input: { name: string; role: string; schoolUrn?: string | undefined }) => users.createApiClient(userDeps, ctx, input),
    listMessages: (ctx: UseCaseContext, recipientEmail: string) => users.listMessages(userDeps, ctx, recipientEmail),
    // The council's settings and its published home education policy
    viewCouncilSettings: (ctx: UseCaseContext) => council.viewCouncilSettings(userDeps, ctx),
    changeCouncilSettings: (ctx: UseCaseContext, input: unknown) => council.changeCouncilSettings(userDeps, ctx, input),
    changeHomeEducationPolicy: (ctx: UseCaseContext, input: unknown) => council.changeHomeEducationPolicy(userDeps, ctx, input),
    viewHomeEducationPolicy: (request: Pick<UseCaseContext, 'correlationId' | 'now'>) => council.viewHomeEducationPolicy(userDeps, request),
    // Children's social care
    receiveSocialCareReferral: (ctx: UseCaseContext, input: unknown) => socialCare.receiveReferral(eheDeps, ctx, input),
    recordSocialCareFamilyContact: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordFamilyContact(eheDeps, ctx, episodeId, input),
    sendInformationRequest: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.sendInformationRequest(eheDeps, ctx, episodeId, input),
    listMyInformationRequests: (ctx: UseCaseContext) => socialCare.listMyInformationRequests(eheDeps, ctx),
    answerInformationRequest: (ctx: UseCaseContext, requestId: string, input: unknown) => socialCare.answerInformationRequest(eheDeps, ctx, requestId, input),
    decideSocialCareReferral: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.decideReferral(eheDeps, ctx, episodeId, input),
    closeSocialCareEpisode: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.closeSocialCareEpisode(eheDeps, ctx, episodeId, input),
    recordClosureCommunication: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordClosureCommunication(eheDeps, ctx, episodeId, input),
    requestWrittenClosure: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.requestWrittenClosure(eheDeps, ctx, episodeId, input),
    viewSocialCareEpisode: (ctx: UseCaseContext, episodeId: string) => socialCare.viewSocialCareEpisode(eheDeps, ctx, episodeId),
    listMashWork: (ctx: UseCaseContext) => socialCare.listMashWork(eheDeps, ctx),
    recordS17Consent: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordS17Consent(eheDeps, ctx, episodeId, input),
    completeAssessment: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.completeAssessment(eheDeps, ctx, episodeId, input),
    authoriseAssessment: (ctx: UseCaseContext, episodeId: string) => socialCare.authoriseAssessment(eheDeps, ctx, episodeId),
    shareAssessment: (ctx: UseCaseContext, episodeId: string) => socialCare.shareAssessment(eheDeps, ctx, episodeId),
    recordAssessmentComments: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordAssessmentComments(eheDeps, ctx, episodeId, input),
    recordStrategyDiscussion: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordStrategyDiscussion(eheDeps, ctx, episodeId, input),
    recordInitialConference: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordInitialConference(eheDeps, ctx, episodeId, input),
    recordPlanReview: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordPlanReview(eheDeps, ctx, episodeId, input),
    addPlanDirection: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.addPlanDirection(eheDeps, ctx, episodeId, input),
    recordFamilyConcern: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordFamilyConcern(eheDeps, ctx, episodeId, input),
    recordConcernOutcome: (ctx: UseCaseContext, episodeId: string, input: unknown) => socialCare.recordConcernOutcome(eheDeps, ctx, episodeId, input),
    completePlanDirection: (ctx: UseCaseContext, directionId: string, input: unknown) => socialCare.completePlanDirection(eheDeps, ctx, directionId, input),
    // Home education
    viewEheEpisode: (ctx: UseCaseContext, episodeId: string) => ehe.viewEheEpisode(eheDeps, ctx, episodeId),
    listEheWork: (ctx: UseCaseContext) => ehe.listEheWork(eheDeps, ctx),
    sendInformalEnquiry: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.sendInformalEnquiry(eheDeps, ctx, episodeId, input),
    recordInformation: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.recordInformation(eheDeps, ctx, episodeId, input),
    recordJudgement: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.recordJudgement(eheDeps, ctx, episodeId, input),
    moderateJudgement: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.moderateJudgement(eheDeps, ctx, episodeId, input),
    serveS437Notice: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.serveS437Notice(eheDeps, ctx, episodeId, input),
    recordSatisfied: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.recordSatisfied(eheDeps, ctx, episodeId, input),
    serveNoticeOfIntention: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.serveNoticeOfIntention(eheDeps, ctx, episodeId, input),
    recordSchoolChoice: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.recordSchoolChoice(eheDeps, ctx, episodeId, input),
    serveSchoolAttendanceOrder: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.serveSchoolAttendanceOrder(eheDeps, ctx, episodeId, input),
    recordSaoComplied: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.recordSaoComplied(eheDeps, ctx, episodeId, input),
    revokeSao: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.revokeSao(eheDeps, ctx, episodeId, input),
    referForProsecution: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.referForProsecution(eheDeps, ctx, episodeId, input),
    closeEheEpisode: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.closeEheEpisode(eheDeps, ctx, episodeId, input),
    recordFamilyResponse: (ctx: UseCaseContext, episodeId: string, input: unknown) => ehe.recordFamilyResponse(eheDeps, ctx, episodeId, input),
    registerChild: (ctx: UseCaseContext, episodeId: string) => registerRegime.registerChild(eheDeps, ctx, episodeId),
    registerEligibleChildren: (ctx: UseCaseContext) => registerRegime.registerEligibleChildren(eheDeps, ctx),
    recordHomeConsidered: (ctx: UseCaseContext, episodeId: string, input: unknown) => registerRegime.recordHomeConsidered(eheDeps, ctx, episodeId, input),
    requestProviderUpdate: (ctx: UseCaseContext, episodeId: string) => registerRegime.requestProviderUpdate(eheDeps, ctx, episodeId),
    recordRegisterUpdateReceived: (ctx: UseCaseContext, episodeId: string, input: unknown) => registerRegime.recordRegisterUpdateReceived(eheDeps, ctx, episodeId, input),
    servePreliminaryNotice: (ctx: UseCaseContext, episodeId: string, input: unknown) => registerRegime.servePreliminaryNotice(eheDeps, ctx, episodeId, input),
    listConsentRequests: (ctx: UseCaseContext, input?: unknown) => consent.listConsentRequests(eheDeps, ctx, input),
    viewConsentRequest: (ctx: UseCaseContext, id: string) => consent.viewConsentRequest(eheDeps, ctx, id),
    startConsentConsideration: (ctx: UseCaseContext, id: string, input: unknown) => consent.startConsentConsideration(eheDeps, ctx, id, input),
    recordConsentViews: (ctx: UseCaseContext, id: string, input: unknown) => consent.recordConsentViews(eheDeps, ctx, id, input),
    decideConsent: (ctx: UseCaseContext, id: string, input: unknown) => consent.decideConsent(eheDeps, ctx, id, input),
    // The register
    runMatchingExercise: (ctx: UseCaseContext, bytes: Uint8Array, input: { name: string; fileName: string }) => exercises.runMatchingExercise(registerDeps, ctx, bytes, input),
    listMatchingExercises: (ctx: UseCaseContext) => exercises.listMatchingExercises(registerDeps, ctx),
    viewMatchingExercise: (ctx: UseCaseContext, exerciseId: string) => exercises.viewMatchingExercise(registerDeps, ctx, exerciseId),
    openCasesFromExercise: (ctx: UseCaseContext, exerciseId: string, input: unknown) => exercises.openCasesFromExercise(registerDeps, ctx, exerciseId, input),
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
    // Letters
    listCorrespondence: (ctx: UseCaseContext, childId: string) => letters.listCorrespondence(childDeps, ctx, childId),
    viewLetter: (ctx: UseCaseContext, letterId: string) => letters.viewLetter(childDeps, ctx, letterId),
    letterPdf: (ctx: UseCaseContext, letterId: string) => letters.letterPdf(childDeps, ctx, letterId),
    listLetterTemplates: (ctx: UseCaseContext) => letters.listLetterTemplates(childDeps, ctx),
    viewLetterTemplate: (ctx: UseCaseContext, key: string) => letters.viewLetterTemplate(childDeps, ctx, key),
    previewLetterTemplate: (ctx: UseCaseContext, key: string, input: unknown) => letters.previewLetterTemplate(childDeps, ctx, key, input),
    changeLetterTemplate: (ctx: UseCaseContext, key: string, input: unknown) => letters.changeLetterTemplate(childDeps, ctx, key, input),
    resetLetterTemplate: (ctx: UseCaseContext, key: string, input: unknown) => letters.resetLetterTemplate(childDeps, ctx, key, input),
  };
}

export type Services = ReturnType<typeof createServices>;
