import { z } from 'zod';
import { admissionSchema } from '../../domain/register/admissions.ts';
import { caseNoteRequestSchema, caseNoteResponseSchema, childRecordResponseSchema, childSearchResponseSchema, deletionReturnRequestSchema, deletionReturnResponseSchema, problemSchema, referralRequestSchema, referralResponseSchema, homeEducationNotificationRequestSchema, educationResponseSchema, educationArrangementResponseSchema, educationProviderResponseSchema } from './schemas.ts';
import { educationArrangementSchema, educationProviderSchema } from '../../domain/register/education.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(baseUrl: string) {
  const childId = { name: 'childId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cairn API',
      version: '1.0.0',
      description:
        'Children not in school: search children, read a child’s record and add case notes. Every call is authorised by the same rules as the web service and recorded in the audit log. Authenticate with a bearer token issued by `cairn api-client create`.',
    },
    servers: [{ url: `${baseUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ChildSearchResponse: json(childSearchResponseSchema),
        ChildRecord: json(childRecordResponseSchema),
        CaseNoteRequest: json(caseNoteRequestSchema, 'input'),
        CaseNote: json(caseNoteResponseSchema),
        Problem: json(problemSchema),
        DeletionReturnRequest: json(deletionReturnRequestSchema, 'input'),
        DeletionReturnResult: json(deletionReturnResponseSchema),
        ReferralRequest: json(referralRequestSchema, 'input'),
        AdmissionRequest: json(admissionSchema, 'input'),
        ReferralResult: json(referralResponseSchema),
        HomeEducationNotificationRequest: json(homeEducationNotificationRequestSchema, 'input'),
        Education: json(educationResponseSchema),
        EducationArrangementRequest: json(educationArrangementSchema, 'input'),
        EducationArrangement: json(educationArrangementResponseSchema),
        EducationProviderRequest: json(educationProviderSchema, 'input'),
        EducationProvider: json(educationProviderResponseSchema),
      },
    },
    paths: {
      '/admission-returns': {
        post: {
          operationId: 'recordAdmission',
          summary: 'Send an admission return',
          description: 'A child joins a school’s roll. Any open home education episode or missing-education case for the child closes. A school client sends its own admissions; a council client gives schoolUrn. Sending it again changes nothing (200).',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AdmissionRequest' } } } },
          responses: {
            '201': { description: 'The child was added to the roll' },
            '200': { description: 'Already on the roll; nothing changed' },
            '400': problemResponse('Invalid admission'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not record admissions for this school'),
          },
        },
      },
      '/referrals': {
        post: {
          operationId: 'referChildNotInSchool',
          summary: 'Refer a child who may not be in school',
          description: 'For partner agencies and council staff. A child unknown to the register is added and a children missing education case opens; a child on no school roll gets a case; a possible but uncertain match waits for an officer.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralRequest' } } } },
          responses: {
            '201': { description: 'Received', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralResult' } } } },
            '400': problemResponse('Invalid referral'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not make referrals'),
          },
        },
      },
      '/home-education-notifications': {
        post: {
          operationId: 'receiveHomeEducationNotification',
          summary: 'Pass on a parent’s notification of home education',
          description:
            'For council systems (online forms, letters keyed in). The child is matched against the register: a known child is linked, an unknown one added, an uncertain match waits for an officer. A child on no school roll starts a home education episode; a child on a roll stays on it until the school’s deletion return.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/HomeEducationNotificationRequest' } } } },
          responses: {
            '201': { description: 'Received', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReferralResult' } } } },
            '400': problemResponse('Invalid notification'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not pass on notifications'),
          },
        },
      },
      '/children/{childId}/education': {
        get: {
          operationId: 'getEducation',
          summary: 'How a child is educated',
          description: 'The 2026 Act register items: time educated by parents and by others, and other providers, each with where it came from and when. For council clients.',
          parameters: [childId],
          responses: {
            '200': { description: 'Everything recorded', content: { 'application/json': { schema: { $ref: '#/components/schemas/Education' } } } },
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not see this child’s education'),
            '404': problemResponse('No such child'),
          },
        },
      },
      '/children/{childId}/education/arrangements': {
        post: {
          operationId: 'recordEducationArrangement',
          summary: 'Record the time a child is educated by parents and by others',
          description: 'Earlier statements are kept; the newest is current.',
          parameters: [childId],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EducationArrangementRequest' } } } },
          responses: {
            '201': { description: 'Recorded', content: { 'application/json': { schema: { $ref: '#/components/schemas/EducationArrangement' } } } },
            '400': problemResponse('Invalid statement'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not change this child’s education'),
            '404': problemResponse('No such child'),
          },
        },
      },
      '/children/{childId}/education/providers': {
        post: {
          operationId: 'addEducationProvider',
          summary: 'Add another provider of a child’s education',
          parameters: [childId],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EducationProviderRequest' } } } },
          responses: {
            '201': { description: 'Added', content: { 'application/json': { schema: { $ref: '#/components/schemas/EducationProvider' } } } },
            '400': problemResponse('Invalid provider'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not change this child’s education'),
            '404': problemResponse('No such child'),
          },
        },
      },
      '/children/{childId}/education/providers/{providerId}/end': {
        post: {
          operationId: 'endEducationProvider',
          summary: 'Record that a child no longer goes to a provider',
          parameters: [childId, { name: 'providerId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': { description: 'Ended; the provider stays in the history', content: { 'application/json': { schema: { $ref: '#/components/schemas/EducationProvider' } } } },
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not change this child’s education'),
            '404': problemResponse('No such child or provider, or already ended'),
          },
        },
      },
      '/deletion-returns': {
        post: {
          operationId: 'submitDeletionReturn',
          summary: 'Send a school deletion return',
          description:
            'A pupil of compulsory school age leaves the roll (School Attendance (Pupil Registration) (England) Regulations 2024). A school client sends returns for its own school; a council client gives schoolUrn. Sending the same return again changes nothing and answers 200 with duplicate true.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DeletionReturnRequest' } } } },
          responses: {
            '201': { description: 'Received', content: { 'application/json': { schema: { $ref: '#/components/schemas/DeletionReturnResult' } } } },
            '200': { description: 'Already received; nothing changed', content: { 'application/json': { schema: { $ref: '#/components/schemas/DeletionReturnResult' } } } },
            '400': problemResponse('Invalid return'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not send returns for this school'),
          },
        },
      },
      '/children': {
        get: {
          operationId: 'searchChildren',
          summary: 'Search children',
          description: 'Give at least one of name, dateOfBirth, postcode or upn. Results are limited to the children the client may see.',
          parameters: [
            { name: 'name', in: 'query', schema: { type: 'string', maxLength: 100 } },
            { name: 'dateOfBirth', in: 'query', schema: { type: 'string', format: 'date' } },
            { name: 'postcode', in: 'query', schema: { type: 'string' } },
            { name: 'upn', in: 'query', schema: { type: 'string', minLength: 13, maxLength: 13 } },
          ],
          responses: {
            '200': { description: 'Matching children', content: { 'application/json': { schema: { $ref: '#/components/schemas/ChildSearchResponse' } } } },
            '400': problemResponse('Invalid search'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not search'),
          },
        },
      },
      '/children/{childId}': {
        get: {
          operationId: 'getChild',
          summary: 'Read a child’s record',
          parameters: [childId],
          responses: {
            '200': { description: 'The child’s record', content: { 'application/json': { schema: { $ref: '#/components/schemas/ChildRecord' } } } },
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not see this child'),
            '404': problemResponse('No such child'),
          },
        },
      },
      '/children/{childId}/notes': {
        post: {
          operationId: 'addCaseNote',
          summary: 'Add a case note to a child’s record',
          parameters: [childId],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CaseNoteRequest' } } } },
          responses: {
            '201': { description: 'The note was added', content: { 'application/json': { schema: { $ref: '#/components/schemas/CaseNote' } } } },
            '400': problemResponse('Invalid note'),
            '401': problemResponse('Missing or invalid token'),
            '403': problemResponse('The client may not add notes for this child'),
            '404': problemResponse('No such child'),
          },
        },
      },
    },
  };
}
