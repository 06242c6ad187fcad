import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

/**
 * Reads a Direct Line upload (multipart/form-data: an `activity` part and the files) into
 * memory under hard caps, with busboy. Nothing touches the disk; the moment a cap is passed
 * reading stops and the rest of the body is discarded unread; the rejection keeps the
 * activity part if it came whole before the cap, so the caller can still tell the user.
 */
export interface UploadLimits {
  /** All files together (one file alone is capped by the same number). */
  maxBytes: number;
  /** The `activity` part. */
  maxActivityBytes: number;
  maxFiles: number;
}

export interface UploadedFile {
  name: string;
  data: Buffer;
}

export interface UploadBody {
  /** The raw `activity` part, if there was one. */
  activity?: Buffer;
  files: UploadedFile[];
}

export type UploadProblem = 'too-large' | 'too-many-files' | 'malformed';

export class UploadRejected extends Error {
  constructor(
    readonly problem: UploadProblem,
    message: string,
    /** The `activity` part, when it had been read whole before the problem (clients send it first). */
    readonly activity?: Buffer,
  ) {
    super(message);
  }
}

/** Room for part headers and boundaries on top of the parts themselves. */
const FRAMING_BYTES = 64 * 1024;

/** The largest body an upload within the limits can be; a larger declared Content-Length is refused unread. */
export const maxUploadBody = (limits: UploadLimits) => limits.maxBytes + limits.maxActivityBytes + FRAMING_BYTES;

export function readUpload(req: IncomingMessage, limits: UploadLimits): Promise<UploadBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send file names as UTF-8 (截图.png), not Latin-1.
        defParamCharset: 'utf8',
        // One over each cap, so passing it is seen (busboy truncates at the limit itself).
        limits: { fileSize: Math.max(limits.maxBytes, limits.maxActivityBytes) + 1, files: limits.maxFiles + 1, fields: 1, parts: limits.maxFiles + 2, fieldSize: limits.maxActivityBytes + 1 },
      });
    } catch (error) {
      reject(new UploadRejected('malformed', `not a multipart/form-data body: ${(error as Error).message}`));
      return;
    }
    const body: UploadBody = { files: [] };
    let fileBytes = 0;
    let fileCount = 0;
    let bodyBytes = 0;
    let settled = false;
    const pending = new Set<Promise<void>>();
    /** The activity part's stream, while busboy is still handing it on. */
    let activityPart: Promise<void> | undefined;

    const stop = (problem: UploadProblem, message: string) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.off('data', count);
      // Discard whatever is still coming without keeping it; the answer goes out now.
      req.resume();
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      // Busboy hands a part on a tick after reading it: an activity part it read whole still
      // arrives; one cut off by the stop ends in an error once the parser is ended.
      parser.end();
      void (activityPart ?? Promise.resolve()).then(() => reject(new UploadRejected(problem, message, body.activity)));
    };
    const tooLarge = () => stop('too-large', `upload is larger than ${limits.maxBytes} bytes`);

    const count = (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (bodyBytes > maxUploadBody(limits)) tooLarge();
    };
    req.on('data', count);

    const keepActivity = (data: Buffer) => {
      if (body.activity !== undefined) return stop('malformed', 'more than one activity part');
      if (data.length > limits.maxActivityBytes) return stop('too-large', `the activity part is larger than ${limits.maxActivityBytes} bytes`);
      body.activity = data;
    };

    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const isActivity = field === 'activity';
      if (!isActivity && ++fileCount > limits.maxFiles) {
        stream.resume();
        return stop('too-many-files', `at most ${limits.maxFiles} files per upload`);
      }
      let oversized = false;
      const done = new Promise<void>((resolveFile) => {
        stream.on('data', (chunk: Buffer) => {
          // The activity part is kept even after a file passed the cap (it is bounded by its own).
          if (isActivity ? oversized : settled) return;
          size += chunk.length;
          if (!isActivity) {
            fileBytes += chunk.length;
            if (fileBytes > limits.maxBytes) return tooLarge();
          } else if (size > limits.maxActivityBytes) {
            oversized = true;
            return stop('too-large', `the activity part is larger than ${limits.maxActivityBytes} bytes`);
          }
          chunks.push(chunk);
        });
        stream.on('end', () => {
          const data = Buffer.concat(chunks, size);
          if (isActivity) {
            if (!oversized) keepActivity(data);
          } else if (!settled) body.files.push({ name: info.filename || 'file', data });
          resolveFile();
        });
        stream.on('error', () => resolveFile());
      });
      pending.add(done);
      if (isActivity) activityPart = done;
    });
    parser.on('field', (field, value, info) => {
      if (field !== 'activity') return;
      if (info.valueTruncated) return stop('too-large', `the activity part is larger than ${limits.maxActivityBytes} bytes`);
      keepActivity(Buffer.from(value, 'utf8'));
    });
    parser.on('filesLimit', () => stop('too-many-files', `at most ${limits.maxFiles} files per upload`));
    parser.on('partsLimit', () => stop('too-many-files', `at most ${limits.maxFiles} files per upload`));
    parser.on('fieldsLimit', () => stop('malformed', 'unexpected form fields'));
    parser.on('error', (error: Error) => stop('malformed', `malformed multipart body: ${error.message}`));
    parser.on('close', () => {
      void Promise.all(pending).then(() => {
        if (settled) return;
        settled = true;
        req.off('data', count);
        resolve(body);
      });
    });
    req.on('aborted', () => stop('malformed', 'the client went away before the upload ended'));
    req.pipe(parser);
  });
}
