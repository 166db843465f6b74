// The kinds of subjects a rule can name. Adding a kind (as `edge("a", "b")` was added) is one
// entry here plus its constructor in functions.ts; the API's name resolver is a
// Record<SubjectKind, …>, so a kind without a resolver is a compile error.

export interface SubjectKindSpec {
  /** Singular word for messages, e.g. "monitor". */
  label: string;
  /** The constructor function that names one subject, e.g. `monitor("api-health")`. */
  constructor: string;
  /** The selector that names many subjects, e.g. `monitors(tag="tier:1")`; null when there is none. */
  selector: string | null;
}

/** Every subject kind; a rule's references are grouped by these. */
export const subjectKinds = {
  monitor: { label: 'monitor', constructor: 'monitor', selector: 'monitors' },
  service: { label: 'service', constructor: 'service', selector: 'services' },
  slo: { label: 'SLO', constructor: 'slo', selector: null },
  /** A dependency edge, named by its two services: `edge("fulfillment-api", "shipping-integration")`. */
  edge: { label: 'edge', constructor: 'edge', selector: 'edges' },
} as const satisfies Record<string, SubjectKindSpec>;

export type SubjectKind = keyof typeof subjectKinds;
export const subjectKindNames = Object.keys(subjectKinds) as SubjectKind[];
