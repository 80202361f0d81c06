import type { ProblemDocument } from '../protocol';

/**
 * The problem document an Agentry server answers with: the one type the server writes
 * (`ProblemDocument` of `@agentry/core/server`), under the name this entry has always used.
 */
export type ProblemDetails = ProblemDocument;
