/** STS's XML answers (query protocol, 2011-06-15), every text escaped. */
export interface StsAnswer {
  status: number;
  body: string;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}

/** `Sender` for the caller's mistakes (4xx), `Receiver` for the service's (5xx), as AWS types them. */
export function xmlError(status: number, code: string, message: string, requestId: string): StsAnswer {
  return {
    status,
    body:
      `<ErrorResponse xmlns="${NS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
      `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`,
  };
}

/** `<Action>Response><Action>Result>…</…><ResponseMetadata>…` around already-escaped fields. */
export function xmlResult(action: string, fields: string, requestId: string): StsAnswer {
  return {
    status: 200,
    body:
      `<${action}Response xmlns="${NS}"><${action}Result>${fields}</${action}Result>` +
      `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
