/**
 * Reading the image of a `multipart/form-data` prediction request, with every way such a body can be
 * broken answered as the client's fault.
 *
 * Why a module: busboy's parse errors (no boundary, a boundary that never comes, a body cut short, bytes
 * that are not multipart) are plain errors without a status, which the API would answer 500 and log as its
 * own failure; they are a 400 here, logged at info like any other refused request.
 *
 * @packageDocumentation
 */
import type { FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../errors.js';

/** Where a multipart problem lies, for the issue list. */
const BODY_PATH = '/body';

/** @fastify/multipart's code for a text field where only a file part is allowed (limit `fields: 0`). */
const FIELDS_LIMIT_CODE = 'FST_FIELDS_LIMIT';

/**
 * The bytes of the file part named `field` of a multipart request.
 *
 * @param request - A request for which `request.isMultipart()` is true.
 * @param field - The name of the part that must carry the image.
 * @throws {@link ValidationError} (400) when the body is malformed, has no file part, or the first file
 *   part has another name; the multipart plugin's own 4xx errors (413 for a file over the body limit) as
 *   they are.
 */
export async function readMultipartImage(request: FastifyRequest, field: string): Promise<Buffer> {
  const wrongPart = () =>
    new ValidationError(`multipart body must carry the image as a file part named "${field}"`, [
      { path: BODY_PATH, message: `no file part named ${field}` },
    ]);
  try {
    const file = await request.file();
    if (file === undefined || file.fieldname !== field) throw wrongPart();
    return await file.toBuffer();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
    if (code === FIELDS_LIMIT_CODE) throw wrongPart();
    if (typeof statusCode === 'number') throw err;
    throw malformed(err);
  }
}

/** The 400 for a body busboy could not parse, quoting its reason (it names no server internals). */
function malformed(err: unknown): ValidationError {
  const reason = err instanceof Error && err.message !== '' ? err.message : 'it could not be parsed';
  return new ValidationError(`the multipart body is malformed: ${reason}`, [
    { path: BODY_PATH, message: reason },
  ]);
}
