// Parses a Redfish error response (DSP0266 "Error responses"):
//   {"error": {"code": "Base.1.8.GeneralError", "message": "...",
//              "@Message.ExtendedInfo": [{"MessageId": "...", "Message": "...", "Resolution": "..."}]}}
// Pure: no I/O. Anything else (HTML from a proxy, an empty body) yields no messages.

export interface RedfishErrorBody {
  readonly code: string | null;
  readonly messages: readonly string[];
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function extendedMessages(info: unknown): string[] {
  if (!Array.isArray(info)) return [];
  const messages: string[] = [];
  for (const entry of info) {
    const message = record(entry);
    const text = message?.['Message'] ?? message?.['MessageId'];
    if (typeof text === 'string' && text !== '') messages.push(text);
  }
  return messages;
}

export function parseRedfishError(text: string): RedfishErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: null, messages: [] };
  }
  const error = record(record(body)?.['error']);
  if (!error) return { code: null, messages: extendedMessages(record(body)?.['@Message.ExtendedInfo']) };
  const code = typeof error['code'] === 'string' ? error['code'] : null;
  const messages = extendedMessages(error['@Message.ExtendedInfo']);
  if (messages.length === 0 && typeof error['message'] === 'string' && error['message'] !== '') messages.push(error['message']);
  return { code, messages };
}
