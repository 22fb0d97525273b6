/**
 * A byte count as people read it (`512 B`, `8.0 kB`, `1.2 GB`, powers of 1024): table sizes in the
 * CLI's dry run and the app's plan dialog.
 *
 * @example
 * formatByteSize(8192); // '8.0 kB'
 */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
