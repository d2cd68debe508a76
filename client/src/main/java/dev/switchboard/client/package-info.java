/**
 * Switchboard's Java client SDK.
 *
 * <p>{@link dev.switchboard.client.SwitchboardClient} is one device session (connect with a token
 * from {@link dev.switchboard.client.rest.AccountApi}, send, receive, receipts), configured by
 * {@link dev.switchboard.client.ClientConfig} and reporting to a {@link
 * dev.switchboard.client.ClientListener}. Everything is asynchronous; many clients can share one
 * Netty event loop group ({@link dev.switchboard.client.SwitchboardClient#newEventLoopGroup}) and
 * one callback pool.
 *
 * <p>Subpackages: {@code rest} (account-api client), {@code net} (Netty pipeline), {@code inbound}
 * (dedup, reordering and the delivery watermark, pure logic), {@code sync} (when to send {@code
 * SyncReq}: pages, gaps, heads, idle; pure logic), {@code retry} (backoff with full jitter and the
 * injectable scheduler), {@code console} (the interactive console client).
 */
package dev.switchboard.client;
