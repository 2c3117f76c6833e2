/** Prometheus label name syntax. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Whether a label name suggests it carries a credential (`api_token`, `db_password`,
 * `client_secret`…). Labels are shown in the UI and by Prometheus, so such labels are
 * never used and never passed on.
 */
export function isCredentialLabel(name: string): boolean {
  return /token|passw(?:or)?d|secret|credential|api_?key/i.test(name);
}

/** Labels fit for a {@link Target}, and the names of credential-like labels dropped from them. */
export interface PublicLabels {
  labels: Record<string, string>;
  dropped: string[];
}

/**
 * Keeps the labels a Target may carry: drops Prometheus-internal `__*` labels (silently:
 * `__scheme__` is read by the caller, `__metrics_path__` and meta labels do not matter
 * here) and credential-like labels (reported in `dropped`).
 */
export function publicLabels(labels: Readonly<Record<string, string>>): PublicLabels {
  const out: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (name.startsWith('__')) continue;
    if (isCredentialLabel(name)) dropped.push(name);
    else out[name] = value;
  }
  return { labels: out, dropped };
}
