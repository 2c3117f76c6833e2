import { parseJsonText } from '../inventory/parseJsonText';
import { readCappedFile } from '../inventory/readCappedFile';
import { CENTRIFUGO_PROFILE } from './centrifugoProfile';
import { checkProfile } from './checkProfile';
import { CONCEPTS } from './concepts';
import type { Concept } from './concepts';
import { CONTRACT_PROFILE } from './contractProfile';
import { ProfileError } from './profileError';
import { BUILT_IN_PROFILES, profileFileSchema } from './profileSchema';
import type { BuiltInProfile, ConceptDef, Profile, ProfileFile } from './profileSchema';

/** A profile file is a page of JSON; more is surely the wrong file. */
export const MAX_PROFILE_FILE_BYTES = 64 * 1024;

const BUILT_IN: Record<BuiltInProfile, Profile> = { contract: CONTRACT_PROFILE, centrifugo: CENTRIFUGO_PROFILE };

/** The built-in profile of that name, or undefined. */
export function builtInProfile(name: string): Profile | undefined {
  return (BUILT_IN_PROFILES as readonly string[]).includes(name) ? BUILT_IN[name as BuiltInProfile] : undefined;
}

/**
 * A profile by name (`contract`, `centrifugo`) or from a JSON file, checked statically.
 * @throws ProfileError naming the file, the concept and the query at fault.
 */
export async function loadProfile(spec: string): Promise<Profile> {
  const built = builtInProfile(spec);
  if (built) return validProfile(built);
  const read = await readCappedFile(spec, MAX_PROFILE_FILE_BYTES);
  if (!read.ok) throw new ProfileError(spec, [{ concept: null, query: null, problem: `profile file ${read.problem} (built-in profiles: ${BUILT_IN_PROFILES.join(', ')})` }]);
  const json = parseJsonText(read.text);
  if (!json.ok) throw new ProfileError(spec, [{ concept: null, query: null, problem: json.problem }]);
  return profileFromJson(json.value, spec);
}

/** A profile from parsed JSON (`source` names it in errors). @throws ProfileError */
export function profileFromJson(value: unknown, source: string): Profile {
  const parsed = profileFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new ProfileError(
      source,
      parsed.error.issues.slice(0, 5).map((i) => {
        const concept = i.path[0] === 'concepts' && CONCEPTS.includes(i.path[1] as Concept) ? (i.path[1] as Concept) : null;
        const field = i.path.map(String).join('.') || 'profile';
        const unknown = i.code === 'unrecognized_keys' ? `: ${i.keys.join(', ')}${i.path[0] === 'concepts' ? ` (concepts are ${CONCEPTS.join(', ')})` : ''}` : '';
        return { concept, query: null, problem: `${field}: ${i.message}${unknown}` };
      }),
    );
  }
  return validProfile(merge(parsed.data, source));
}

function merge(f: ProfileFile, source: string): Profile {
  const base = f.extends ? BUILT_IN[f.extends] : undefined;
  const nodeLabel = f.nodeLabel ?? base?.nodeLabel;
  if (nodeLabel === undefined) throw new ProfileError(f.name, [{ concept: null, query: null, problem: `${source}: nodeLabel is missing (or give "extends")` }]);
  const concepts = {} as Record<Concept, ConceptDef>;
  const missing: Concept[] = [];
  for (const c of CONCEPTS) {
    const def = f.concepts[c] ?? base?.concepts[c];
    if (def === undefined) missing.push(c);
    else concepts[c] = def;
  }
  if (missing.length > 0) {
    throw new ProfileError(
      f.name,
      missing.map((c) => ({ concept: c, query: null, problem: 'is missing: give {"query": "..."} or {"unavailable": "why"} (or "extends" a built-in profile)' })),
    );
  }
  return { name: f.name, description: f.description ?? (base ? `${base.description}, adapted` : f.name), nodeLabel, concepts };
}

function validProfile(p: Profile): Profile {
  const problems = checkProfile(p);
  if (problems.length > 0) throw new ProfileError(p.name, problems);
  return p;
}
