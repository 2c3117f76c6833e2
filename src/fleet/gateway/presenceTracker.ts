import type { PresenceState } from './bus/bus';

interface UserPresence {
  state: PresenceState;
  connections: number;
  lastActive: number;
  /** The user asked to be away: activity does not bring them back, a presence frame does. */
  explicitAway: boolean;
}

export type Transition = { user: string; to: PresenceState | 'offline' };

/**
 * Presence of the users connected through this node: online on connect, away after
 * `idleMs` without activity or on request, offline when their last connection closes.
 */
export class PresenceTracker {
  readonly users = new Map<string, UserPresence>();
  private pending: Transition[] = [];
  private counts = { online: 0, away: 0, offline: 0 };

  constructor(
    private readonly idleMs: number,
    private readonly onTransition: (to: PresenceState | 'offline') => void,
  ) {}

  connect(user: string, now: number): void {
    const p = this.users.get(user);
    if (p) {
      p.connections++;
      p.lastActive = now;
      return;
    }
    this.users.set(user, { state: 'online', connections: 1, lastActive: now, explicitAway: false });
    this.transition(user, 'online');
  }

  disconnect(user: string): boolean {
    const p = this.users.get(user);
    if (!p) return false;
    if (--p.connections > 0) return false;
    this.users.delete(user);
    this.transition(user, 'offline');
    return true;
  }

  activity(user: string, now: number): void {
    const p = this.users.get(user);
    if (!p) return;
    p.lastActive = now;
    if (p.state === 'away' && !p.explicitAway) {
      p.state = 'online';
      this.transition(user, 'online');
    }
  }

  set(user: string, state: PresenceState, now: number): void {
    const p = this.users.get(user);
    if (!p) return;
    p.explicitAway = state === 'away';
    p.lastActive = now;
    if (p.state !== state) {
      p.state = state;
      this.transition(user, state);
    }
  }

  /** Moves idle users to away; called every second. */
  sweep(now: number): void {
    for (const [user, p] of this.users) {
      if (p.state === 'online' && now - p.lastActive > this.idleMs) {
        p.state = 'away';
        this.transition(user, 'away');
      }
    }
  }

  summary(): { online: number; away: number } {
    let online = 0;
    let away = 0;
    for (const p of this.users.values()) {
      if (p.state === 'online') online++;
      else away++;
    }
    return { online, away };
  }

  states(): Map<string, PresenceState> {
    const out = new Map<string, PresenceState>();
    for (const [u, p] of this.users) out.set(u, p.state);
    return out;
  }

  /** Transitions since the last call: counts and a bounded sample (at most 50). */
  takeTransitions(): { counts: { online: number; away: number; offline: number }; sample: Transition[] } | null {
    if (this.pending.length === 0 && this.counts.online + this.counts.away + this.counts.offline === 0) return null;
    const out = { counts: this.counts, sample: this.pending };
    this.pending = [];
    this.counts = { online: 0, away: 0, offline: 0 };
    return out;
  }

  private transition(user: string, to: PresenceState | 'offline'): void {
    this.counts[to]++;
    if (this.pending.length < 50) this.pending.push({ user, to });
    this.onTransition(to);
  }
}
