/** The realistic records of the codecs benchmark: one order of about 200 bytes per format. */
import { CompositeMessageBuilder } from '../../client/src/types/composite.js';
import { encodeJson } from '../../client/src/types/json.js';

/** An order as a trading application publishes it. */
export const ORDER = {
  orderId: 'ORD-2024-000123',
  symbol: 'MSFT',
  side: 'buy',
  qty: 1500,
  price: 412.37,
  filled: 600,
  account: 'ACC-7781',
  trader: 'jsmith',
  venue: 'XNAS',
  status: 'partially_filled',
  tif: 'day',
  created: 1733550000123,
  note: 'client order, do not route dark',
};

/** The same order as FIX tags (SOH-separated). */
export const ORDER_FIX: [number, string][] = [
  [35, 'D'],
  [11, 'ORD-2024-000123'],
  [55, 'MSFT'],
  [54, '1'],
  [38, '1500'],
  [44, '412.37'],
  [14, '600'],
  [1, 'ACC-7781'],
  [50, 'jsmith'],
  [100, 'XNAS'],
  [39, '1'],
  [59, '0'],
  [60, '20241207-05:40:00.123'],
  [58, 'client order, do not route dark'],
];

/** The order as XML, attributes for identity and elements for the rest. */
export const ORDER_XML =
  '<Order id="ORD-2024-000123" side="buy"><Symbol>MSFT</Symbol><Qty>1500</Qty>' +
  '<Price>412.37</Price><Filled>600</Filled><Account>ACC-7781</Account><Venue>XNAS</Venue>' +
  '<Note>client order &amp; no dark</Note></Order>';

/** The order as binary: 200 pseudo-random bytes. */
export const ORDER_BINARY = Uint8Array.from({ length: 200 }, (_, i) => (i * 131 + 7) & 0xff);

/** A composite of a JSON header part and a binary body part. */
export function orderComposite(): Uint8Array {
  return new CompositeMessageBuilder()
    .append(encodeJson({ orderId: ORDER.orderId, symbol: ORDER.symbol }))
    .append(ORDER_BINARY.subarray(0, 120))
    .getData();
}
