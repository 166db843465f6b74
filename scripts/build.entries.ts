// The processes `npm run build` bundles: one entry each. A new process (the discovery agent) is one
// more entry here; the build, its test, the Kubernetes manifests' check and the start-up benchmark
// all read this list.

export interface ProcessEntry {
  /** The bundle's file name without extension: `node dist/<name>.js` starts the process. */
  name: string;
  /** Its composition root, relative to the repository root. */
  source: string;
  /**
   * Files (or directories) the process reads at run time from beside its sources (`import.meta.dirname`,
   * `new URL('…', import.meta.url)`), relative to the repository root. The build copies each to the same
   * relative path under the output directory, where the bundle's rewritten lookups find them.
   */
  assets: string[];
}

export const processEntries: readonly ProcessEntry[] = [
  {
    name: 'control-plane',
    source: 'api/src/main.ts',
    // The status pages' stylesheet and the web console's bundle (built by the same `npm run build`).
    assets: ['api/src/web/status-page.css', 'api/src/web/dist'],
  },
  {
    name: 'runner',
    source: 'runner/src/main.ts',
    // The runner reports the version in its package.json when it registers.
    assets: ['runner/package.json'],
  },
  {
    name: 'discovery',
    source: 'runner/src/discovery/main.ts',
    // The agent reports the runner package's version in its source report.
    assets: ['runner/package.json'],
  },
];

/** The bundle's path relative to the output directory. */
export const bundleFile = (entry: ProcessEntry): string => `${entry.name}.js`;
