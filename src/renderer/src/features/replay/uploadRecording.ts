import type { ErrorCode, Result } from '../../../../shared/api';
import type { RecordingFiles, UploadedRecording, UploadProgress } from './recordingFiles';

/** Where serve mode takes uploads (src/main/serve/serveServer.ts UPLOAD_PATH). */
export const UPLOAD_PATH = '/api/recordings';

/** The bits of XMLHttpRequest an upload uses (tests give a fake). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

const CODES = new Set<ErrorCode>(['invalid', 'not_found', 'unavailable', 'forbidden', 'internal']);

/**
 * Uploads recordings to serve mode: `POST /api/recordings?name=N` with the session token,
 * the raw file as the body, progress from the browser's upload events (fetch has none).
 */
export function xhrUploads(origin: string, token: string, createXhr: () => XhrLike = () => new XMLHttpRequest() as unknown as XhrLike): RecordingFiles {
  return {
    kind: 'upload',
    upload: (file: Blob, name: string, onProgress: UploadProgress) =>
      new Promise<Result<UploadedRecording>>((resolve) => {
        const xhr = createXhr();
        xhr.open('POST', `${origin}${UPLOAD_PATH}?name=${encodeURIComponent(name)}`);
        xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
        xhr.onload = () => resolve(answer(xhr.status, xhr.responseText, name));
        xhr.onerror = () => resolve({ ok: false, code: 'unavailable', message: `upload of ${name} failed: the console closed the connection (is the file too large, or is the console gone?)` });
        xhr.onabort = () => resolve({ ok: false, code: 'unavailable', message: `upload of ${name} was cancelled` });
        xhr.send(file);
      }),
  };
}

/** The server's answer as a Result: its own `{ok, …}` body when it has one. */
function answer(status: number, text: string, name: string): Result<UploadedRecording> {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: described by the status below
  }
  const b = body as { ok?: unknown; code?: unknown; message?: unknown; value?: { name?: unknown; bytes?: unknown } } | null;
  if (status === 200 && b?.ok === true && typeof b.value?.name === 'string') return { ok: true, value: { name: b.value.name, bytes: Number(b.value.bytes) || 0 } };
  const code = typeof b?.code === 'string' && CODES.has(b.code as ErrorCode) ? (b.code as ErrorCode) : 'internal';
  const message = typeof b?.message === 'string' ? b.message : `upload of ${name} failed: HTTP ${status}`;
  return { ok: false, code: status === 401 ? 'forbidden' : code, message: status === 401 ? `the console refused the upload: ${message}` : message };
}
