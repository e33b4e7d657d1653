/** One token: the slot the URI names, a session on it, login, and object search. */
import { IamraError } from '../errors.js';
import { call, pkcs11Failure } from './failure.js';
import { acquireModule, type LoadedModule, type Pkcs11Binding } from './module.js';
import type { Pkcs11Attribute, Pkcs11Module, Pkcs11SlotInfo, Pkcs11TokenInfo } from './types.js';
import type { Pkcs11Uri } from './uri.js';

interface SlotFacts {
  slot: Buffer;
  slotId: number;
  token: Pkcs11TokenInfo;
  info: Pkcs11SlotInfo;
}

const trim = (value: string) => value.replace(/[\s\0]+$/, '');

function slotNumber(handle: Buffer): number {
  return handle.length >= 8 ? Number(handle.readBigUInt64LE(0)) : handle.readUInt32LE(0);
}

function slotMatches(uri: Pkcs11Uri, facts: SlotFacts): boolean {
  const wanted: [string | undefined, string][] = [
    [uri.token, facts.token.label],
    [uri.manufacturer, facts.token.manufacturerID],
    [uri.model, facts.token.model],
    [uri.serial, facts.token.serialNumber],
    [uri.slotDescription, facts.info.slotDescription],
    [uri.slotManufacturer, facts.info.manufacturerID],
  ];
  if (uri.slotId !== undefined && uri.slotId !== facts.slotId) return false;
  return wanted.every(([want, have]) => want === undefined || want === trim(have));
}

export class TokenSession {
  private loggedIn = false;
  private closed = false;

  private constructor(
    readonly binding: Pkcs11Binding,
    private readonly loaded: LoadedModule,
    readonly session: Buffer,
    readonly facts: SlotFacts,
  ) {}

  get module(): Pkcs11Module {
    return this.loaded.module;
  }

  /** Opens a session on the one token the URI names. */
  static open(binding: Pkcs11Binding, modulePath: string, uri: Pkcs11Uri): TokenSession {
    const loaded = acquireModule(binding, modulePath);
    try {
      const { facts, session } = TokenSession.openSlot(binding, loaded.module, uri, modulePath);
      return new TokenSession(binding, loaded, session, facts);
    } catch (error) {
      loaded.release();
      throw error;
    }
  }

  /** A session on every token the URI matches (none is no error): for listing certificates. */
  static openAll(binding: Pkcs11Binding, modulePath: string, uri: Pkcs11Uri): TokenSession[] {
    const sessions: TokenSession[] = [];
    const loaded = acquireModule(binding, modulePath);
    try {
      for (const facts of TokenSession.slots(binding, loaded.module).filter((candidate) =>
        slotMatches(uri, candidate),
      )) {
        const session = call('open a session', () =>
          loaded.module.C_OpenSession(facts.slot, binding.CKF_SERIAL_SESSION),
        );
        sessions.push(new TokenSession(binding, acquireModule(binding, modulePath), session, facts));
      }
      return sessions;
    } catch (error) {
      for (const session of sessions) session.close();
      throw error;
    } finally {
      loaded.release();
    }
  }

  /** Slots holding an initialised token (SoftHSM and others also list an empty, free one). */
  private static slots(binding: Pkcs11Binding, module: Pkcs11Module): SlotFacts[] {
    return call('list its tokens', () => module.C_GetSlotList(true))
      .map((slot) => ({
        slot,
        slotId: slotNumber(slot),
        token: call('read token information', () => module.C_GetTokenInfo(slot)),
        info: call('read slot information', () => module.C_GetSlotInfo(slot)),
      }))
      .filter((facts) => facts.token.flags & binding.CKF_TOKEN_INITIALIZED);
  }

  private static openSlot(
    binding: Pkcs11Binding,
    module: Pkcs11Module,
    uri: Pkcs11Uri,
    modulePath: string,
  ): { facts: SlotFacts; session: Buffer } {
    const slots = TokenSession.slots(binding, module);
    const matching = slots.filter((facts) => slotMatches(uri, facts));
    const labels = slots.map((facts) => `"${trim(facts.token.label)}"`).join(', ');
    if (matching.length === 0) {
      throw new IamraError(
        'PKCS11_TOKEN_NOT_FOUND',
        slots.length === 0
          ? `no token is present in the PKCS#11 module ${modulePath}; insert the token (or check --pkcs11-lib)`
          : `no token matches ${uri.display} in ${modulePath} (tokens present: ${labels}); fix token= in the URI`,
      );
    }
    const [facts] = matching;
    if (matching.length > 1 || !facts) {
      throw new IamraError(
        'PKCS11_AMBIGUOUS',
        `${matching.length} tokens match ${uri.display} (${labels}); add token=LABEL to the URI to pick one`,
      );
    }
    const { CKF_SERIAL_SESSION } = binding;
    return { facts, session: call('open a session', () => module.C_OpenSession(facts.slot, CKF_SERIAL_SESSION)) };
  }

  get label(): string {
    return trim(this.facts.token.label);
  }

  /** Logs the user in when the token asks for it; a wrong PIN is the user's error, never echoed. */
  login(pin: string | undefined): void {
    const { CKF_LOGIN_REQUIRED, CKF_USER_PIN_LOCKED, CKF_PROTECTED_AUTHENTICATION_PATH, CKU_USER } = this.binding;
    const flags = this.facts.token.flags;
    if (this.loggedIn || !(flags & CKF_LOGIN_REQUIRED)) return;
    if (flags & CKF_USER_PIN_LOCKED) throw pkcs11Failure(new Error('CKR_PIN_LOCKED'), 'log in');
    if (pin === undefined && !(flags & CKF_PROTECTED_AUTHENTICATION_PATH)) {
      throw new IamraError(
        'PKCS11_PIN_REQUIRED',
        `token "${this.label}" needs its user PIN; set IAMRA_PKCS11_PIN or add pin-source=file:/path/to/pin to the URI`,
      );
    }
    this.loginAs(CKU_USER, pin);
    this.loggedIn = true;
  }

  /** A login, tolerating one that is already in place (another session of this process). */
  loginAs(userType: number, pin: string | undefined): void {
    try {
      this.module.C_Login(this.session, userType, pin);
    } catch (error) {
      if (error instanceof Error && error.message === 'CKR_USER_ALREADY_LOGGED_IN') return;
      throw pkcs11Failure(error, 'log in');
    }
  }

  find(objectClass: number, uri: Pick<Pkcs11Uri, 'object' | 'id'>): Buffer[] {
    const { CKA_CLASS, CKA_LABEL, CKA_ID } = this.binding;
    const template: Pkcs11Attribute[] = [{ type: CKA_CLASS, value: objectClass }];
    if (uri.object !== undefined) template.push({ type: CKA_LABEL, value: uri.object });
    if (uri.id !== undefined) template.push({ type: CKA_ID, value: uri.id });
    return call('search its objects', () => {
      this.module.C_FindObjectsInit(this.session, template);
      try {
        return this.module.C_FindObjects(this.session, 64);
      } finally {
        this.module.C_FindObjectsFinal(this.session);
      }
    });
  }

  attribute(object: Buffer, type: number): Buffer | undefined {
    try {
      return this.module.C_GetAttributeValue(this.session, object, [{ type }])[0]?.value;
    } catch {
      // CKR_ATTRIBUTE_SENSITIVE / _TYPE_INVALID: the module does not tell.
      return undefined;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.module.C_CloseSession(this.session);
    } finally {
      this.loaded.release();
    }
  }
}
