/** The grid bench's records (bench/grid.ts). */

/** One record of about 200 bytes. */
export function gridRecord(n: number, price = 100 + (n % 1000) / 7): string {
  const region = ['EMEA', 'APAC', 'AMER', 'LATAM', 'NORDICS'][n % 5] ?? 'EMEA';
  return `{"id":${n},"sym":"SYM${n % 5000}","customer":{"name":"Customer ${n % 20000}","region":"${region}"},"qty":${n % 997},"price":${price.toFixed(4)},"side":"${n % 2 === 0 ? 'buy' : 'sell'}","time":"2026-12-07T03:00:00.000Z","note":"grid bench record"}`;
}
