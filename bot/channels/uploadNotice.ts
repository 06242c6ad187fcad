import { z } from 'zod';

/**
 * A file the channel did not take because it was over the upload limit. The message still
 * arrives, with this attachment in the file's place: the user's bubble names the file, and
 * the bot answers with the limit, rather than the widget offering a retry that can never
 * succeed. Only the channel writes it; clients cannot post one.
 */
export const UPLOAD_REFUSED_TYPE = 'application/vnd.kefu.upload-refused';

export const refusedUpload = (name: string) => ({ contentType: UPLOAD_REFUSED_TYPE, name, content: { reason: 'too-large' as const } });

const refusedSchema = z
  .array(z.object({ contentType: z.string() }).passthrough())
  .catch([])
  .transform((list) => list.filter((attachment) => attachment.contentType === UPLOAD_REFUSED_TYPE).length);

/** How many files of this message the channel refused as too large. */
export const refusedUploads = (attachments: unknown): number => (attachments === undefined ? 0 : refusedSchema.parse(attachments));
