/** The shapes of fleet actions live in src/shared/actions.ts (the UI receives them as they are). */
export * from '../../../shared/actions';
