// Type definitions for @switchboard/homey-cloud (hand-written; the package has no build step).

/// <reference types="node" />

import { EventEmitter } from 'node:events';

/** Anything with get/set, sync or async: `this.homey.settings`, a FileStore, a MemoryStore, your own. */
export interface Store {
  get(key: string): unknown | Promise<unknown>;
  set(key: string, value: unknown): unknown | Promise<unknown>;
}

export interface SwitchboardCloudOptions {
  /** The Switchboard server, http(s)://…; in a Homey app `Homey.env.SWITCHBOARD_URL`. */
  url: string;
  /** Where homeyId/homeyKey are kept; default `new FileStore('.switchboard-homey.json')`. */
  store?: Store;
  /** The store key holding the credentials; default `'switchboard'`. */
  storeKey?: string;
  /** Reconnect backoff: exponential with jitter from minDelayMs (default 1000) up to maxDelayMs (default 60000). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /**
   * Dead-connection detection: the client pings every intervalMs (default 25000) and drops a socket that sent
   * nothing (no frame, ping or pong) for timeoutMs (default 45000: the server's 30 s ping interval plus a margin).
   */
  heartbeat?: { intervalMs?: number; timeoutMs?: number };
  /** How many handled message IDs are remembered to drop resends; default 1000. */
  rememberedMessages?: number;
  /** Receives errors nobody listens to; default `console`. */
  logger?: { error(message: string): void };
}

export type SwitchboardErrorCode =
  | 'invalid_secret'
  | 'webhook_not_found'
  | 'invalid_data'
  | 'unauthorized'
  | 'replaced'
  | 'closed'
  | 'unregistered'
  | 'enrollment_failed'
  | 'connection_failed'
  | 'handler_failed'
  | 'protocol'
  | (string & {});

export class SwitchboardError extends Error {
  readonly name: 'SwitchboardError';
  readonly code: SwitchboardErrorCode;
  /** The webhook concerned, when there is one. */
  readonly webhookId?: string;
  /** The WebSocket close code (4401, 4409, …), for connection errors. */
  readonly closeCode?: number;
  /** The message whose handler failed (`handler_failed`). */
  readonly messageId?: string;
  /** Set on transient errors: the client tries again by itself. */
  willRetry?: boolean;
  retryInMs?: number;
}

/** What a `message` listener receives: the Homey SDK's {headers, query, body}, plus the rest of the request. */
export interface WebhookMessage<Body = unknown> {
  /** Delivery ID: the same on a resend. */
  id: string;
  webhookId: string;
  /** When Switchboard received the request, ISO 8601. */
  receivedAt: string;
  method: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** A repeated parameter gives an array. */
  query: Record<string, string | string[]>;
  /** Parsed JSON, a form object, text, or {} when there was no body or it was binary. */
  body: Body;
  /** The exact bytes received (empty when there was no body): verify signatures over these. */
  rawBody: Buffer;
}

export interface ConnectedEvent {
  homeyId: string;
}

export interface DisconnectedEvent {
  code: number;
  reason: string;
  willReconnect: boolean;
}

export declare class Webhook extends EventEmitter {
  private constructor();
  readonly id: string;
  /** The data of the latest createWebhook() the server accepted (or is being sent). */
  readonly data: Record<string, unknown>;
  unregister(): Promise<void>;
  toJSON(): { id: string; data: Record<string, unknown> };

  on(event: 'message', listener: (message: WebhookMessage) => unknown): this;
  on(event: 'error', listener: (error: SwitchboardError) => void): this;
  on(event: 'connected', listener: (event: ConnectedEvent) => void): this;
  on(event: 'disconnected', listener: (event: DisconnectedEvent) => void): this;
  once(event: 'message', listener: (message: WebhookMessage) => unknown): this;
  once(event: 'error', listener: (error: SwitchboardError) => void): this;
  once(event: 'connected', listener: (event: ConnectedEvent) => void): this;
  once(event: 'disconnected', listener: (event: DisconnectedEvent) => void): this;
}

export declare class SwitchboardCloud extends EventEmitter {
  constructor(options: SwitchboardCloudOptions);
  readonly url: string;
  readonly store: Store;
  /** This Homey's ID (enrolling on first use): what senders put in `?homey=`. */
  getHomeyId(): Promise<string>;
  /** Registers for a webhook, or replaces the data of an existing registration. */
  createWebhook(id: string, secret: string, data?: Record<string, unknown>): Promise<Webhook>;
  unregisterWebhook(webhook: Webhook | string): Promise<void>;
  /** Closes the socket; no reconnect. Registrations stay on the server and messages wait there. */
  close(): Promise<void>;

  on(event: 'error', listener: (error: SwitchboardError) => void): this;
  on(event: 'connected', listener: (event: ConnectedEvent) => void): this;
  on(event: 'disconnected', listener: (event: DisconnectedEvent) => void): this;
  once(event: 'error', listener: (error: SwitchboardError) => void): this;
  once(event: 'connected', listener: (event: ConnectedEvent) => void): this;
  once(event: 'disconnected', listener: (event: DisconnectedEvent) => void): this;
}

/** A JSON file; created (mode 0600) on the first set(). */
export declare class FileStore implements Store {
  constructor(file?: string);
  readonly file: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  unset(key: string): void;
}

/** Keeps values for the life of the process: every run is a new Homey. */
export declare class MemoryStore implements Store {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  unset(key: string): void;
}
