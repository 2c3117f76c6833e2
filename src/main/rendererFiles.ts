import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The renderer build as files to serve, shared by the shell's app:// protocol and serve
 * mode's HTTP server: content types, and a lookup that makes path traversal impossible.
 */

/** A file of the renderer build that may be served. */
export interface StaticFile {
  file: string;
  size: number;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Content type by file extension; unknown kinds are opaque bytes (with nosniff, never run). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The path part of a request target, percent-decoded; null when it cannot be decoded or holds NUL. */
export function decodedPath(target: string): string | null {
  const end = target.search(/[?#]/);
  const raw = end === -1 ? target : target.slice(0, end);
  if (!raw.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return decoded.includes('\0') ? null : decoded;
}

const inside = (root: string, p: string): boolean => p.startsWith(root + path.sep);

/**
 * Finds the file a request target names under `root` (an absolute, real path), or null
 * (then the answer is 404). `/` is `index.html`; other directories are not listed.
 * Traversal is impossible by construction: the decoded path is resolved against `root`
 * and must stay strictly inside it, both as written and after symlinks are followed.
 */
export async function findStaticFile(root: string, target: string): Promise<StaticFile | null> {
  const decoded = decodedPath(target);
  if (decoded === null) return null;
  const wanted = decoded === '/' ? '/index.html' : decoded;
  if (wanted.endsWith('/')) return null;
  const resolved = path.resolve(root, `.${wanted}`);
  if (!inside(root, resolved)) return null;
  try {
    const real = await realpath(resolved);
    if (!inside(root, real)) return null;
    const st = await stat(real);
    if (!st.isFile()) return null;
    const isIndex = real === path.join(root, 'index.html');
    // Vite puts content-hashed names under assets/: they never change, everything else may.
    const hashed = real.startsWith(path.join(root, 'assets') + path.sep);
    return {
      file: real,
      size: st.size,
      contentType: contentTypeOf(real),
      cacheControl: isIndex ? 'no-store' : hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
  } catch {
    return null;
  }
}
