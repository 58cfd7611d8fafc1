/**
 * Stores one decoded value under its field with a named property store per field, so that
 * the header objects of a steady stream of messages share a few hidden classes instead of
 * going through a generic keyed store (see headerDecode.ts). The fields of deliveries come first:
 * a switch on strings compares its cases in order.
 */
import type { FieldName, HeaderFields } from './fields.js';

/** Sets `fields[name] = value` (`c` of `p` reads as `publish`). */
export function setField(fields: HeaderFields, name: FieldName, value: string): void {
  switch (name) {
    case 'command':
      fields.command = value === 'p' ? 'publish' : value;
      return;
    case 'topic':
      fields.topic = value;
      return;
    case 'subIds':
      fields.subIds = value;
      return;
    case 'sequence':
      fields.sequence = value;
      return;
    case 'bookmark':
      fields.bookmark = value;
      return;
    case 'sowKey':
      fields.sowKey = value;
      return;
    case 'timestamp':
      fields.timestamp = value;
      return;
    case 'commandId':
      fields.commandId = value;
      return;
    case 'subId':
      fields.subId = value;
      return;
    case 'ackType':
      fields.ackType = value;
      return;
    case 'status':
      fields.status = value;
      return;
    case 'reason':
      fields.reason = value;
      return;
    case 'leasePeriod':
      fields.leasePeriod = value;
      return;
    case 'correlationId':
      fields.correlationId = value;
      return;
    case 'length':
      fields.length = value;
      return;
    case 'batchSize':
      fields.batchSize = value;
      return;
    case 'queryId':
      fields.queryId = value;
      return;
    case 'clientName':
      fields.clientName = value;
      return;
    case 'userId':
      fields.userId = value;
      return;
    case 'filter':
      fields.filter = value;
      return;
    case 'messageType':
      fields.messageType = value;
      return;
    case 'version':
      fields.version = value;
      return;
    case 'expiration':
      fields.expiration = value;
      return;
    case 'heartbeat':
      fields.heartbeat = value;
      return;
    case 'timeoutInterval':
      fields.timeoutInterval = value;
      return;
    case 'topN':
      fields.topN = value;
      return;
    case 'orderBy':
      fields.orderBy = value;
      return;
    case 'sowKeys':
      fields.sowKeys = value;
      return;
    case 'password':
      fields.password = value;
      return;
    case 'options':
      fields.options = value;
      return;
    case 'recordsInserted':
      fields.recordsInserted = value;
      return;
    case 'recordsUpdated':
      fields.recordsUpdated = value;
      return;
    case 'recordsDeleted':
      fields.recordsDeleted = value;
      return;
    case 'recordsReturned':
      fields.recordsReturned = value;
      return;
    case 'topicMatches':
      fields.topicMatches = value;
      return;
    case 'matches':
      fields.matches = value;
      return;
    case 'groupSequence':
      fields.groupSequence = value;
      return;
    case 'skipN':
      fields.skipN = value;
      return;
  }
}
