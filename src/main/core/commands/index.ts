/**
 * Fleet actions: drain, undrain, restart and rolling restarts behind guard rails, with an
 * audit log. The door the CLI, the shell and serve mode use.
 */
export { CommandService, PREVIEW_TTL_MS } from './commandService';
export type { ActionContext, CommandServiceOptions, CommandUpdate } from './commandService';
export { ACTION_DEFAULTS, ACTION_KINDS, actionRequestSchema, rolloutRequestSchema } from './actionTypes';
export type { ActionKind, ActionPreview, ActionProgress, ActionRecord, ActionRequest, ActionState, ActionStep, Destination, RolloutRequest, RuleCheck, RuleName } from './actionTypes';
export { AuditLog, GENESIS_HASH, currentActor, verifyAudit } from './auditLog';
export type { AuditEntry, AuditRecord, AuditVerdict } from './auditLog';
export { DEFAULT_POLICY, previewAction } from './guardRails';
export type { GuardPolicy, PlannedAction } from './guardRails';
export { fleetView, fleetFigures } from './fleetView';
export type { FleetView, FleetFigures } from './fleetView';
export { callAdmin, DEFAULT_ADMIN_CLIENT } from './adminClient';
export type { AdminAnswer, AdminClientOptions, AdminStatus } from './adminClient';
export { loadPlan, savePlan } from './rolloutPlan';
export type { NodePhase, RolloutNode, RolloutPlan, RolloutSettings, RolloutState } from './rolloutPlan';
export { sloBreaches } from './rolloutRunner';
