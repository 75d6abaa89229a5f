/**
 * The words for what transports report as codes: each `TransportIssue` becomes a LocalText (a key and
 * its values, translated where it is shown, so a language switch also changes a message written
 * before it) or, for a server's or browser's own words, a string shown as it is.
 */
import type { MessageKey } from '../../i18n/en.ts';
import { localText, type LocalText } from '../../i18n/local-text.ts';
import type { CloseInfo, TransportIssue } from '../../transports/transport.ts';

/** A message for the page: translated where it is shown, or a string shown as it is. */
export type LaneMessage = LocalText | string;

/** Close codes with a name of their own; the names are in the dictionaries. */
const closeNames: Partial<Record<number, MessageKey>> = {
  1000: 'transport.close.1000',
  1001: 'transport.close.1001',
  1002: 'transport.close.1002',
  1003: 'transport.close.1003',
  1006: 'transport.close.1006',
  1007: 'transport.close.1007',
  1008: 'transport.close.1008',
  1009: 'transport.close.1009',
  1011: 'transport.close.1011',
  1012: 'transport.close.1012',
  1013: 'transport.close.1013',
  1014: 'transport.close.1014',
};

/** "1006 (abnormal closure: …): reason". */
export function describeClose({ code, reason }: CloseInfo): LocalText {
  const name = localText(closeNames[code] ?? 'transport.close.other');
  return reason
    ? localText('transport.close.withReason', { code, name, reason })
    : localText('transport.close.described', { code, name });
}

/** One issue in words. */
export function issueText(issue: TransportIssue): LaneMessage {
  switch (issue.code) {
    case 'frame.invalid':
      return localText('transport.invalidFrame', issue.params);
    case 'http': {
      // The status line and the server's reason: shown as they are, in every language.
      const { status, statusText, reason } = issue.params;
      return `HTTP ${status}${statusText ? ` ${statusText}` : ''}${reason !== null ? `: ${reason}` : ''}`;
    }
    case 'es.cannotOpen':
      return localText('transport.es.cannotOpen', issue.params);
    case 'es.gaveUp':
      return localText('transport.es.gaveUp');
    case 'fetch.requestFailed':
      return localText('transport.fetch.requestFailed', issue.params);
    case 'fetch.noContent':
      return localText('transport.fetch.noContent');
    case 'fetch.contentType': {
      const { type } = issue.params;
      return localText('transport.fetch.contentType', {
        type: type === null ? localText('transport.fetch.noContentType') : JSON.stringify(type),
      });
    }
    case 'fetch.noBody':
      return localText('transport.fetch.noBody');
    case 'fetch.broke':
      return localText('transport.fetch.broke', issue.params);
    case 'fetch.endedEarly':
      return localText('transport.fetch.endedEarly');
    case 'fetch.providerError':
      return localText('transport.fetch.providerError', issue.params);
    case 'fetch.noReconnect':
      return localText('transport.fetch.noReconnect', { message: issueText(issue.params.cause) });
    case 'ws.cannotOpen':
      return localText('transport.ws.cannotOpen', issue.params);
    case 'ws.badBinary':
      return localText('transport.ws.badBinary', issue.params);
    case 'ws.notTextOrBinary':
      return localText('transport.ws.neither');
    case 'ws.invalid':
      return localText('transport.ws.invalid', issue.params);
    case 'ws.server':
      return localText('transport.ws.server', issue.params);
    case 'ws.fatalClose':
      return localText('transport.ws.fatalClose', { close: describeClose(issue.params.close) });
    case 'ws.gaveUp':
      return localText('transport.ws.gaveUp', { attempts: issue.params.attempts, close: describeClose(issue.params.close) });
    case 'wss.unsupported':
      return localText('transport.wss.unsupported');
    case 'wss.needsLive':
      return localText('transport.wss.needsLive');
    case 'wss.broke':
      return localText('transport.wss.broke', issue.params);
    case 'poll.failed':
      return localText('transport.poll.failed', issue.params);
    case 'chat.http': {
      const { id, status, error } = issue.params;
      return error !== null
        ? localText('run.chat.httpErrorReason', { id, status, error })
        : localText('run.chat.httpError', { id, status });
    }
    case 'chat.failed':
      return localText('run.chat.error', issue.params);
  }
}
