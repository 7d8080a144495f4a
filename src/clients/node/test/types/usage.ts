// Compiled (never run) by package.test.js: the declarations must describe the README's usage, and reject misuse.
import { SwitchboardCloud, FileStore, MemoryStore, SwitchboardError, Webhook, WebhookMessage } from '../..';

declare const settings: { get(key: string): any; set(key: string, value: any): Promise<void> };

async function app(): Promise<void> {
  const cloud = new SwitchboardCloud({ url: 'https://switchboard.example', store: settings });
  const defaults = new SwitchboardCloud({
    url: 'http://localhost:8080',
    store: new FileStore('.switchboard-homey.json'),
    reconnect: { minDelayMs: 500, maxDelayMs: 30_000 },
    heartbeat: { intervalMs: 10_000, timeoutMs: 40_000 },
  });
  const webhook: Webhook = await cloud.createWebhook('56db7fb12dcf75604ea7977d', 'secret', { $keys: ['aaa'] });
  webhook.on('message', async (args: WebhookMessage) => {
    const signature: Buffer = args.rawBody;
    const header: string = args.headers['x-device-id'];
    const query: string | string[] = args.query.homey;
    const when: string = args.receivedAt;
    void [signature, header, query, when, args.body, args.method, args.id];
  });
  webhook.on('error', (error: SwitchboardError) => {
    if (error.code === 'handler_failed') {
      void error.messageId;
    }
  });
  cloud.on('disconnected', ({ code, willReconnect }) => void [code, willReconnect]);
  cloud.on('connected', ({ homeyId }) => void homeyId);
  const homeyId: string = await cloud.getHomeyId();
  const json: { id: string; data: Record<string, unknown> } = webhook.toJSON();
  void [homeyId, json, new MemoryStore()];
  await webhook.unregister();
  await cloud.unregisterWebhook(webhook);
  await cloud.unregisterWebhook('56db7fb12dcf75604ea7977d');
  await cloud.close();
  await defaults.close();

  // @ts-expect-error url is required
  new SwitchboardCloud({});
  // @ts-expect-error data is an object
  await cloud.createWebhook('id', 'secret', 'aaa');
  // @ts-expect-error a message listener receives a WebhookMessage
  webhook.on('message', (args: { nope: number }) => void args);
}

void app;
