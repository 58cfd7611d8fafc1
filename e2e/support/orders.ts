/** Seed records the SOW journeys share: `n` orders, id 0..n-1, a symbol of 97, qty twice the id. */
export const numberedOrders = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, sym: `S${i % 97}`, qty: i * 2 }));
