/**
 * Server and client version numbers (spec §6.2): the seed's VersionInfo, which turns a
 * version string such as `5.3.5.1` into the numeric forms official clients compare.
 */

/**
 * A parsed AMPS version string. Only the leading dot-separated run of decimal parts counts
 * (`5.3.5.1.12345.abc` → 5, 3, 5, 1); missing parts are 0. A string that does not start with
 * a digit (a development build) parses as 0.0.0.0 and {@link VersionInfo.isDevelopment} is true.
 */
export class VersionInfo {
  private text = '';
  private parts: [number, number, number, number] = [0, 0, 0, 0];

  /** @param version the version string, e.g. `5.3.5.1` */
  constructor(version = '') {
    this.setVersion(version);
  }

  /** Replaces the version this object represents. */
  setVersion(version: string): this {
    this.text = version;
    const parts: [number, number, number, number] = [0, 0, 0, 0];
    const match = /^\d+(?:\.\d+)*/.exec(version.trim());
    if (match) {
      match[0]
        .split('.')
        .slice(0, 4)
        .forEach((p, i) => {
          parts[i] = Number(p);
        });
    }
    this.parts = parts;
    return this;
  }

  /** The version string as given. */
  getVersionString(): string {
    return this.text;
  }

  /** The four numeric parts: major, minor, maintenance, patch. */
  getParts(): readonly [number, number, number, number] {
    return this.parts;
  }

  /** True when the string does not start with a digit (a development build). */
  get isDevelopment(): boolean {
    return !/^\d/.test(this.text.trim());
  }

  /**
   * Two decimal digits per part, each clamped to 99: 5.3.5.1 → 5030501 (the seed's
   * `get_old_style_version` and `Client.get_server_version`).
   */
  getOldStyleVersion(): number {
    const [a, b, c, d] = this.parts.map((p) => Math.min(p, 99)) as [number, number, number, number];
    return a * 1_000_000 + b * 10_000 + c * 100 + d;
  }

  /**
   * 4/4/5/5 decimal digits for major/minor/maintenance/patch, each clamped to its width:
   * 5.3.5.1 → 500030000500001n. A bigint, since the widest value exceeds 2^53.
   */
  getVersionNumber(): bigint {
    const [a, b, c, d] = this.parts;
    const clamp = (v: number, digits: number): bigint => BigInt(Math.min(v, 10 ** digits - 1));
    return clamp(a, 4) * 10n ** 14n + clamp(b, 4) * 10n ** 10n + clamp(c, 5) * 10n ** 5n + clamp(d, 5);
  }

  /** The version string. */
  toString(): string {
    return this.text;
  }
}

/** Converts a version string to the two-digits-per-part number (seed: `convert_version_to_number`). */
export function convertVersionToNumber(version: string): number {
  return new VersionInfo(version).getOldStyleVersion();
}
