import { createElement } from 'react';
import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ConsoleApi, LiveFrame, Result, SeriesRequest, TimelineQuery } from '../../../src/shared/api';
import type { OperationName, Operations } from '../../../src/shared/bridge';
import { ALWAYS_OPEN } from '../../../src/renderer/src/bridge';
import type { StatusSource } from '../../../src/renderer/src/bridge';
import { LiveProvider } from '../../../src/renderer/src/features/live';
import type { LiveStore } from '../../../src/renderer/src/features/live';

/**
 * An in-memory ConsoleApi for component tests: records the requests it gets and answers
 * with empty windows; frames are pushed by the test with `push`. (The real API is the
 * Node core; the bridge tests and the end-to-end tests exercise it for real.)
 */
export class MemoryApi implements ConsoleApi {
  readonly seriesRequests: SeriesRequest[] = [];
  readonly timelineQueries: TimelineQuery[] = [];
  private readonly listeners = new Set<(f: LiveFrame) => void>();
  timeline: Awaited<ReturnType<ConsoleApi['getTimeline']>> = { ok: true, value: [] };

  async getSeries(req: SeriesRequest) {
    this.seriesRequests.push(req);
    return { ok: true as const, value: { metric: req.metric, fromMs: req.fromMs, toMs: req.toMs, lines: [] } };
  }
  async getTimeline(q: TimelineQuery) {
    this.timelineQueries.push(q);
    return this.timeline;
  }
  async getInventory() {
    return { ok: true as const, value: { source: 'memory', loadedAt: null, lastError: null, targets: [] } };
  }
  onFrame(fn: (f: LiveFrame) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  push(f: LiveFrame): void {
    for (const fn of this.listeners) fn(f);
  }

  /** Session operations called, in order, with their argument. */
  readonly calls: { op: OperationName; arg: unknown }[] = [];
  /** Answers of session operations, set by a test; an operation without one answers `unavailable`. */
  readonly answers: Partial<Record<OperationName, (arg: unknown) => Result<unknown> | Promise<Result<unknown>>>> = {};

  private op<K extends OperationName>(name: K): Operations[K] {
    return (async (arg?: unknown) => {
      this.calls.push({ op: name, arg });
      const answer = this.answers[name];
      return answer ? answer(arg) : { ok: false, code: 'unavailable', message: `${name}: no answer in this test` };
    }) as Operations[K];
  }

  readonly previewAction = this.op('previewAction');
  readonly confirmAction = this.op('confirmAction');
  readonly abortAction = this.op('abortAction');
  readonly previewRollout = this.op('previewRollout');
  readonly startRollout = this.op('startRollout');
  readonly controlRollout = this.op('controlRollout');
  readonly getActions = this.op('getActions');
  readonly getAudit = this.op('getAudit');
  readonly saveFlightRecording = this.op('saveFlightRecording');
  readonly startRecording = this.op('startRecording');
  readonly stopRecording = this.op('stopRecording');
  readonly listRecordings = this.op('listRecordings');
  readonly openRecording = this.op('openRecording');
  readonly closeRecording = this.op('closeRecording');
  readonly controlPlayback = this.op('controlPlayback');
  readonly getMarks = this.op('getMarks');
  readonly editBookmark = this.op('editBookmark');
  readonly setFocus = this.op('setFocus');
}

export const openLink: StatusSource = { status: () => ALWAYS_OPEN, onStatus: () => () => {}, retryNow: () => {} };

/** Renders `ui` inside the providers the console's views need. */
export function renderWith(ui: ReactElement, store: LiveStore, api: ConsoleApi = new MemoryApi(), link: StatusSource = openLink): RenderResult {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(createElement(LiveProvider, { store, api, link, children: createElement(QueryClientProvider, { client }, ui) }));
}

/** jsdom lays nothing out: give every element a size so the virtualized table renders rows. */
export function fakeLayout(height = 800, width = 1200): () => void {
  const proto = Element.prototype;
  const names = ['clientHeight', 'clientWidth', 'offsetHeight', 'offsetWidth'] as const;
  const saved = names.map((n) => [n, Object.getOwnPropertyDescriptor(proto, n) ?? Object.getOwnPropertyDescriptor(HTMLElement.prototype, n)] as const);
  for (const n of names) Object.defineProperty(proto, n, { configurable: true, get: () => (n.endsWith('Height') ? height : width) });
  return () => {
    for (const [n, d] of saved) {
      if (d) Object.defineProperty(proto, n, d);
      else delete (proto as unknown as Record<string, unknown>)[n];
    }
  };
}
