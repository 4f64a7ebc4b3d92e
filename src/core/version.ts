/** Kubernetes minor versions as the Pod Security Standards are versioned ("1.37", "v1.37", "latest"). */
export interface KubeVersion {
  major: number;
  minor: number;
}

export const LATEST_PSS_VERSION: KubeVersion = { major: 1, minor: 37 };

export function parseKubeVersion(input: string): KubeVersion | undefined {
  if (input === 'latest') return LATEST_PSS_VERSION;
  const m = /^v?(\d+)\.(\d+)$/.exec(input.trim());
  if (!m) return undefined;
  const v = { major: Number(m[1]), minor: Number(m[2]) };
  if (v.major !== 1 || v.minor > LATEST_PSS_VERSION.minor) return undefined;
  return v;
}

/** True when `v` is at least `1.<minor>`. */
export function atLeast(v: KubeVersion, minor: number): boolean {
  return v.major > 1 || v.minor >= minor;
}

export function formatKubeVersion(v: KubeVersion): string {
  return `v${v.major}.${v.minor}`;
}
