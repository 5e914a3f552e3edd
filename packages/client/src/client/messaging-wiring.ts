/**
 * Mounts messaging on a client: builds `Messaging` over the client's private context and puts its
 * handlers in the stanza pipeline (messages, receipts, message acks, device and identity
 * notifications, the offline queue), with the hooks that reset it per connection.
 */
import { ConnectionClosedError, NotConnectedError } from '../errors';
import { groupNotificationHandler } from '../messaging/group-notifications';
import type { MessagingHost } from '../messaging/host';
import { messageAckHandler } from '../messaging/message-ack-handler';
import { Messaging } from '../messaging/messaging';
import { notificationHandlers } from '../messaging/notifications';
import { receiptHandler } from '../messaging/receipts';
import { emitContent, messageHandler } from '../messaging/receive';
import { pruneMessaging } from '../messaging/retention';
import { type ClientContext, reportError } from './context';
import { collectMessageChildren, runHooks } from './module-host';
import { query, sendNode } from './send';

/** Creates the client's messaging and registers its handlers and hooks. */
export function mountMessaging(ctx: ClientContext): Messaging {
  const host: MessagingHost = {
    store: ctx.store,
    crypto: ctx.crypto,
    timers: ctx.timers,
    logger: ctx.logger,
    signalLock: ctx.signalLock,
    ackTimeoutMs: ctx.messageAckTimeoutMs,
    credentials: () => {
      const credentials = ctx.credentials;
      if (credentials?.account === undefined)
        throw new NotConnectedError('messaging needs a paired, logged-in device');
      return credentials;
    },
    saveCredentials: async (credentials) => {
      await ctx.store.saveCredentials(credentials);
      ctx.credentials = credentials;
    },
    emit: (event, payload) => ctx.events.emit(event, payload),
    sendNode: (node) => sendNode(ctx, node),
    query: (iq) => query(ctx, iq),
    nextId: () => ctx.iq.nextId(),
    report: (error, context) => reportError(ctx, error, context),
    messageChildren: (message) => collectMessageChildren(ctx.hooks.messageChildren, message),
    messageSent: (message) => runHooks(ctx, ctx.hooks.messageSent, 'after a message was sent', message),
  };
  const m = new Messaging(host);
  ctx.peers = m.peers;
  ctx.groups = m.groups;
  m.offline.room = () => ctx.pipeline.room;
  for (const handler of [
    messageHandler(m),
    receiptHandler(m),
    ...notificationHandlers(m),
    groupNotificationHandler(m),
    ...m.offline.handlers(),
    messageAckHandler(m),
  ])
    ctx.pipeline.add(handler);
  ctx.pipeline.observe(
    (node) => node.attrs.offline !== undefined,
    (node) => m.offline.counted(node),
  );
  ctx.hooks.connect.add(() => m.offline.reset());
  ctx.hooks.login.add(async () => {
    // Messages a previous process committed but may not have emitted (see messaging/inbox.ts).
    await m.inbox.replay(ctx.store, ({ message, info }) =>
      emitContent(m, message, { ...info, replayed: true }),
    );
    await pruneMessaging(ctx.store, ctx.timers.now());
  });
  ctx.hooks.close.add(() => m.inbox.flush(ctx.store));
  ctx.hooks.close.add(() =>
    m.acks.rejectAll(new ConnectionClosedError('the connection closed before the server acked the message')),
  );
  return m;
}
